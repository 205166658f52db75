use ext_php_rs::prelude::*;

/// The version of the loaded `workos` extension (for diagnostics and for
/// plugins that need a minimum version).
#[php_function]
#[php(name = "WorkOS\\Native\\version")]
pub fn workos_native_version() -> String {
    crate::VERSION.to_string()
}

pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.function(wrap_function!(workos_native_version))
}
