//! SSO connections: `GET /connections/{id}` (whether a connection the
//! settings pin sign-in to exists, before it is saved).

use serde_json::Value;

use super::call::{expect_object, Call};
use super::params::{check_id, prefix};
use super::{ApiError, Client};

impl Call {
    /// `GET /connections/{id}`.
    pub fn get_connection(connection_id: &str) -> Result<Call, ApiError> {
        let id = check_id("connection_id", prefix::CONNECTION, connection_id)?;
        Ok(Call::get(&["connections", id]))
    }
}

impl Client {
    /// A connection (`id`, `organization_id`, `connection_type`, `state`, …).
    pub fn get_connection(&self, connection_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "get connection",
            self.call(&Call::get_connection(connection_id)?)?,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::{client_at, line, serve};
    use super::*;

    #[test]
    fn get_names_the_connection() {
        assert_eq!(
            line(&Call::get_connection("conn_01E4ZCR3C56J083X43JQXF3JK5").unwrap()),
            "GET https://api.workos.com/connections/conn_01E4ZCR3C56J083X43JQXF3JK5"
        );
        assert!(Call::get_connection("org_1").is_err());
        assert!(Call::get_connection("conn_1/../x").is_err());
    }

    #[test]
    fn an_unknown_connection_is_a_404() {
        let (base, seen) = serve(vec![(404, r#"{"message":"Not Found"}"#)]);
        let err = client_at(&base).get_connection("conn_nope").unwrap_err();
        assert_eq!(err.status(), 404);
        assert_eq!(
            *seen.lock().unwrap(),
            ["GET /connections/conn_nope HTTP/1.1"]
        );
    }
}
