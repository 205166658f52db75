//! The one form in which email addresses are compared when accounts are linked.
//!
//! Linking a WorkOS identity to a WordPress account by email is only safe when
//! both sides name the *same mailbox*. Functions that "clean" an address (such
//! as WordPress's `sanitize_email()`, which deletes characters it dislikes)
//! turn `admin@exam_ple.com` into `admin@example.com` — someone else's mailbox.
//! So this module never repairs an address: it either returns the canonical
//! form of exactly the address it was given, or refuses it.
//!
//! The canonical form is lower case, with the domain in its ASCII (IDNA /
//! Punycode) form, so an internationalised domain compares equal whether it
//! arrives as Unicode or as `xn--…`. The local part must be plain ASCII
//! (WordPress cannot store anything else). A Unicode domain must already be in
//! the form IDNA maps it to (apart from case): a domain that only becomes valid
//! after mapping (full-width letters, decomposed accents, ...) is ambiguous and
//! refused rather than guessed.

use thiserror::Error;

/// Longest address accepted (RFC 5321 path limit minus the brackets).
pub const MAX_LEN: usize = 254;
/// Longest local part (RFC 5321).
pub const MAX_LOCAL_LEN: usize = 64;

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("the email address is empty")]
    Empty,
    #[error("the email address is longer than {MAX_LEN} characters")]
    TooLong,
    #[error("the email address contains whitespace or control characters")]
    Control,
    #[error("the email address must contain exactly one @")]
    At,
    #[error("the part before @ is empty, too long, or has a character other than ASCII letters, digits and !#$%&'*+/=?^_`{{|}}~.-")]
    LocalPart,
    #[error("the part before @ starts or ends with a dot, or has two dots in a row")]
    LocalDots,
    #[error("the domain is not a valid internet domain name")]
    Domain,
    #[error("the domain changes when normalised (mapped or decomposed characters): refused as ambiguous")]
    Ambiguous,
}

/// The canonical form of `address`, or why it cannot be used to link accounts.
pub fn canonical(address: &str) -> Result<String, EmailError> {
    if address.is_empty() {
        return Err(EmailError::Empty);
    }
    if address.len() > MAX_LEN {
        return Err(EmailError::TooLong);
    }
    if address.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(EmailError::Control);
    }
    let mut parts = address.split('@');
    let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(d), None) => (l, d),
        _ => return Err(EmailError::At),
    };
    Ok(format!("{}@{}", local_part(local)?, domain_part(domain)?))
}

/// Whether two addresses name the same mailbox (both must be usable).
pub fn same(a: &str, b: &str) -> bool {
    matches!((canonical(a), canonical(b)), (Ok(x), Ok(y)) if x == y)
}

fn local_part(local: &str) -> Result<String, EmailError> {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";
    if local.is_empty()
        || local.len() > MAX_LOCAL_LEN
        || !local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
    {
        return Err(EmailError::LocalPart);
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(EmailError::LocalDots);
    }
    Ok(local.to_ascii_lowercase())
}

fn domain_part(domain: &str) -> Result<String, EmailError> {
    if domain.is_empty() || domain.ends_with('.') {
        return Err(EmailError::Domain);
    }
    let ascii = idna::domain_to_ascii_strict(domain).map_err(|_| EmailError::Domain)?;
    // Strict UTS 46 still lets a few things through that no mailbox domain has.
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    {
        return Err(EmailError::Domain);
    }
    // The address must already be what IDNA maps it to (case aside): an ASCII
    // domain is its own lower-case form; a Unicode one decodes back to itself.
    let unchanged = if domain.is_ascii() {
        ascii == domain.to_ascii_lowercase()
    } else {
        let (unicode, result) = idna::domain_to_unicode(&ascii);
        result.is_ok() && unicode == domain.to_lowercase()
    };
    if !unchanged {
        return Err(EmailError::Ambiguous);
    }
    Ok(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_are_lower_cased() {
        assert_eq!(canonical("Admin@Example.COM").unwrap(), "admin@example.com");
        assert_eq!(
            canonical("first.last+tag@sub.example.co.uk").unwrap(),
            "first.last+tag@sub.example.co.uk"
        );
        assert!(same("ADMIN@example.com", "admin@EXAMPLE.com"));
    }

    #[test]
    fn internationalised_domains_compare_in_one_form() {
        let unicode = canonical("admin@exampleä.com").unwrap();
        assert_eq!(unicode, "admin@xn--example-cxa.com");
        assert_eq!(canonical("admin@xn--example-cxa.com").unwrap(), unicode);
        assert_eq!(canonical("ADMIN@EXAMPLEÄ.COM").unwrap(), unicode);
        assert_ne!(unicode, "admin@example.com");
        assert_eq!(
            canonical("admin@example.ä.com").unwrap(),
            "admin@example.xn--4ca.com"
        );
    }

    #[test]
    fn addresses_a_cleaner_would_rewrite_are_refused() {
        for bad in [
            "adminä@example.com",
            "admin@exam_ple.com",
            "admin@example..com",
            "admin@example.com.",
            "admin@-example.com",
            "admin@example",
            ".admin@example.com",
            "ad..min@example.com",
            "admin@@example.com",
            "admin@exa@mple.com",
            "\"admin\"@example.com",
            "admin @example.com",
            "admin@example.com\0",
            " admin@example.com",
            "admin@exa mple.com",
            "admin(comment)@example.com",
            "admin@[127.0.0.1]",
            "",
            "@example.com",
            "admin@",
        ] {
            assert!(canonical(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn mapped_or_decomposed_domains_are_ambiguous() {
        // Full-width letters map to ASCII under UTS 46: the address would
        // silently become admin@example.com.
        assert_eq!(canonical("admin@ｅxample.com"), Err(EmailError::Ambiguous));
        // "a" + combining diaeresis is NFC-normalised to "ä".
        assert_eq!(
            canonical("admin@exa\u{0308}mple.com"),
            Err(EmailError::Ambiguous)
        );
    }

    #[test]
    fn lookalike_domains_stay_distinct() {
        // Cyrillic "а" is a different domain, not example.com.
        let c = canonical("admin@exаmple.com").unwrap();
        assert!(c.starts_with("admin@xn--"));
        assert!(!same("admin@exаmple.com", "admin@example.com"));
    }

    #[test]
    fn lengths_are_bounded() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(canonical(&long_local), Err(EmailError::LocalPart));
        let long = format!("a@{}.com", "b".repeat(300));
        assert_eq!(canonical(&long), Err(EmailError::TooLong));
    }
}
