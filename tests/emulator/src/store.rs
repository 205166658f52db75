//! In-memory state: every collection of `model` objects, the lookups and
//! joined views the routes share, and the pagination of list endpoints.

use crate::error::{ApiError, ApiResult};
use crate::model::{
    AuditLogEvent, AuthChallenge, AuthCode, AuthFactor, Connection, Directory, DirectoryGroup,
    DirectoryUser, EmailChange, EmailVerification, Fault, Invitation, MagicAuth, Membership,
    Organization, PasswordReset, Pending, Session, SmsMessage, User,
};
use crate::util::{new_id, now_ms};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

pub struct Store {
    seq: u64,
    pub users: BTreeMap<String, User>,
    pub orgs: BTreeMap<String, Organization>,
    pub memberships: BTreeMap<String, Membership>,
    pub sessions: BTreeMap<String, Session>,
    /// Refresh token to session id; rotation removes the old token.
    pub refresh_tokens: HashMap<String, String>,
    pub codes: HashMap<String, AuthCode>,
    pub pending: HashMap<String, Pending>,
    pub email_verifications: BTreeMap<String, EmailVerification>,
    pub magic_auths: BTreeMap<String, MagicAuth>,
    pub password_resets: BTreeMap<String, PasswordReset>,
    pub invitations: BTreeMap<String, Invitation>,
    pub auth_factors: BTreeMap<String, AuthFactor>,
    pub auth_challenges: BTreeMap<String, AuthChallenge>,
    /// SMS factors' texts, oldest first (read through the control API).
    pub sms_messages: Vec<SmsMessage>,
    /// User id to their pending (or last confirmed) email change.
    pub email_changes: HashMap<String, EmailChange>,
    pub connections: BTreeMap<String, Connection>,
    pub directories: BTreeMap<String, Directory>,
    pub directory_users: BTreeMap<String, DirectoryUser>,
    pub directory_groups: BTreeMap<String, DirectoryGroup>,
    /// Oldest first; also where idempotency keys are looked up.
    pub audit_log_events: Vec<AuditLogEvent>,
    /// Role slug to its permissions.
    pub roles: BTreeMap<String, Vec<String>>,
    pub faults: Vec<Fault>,
    pub requests: Vec<Value>,
    pub deliveries: Vec<Value>,
    /// Sign-ins that carried a Radar `signals_id` (routes::radar), oldest first.
    pub radar_attempts: Vec<Value>,
}

impl Default for Store {
    fn default() -> Self {
        let mut roles = BTreeMap::new();
        roles.insert("admin".to_string(), Vec::new());
        roles.insert("member".to_string(), Vec::new());
        Store {
            seq: 0,
            users: BTreeMap::new(),
            orgs: BTreeMap::new(),
            memberships: BTreeMap::new(),
            sessions: BTreeMap::new(),
            refresh_tokens: HashMap::new(),
            codes: HashMap::new(),
            pending: HashMap::new(),
            email_verifications: BTreeMap::new(),
            magic_auths: BTreeMap::new(),
            password_resets: BTreeMap::new(),
            invitations: BTreeMap::new(),
            auth_factors: BTreeMap::new(),
            auth_challenges: BTreeMap::new(),
            sms_messages: Vec::new(),
            email_changes: HashMap::new(),
            connections: BTreeMap::new(),
            directories: BTreeMap::new(),
            directory_users: BTreeMap::new(),
            directory_groups: BTreeMap::new(),
            audit_log_events: Vec::new(),
            roles,
            faults: Vec::new(),
            requests: Vec::new(),
            deliveries: Vec::new(),
            radar_attempts: Vec::new(),
        }
    }
}

pub const DEFAULT_ROLE: &str = "member";

/// Logs keep the most recent entries only, so a long demo session stays small.
pub const LOG_CAPACITY: usize = 5000;

pub fn push_capped(log: &mut Vec<Value>, entry: Value) {
    if log.len() >= LOG_CAPACITY {
        log.drain(..log.len() + 1 - LOG_CAPACITY);
    }
    log.push(entry);
}

