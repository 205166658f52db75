//! The listeners handed to `axum::serve`. They accept connections and, when
//! a latency L is set, charge what a network with that round-trip time
//! charges a new connection: L for the TCP handshake and, over TLS, L more
//! for the TLS 1.3 handshake. Each request then pays L again (in the API
//! layer), so a fresh connection costs 3L and a reused one L: reusing
//! connections is worth what it is worth against the real WorkOS.
//!
//! Each connection gets ready in its own task, so a slow handshake holds up
//! no other client.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// The latency in milliseconds, shared with the control API that sets it.
pub type Latency = Arc<AtomicU64>;

/// A TLS handshake not finished by then is abandoned, so a silent client
/// cannot hold a task forever.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Incoming<Io> {
    ready: mpsc::Receiver<(Io, SocketAddr)>,
    local: SocketAddr,
}

impl<Io> Incoming<Io> {
    pub fn port(&self) -> u16 {
        self.local.port()
    }
}

async fn one_round_trip(latency: &Latency) {
    let ms = latency.load(Ordering::Relaxed);
    if ms > 0 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}

/// Plain HTTP: one round trip (TCP) before the first request.
pub fn plain(tcp: TcpListener, latency: Latency) -> std::io::Result<Incoming<TcpStream>> {
    serve(tcp, move |stream| {
        let latency = latency.clone();
        async move {
            one_round_trip(&latency).await;
            Some(stream)
        }
    })
}

/// HTTPS: two round trips (TCP, then TLS) before the first request.
pub fn tls(
    tcp: TcpListener,
    config: Arc<ServerConfig>,
    latency: Latency,
) -> std::io::Result<Incoming<TlsStream<TcpStream>>> {
    let acceptor = TlsAcceptor::from(config);
    serve(tcp, move |stream| {
        let acceptor = acceptor.clone();
        let latency = latency.clone();
        async move {
            one_round_trip(&latency).await;
            let tls = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream))
                .await
                .ok()?
                .ok()?;
            one_round_trip(&latency).await;
            Some(tls)
        }
    })
}

fn serve<Io, F, Fut>(tcp: TcpListener, prepare: F) -> std::io::Result<Incoming<Io>>
where
    Io: Send + 'static,
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = Option<Io>> + Send + 'static,
{
    let local = tcp.local_addr()?;
    let (tx, ready) = mpsc::channel(64);
    tokio::spawn(async move {
        loop {
            let (stream, peer) = match tcp.accept().await {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait, do not spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            // Small answers go out at once, as from WorkOS's servers, not
            // after Nagle's delay.
            let _ = stream.set_nodelay(true);
            let connection = prepare(stream);
            let tx = tx.clone();
            tokio::spawn(async move {
                if let Some(io) = connection.await {
                    let _ = tx.send((io, peer)).await;
                }
            });
        }
    });
    Ok(Incoming { ready, local })
}

impl<Io> axum::serve::Listener for Incoming<Io>
where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    type Io = Io;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accept loop never ends while the listener lives.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}
