//! Directory Sync: `GET /directories/{id}` (which organization a directory
//! belongs to, before its events are applied).

use serde_json::Value;

use super::call::{expect_object, Call};
use super::params::{check_id, prefix};
use super::{ApiError, Client};

impl Call {
    /// `GET /directories/{id}`.
    pub fn get_directory(directory_id: &str) -> Result<Call, ApiError> {
        let id = check_id("directory_id", prefix::DIRECTORY, directory_id)?;
        Ok(Call::get(&["directories", id]))
    }
}

impl Client {
    /// A directory (`id`, `organization_id`, `state`, …).
    pub fn get_directory(&self, directory_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "get directory",
            self.call(&Call::get_directory(directory_id)?)?,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;

    #[test]
    fn get_names_the_directory() {
        assert_eq!(
            line(&Call::get_directory("directory_01TEST").unwrap()),
            "GET https://api.workos.com/directories/directory_01TEST"
        );
        assert!(Call::get_directory("dir_1").is_err());
        assert!(Call::get_directory("directory_1?x").is_err());
    }
}
