//! Bounded unified diffs.

use std::time::Duration;

use similar::TextDiff;

/// At most this many lines of diff per file.
pub const MAX_LINES: usize = 200;

/// A unified diff of `old` → `new` with `---`/`+++` headers, cut after `max_lines` lines with a
/// note saying how many were left out. Ends with a newline.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str, max_lines: usize) -> String {
    let diff = TextDiff::configure()
        .timeout(Duration::from_secs(5))
        .diff_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    let total = text.lines().count();
    let mut out: String = text
        .lines()
        .take(max_lines)
        .flat_map(|l| [l, "\n"])
        .collect();
    if total > max_lines {
        out.push_str(&format!(
            "... ({} more lines of diff not shown)\n",
            total - max_lines
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_diff() {
        let d = unified("a\nb\nc\n", "a\nB\nc\n", "old/x", "new/x", 200);
        assert_eq!(d, "--- old/x\n+++ new/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    }

    #[test]
    fn bounded() {
        let old: String = (0..1000).map(|i| format!("{i}\n")).collect();
        let d = unified(&old, "", "a", "b", 10);
        assert_eq!(d.lines().count(), 11);
        assert!(
            d.ends_with("... (993 more lines of diff not shown)\n"),
            "{d}"
        );
    }
}
