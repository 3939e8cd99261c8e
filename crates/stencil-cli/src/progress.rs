//! Progress on a terminal: a spinner naming the pipeline stage being run (`load`, `ir`, `emit`,
//! `assemble`) and the time spent so far. Shown only when stderr is a terminal, and never in
//! CI (`CI` set) or under a build script (`OUT_DIR` set); everything else sees no change.

use std::io::IsTerminal as _;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use stencil_build::{Diagnostics, Generated, Options, Stage};

/// Whether to show progress, given how the environment looks.
fn wanted(stderr_is_terminal: bool, var: impl Fn(&str) -> Option<String>) -> bool {
    stderr_is_terminal
        && var("CI").is_none()
        && var("OUT_DIR").is_none()
        && var("TERM").as_deref() != Some("dumb")
}

/// Whether this process shows progress.
pub fn enabled() -> bool {
    wanted(std::io::stderr().is_terminal(), |name| {
        std::env::var(name).ok()
    })
}

/// [`stencil_build::generate`] with a spinner on stderr naming the current stage.
pub fn generate(spec: &Path, options: &Options) -> Result<Generated, Diagnostics> {
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
            .expect("a valid template"),
    );
    bar.set_length(Stage::ALL.len() as u64);
    bar.enable_steady_tick(Duration::from_millis(100));
    let result = stencil_build::generate_observed(spec, options, &mut |stage, started| {
        if started {
            let n = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
            bar.set_position(n as u64 + 1);
            bar.set_message(format!("{}: {}", spec.display(), stage.name()));
        }
    });
    bar.finish_and_clear();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_a_terminal_outside_ci_and_build_scripts() {
        let none = |_: &str| None;
        assert!(wanted(true, none));
        assert!(!wanted(false, none));
        assert!(!wanted(true, |v: &str| (v == "CI").then(|| "true".to_owned())));
        assert!(!wanted(true, |v: &str| (v == "OUT_DIR").then(|| "x".to_owned())));
        assert!(!wanted(true, |v: &str| (v == "TERM").then(|| "dumb".to_owned())));
    }
}
