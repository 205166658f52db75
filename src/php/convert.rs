//! JSON values ↔ PHP values. WorkOS speaks JSON; PHP callers get and give
//! plain arrays.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::{Map, Number, Value};

/// PHP arrays can nest through references without end; JSON from callers is
/// never this deep, so deeper input is refused instead of recursing.
const MAX_DEPTH: usize = 64;

pub fn to_zval(value: &Value) -> Zval {
    let mut z = Zval::new();
    match value {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => z.set_long(i),
            None => z.set_double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => {
            if z.set_string(s, false).is_err() {
                z.set_null();
            }
        }
        Value::Array(items) => {
            let mut ht = ZendHashTable::with_capacity(items.len() as u32);
            for item in items {
                let _ = ht.push(to_zval(item));
            }
            z.set_hashtable(ht);
        }
        Value::Object(map) => z.set_hashtable(to_hashtable(map)),
    }
    z
}

/// A JSON object as a PHP array; anything else is a bug on WorkOS's or our side.
pub fn to_array(value: &Value) -> Result<ZBox<ZendHashTable>, String> {
    match value {
        Value::Object(map) => Ok(to_hashtable(map)),
        other => Err(format!("expected a JSON object, got {other}")),
    }
}

pub fn to_hashtable(map: &Map<String, Value>) -> ZBox<ZendHashTable> {
    let mut ht = ZendHashTable::with_capacity(map.len() as u32);
    for (key, item) in map {
        // `&str` keys that are canonical integers become integer keys, as
        // PHP's own `json_decode(..., true)` does.
        let _ = ht.insert(key.as_str(), to_zval(item));
    }
    ht
}

/// Converts a PHP value to JSON. Objects are refused: callers pass arrays.
pub fn from_zval(z: &Zval, path: &str, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{path} is nested too deeply"));
    }
    if z.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = z.bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(i) = z.long() {
        return Ok(Value::from(i));
    }
    if let Some(f) = z.double() {
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| format!("{path} is not a finite number"));
    }
    if let Some(s) = z.str() {
        return Ok(Value::String(s.to_string()));
    }
    if z.is_string() {
        return Err(format!("{path} is not valid UTF-8"));
    }
    if let Some(ht) = z.array() {
        return from_hashtable(ht, path, depth + 1);
    }
    Err(format!("{path} must be a scalar or an array"))
}

/// A key of a PHP array as PHP holds it. PHP string keys are bytes: one
/// that is not UTF-8 is kept apart instead of being converted.
enum Key {
    Long(i64),
    Text(String),
    NotUtf8,
}

/// The entries of a PHP array in order. ext-php-rs's own iterators panic on
/// a string key that is not UTF-8 (`Invalid array key!`), and every array a
/// caller passes can hold one, so arrays are only ever walked through here.
fn entries(ht: &ZendHashTable) -> Vec<(Key, &Zval)> {
    let mut iter = Iter::new(ht);
    let mut out = Vec::with_capacity(ht.len());
    while let Some((key, value)) = iter.next_zval() {
        let key = if let Some(i) = key.long() {
            Key::Long(i)
        } else if let Some(s) = key.str() {
            Key::Text(s.to_string())
        } else {
            Key::NotUtf8
        };
        out.push((key, value));
    }
    out
}

pub fn from_hashtable(ht: &ZendHashTable, path: &str, depth: usize) -> Result<Value, String> {
    let entries = entries(ht);
    if entries.is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    let sequential = entries
        .iter()
        .enumerate()
        .all(|(i, (k, _))| matches!(k, Key::Long(n) if i64::try_from(i) == Ok(*n)));
    if sequential {
        return entries
            .iter()
            .enumerate()
            .map(|(i, (_, v))| from_zval(v, &format!("{path}[{i}]"), depth))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    let mut map = Map::new();
    for (key, v) in entries {
        let key = match key {
            Key::Long(i) => i.to_string(),
            Key::Text(s) => s,
            Key::NotUtf8 => return Err(format!("{path} has a key that is not valid UTF-8")),
        };
        let item = from_zval(v, &format!("{path}[{key}]"), depth)?;
        map.insert(key, item);
    }
    Ok(Value::Object(map))
}

/// A PHP list of strings (keys ignored), e.g. trusted proxies or hosts.
pub fn string_list(ht: &ZendHashTable, what: &str) -> Result<Vec<String>, String> {
    entries(ht)
        .into_iter()
        .enumerate()
        .map(|(i, (_, v))| match v.str() {
            Some(s) => Ok(s.to_string()),
            None if v.is_string() => Err(format!("{what}[{i}] is not valid UTF-8")),
            None => Err(format!("{what}[{i}] must be a string")),
        })
        .collect()
}

/// Reads an options array into a JSON object, refusing keys not in `allowed`
/// so a misspelt option is an error rather than silently ignored.
pub fn options(
    ht: Option<&ZendHashTable>,
    what: &str,
    allowed: &[&str],
) -> Result<Map<String, Value>, String> {
    let Some(ht) = ht else {
        return Ok(Map::new());
    };
    let value = from_hashtable(ht, what, 0)?;
    let map = match value {
        Value::Object(map) => map,
        Value::Array(a) if a.is_empty() => Map::new(),
        _ => return Err(format!("{what} must be an array with string keys")),
    };
    if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!(
            "{what}: unknown key {unknown:?} (allowed: {})",
            allowed.join(", ")
        ));
    }
    Ok(map)
}

pub fn opt_string(
    map: &Map<String, Value>,
    key: &str,
    what: &str,
) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{what}[{key}] must be a string")),
    }
}

pub fn opt_int(map: &Map<String, Value>, key: &str, what: &str) -> Result<Option<i64>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("{what}[{key}] must be an integer")),
    }
}
