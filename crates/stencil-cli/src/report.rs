//! Printing diagnostics: `human` the way rustc and cargo do (annotate-snippets, which both use:
//! the source line with a caret under the offending node, the JSON pointer and the hint as
//! notes), `short` (the `Display` of [`Diagnostic`], as `build.rs` prints it) or `json` (one
//! object per line, for editors and CI tools).
//!
//! Colour: [`render`] always styles the `human` form; the caller writes it through `anstream`,
//! which strips the styles unless the stream is a terminal and `NO_COLOR` is unset.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use stencil_build::{Diagnostic, Severity};

use crate::args::MessageFormat;

/// Every diagnostic in `diagnostics`, in `format`, each ending with a newline; `human` and
/// `short` end with the `N error(s), M warning(s)` count when `summary` is set.
pub fn render(diagnostics: &[Diagnostic], format: MessageFormat, summary: bool) -> String {
    let mut out = String::new();
    let mut sources = Sources::default();
    for (i, d) in diagnostics.iter().enumerate() {
        match format {
            MessageFormat::Json => {
                out.push_str(&json(d));
                out.push('\n');
                continue;
            }
            MessageFormat::Short => out.push_str(&format!("{d}\n")),
            MessageFormat::Human => out.push_str(&format!("{}\n", human(d, &mut sources))),
        }
        if i + 1 < diagnostics.len() {
            out.push('\n');
        }
    }
    if summary && format != MessageFormat::Json {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    }
    out
}

/// The files diagnostics point into, read once each (`None`: unreadable).
#[derive(Default)]
struct Sources(HashMap<PathBuf, Option<String>>);

impl Sources {
    fn get(&mut self, file: &Path) -> Option<&str> {
        self.0
            .entry(file.to_owned())
            .or_insert_with(|| fs::read_to_string(file).ok())
            .as_deref()
    }
}

fn pointer(d: &Diagnostic) -> &str {
    if d.pointer.is_empty() {
        "/"
    } else {
        &d.pointer
    }
}

fn human(d: &Diagnostic, sources: &mut Sources) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let file = d.file.display().to_string();
    let title = level.primary_title(d.message.as_str());
    let line_text = d
        .position
        .and_then(|p| Some((p, sources.get(&d.file)?.lines().nth(p.line - 1)?)));
    let mut group: Group<'_> = match line_text {
        Some((p, text)) => {
            let span = token_span(text, p.column);
            title.element(
                Snippet::source(text.to_owned())
                    .line_start(p.line)
                    .path(file)
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        None => {
            let mut origin = Origin::path(file);
            if let Some(p) = d.position {
                origin = origin.line(p.line).char_column(p.column);
            }
            title.element(origin)
        }
    };
    group = group.element(Level::NOTE.message(format!("at {}", pointer(d))));
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    Renderer::styled().render(&[group])
}

/// The byte range of the token starting at 1-based character `column` of `line`: a quoted
/// string, or up to the next `:`, `,`, bracket or whitespace (at least one character; the
/// line's end when `column` is past it).
fn token_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let mut chars = rest.char_indices();
    let len = match chars.next() {
        None => 0,
        Some((_, quote @ ('"' | '\''))) => chars
            .find(|&(_, c)| c == quote)
            .map_or(rest.len(), |(i, c)| i + c.len_utf8()),
        Some((_, first)) if ":,{}[]".contains(first) => 1,
        Some((_, first)) => chars
            .find(|&(_, c)| c.is_whitespace() || ":,{}[]".contains(c))
            .map_or(rest.len(), |(i, _)| i)
            .max(first.len_utf8()),
    };
    start..start + len
}

fn json(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    serde_json::json!({
        "severity": severity,
        "file": d.file.to_string_lossy(),
        "line": d.position.map(|p| p.line),
        "column": d.position.map(|p| p.column),
        "pointer": pointer(d),
        "message": d.message,
        "hint": d.hint,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use stencil_build::Position;

    #[test]
    fn token_spans() {
        assert_eq!(token_span("  in: body", 3), 2..4);
        assert_eq!(token_span("  $ref: '#/a/b' # c", 9), 8..15);
        assert_eq!(token_span("  $ref: \"#/a", 9), 8..12);
        assert_eq!(token_span("{\"a\": 1}", 1), 0..1);
        assert_eq!(token_span("x", 5), 1..1);
        assert_eq!(token_span("é: 1", 1), 0..2);
    }

    fn diagnostic(file: &Path) -> Diagnostic {
        let mut d =
            Diagnostic::error("/paths/~1a/in", "unknown variant `body`").with_hint("use query");
        d.file = file.to_owned();
        d.position = Some(Position { line: 2, column: 5 });
        d
    }

    #[test]
    fn human_shows_the_source_line_with_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("api.yaml");
        fs::write(&file, "paths:\n    in: body\n").unwrap();
        let text =
            anstream::adapter::strip_str(&render(&[diagnostic(&file)], MessageFormat::Human, true))
                .to_string();
        let text = text.replace(&file.display().to_string(), "api.yaml");
        assert_eq!(
            text,
            "error: unknown variant `body`\n --> api.yaml:2:5\n  |\n2 |     in: body\n  |     \
             ^^\n  |\n  = note: at /paths/~1a/in\n  = help: use query\n1 error(s), 0 \
             warning(s)\n"
        );
    }

    #[test]
    fn without_the_source_the_position_is_still_named() {
        let d = diagnostic(Path::new("no/such/file.yaml"));
        let text =
            anstream::adapter::strip_str(&render(&[d], MessageFormat::Human, false)).to_string();
        assert!(text.contains("--> no/such/file.yaml:2:5"), "{text}");
        assert!(text.contains("= help: use query"), "{text}");
    }

    #[test]
    fn json_is_one_object_per_diagnostic() {
        let mut w = Diagnostic::warning("", "odd");
        w.file = "a.yaml".into();
        let text = render(
            &[diagnostic(Path::new("a.yaml")), w],
            MessageFormat::Json,
            true,
        );
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["severity"], "error");
        assert_eq!(lines[0]["line"], 2);
        assert_eq!(lines[0]["column"], 5);
        assert_eq!(lines[0]["hint"], "use query");
        assert_eq!(lines[1]["severity"], "warning");
        assert_eq!(lines[1]["pointer"], "/");
        assert!(lines[1]["line"].is_null() && lines[1]["hint"].is_null());
    }

    #[test]
    fn short_is_the_display_form() {
        let d = diagnostic(Path::new("a.yaml"));
        assert_eq!(
            render(std::slice::from_ref(&d), MessageFormat::Short, false),
            format!("{d}\n")
        );
    }
}
