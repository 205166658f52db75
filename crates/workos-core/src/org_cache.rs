//! The organization list the admin pickers show, from the per-host cache
//! ([`crate::host_cache`]) for a few minutes: opening a settings screen on
//! any worker does not walk WorkOS's pages again, and when the list expires
//! one worker refreshes it while the others show the previous one.
//!
//! Entries are keyed by the client (base URL and client id), a generation
//! that [`forget`] moves on (after an organization is created or changed, so
//! it shows at once), and the query.

use serde_json::Value;

use crate::client::{ApiError, Client, OrganizationFilters, Page};
use crate::host_cache::{self, HostCache, HostCacheError, Policy};
use crate::verify::CacheSite;

/// The host-cache namespace of organization lists.
pub const NAMESPACE: &str = "organizations";
/// The namespace of each client's current generation.
const GENERATION: &str = "organizations-generation";
/// How long a list is shown before it is refreshed, by default.
pub const DEFAULT_TTL_SECS: i64 = 300;
/// The longest a list may be kept.
pub const MAX_TTL_SECS: i64 = 3600;

fn client_key(client: &Client) -> String {
    let cfg = client.config();
    format!("{}|{}", cfg.base_url, cfg.client_id)
}

fn cache_of(site: &CacheSite) -> std::sync::Arc<HostCache> {
    host_cache::for_site(site.dir.as_deref(), site.secret.as_deref())
}

/// The current generation of `client`'s lists ("0" until first forgotten).
fn generation(cache: &HostCache, client: &Client, now: i64) -> String {
    cache
        .get_fresh(GENERATION, &client_key(client), now)
        .ok()
        .flatten()
        .unwrap_or_else(|| "0".into())
}

/// Every organization matching (as [`Client::list_all_organizations`]), from
/// the cache when a list at most `ttl_secs` old is there.
///
/// A failed walk is remembered for a few seconds (the negative cache): the
/// pickers of other workers then answer at once with the same error instead
/// of each waiting for WorkOS.
pub fn list_all_organizations(
    client: &Client,
    site: &CacheSite,
    filters: &OrganizationFilters,
    page: &Page,
    max: usize,
    ttl_secs: i64,
    now: i64,
) -> Result<Vec<Value>, ApiError> {
    if !(1..=MAX_TTL_SECS).contains(&ttl_secs) {
        return Err(ApiError::InvalidInput(format!(
            "ttl must be 1 to {MAX_TTL_SECS} seconds"
        )));
    }
    let cache = cache_of(site);
    // The Debug text of the query is stable within a build; another build
    // writing another text merely misses once.
    let key = format!(
        "{}|{}|{filters:?}|{page:?}|{max}",
        client_key(client),
        generation(&cache, client, now)
    );
    let mut failed = None;
    let fetch = || {
        client
            .list_all_organizations(filters, page, max)
            .map_err(|e| {
                let message = e.to_string();
                failed = Some(e);
                message
            })
            .and_then(|list| serde_json::to_string(&list).map_err(|e| e.to_string()))
    };
    let mut policy = Policy::ttl(ttl_secs);
    policy.retry_failed_secs = 5;
    let got = match cache.get_or_fetch(NAMESPACE, &key, &policy, now, false, fetch) {
        Ok(got) => got,
        // The very error WorkOS gave this call (its status, code, body).
        Err(HostCacheError::Fetch(message)) => {
            return Err(failed.unwrap_or(ApiError::Transport(message)))
        }
        // Another worker's recent failure or fetch in progress: as when
        // WorkOS cannot be reached, so callers treat it as transient.
        Err(e) => return Err(ApiError::Transport(e.to_string())),
    };
    match serde_json::from_str::<Value>(&got.entry.value) {
        Ok(Value::Array(list)) => Ok(list),
        _ => Err(ApiError::BadResponse(
            "the cached organization list is not a list".into(),
        )),
    }
}

/// Forgets every cached list of `client` (a new generation), so the next
/// picker shows organizations created or changed since.
pub fn forget(client: &Client, site: &CacheSite, now: i64) {
    let cache = cache_of(site);
    let next = hex::encode(rand::random::<[u8; 8]>());
    let _ = cache.put(
        GENERATION,
        &client_key(client),
        &next,
        i64::from(i32::MAX),
        now,
    );
}
