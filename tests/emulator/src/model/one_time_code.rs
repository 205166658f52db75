//! One-time codes and tokens — Magic Auth codes, email-verification codes,
//! email-change codes, password-reset tokens and invitation tokens — issued
//! and judged in one place. Each record keeps its own WorkOS shape; this
//! model gives them one way to make the secret and its lifetime, one order
//! in which a presented secret is refused (unknown, then spent, then
//! expired, as WorkOS answers), and one "newest sent to this address"
//! lookup for the control API that stands in for the inbox.

use super::{EmailChange, EmailVerification, Invitation, MagicAuth, PasswordReset};
use crate::util::{random_digits, random_token};

/// The form of a secret: digits a person types, or a token in a link.
#[derive(Clone, Copy, Debug)]
pub enum Secret {
    Digits(usize),
    Token(usize),
}

/// A freshly issued secret and its lifetime.
#[derive(Clone, Debug)]
pub struct Issued {
    pub value: String,
    pub created_at: u64,
    pub expires_at: u64,
}

impl Issued {
    /// A new secret, issued at `now` and good for `ttl_ms`.
    pub fn new(secret: Secret, now: u64, ttl_ms: u64) -> Self {
        let value = match secret {
            Secret::Digits(n) => random_digits(n),
            Secret::Token(n) => random_token(n),
        };
        Self {
            value,
            created_at: now,
            expires_at: now + ttl_ms,
        }
    }
}

/// Why a presented secret is refused; each route names it in its own error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Used,
    Expired,
}

/// What every record holding a one-time secret answers.
pub trait OneTimeCode {
    fn secret(&self) -> &str;
    /// The address the secret was sent to (the inbox it stands for).
    fn sent_to(&self) -> &str;
    /// Orders the secrets sent to one address: the greatest is the newest.
    fn order(&self) -> (u64, &str);
    fn expires_at(&self) -> u64;
    /// When it was spent; secrets that are not single use answer None.
    fn used_at(&self) -> Option<u64> {
        None
    }

    /// Whether `presented` is this secret.
    fn matches(&self, presented: &str) -> bool {
        self.secret() == presented
    }

    fn is_expired(&self, now: u64) -> bool {
        self.expires_at() < now
    }
}

/// Judges the record a presented secret matched (None: it matched none):
/// unknown, then spent, then expired.
pub fn judge<T: OneTimeCode>(found: Option<&T>, now: u64) -> Result<(), Refusal> {
    match found {
        None => Err(Refusal::Unknown),
        Some(c) if c.used_at().is_some() => Err(Refusal::Used),
        Some(c) if c.is_expired(now) => Err(Refusal::Expired),
        Some(_) => Ok(()),
    }
}

/// The newest secret sent to `email`, as the control API's inbox shows it.
pub fn newest_sent_to<'a, T, I>(records: I, email: &str) -> Option<&'a T>
where
    T: OneTimeCode + 'a,
    I: IntoIterator<Item = &'a T>,
{
    records
        .into_iter()
        .filter(|c| c.sent_to() == email)
        .max_by(|a, b| a.order().cmp(&b.order()))
}

/// Implements OneTimeCode from the names of a record's fields: its secret,
/// the address it went to, what orders it (and breaks ties), and when it was
/// spent (`never` for secrets that are not single use).
macro_rules! one_time_code {
    ($t:ty: $secret:ident to $to:ident, newest by $order:ident $(then $tie:ident)?, spent $used:ident) => {
        impl OneTimeCode for $t {
            fn secret(&self) -> &str {
                &self.$secret
            }
            fn sent_to(&self) -> &str {
                &self.$to
            }
            fn order(&self) -> (u64, &str) {
                one_time_code!(@order self, $order $(, $tie)?)
            }
            fn expires_at(&self) -> u64 {
                self.expires_at
            }
            fn used_at(&self) -> Option<u64> {
                one_time_code!(@used self, $used)
            }
        }
    };
    (@order $s:ident, $order:ident) => {
        ($s.$order, "")
    };
    (@order $s:ident, $order:ident, $tie:ident) => {
        ($s.$order, &$s.$tie)
    };
    (@used $s:ident, never) => {
        None
    };
    (@used $s:ident, $field:ident) => {
        $s.$field
    };
}

one_time_code!(MagicAuth: code to email, newest by seq, spent used_at);
one_time_code!(EmailVerification: code to email, newest by created_at then id, spent never);
one_time_code!(PasswordReset: token to email, newest by seq, spent used_at);
one_time_code!(EmailChange: code to new_email, newest by created_at, spent used_at);
one_time_code!(Invitation: token to email, newest by seq, spent accepted_at);

#[cfg(test)]
mod tests {
    use super::*;

    fn magic(seq: u64, email: &str, expires_at: u64, used_at: Option<u64>) -> MagicAuth {
        MagicAuth {
            seq,
            id: format!("magic_auth_{seq}"),
            user_id: "user_1".into(),
            email: email.into(),
            code: "123456".into(),
            created_at: 0,
            expires_at,
            used_at,
        }
    }

    #[test]
    fn issued_secrets_have_their_form_and_lifetime() {
        let code = Issued::new(Secret::Digits(6), 1_000, 600);
        assert_eq!(code.value.len(), 6);
        assert!(code.value.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!((code.created_at, code.expires_at), (1_000, 1_600));
        assert_eq!(Issued::new(Secret::Token(25), 0, 1).value.len(), 25);
    }

    #[test]
    fn refusals_come_in_workos_order() {
        assert_eq!(judge::<MagicAuth>(None, 5), Err(Refusal::Unknown));
        // Spent wins over expired.
        assert_eq!(
            judge(Some(&magic(1, "a@x", 1, Some(0))), 5),
            Err(Refusal::Used)
        );
        assert_eq!(
            judge(Some(&magic(1, "a@x", 1, None)), 5),
            Err(Refusal::Expired)
        );
        assert_eq!(judge(Some(&magic(1, "a@x", 5, None)), 5), Ok(()));
    }

    #[test]
    fn newest_is_per_address() {
        let all = [
            magic(1, "a@x", 9, None),
            magic(3, "b@x", 9, None),
            magic(2, "a@x", 9, None),
        ];
        assert_eq!(newest_sent_to(all.iter(), "a@x").map(|m| m.seq), Some(2));
        assert!(newest_sent_to(all.iter(), "c@x").is_none());
    }
}
