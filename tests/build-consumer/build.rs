//! The documented build.rs path, with the options of the `pathstack` entry in `codegen.toml`
//! (client and server behind feature gates, the docs page behind `docs-ui`, no extra derives), so `$OUT_DIR/api.rs` matches
//! `generated/pathstack/src/lib.rs` (checked by `tests/out_dir.rs`).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    stencil_build::Config::new()
        .client(true)
        .server(true)
        .feature_gates(true)
        // `server::docs_router` behind this crate's `docs-ui` feature, as regen writes it.
        .docs_router(true)
        .compile("../../specs/pathstack/openapi_2024-03-26.yaml")?;
    // A second module, with the PathStack `Trip` schema replaced by this crate's own type.
    stencil_build::Config::new()
        .client(true)
        .server(true)
        .feature_gates(true)
        .module_name("replaced")
        .replace_type("Trip", "crate::MyTrip")
        .compile("../../specs/pathstack/openapi_2024-03-26.yaml")?;
    // A third, server only, with one handler trait per tag (`Config::server_traits_per_tag`).
    stencil_build::Config::new()
        .client(false)
        .module_name("per_tag")
        .server_traits_per_tag(true)
        .compile("../../specs/pathstack/openapi_2024-03-26.yaml")?;
    // A fourth, unformatted (`Config::format(false)`, for very large documents).
    stencil_build::Config::new()
        .module_name("unformatted")
        .format(false)
        .compile("../../specs/pathstack/openapi_2024-03-26.yaml")?;
    // A fifth, with only `POST /token` and the types it uses (`Config::include_path`).
    stencil_build::Config::new()
        .module_name("login_only")
        .feature_gates(true)
        .include_path("/token#POST")
        .compile("../../specs/pathstack/openapi_2024-03-26.yaml")?;
    // Selections that leave parts of the server empty, compiled (by CI's clippy too) to show
    // the output has no unused imports: one operation whose request carries no schema to
    // validate, and no operation at all (every type is then unused and left out).
    stencil_build::Config::new()
        .module_name("trips_only")
        .feature_gates(true)
        .include_path("/device/*/trip#GET")
        .compile("../../specs/pathstack/openapi_2024-03-26.yaml")?;
    stencil_build::Config::new()
        .module_name("no_operations")
        .feature_gates(true)
        .exclude_path("/**")
        .compile("../../specs/pathstack/openapi_2024-03-26.yaml")?;
    Ok(())
}