impl Store {
    /// Creation order; ULIDs alone tie within a millisecond.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn user(&self, id: &str) -> ApiResult<&User> {
        self.users
            .get(id)
            .ok_or_else(|| ApiError::not_found("User", id))
    }

    pub fn user_mut(&mut self, id: &str) -> ApiResult<&mut User> {
        self.users
            .get_mut(id)
            .ok_or_else(|| ApiError::not_found("User", id))
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        let email = email.to_lowercase();
        self.users.values().find(|u| u.email == email)
    }

    pub fn org(&self, id: &str) -> ApiResult<&Organization> {
        self.orgs
            .get(id)
            .ok_or_else(|| ApiError::not_found("Organization", id))
    }

    pub fn membership(&self, id: &str) -> ApiResult<&Membership> {
        self.memberships
            .get(id)
            .ok_or_else(|| ApiError::not_found("Organization membership", id))
    }

    pub fn active_memberships(&self, user_id: &str) -> Vec<&Membership> {
        let mut list: Vec<&Membership> = self
            .memberships
            .values()
            .filter(|m| m.user_id == user_id && m.is_active())
            .collect();
        list.sort_by_key(|m| m.seq);
        list
    }

    pub fn membership_of(&self, user_id: &str, org_id: &str) -> Option<&Membership> {
        self.memberships
            .values()
            .find(|m| m.user_id == user_id && m.organization_id == org_id)
    }

    /// Full membership object, as the membership endpoints return it.
    pub fn membership_json(&self, m: &Membership) -> Value {
        let mut v = m.event_json();
        if let Some(org) = self.orgs.get(&m.organization_id) {
            v["organization_name"] = json!(org.name);
        }
        if let Some(user) = self.users.get(&m.user_id) {
            v["user"] = user.to_json();
        }
        v
    }

    pub fn permissions_for(&self, role_slugs: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for slug in role_slugs {
            for p in self.roles.get(slug).into_iter().flatten() {
                if !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        out
    }

    pub fn insert_user(&mut self, mut user: User) -> User {
        user.seq = self.next_seq();
        self.users.insert(user.id.clone(), user.clone());
        user
    }

    /// Removes a user and everything hanging off it; returns the removed
    /// memberships so callers can announce them.
    pub fn remove_user(&mut self, id: &str) -> Option<(User, Vec<Membership>)> {
        let user = self.users.remove(id)?;
        let memberships = self.remove_memberships(|m| m.user_id == id);
        let sessions: Vec<String> = self
            .sessions
            .values()
            .filter(|s| s.user_id == id)
            .map(|s| s.id.clone())
            .collect();
        for s in &sessions {
            self.sessions.remove(s);
        }
        self.refresh_tokens.retain(|_, s| !sessions.contains(s));
        self.codes.retain(|_, c| c.user_id != id);
        self.pending.retain(|_, p| p.login.user_id != id);
        self.email_verifications.retain(|_, e| e.user_id != id);
        self.magic_auths.retain(|_, m| m.user_id != id);
        self.password_resets.retain(|_, r| r.user_id != id);
        self.email_changes.remove(id);
        let factors: Vec<String> = self
            .auth_factors
            .values()
            .filter(|f| f.user_id == id)
            .map(|f| f.id.clone())
            .collect();
        self.auth_factors.retain(|_, f| f.user_id != id);
        self.auth_challenges
            .retain(|_, c| !factors.contains(&c.factor_id));
        Some((user, memberships))
    }

    pub fn remove_memberships(&mut self, pred: impl Fn(&Membership) -> bool) -> Vec<Membership> {
        let ids: Vec<String> = self
            .memberships
            .values()
            .filter(|m| pred(m))
            .map(|m| m.id.clone())
            .collect();
        let mut removed: Vec<Membership> = ids
            .iter()
            .filter_map(|id| self.memberships.remove(id))
            .collect();
        removed.sort_by_key(|m| m.seq);
        removed
    }

    pub fn new_membership(
        &mut self,
        user_id: &str,
        organization_id: &str,
        role_slugs: Vec<String>,
    ) -> Membership {
        let now = now_ms();
        let m = Membership {
            seq: self.next_seq(),
            id: new_id("om"),
            user_id: user_id.to_string(),
            organization_id: organization_id.to_string(),
            status: "active".into(),
            role_slugs,
            created_at: now,
            updated_at: now,
        };
        self.memberships.insert(m.id.clone(), m.clone());
        m
    }

    /// The Directory object: its user and group counts come along.
    pub fn directory_json(&self, dir: &Directory) -> Value {
        let users = self
            .directory_users
            .values()
            .filter(|u| u.directory_id == dir.id);
        let (active, inactive) = users.fold((0, 0), |(a, i), u| {
            if u.state == "active" {
                (a + 1, i)
            } else {
                (a, i + 1)
            }
        });
        let groups = self
            .directory_groups
            .values()
            .filter(|g| g.directory_id == dir.id)
            .count();
        dir.to_json(json!({"users": {"active": active, "inactive": inactive}, "groups": groups}))
    }

    /// The directory as `dsync.activated` / `dsync.deleted` carry it.
    pub fn directory_event_json(&self, dir: &Directory) -> Value {
        let domains: Vec<Value> = self
            .orgs
            .get(&dir.organization_id)
            .map(|o| o.domains.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|d| json!({"object": "organization_domain", "id": d.id, "domain": d.domain}))
            .collect();
        dir.event_json(domains)
    }

    /// DirectoryUserWithGroups, which the API answers.
    pub fn directory_user_json(&self, user: &DirectoryUser) -> Value {
        let groups: Vec<&DirectoryGroup> = user
            .group_ids
            .iter()
            .filter_map(|g| self.directory_groups.get(g))
            .collect();
        user.with_groups(&groups)
    }

    pub fn check_roles(&self, slugs: &[String]) -> ApiResult<()> {
        for slug in slugs {
            if !self.roles.contains_key(slug) {
                return Err(ApiError::code(
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_role",
                    format!("Role with slug '{slug}' does not exist."),
                ));
            }
        }
        Ok(())
    }
}

// --- Pagination, shared by every list endpoint. ---

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
    /// Descending, with `before` fetching older records and `after` newer ones.
    Normal,
}

