//! What a webhook delivery needs, kept apart from the worker that delivers it
//! (`webhooks`), so the app state can hold them without depending on it.

/// Where events go and the secret they are signed with.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    pub url: Option<String>,
    pub secret: String,
}

/// One delivery to make: the body is final, so the signature covers
/// exactly the bytes sent.
#[derive(Clone, Debug)]
pub struct Job {
    pub event_id: String,
    pub event: String,
    pub url: String,
    pub secret: String,
    pub body: String,
    pub timestamp_ms: u64,
    pub forced_signature: Option<String>,
}
