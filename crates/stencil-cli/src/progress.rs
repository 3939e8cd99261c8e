//! Progress on a terminal: a spinner naming the pipeline stage being run (`load`, `ir`, `emit`,
//! `assemble`), while emitting how many types and operations are made out of how many, and the
//! time spent so far. Shown only when stderr is a terminal, and never in CI (`CI` set) or under
//! a build script (`OUT_DIR` set); everything else sees no change.

use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stencil_build::{Diagnostics, Generated, Options, Progress, Stage};

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

/// What the spinner says: the document, the stage, and while emitting the counts.
fn message(spec: &Path, stage: Stage, done: usize, total: usize) -> String {
    let spec = spec.display();
    match stage {
        Stage::Emit if total > 0 => {
            format!("{spec}: emit, {done}/{total} types and operations")
        }
        _ => format!("{spec}: {}", stage.name()),
    }
}

/// How often the spinner is redrawn (and the counts read).
const TICK: Duration = Duration::from_millis(100);

/// [`stencil_build::generate`] with a spinner on stderr naming the current stage (and, while
/// emitting, the types and operations made), once the run has taken [`DELAY`].
pub fn generate(spec: &Path, options: &Options) -> Result<Generated, Diagnostics> {
    let bar =
        ProgressBar::with_draw_target(Some(Stage::ALL.len() as u64), ProgressDrawTarget::hidden())
            .with_style(
                ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
                    .expect("a valid template"),
            );
    let progress = Progress::new();
    // The current stage (index into `Stage::ALL`).
    let stage = Arc::new(AtomicUsize::new(0));
    // Held while the bar is drawn or finished, so it is never drawn after it finished.
    let done = Arc::new(Mutex::new(false));
    {
        let (bar, done, progress, stage) = (
            bar.clone(),
            Arc::clone(&done),
            progress.clone(),
            Arc::clone(&stage),
        );
        let spec = spec.to_owned();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            let mut shown = false;
            loop {
                let done = done.lock().unwrap_or_else(|e| e.into_inner());
                if *done {
                    return;
                }
                if !shown {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    shown = true;
                }
                let now = Stage::ALL[stage.load(Ordering::Relaxed)];
                bar.set_message(message(&spec, now, progress.done(), progress.total()));
                bar.tick();
                drop(done);
                std::thread::sleep(TICK);
            }
        });
    }
    let result = stencil_build::generate_with_progress(
        spec,
        options,
        &mut |now, started| {
            if started {
                let n = Stage::ALL.iter().position(|s| *s == now).unwrap_or(0);
                stage.store(n, Ordering::Relaxed);
                bar.set_position(n as u64 + 1);
            }
        },
        &progress,
    );
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

    #[test]
    fn the_message_counts_while_emitting() {
        let spec = Path::new("api.yaml");
        assert_eq!(message(spec, Stage::Load, 0, 0), "api.yaml: load");
        assert_eq!(message(spec, Stage::Emit, 0, 0), "api.yaml: emit");
        assert_eq!(
            message(spec, Stage::Emit, 120, 3000),
            "api.yaml: emit, 120/3000 types and operations"
        );
        assert_eq!(
            message(spec, Stage::Assemble, 3000, 3000),
            "api.yaml: assemble"
        );
    }
}
