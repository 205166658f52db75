//! `/organizations`.

use crate::app::Shared;
use crate::body::{self, Fields};
use crate::error::{ApiError, ApiResult};
use crate::model::{Domain, Organization};
use crate::store::{page, ListParams, Store};
use crate::util::{new_id, now_ms};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;

/// `domain_data` entries, or the deprecated plain `domains` list, which
/// WorkOS records as `legacy_verified`.
fn parse_domains(f: &Fields) -> ApiResult<Option<Vec<(String, String)>>> {
    if let Some(data) = f.get("domain_data").filter(|v| !v.is_null()) {
        let Some(items) = data.as_array() else {
            return Err(ApiError::invalid_field(
                "domain_data",
                "domain_data must be a list.",
            ));
        };
        let mut out = Vec::new();
        for item in items {
            let domain = item.get("domain").and_then(Value::as_str);
            let state = item.get("state").and_then(Value::as_str);
            match (domain, state) {
                (Some(d), Some(s)) if !d.is_empty() && (s == "pending" || s == "verified") => {
                    out.push((d.to_lowercase(), s.to_string()))
                }
                _ => {
                    return Err(ApiError::invalid_field(
                        "domain_data",
                        "Each domain_data entry needs a domain and a state of pending or verified.",
                    ))
                }
            }
        }
        return Ok(Some(out));
    }
    Ok(body::opt_str_list(f, "domains")?.map(|list| {
        list.into_iter()
            .map(|d| (d.to_lowercase(), "legacy_verified".to_string()))
            .collect()
    }))
}

fn build_domains(existing: &[Domain], wanted: Vec<(String, String)>) -> Vec<Domain> {
    let now = now_ms();
    wanted
        .into_iter()
        .map(
            |(domain, state)| match existing.iter().find(|d| d.domain == domain) {
                Some(d) if d.state == state => d.clone(),
                Some(d) => Domain {
                    state,
                    updated_at: now,
                    ..d.clone()
                },
                None => Domain {
                    id: new_id("org_domain"),
                    domain,
                    state,
                    created_at: now,
                    updated_at: now,
                },
            },
        )
        .collect()
}

fn external_id_taken(store: &Store, external_id: &Option<String>, except: &str) -> bool {
    external_id.is_some()
        && store
            .orgs
            .values()
            .any(|o| &o.external_id == external_id && o.id != except)
}

fn external_id_error() -> ApiError {
    ApiError::code(
        StatusCode::BAD_REQUEST,
        "external_id_already_used",
        "This external_id is already in use.",
    )
}

pub fn insert_org(store: &mut Store, id: Option<String>, name: String) -> Organization {
    let now = now_ms();
    let org = Organization {
        seq: store.next_seq(),
        id: id.unwrap_or_else(|| new_id("org")),
        name,
        domains: Vec::new(),
        metadata: Default::default(),
        external_id: None,
        stripe_customer_id: None,
        allow_profiles_outside_organization: false,
        created_at: now,
        updated_at: now,
    };
    store.orgs.insert(org.id.clone(), org.clone());
    org
}

pub async fn list(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let domains: Vec<String> = q
        .get("domains")
        .map(|d| {
            d.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let search = q
        .get("search")
        .map(|s| s.to_lowercase())
        .filter(|s| !s.is_empty());
    let store = app.store();
    let mut orgs: Vec<&Organization> = store
        .orgs
        .values()
        .filter(|o| domains.is_empty() || o.domains.iter().any(|d| domains.contains(&d.domain)))
        .filter(|o| {
            search
                .as_ref()
                .is_none_or(|s| o.name.to_lowercase().contains(s))
        })
        .collect();
    orgs.sort_by_key(|o| o.seq);
    Ok(Json(page(
        orgs,
        &params,
        |o| o.id.as_str(),
        |o| o.to_json(),
    )))
}

pub async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let name = body::req_str(&f, "name")?;
    let domains = parse_domains(&f)?.unwrap_or_default();
    let metadata = body::opt_metadata(&f, "metadata")?;
    let external_id = body::opt_str(&f, "external_id")?;
    let allow_outside = body::opt_bool(&f, "allow_profiles_outside_organization")?;
    let mut store = app.store();
    if external_id_taken(&store, &external_id, "") {
        return Err(external_id_error());
    }
    let mut org = insert_org(&mut store, None, name);
    org.domains = build_domains(&[], domains);
    org.metadata = metadata.unwrap_or_default();
    org.external_id = external_id;
    org.allow_profiles_outside_organization = allow_outside.unwrap_or(false);
    store.orgs.insert(org.id.clone(), org.clone());
    webhooks::emit(&app, "organization.created", org.to_json());
    Ok((StatusCode::CREATED, Json(org.to_json())).into_response())
}

pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    Ok(Json(app.store().org(&id)?.to_json()))
}

pub async fn get_by_external_id(
    State(app): State<Shared>,
    Path(external_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.store();
    store
        .orgs
        .values()
        .find(|o| o.external_id.as_deref() == Some(external_id.as_str()))
        .map(|o| Json(o.to_json()))
        .ok_or_else(|| ApiError::not_found("Organization", external_id))
}

pub async fn update(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let mut store = app.store();
    store.org(&id)?;
    let name = body::opt_str(&f, "name")?;
    let domains = parse_domains(&f)?;
    let metadata = body::opt_metadata(&f, "metadata")?;
    let external_id = body::opt_str(&f, "external_id")?;
    let stripe = body::opt_str(&f, "stripe_customer_id")?;
    let allow_outside = body::opt_bool(&f, "allow_profiles_outside_organization")?;
    if external_id_taken(&store, &external_id, &id) {
        return Err(external_id_error());
    }
    let Some(org) = store.orgs.get_mut(&id) else {
        return Err(ApiError::not_found("Organization", id));
    };
    if let Some(n) = name {
        org.name = n;
    }
    if let Some(d) = domains {
        org.domains = build_domains(&org.domains, d);
    }
    if let Some(m) = metadata {
        org.metadata = m;
    }
    if f.contains_key("external_id") {
        org.external_id = external_id;
    }
    if stripe.is_some() {
        org.stripe_customer_id = stripe;
    }
    if let Some(a) = allow_outside {
        org.allow_profiles_outside_organization = a;
    }
    org.updated_at = now_ms();
    let json = org.to_json();
    webhooks::emit(&app, "organization.updated", json.clone());
    Ok(Json(json))
}

pub async fn delete(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut store = app.store();
    let Some(org) = store.orgs.remove(&id) else {
        return Err(ApiError::not_found("Organization", id));
    };
    for m in store.remove_memberships(|m| m.organization_id == id) {
        webhooks::emit(&app, "organization_membership.deleted", m.event_json());
    }
    webhooks::emit(&app, "organization.deleted", org.to_json());
    // The spec documents 200 and 202 for this call; 202 keeps clients honest
    // about treating any 2xx as success.
    Ok(StatusCode::ACCEPTED)
}
