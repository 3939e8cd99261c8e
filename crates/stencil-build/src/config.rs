//! The build.rs API, in the style of prost-build.
//!
//! STUB: being written.

use std::path::Path;

use crate::pipeline::Options;

#[derive(Clone, Debug, Default)]
pub struct Config {
    options: Options,
}

impl Config {
    pub fn new() -> Self {
        Config::default()
    }

    pub fn options(&self) -> &Options {
        &self.options
    }
}

pub fn compile(_spec: impl AsRef<Path>) -> Result<(), Box<dyn std::error::Error>> {
    Err("not implemented".into())
}
