//! [`include_api!`]: bring code that `stencil-build` wrote into `OUT_DIR` into a crate.

/// Include the code that `stencil_build` generated in the build script, by module name.
///
/// `include_api!("api")` expands to
/// `include!(concat!(env!("OUT_DIR"), "/api.rs"));`: it pastes the generated items (`types`,
/// and `client` / `server` when they were generated) where it is called, at the crate root or
/// inside a module. The name is the one given to `Config::module_name` in the build script
/// (default: `"api"`), without `.rs`.
///
/// ```toml
/// # Cargo.toml
/// [dependencies]
/// stencil = { version = "0.1", features = ["client"] }   # and/or "server"
///
/// [build-dependencies]
/// stencil-build = "0.1"
/// ```
///
/// ```ignore
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     stencil_build::compile("specs/api.yaml")?; // writes $OUT_DIR/api.rs
///     Ok(())
/// }
/// ```
///
/// ```ignore
/// // src/lib.rs
/// stencil::include_api!("api");
///
/// // or, to keep the generated modules under one name:
/// pub mod pathstack {
///     stencil::include_api!("api");
/// }
/// ```
///
/// Only a crate with a build script has `OUT_DIR`; elsewhere the macro fails to compile with
/// "environment variable `OUT_DIR` not defined".
#[macro_export]
macro_rules! include_api {
    ($name:literal) => {
        ::core::include!(::core::concat!(::core::env!("OUT_DIR"), "/", $name, ".rs"));
    };
}
