//! Request bodies: WorkOS takes JSON, and the OAuth-flavoured endpoints
//! also take `application/x-www-form-urlencoded`. Both become a JSON object.

use crate::error::{ApiError, ApiResult};
use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};

pub type Fields = Map<String, Value>;

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
}

pub fn parse_form(bytes: &[u8]) -> Fields {
    url::form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect()
}

/// Parses without judging: used by the request log, which must record
/// whatever a client sent, even a malformed body.
pub fn parse_lenient(headers: &HeaderMap, bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    if is_form(headers) {
        return Some(Value::Object(parse_form(bytes)));
    }
    serde_json::from_slice(bytes)
        .ok()
        .or_else(|| Some(Value::String(String::from_utf8_lossy(bytes).into_owned())))
}

pub fn parse(headers: &HeaderMap, bytes: &[u8]) -> ApiResult<Fields> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Fields::new());
    }
    if is_form(headers) {
        return Ok(parse_form(bytes));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid("The request body must be a JSON object.")),
        Err(e) => Err(ApiError::invalid(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

/// A string field; an explicit `null` counts as absent.
pub fn opt_str(fields: &Fields, name: &str) -> ApiResult<Option<String>> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid_field(
            name,
            format!("{name} must be a string."),
        )),
    }
}

pub fn req_str(fields: &Fields, name: &str) -> ApiResult<String> {
    match opt_str(fields, name)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(ApiError::invalid_field(
            name,
            format!("{name} is required."),
        )),
    }
}

/// Booleans may arrive as strings from a form.
pub fn opt_bool(fields: &Fields, name: &str) -> ApiResult<Option<bool>> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s == "true" => Ok(Some(true)),
        Some(Value::String(s)) if s == "false" => Ok(Some(false)),
        Some(_) => Err(ApiError::invalid_field(
            name,
            format!("{name} must be a boolean."),
        )),
    }
}

/// A list of strings; a form may send it comma separated.
pub fn opt_str_list(fields: &Fields, name: &str) -> ApiResult<Option<Vec<String>>> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(
            s.split(',')
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
        )),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(String::from).ok_or_else(|| {
                    ApiError::invalid_field(name, format!("{name} must be a list of strings."))
                })
            })
            .collect::<ApiResult<Vec<_>>>()
            .map(Some),
        Some(_) => Err(ApiError::invalid_field(
            name,
            format!("{name} must be a list of strings."),
        )),
    }
}

/// A metadata object: WorkOS caps it at 50 keys of at most 40 characters,
/// with string values of at most 600 characters.
pub fn opt_metadata(fields: &Fields, name: &str) -> ApiResult<Option<Map<String, Value>>> {
    match fields.get(name) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(Map::new())),
        Some(Value::Object(map)) => {
            if map.len() > 50 {
                return Err(metadata_error("metadata may hold at most 50 keys."));
            }
            for (k, v) in map {
                if k.chars().count() > 40 {
                    return Err(metadata_error(
                        "metadata keys may be at most 40 characters.",
                    ));
                }
                match v {
                    Value::String(s) if s.chars().count() <= 600 => {}
                    _ => {
                        return Err(metadata_error(
                            "metadata values must be strings of at most 600 characters.",
                        ))
                    }
                }
            }
            Ok(Some(map.clone()))
        }
        Some(_) => Err(metadata_error("metadata must be an object.")),
    }
}

fn metadata_error(message: &str) -> ApiError {
    ApiError::code(
        axum::http::StatusCode::BAD_REQUEST,
        "invalid_metadata",
        message,
    )
}

pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn json_and_form_bodies_become_objects() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let f = parse(&headers, br#"{"a":"b","n":true}"#).unwrap();
        assert_eq!(opt_str(&f, "a").unwrap().as_deref(), Some("b"));
        assert_eq!(opt_bool(&f, "n").unwrap(), Some(true));
        assert!(parse(&headers, b"[1]").is_err());
        assert!(parse(&headers, b"{").is_err());

        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
        );
        let f = parse(&headers, b"grant_type=password&email=a%40b.co&x=true").unwrap();
        assert_eq!(req_str(&f, "email").unwrap(), "a@b.co");
        assert_eq!(opt_bool(&f, "x").unwrap(), Some(true));
        assert!(req_str(&f, "missing").is_err());
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("a@b.co"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("@b.co"));
        assert!(!looks_like_email("a b@c.co"));
    }
}
