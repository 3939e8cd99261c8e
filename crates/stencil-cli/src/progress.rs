//! Progress on a terminal: a spinner naming the pipeline stage being run (`load`, `ir`, `emit`,
//! `assemble`) and the time spent so far. Shown only when stderr is a terminal, and never in
//! CI (`CI` set) or under a build script (`OUT_DIR` set); everything else sees no change.

use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
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

/// Runs shorter than this show no progress (no flash of a spinner).
const DELAY: Duration = Duration::from_millis(400);

/// [`stencil_build::generate`] with a spinner on stderr naming the current stage, once the
/// run has taken [`DELAY`].
pub fn generate(spec: &Path, options: &Options) -> Result<Generated, Diagnostics> {
    let bar =
        ProgressBar::with_draw_target(Some(Stage::ALL.len() as u64), ProgressDrawTarget::hidden())
            .with_style(
                ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
                    .expect("a valid template"),
            );
    // Held while the bar is shown or finished, so it is never shown after it finished.
    let done = Arc::new(Mutex::new(false));
    {
        let (bar, done) = (bar.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            let done = done.lock().unwrap_or_else(|e| e.into_inner());
            if !*done {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
            }
        });
    }
    let result = stencil_build::generate_observed(spec, options, &mut |stage, started| {
        if started {
            let n = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
            bar.set_position(n as u64 + 1);
            bar.set_message(format!("{}: {}", spec.display(), stage.name()));
        }
    });
    let mut done = done.lock().unwrap_or_else(|e| e.into_inner());
    *done = true;
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
