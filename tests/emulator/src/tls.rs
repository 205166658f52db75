//! The HTTPS listener's certificate. WorkOS is reachable over TLS only, so
//! what a client does there (handshakes, connection reuse, HTTP/2, trusting
//! a CA) needs a TLS server to be measured against. A throwaway test CA
//! signs a certificate for 127.0.0.1 and localhost; clients trust the CA's
//! file (`ca.pem` in the TLS directory) and nothing else.

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;

/// The CA certificate clients trust (PEM).
pub const CA_FILE: &str = "ca.pem";
const CERT_FILE: &str = "server.pem";
const KEY_FILE: &str = "server-key.pem";

pub struct Identity {
    pub cert: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

/// Reads the server certificate and key from `dir`, or makes a new CA and
/// certificate there when any of the three files is missing or unreadable.
/// Reusing them keeps a restarted emulator trusted by the clients (and the
/// CA file) that were set up for the previous one.
pub fn load_or_create(dir: &Path) -> Result<Identity, String> {
    if let Some(identity) = load(dir) {
        return Ok(identity);
    }
    create(dir)
}

fn load(dir: &Path) -> Option<Identity> {
    CertificateDer::from_pem_file(dir.join(CA_FILE)).ok()?;
    let cert = CertificateDer::from_pem_file(dir.join(CERT_FILE)).ok()?;
    let key = PrivateKeyDer::from_pem_file(dir.join(KEY_FILE)).ok()?;
    Some(Identity { cert, key })
}

fn create(dir: &Path) -> Result<Identity, String> {
    let failed = |what: &str, e: rcgen::Error| format!("cannot make the test {what}: {e}");
    let ca_key = KeyPair::generate().map_err(|e| failed("CA key", e))?;
    let mut ca = CertificateParams::default();
    ca.distinguished_name
        .push(DnType::CommonName, "workos-emulator test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = date_time_ymd(2024, 1, 1);
    ca.not_after = date_time_ymd(2124, 1, 1);
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| failed("CA", e))?;
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate().map_err(|e| failed("server key", e))?;
    let mut server = CertificateParams::new(vec![
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        "::1".to_string(),
    ])
    .map_err(|e| failed("server certificate", e))?;
    server
        .distinguished_name
        .push(DnType::CommonName, "workos-emulator");
    server.is_ca = IsCa::ExplicitNoCa;
    server.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.not_before = date_time_ymd(2024, 1, 1);
    server.not_after = date_time_ymd(2124, 1, 1);
    let cert = server
        .signed_by(&key, &issuer)
        .map_err(|e| failed("server certificate", e))?;

    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // The key last: a half-written set is made anew at the next start.
    write(dir, CA_FILE, &ca_cert.pem(), 0o644)?;
    write(dir, CERT_FILE, &cert.pem(), 0o644)?;
    write(dir, KEY_FILE, &key.serialize_pem(), 0o600)?;
    Ok(Identity {
        cert: cert.der().clone(),
        key: PrivateKeyDer::try_from(key.serialize_der())
            .map_err(|e| format!("server key: {e}"))?,
    })
}

/// Writes through a temporary file and a rename, so a reader never sees half
/// a certificate.
fn write(dir: &Path, name: &str, text: &str, mode: u32) -> Result<(), String> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}", std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        let mut file = options.open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The rustls server configuration: ring explicitly (the process may link
/// more than one provider, then rustls has no default), h2 and HTTP/1.1.
pub fn server_config(identity: Identity) -> Result<Arc<ServerConfig>, String> {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![identity.cert], identity.key)
        .map_err(|e| format!("TLS certificate: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_the_files_once_and_reuses_them() {
        let dir = std::env::temp_dir().join(format!("emu-tls-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = load_or_create(&dir).unwrap();
        let ca = std::fs::read_to_string(dir.join(CA_FILE)).unwrap();
        assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let second = load_or_create(&dir).unwrap();
        assert_eq!(first.cert, second.cert);
        assert_eq!(std::fs::read_to_string(dir.join(CA_FILE)).unwrap(), ca);
        assert!(server_config(second).is_ok());

        // A lost key means a new set, CA included.
        std::fs::remove_file(dir.join(KEY_FILE)).unwrap();
        let third = load_or_create(&dir).unwrap();
        assert_ne!(third.cert, first.cert);
        assert_ne!(std::fs::read_to_string(dir.join(CA_FILE)).unwrap(), ca);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
