//! The visitor's IP address, for logs, rate limits and WorkOS's `ip_address`.
//!
//! `X-Forwarded-For` is written by whoever sends the request, so it is only
//! believed hop by hop, from the right, while the hop that added it is a
//! configured trusted proxy. A site with no trusted proxies uses the socket
//! address alone, whatever headers arrive.

use ipnet::IpNet;
use std::net::IpAddr;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ClientIpError {
    #[error("'{0}' is not an IP address or CIDR range")]
    InvalidProxy(String),
    #[error("the remote address '{0}' is not an IP address")]
    InvalidRemote(String),
}

/// A parsed list of trusted proxies (addresses or CIDR ranges).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses entries like `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, ClientIpError> {
        entries
            .iter()
            .map(|e| e.as_ref().trim())
            .filter(|e| !e.is_empty())
            .map(|e| {
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| ClientIpError::InvalidProxy(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Canonical spelling of every entry (for storing validated settings).
    pub fn entries(&self) -> Vec<String> {
        self.0.iter().map(|n| n.to_string()).collect()
    }

    fn contains(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }
}

/// Parses one address as proxies write it: bare, `[v6]`, or with a port.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim();
    if let Ok(ip) = raw.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = raw.parse::<std::net::SocketAddr>() {
        return Some(sock.ip());
    }
    raw.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|r| r.parse().ok())
}

/// The client address of a request that arrived from `remote` carrying
/// `forwarded_for` (the raw `X-Forwarded-For` value, possibly empty).
pub fn resolve(
    remote: &str,
    forwarded_for: &str,
    trusted: &TrustedProxies,
) -> Result<String, ClientIpError> {
    let mut client =
        parse_hop(remote).ok_or_else(|| ClientIpError::InvalidRemote(remote.to_string()))?;
    if forwarded_for.trim().is_empty() {
        return Ok(client.to_string());
    }
    for hop in forwarded_for.rsplit(',') {
        if !trusted.contains(&client) {
            break;
        }
        // A garbled hop ends the chain: the last trusted proxy is all we know.
        match parse_hop(hop) {
            Some(ip) => client = ip,
            None => break,
        }
    }
    Ok(client.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    #[test]
    fn without_trusted_proxies_headers_are_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            resolve("203.0.113.9", "1.2.3.4", &none).unwrap(),
            "203.0.113.9"
        );
    }

    #[test]
    fn untrusted_remote_cannot_spoof() {
        let t = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            resolve("198.51.100.7", "1.2.3.4", &t).unwrap(),
            "198.51.100.7"
        );
    }

    #[test]
    fn walks_right_to_left_through_trusted_hops_only() {
        let t = proxies(&["10.0.0.0/8", "127.0.0.1"]);
        // The visitor prepended a fake hop; the first untrusted one from the right wins.
        let got = resolve("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.2.3", &t).unwrap();
        assert_eq!(got, "203.0.113.5");
    }

    #[test]
    fn all_hops_trusted_gives_leftmost() {
        let t = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            resolve("10.0.0.1", "10.0.0.2, 10.0.0.3", &t).unwrap(),
            "10.0.0.2"
        );
    }

    #[test]
    fn garbled_hop_stops_at_last_trusted() {
        let t = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            resolve("10.0.0.1", "203.0.113.5, nonsense", &t).unwrap(),
            "10.0.0.1"
        );
    }

    #[test]
    fn ports_and_brackets_are_understood() {
        let t = proxies(&["::1"]);
        assert_eq!(
            resolve("::1", "[2001:db8::1]:4711", &t).unwrap(),
            "2001:db8::1"
        );
        assert_eq!(
            resolve("[::1]:80", "198.51.100.1:1234", &t).unwrap(),
            "198.51.100.1"
        );
    }

    #[test]
    fn invalid_configuration_and_remote_are_errors() {
        assert_eq!(
            TrustedProxies::parse(&["10.0.0.0/33"]).unwrap_err(),
            ClientIpError::InvalidProxy("10.0.0.0/33".into())
        );
        assert!(resolve("not-an-ip", "", &TrustedProxies::default()).is_err());
    }

    #[test]
    fn entries_are_canonical() {
        let t = proxies(&[" 10.0.0.0/8 ", "", "::1"]);
        assert_eq!(t.entries(), vec!["10.0.0.0/8", "::1/128"]);
    }
}
