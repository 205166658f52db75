//! The panic boundary: a bug in Rust must surface as a PHP exception of our
//! own class, never as a crash or an untyped `\Error`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use ext_php_rs::exception::PhpResult;

use super::exceptions;

pub fn guard<T>(f: impl FnOnce() -> PhpResult<T>) -> PhpResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(exceptions::internal(format!(
                "internal error in the workos extension: {detail}"
            )))
        }
    }
}
