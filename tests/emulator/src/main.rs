//! workos-emulator: a local stand-in for the WorkOS API, for tests and the
//! demo. See `config::USAGE` for the command line.

mod app;
mod auth_events;
mod body;
mod config;
mod error;
mod keys;
mod listener;
mod model;
mod rate_limit;
mod routes;
mod store;
mod tls;
mod tokens;
mod util;
mod webhooks;

use app::App;
use config::{Config, Parsed};
use std::io::Write;
use std::sync::{mpsc, Arc, Mutex, RwLock};

fn fail(message: &str) -> ! {
    eprintln!("workos-emulator: {message}");
    std::process::exit(2);
}

/// Makes (or reuses) the test CA and binds the HTTPS port.
async fn bind_tls(
    port: u16,
    dir: &std::path::Path,
) -> (
    tokio::net::TcpListener,
    Arc<tokio_rustls::rustls::ServerConfig>,
) {
    let dir = dir.to_path_buf();
    let identity = match tokio::task::spawn_blocking(move || tls::load_or_create(&dir)).await {
        Ok(Ok(identity)) => identity,
        Ok(Err(e)) => fail(&e),
        Err(e) => fail(&e.to_string()),
    };
    let config = tls::server_config(identity).unwrap_or_else(|e| fail(&e));
    match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(tcp) => (tcp, config),
        Err(e) => fail(&format!("cannot listen on 127.0.0.1:{port}: {e}")),
    }
}

#[tokio::main]
async fn main() {
    let config = match Config::parse(std::env::args().skip(1), |k| std::env::var(k).ok()) {
        Ok(Parsed::Run(c)) => *c,
        Ok(Parsed::Help) => {
            print!("{}", config::USAGE);
            return;
        }
        Err(e) => fail(&format!("{e}\n\n{}", config::USAGE)),
    };

    // Key generation and binding overlap: the key is the slow part.
    let key_file = config.key_file.clone();
    let key = tokio::task::spawn_blocking(move || {
        keys::SigningKey::load_or_generate(key_file.as_deref())
    });
    let tcp = match tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await {
        Ok(l) => l,
        Err(e) => fail(&format!("cannot listen on 127.0.0.1:{}: {e}", config.port)),
    };
    let port = tcp.local_addr().map_or(config.port, |a| a.port());
    let tls = match (config.tls_port, &config.tls_dir) {
        (Some(tls_port), Some(dir)) => Some(bind_tls(tls_port, dir).await),
        _ => None,
    };
    let latency = listener::Latency::default();
    let http = listener::plain(tcp, latency.clone())
        .unwrap_or_else(|e| fail(&format!("cannot listen: {e}")));
    let tls = tls.map(|(tcp, config)| {
        let incoming = listener::tls(tcp, config, latency.clone())
            .unwrap_or_else(|e| fail(&format!("cannot listen (HTTPS): {e}")));
        let url = format!("https://127.0.0.1:{}", incoming.port());
        (incoming, url)
    });
    let key = match key.await {
        Ok(Ok(k)) => k,
        Ok(Err(e)) => fail(&e),
        Err(e) => fail(&e.to_string()),
    };

    let mut store = store::Store::default();
    if let Some(path) = &config.seed {
        let seed = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
            .and_then(|seed| routes::control::apply_seed(&mut store, &seed));
        if let Err(e) = seed {
            fail(&format!("seed file {}: {e}", path.display()));
        }
    }

    let (jobs_tx, jobs_rx) = mpsc::channel();
    let app = Arc::new(App {
        issuer: config
            .issuer
            .clone()
            .unwrap_or_else(|| format!("http://127.0.0.1:{port}")),
        store: Mutex::new(store),
        key: RwLock::new(key),
        webhook: Mutex::new(webhooks::WebhookConfig {
            url: config.webhook_url.clone(),
            secret: config.webhook_secret.clone(),
        }),
        webhook_jobs: jobs_tx,
        webhook_pending: Default::default(),
        http: webhooks::http_agent(),
        tls_url: tls.as_ref().map(|(_, url)| url.clone()),
        latency_ms: latency,
        rate_limits: Default::default(),
        config,
    });
    let worker_app = app.clone();
    std::thread::spawn(move || webhooks::run_worker(worker_app, jobs_rx));

    let router = routes::router(app);
    // The plain line first: scripts read the port from it.
    println!("workos-emulator listening on http://127.0.0.1:{port}");
    if let Some((https, url)) = tls {
        println!("workos-emulator listening on {url}");
        let router = router.clone();
        tokio::spawn(async move {
            if let Err(e) = axum::serve(https, router).await {
                fail(&format!("HTTPS listener: {e}"));
            }
        });
    }
    let _ = std::io::stdout().flush();

    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(s) => s,
                    Err(_) => {
                        let _ = ctrl_c.await;
                        return;
                    }
                };
            tokio::select! {
                _ = ctrl_c => {},
                _ = term.recv() => {},
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    };
    if let Err(e) = axum::serve(http, router)
        .with_graceful_shutdown(shutdown)
        .await
    {
        fail(&e.to_string());
    }
}
