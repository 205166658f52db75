//! One file per exported PHP class; `register` is the single list of what the
//! extension exports, in the order PHP needs (parents before children).

mod access_token;
mod client;
mod client_ip;
mod convert;
mod email;
mod exceptions;
mod guard;
mod passkey;
mod pkce;
mod profile;
mod profile_error;
mod profile_router;
mod rate_limit;
mod redirect;
mod roles;
mod state;
mod version;
mod webhook;

use ext_php_rs::prelude::*;

pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    let module = module
        .class::<exceptions::Exception>()
        .class::<exceptions::SignatureException>()
        .class::<exceptions::TokenException>()
        .class::<exceptions::ApiException>()
        .class::<exceptions::StateException>()
        .class::<exceptions::InvalidArgumentException>()
        .class::<profile_error::ProfileException>()
        .class::<passkey::PasskeyException>()
        .class::<webhook::Webhook>()
        .class::<access_token::AccessToken>()
        .class::<client::Client>()
        .class::<client_ip::ClientIp>()
        .class::<email::Email>()
        .class::<state::State>()
        .class::<pkce::Pkce>()
        .class::<rate_limit::RateLimit>()
        .class::<redirect::Redirect>()
        .class::<roles::Roles>()
        .class::<profile::LoginProfile>()
        .class::<profile_router::ProfileRouter>()
        .class::<passkey::Passkeys>();
    version::register(module)
}
