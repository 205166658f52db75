//! The objects the emulator keeps, in WorkOS's shapes: each type renders
//! its own JSON. They depend on nothing but `util`; the store holds them,
//! the routes change them.

mod audit_logs;
mod connections;
mod directory_sync;
mod fault;
mod lifecycle;
pub mod one_time_code;
mod organizations;
mod qr;
mod sessions;
mod users;
mod webhook;

pub use audit_logs::AuditLogEvent;
pub use connections::Connection;
pub use directory_sync::{Directory, DirectoryGroup, DirectoryUser};
pub use fault::Fault;
pub use lifecycle::{
    base32_decode, base32_encode, totp, AuthChallenge, AuthFactor, EmailChange, FactorKind,
    Invitation, PasswordReset, SmsMessage,
};
pub use organizations::{Domain, Membership, Organization};
pub use sessions::{AuthCode, LoginState, Pending, Session, Stage, SESSION_TTL_MS};
pub use users::{new_user, EmailVerification, MagicAuth, Mfa, User};
pub use webhook::{Job, WebhookConfig};