#[derive(Debug)]
pub struct ListParams {
    pub limit: usize,
    pub before: Option<String>,
    pub after: Option<String>,
    pub order: Order,
}

impl ListParams {
    pub fn from_query(q: &HashMap<String, String>) -> ApiResult<ListParams> {
        let limit = match q.get("limit") {
            None => 10,
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => n,
                _ => {
                    return Err(ApiError::invalid_field(
                        "limit",
                        "limit must be an integer between 1 and 100.",
                    ))
                }
            },
        };
        let order = match q.get("order").map(String::as_str) {
            None | Some("desc") => Order::Desc,
            Some("asc") => Order::Asc,
            Some("normal") => Order::Normal,
            Some(_) => {
                return Err(ApiError::invalid_field(
                    "order",
                    "order must be one of asc, desc, normal.",
                ))
            }
        };
        let cursor = |name: &str| q.get(name).filter(|s| !s.is_empty()).cloned();
        Ok(ListParams {
            limit,
            before: cursor("before"),
            after: cursor("after"),
            order,
        })
    }
}

/// Cuts one page out of `items` (already sorted by creation, oldest first)
/// and builds the WorkOS list envelope.
pub fn page<T>(
    mut items: Vec<T>,
    params: &ListParams,
    id_of: impl Fn(&T) -> &str,
    to_json: impl Fn(&T) -> Value,
) -> Value {
    if params.order != Order::Asc {
        items.reverse();
    }
    // "normal" reads the cursors against time rather than list position.
    let (after, before) = match params.order {
        Order::Normal => (params.before.as_deref(), params.after.as_deref()),
        _ => (params.after.as_deref(), params.before.as_deref()),
    };
    let position = |cursor: &str| items.iter().position(|t| id_of(t) == cursor);
    let (start, end) = if let Some(cursor) = after {
        match position(cursor) {
            Some(i) => (i + 1, (i + 1 + params.limit).min(items.len())),
            None => (items.len(), items.len()),
        }
    } else if let Some(cursor) = before {
        match position(cursor) {
            Some(i) => (i.saturating_sub(params.limit), i),
            None => (0, 0),
        }
    } else {
        (0, params.limit.min(items.len()))
    };
    let slice = &items[start..end];
    let mut meta_before = (start > 0)
        .then(|| slice.first().map(|t| id_of(t).to_string()))
        .flatten();
    let mut meta_after = (end < items.len())
        .then(|| slice.last().map(|t| id_of(t).to_string()))
        .flatten();
    if params.order == Order::Normal {
        std::mem::swap(&mut meta_before, &mut meta_after);
    }
    json!({
        "object": "list",
        "data": slice.iter().map(to_json).collect::<Vec<_>>(),
        "list_metadata": {"before": meta_before, "after": meta_after},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &[(&str, &str)]) -> ListParams {
        let q: HashMap<String, String> = q
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ListParams::from_query(&q).unwrap()
    }

    fn ids(v: &Value) -> Vec<String> {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn pages_walk_forward_and_back() {
        let items: Vec<String> = (1..=5).map(|i| format!("x{i}")).collect();
        let run = |p: &ListParams| page(items.clone(), p, |s| s.as_str(), |s| json!(s));

        let first = run(&params(&[("limit", "2")]));
        assert_eq!(ids(&first), ["x5", "x4"]);
        assert_eq!(
            first["list_metadata"],
            json!({"before": null, "after": "x4"})
        );

        let second = run(&params(&[("limit", "2"), ("after", "x4")]));
        assert_eq!(ids(&second), ["x3", "x2"]);
        assert_eq!(
            second["list_metadata"],
            json!({"before": "x3", "after": "x2"})
        );

        let last = run(&params(&[("limit", "2"), ("after", "x2")]));
        assert_eq!(ids(&last), ["x1"]);
        assert_eq!(last["list_metadata"]["after"], Value::Null);

        let back = run(&params(&[("limit", "2"), ("before", "x3")]));
        assert_eq!(ids(&back), ["x5", "x4"]);

        let asc = run(&params(&[("order", "asc"), ("limit", "10")]));
        assert_eq!(ids(&asc), ["x1", "x2", "x3", "x4", "x5"]);
        assert_eq!(asc["list_metadata"], json!({"before": null, "after": null}));
    }

    #[test]
    fn list_params_are_validated() {
        let q = |k: &str, v: &str| {
            let mut m = HashMap::new();
            m.insert(k.to_string(), v.to_string());
            ListParams::from_query(&m)
        };
        assert!(q("limit", "0").is_err());
        assert!(q("limit", "101").is_err());
        assert!(q("limit", "abc").is_err());
        assert!(q("order", "sideways").is_err());
        assert!(q("order", "normal").is_ok());
    }

    #[test]
    fn logs_are_capped() {
        let mut log = Vec::new();
        for i in 0..LOG_CAPACITY + 3 {
            push_capped(&mut log, json!(i));
        }
        assert_eq!(log.len(), LOG_CAPACITY);
        assert_eq!(log[0], json!(3));
    }
}
