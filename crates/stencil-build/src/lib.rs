//! Stencil: generate Rust types, an async reqwest client and an axum server from OpenAPI 3.0 and
//! 3.1 documents.
//!
//! The pipeline is `load` (read, bundle external `$ref`s, normalise 3.1 to the 3.0 model that
//! `openapiv3` reads) → `ir` (named types and operations) → `emit` (token streams for types,
//! client and server) → `render` (prettyplease, `// @generated` header). See ARCHITECTURE.md.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     stencil_build::compile("specs/api.yaml")?;
//!     Ok(())
//! }
//! ```

mod config;
pub mod diag;
pub mod emit;
pub mod ir;
mod literals;
pub mod load;
pub mod naming;
mod options;
mod pipeline;
pub mod render;

pub use config::{compile, Config, Error};
pub use diag::{Diagnostic, Diagnostics, Position, Severity};
pub use options::Options;
pub use pipeline::{
    emit_and_render, generate, generate_observed, generate_timed, Generated, Stage, Timings,
};
