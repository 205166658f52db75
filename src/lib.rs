//! The `workos` PHP extension.
//!
//! This crate is only the binding layer: each file under `php/` exposes one
//! PHP class and converts types and errors; the behaviour lives in the pure
//! `workos-core` crate. Nothing is started at module load — php-fpm loads
//! extensions in its master and forks workers afterwards, so HTTP pools and
//! caches are created lazily, in the worker, on first use.
#![cfg_attr(windows, feature(abi_vectorcall))]

mod php;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// The extension's version: `phpversion("workos")` and `WorkOS\Native\version()` in PHP.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

extern "C" fn php_module_info(_module: *mut ModuleEntry) {
    info_table_start!();
    info_table_row!("workos support", "enabled");
    info_table_row!("version", VERSION);
    info_table_row!("build", env!("WORKOS_BUILD_INFO"));
    info_table_end!();
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    php::register(
        module
            .name("workos")
            .version(VERSION)
            .info_function(php_module_info),
    )
}
