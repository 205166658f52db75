//! Command line and environment configuration.

use std::path::PathBuf;

pub const USAGE: &str = "\
workos-emulator: a local WorkOS API emulator for tests and the demo

USAGE:
  workos-emulator [--port PORT] [--api-key KEY] [--client-id ID] [--issuer URL]
                  [--webhook-url URL] [--webhook-secret SECRET] [--seed FILE.json]
                  [--key-file FILE.pem] [--tls-port PORT --tls-dir DIR]
                  [--redirect-uris URI,URI...]

Every flag may also come from the environment (the flag wins):
  EMULATOR_PORT (default 8484; 0 picks a free port), EMULATOR_API_KEY (sk_test_emulator),
  EMULATOR_CLIENT_ID (client_emulator), EMULATOR_ISSUER (http://127.0.0.1:PORT),
  EMULATOR_WEBHOOK_URL, EMULATOR_WEBHOOK_SECRET, EMULATOR_SEED, EMULATOR_REDIRECT_URIS
  (unset: any http(s) redirect URI is accepted), EMULATOR_TLS_PORT, EMULATOR_TLS_DIR.

--tls-port also serves the API over HTTPS (0 picks a free port), with a test CA
whose certificate (DIR/ca.pem, made once and then reused) clients must trust.
";

pub const DEFAULT_WEBHOOK_SECRET: &str = "whsec_emulator";

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub port: u16,
    pub api_key: String,
    pub client_id: String,
    /// None until the port is known: the default issuer names the bound port.
    pub issuer: Option<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: String,
    pub seed: Option<PathBuf>,
    /// Keeps the signing key across restarts, as WorkOS's key is stable.
    pub key_file: Option<PathBuf>,
    pub redirect_uris: Vec<String>,
    /// The HTTPS listener's port, when there is one.
    pub tls_port: Option<u16>,
    /// Where the test CA and the server certificate live.
    pub tls_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8484,
            api_key: "sk_test_emulator".into(),
            client_id: "client_emulator".into(),
            issuer: None,
            webhook_url: None,
            webhook_secret: DEFAULT_WEBHOOK_SECRET.into(),
            seed: None,
            key_file: None,
            redirect_uris: Vec::new(),
            tls_port: None,
            tls_dir: None,
        }
    }
}

pub enum Parsed {
    Run(Box<Config>),
    Help,
}

const FLAGS: &[(&str, &str)] = &[
    ("--port", "EMULATOR_PORT"),
    ("--api-key", "EMULATOR_API_KEY"),
    ("--client-id", "EMULATOR_CLIENT_ID"),
    ("--issuer", "EMULATOR_ISSUER"),
    ("--webhook-url", "EMULATOR_WEBHOOK_URL"),
    ("--webhook-secret", "EMULATOR_WEBHOOK_SECRET"),
    ("--seed", "EMULATOR_SEED"),
    ("--key-file", "EMULATOR_KEY_FILE"),
    ("--redirect-uris", "EMULATOR_REDIRECT_URIS"),
    ("--tls-port", "EMULATOR_TLS_PORT"),
    ("--tls-dir", "EMULATOR_TLS_DIR"),
];

impl Config {
    /// `env` is injected so tests do not depend on the process environment.
    pub fn parse<I, F>(args: I, env: F) -> Result<Parsed, String>
    where
        I: IntoIterator<Item = String>,
        F: Fn(&str) -> Option<String>,
    {
        let mut given: Vec<(&'static str, String)> = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Ok(Parsed::Help);
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (arg.clone(), None),
            };
            let Some((flag, _)) = FLAGS.iter().find(|(f, _)| *f == name) else {
                return Err(format!("unknown argument: {arg}"));
            };
            let value = match inline {
                Some(v) => v,
                None => args.next().ok_or_else(|| format!("{flag} needs a value"))?,
            };
            given.push((flag, value));
        }
        let value_of = |flag: &str, var: &str| -> Option<String> {
            given
                .iter()
                .rev()
                .find(|(f, _)| *f == flag)
                .map(|(_, v)| v.clone())
                .or_else(|| env(var).filter(|v| !v.is_empty()))
        };
        let mut config = Config::default();
        for (flag, var) in FLAGS {
            let Some(value) = value_of(flag, var) else {
                continue;
            };
            match *flag {
                "--port" => {
                    config.port = value
                        .parse()
                        .map_err(|_| format!("invalid port: {value}"))?
                }
                "--api-key" => config.api_key = value,
                "--client-id" => config.client_id = value,
                "--issuer" => config.issuer = Some(value.trim_end_matches('/').to_string()),
                "--webhook-url" => config.webhook_url = Some(value),
                "--webhook-secret" => config.webhook_secret = value,
                "--seed" => config.seed = Some(PathBuf::from(value)),
                "--key-file" => config.key_file = Some(PathBuf::from(value)),
                "--redirect-uris" => {
                    config.redirect_uris = value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                }
                "--tls-port" => {
                    config.tls_port = Some(
                        value
                            .parse()
                            .map_err(|_| format!("invalid TLS port: {value}"))?,
                    )
                }
                "--tls-dir" => config.tls_dir = Some(PathBuf::from(value)),
                _ => unreachable!("every flag in FLAGS is handled"),
            }
        }
        // Clients must be told which CA to trust, so it lives in a known place.
        if config.tls_port.is_some() && config.tls_dir.is_none() {
            return Err("--tls-port needs --tls-dir (where the test CA is written)".into());
        }
        Ok(Parsed::Run(Box::new(config)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Config {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match Config::parse(args.iter().map(|s| s.to_string()), |k| {
            env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        }) {
            Ok(Parsed::Run(c)) => *c,
            _ => panic!("expected a config"),
        }
    }

    #[test]
    fn defaults() {
        let c = parse(&[], &[]);
        assert_eq!(c.port, 8484);
        assert_eq!(c.api_key, "sk_test_emulator");
        assert_eq!(c.client_id, "client_emulator");
        assert_eq!(c.issuer, None);
        assert_eq!(c.webhook_url, None);
    }

    #[test]
    fn flags_override_environment() {
        let c = parse(
            &["--port", "9000", "--webhook-url=http://127.0.0.1:1/hook"],
            &[("EMULATOR_PORT", "7000"), ("EMULATOR_API_KEY", "sk_env")],
        );
        assert_eq!(c.port, 9000);
        assert_eq!(c.api_key, "sk_env");
        assert_eq!(c.webhook_url.as_deref(), Some("http://127.0.0.1:1/hook"));
    }

    #[test]
    fn rejects_unknown_flags_and_missing_values() {
        assert!(Config::parse(vec!["--nope".into()], |_| None).is_err());
        assert!(Config::parse(vec!["--port".into()], |_| None).is_err());
        assert!(Config::parse(vec!["--port".into(), "x".into()], |_| None).is_err());
        assert!(Config::parse(vec!["--tls-port".into(), "0".into()], |_| None).is_err());
    }

    #[test]
    fn tls_listener_takes_a_port_and_a_directory() {
        let c = parse(&["--tls-port", "0"], &[("EMULATOR_TLS_DIR", "/tmp/x")]);
        assert_eq!(c.tls_port, Some(0));
        assert_eq!(c.tls_dir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(parse(&[], &[]).tls_port, None);
    }
}
