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

#![warn(missing_docs)]

mod config;
mod diag;
mod emit;
mod ir;
mod literals;
mod load;
mod naming;
mod options;
mod pipeline;
mod progress;
mod render;

pub use config::{compile, Config, Error};
pub use diag::{Diagnostic, Diagnostics, Position, Severity};
pub use naming::DEFAULT_SECRET_FIELDS;
pub use options::Options;
pub use pipeline::{
    generate, generate_observed, generate_with_progress, Generated, IncludedFile, Stage,
};
pub use progress::Progress;

/// The pipeline's stages one at a time, for xtask (benchmarks, the corpus sweep), the fuzz
/// target and this crate's tests. Not part of the supported API: it changes with the code
/// generator, as prost-build keeps its generator private.
#[doc(hidden)]
pub mod stages {
    pub use crate::pipeline::{
        check_direct, emit_and_render, generate_observed, generate_timed, Stage, Timings,
    };
    pub use crate::render::DirectCheck;
    pub use crate::render::{direct_bytes, format_time};

    /// Reading, bundling and normalising documents.
    pub mod load {
        pub use crate::load::*;
    }

    /// The intermediate representation and its builder.
    pub mod ir {
        pub use crate::ir::*;
    }

    /// Rust naming decisions.
    pub mod naming {
        pub use crate::naming::*;
    }
}
