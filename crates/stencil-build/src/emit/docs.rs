//! `#[doc]` attributes from document text, safe against any text and against clippy's doc
//! lints; and string literals for embedded documents.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc]` attributes for [`Docs`]: title, description, examples and a deprecation line.
pub fn docs(docs: &Docs) -> TokenStream {
    doc_attrs(&doc_lines(docs))
}

/// One `#[doc = " line"]` per line (blank lines as `#[doc = ""]`). The text is a string
/// literal token, so nothing in it can end the comment or inject code; prettyplease prints it
/// as `///`.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The lines of the doc comment for [`Docs`], paragraphs separated by blank lines: title,
/// description (when it is not just the title again), examples (``Example: `...` ``, or a
/// ```` ```json ```` block when long) and `**Deprecated**`.
pub fn doc_lines(docs: &Docs) -> Vec<String> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let title = docs
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let description = docs
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(title) = title {
        paragraphs.push(markdown_lines(title));
    }
    if let Some(description) = description {
        if Some(description) != title {
            paragraphs.push(markdown_lines(description));
        }
    }
    if !docs.examples.is_empty() {
        paragraphs.push(example_lines(&docs.examples));
    }
    if docs.deprecated {
        paragraphs.push(vec!["**Deprecated**".to_owned()]);
    }
    join_paragraphs(paragraphs)
}

/// Paragraphs joined with blank lines; empty paragraphs dropped.
pub fn join_paragraphs(paragraphs: Vec<Vec<String>>) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in paragraphs.into_iter().filter(|p| !p.is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph);
    }
    lines
}

/// Longest compact JSON shown inline as ``Example: `...` ``.
const INLINE_EXAMPLE: usize = 80;

fn example_lines(examples: &[serde_json::Value]) -> Vec<String> {
    let compact: Vec<String> = examples.iter().map(|e| e.to_string()).collect();
    if compact.iter().all(|c| c.chars().count() <= INLINE_EXAMPLE) {
        return match compact.as_slice() {
            [one] => vec![format!("Example: {}", code_span(one))],
            _ => {
                let mut lines = vec!["Examples:".to_owned()];
                lines.extend(compact.iter().map(|c| format!("- {}", code_span(c))));
                lines
            }
        };
    }
    let mut lines = vec![if examples.len() == 1 {
        "Example:"
    } else {
        "Examples:"
    }
    .to_owned()];
    for example in examples {
        let pretty = serde_json::to_string_pretty(example).unwrap_or_else(|_| example.to_string());
        lines.push(String::new());
        lines.push("```json".to_owned());
        // JSON strings escape control characters, so these are plain lines.
        lines.extend(pretty.lines().map(str::to_owned));
        lines.push("```".to_owned());
    }
    lines
}

/// Markdown inline code for any text: a backtick fence longer than any run of backticks
/// inside, padded with spaces when the text starts or ends with a backtick.
pub fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Document text (CommonMark) as doc comment lines, adjusted so that it neither breaks the
/// build of a generated crate nor trips clippy:
///
/// - line breaks normalised, tabs expanded, other control characters dropped, trailing spaces
///   and surrounding blank lines trimmed;
/// - code blocks that rustdoc would compile as doctests (fences without a language or marked
///   `rust`, indented blocks) and fences whose info string rustdoc would reject (```` ```\ ````)
///   become ```` ```text ```` fences; unclosed fences are closed;
/// - continuation lines of list items are indented to the item's content
///   (`clippy::doc_lazy_continuation`, `clippy::doc_overindented_list_items`), and those of
///   block quotes get their `>`.
pub fn markdown_lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let raw: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut clean = String::with_capacity(line.len());
            for c in line.chars() {
                match c {
                    '\t' => clean.push_str("    "),
                    c if c.is_control() => {}
                    // Line and paragraph separators end a `//` comment in some tools.
                    '\u{2028}' | '\u{2029}' => clean.push(' '),
                    c => clean.push(c),
                }
            }
            clean.trim_end().to_owned()
        })
        .collect();

    let mut out: Vec<String> = Vec::new();
    // Open fence: its character and length.
    let mut fence: Option<(char, usize)> = None;
    // Inside an indented code block turned into a fence.
    let mut indented_block = false;
    // Content column of the list item whose paragraph continues on the next line.
    let mut list_paragraph: Option<usize> = None;
    // Content column of the innermost list item (after blank lines too).
    let mut list_content: Option<usize> = None;
    let mut quote_paragraph = false;
    let mut previous_blank = true;

    for line in &raw {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let blank = trimmed.is_empty();

        if let Some((fence_char, fence_len)) = fence {
            out.push(line.clone());
            let run = trimmed.chars().take_while(|&c| c == fence_char).count();
            if run >= fence_len && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            previous_blank = false;
            continue;
        }

        if indented_block {
            let code_indent = list_content.map_or(4, |c| c + 4);
            if blank || indent >= code_indent {
                out.push(line.get(code_indent..).unwrap_or("").to_owned());
                continue;
            }
            // Trailing blank lines belong after the fence.
            let mut blanks = 0;
            while out.last().is_some_and(|l| l.is_empty()) {
                out.pop();
                blanks += 1;
            }
            out.push(format!("{}```", " ".repeat(list_content.unwrap_or(0))));
            out.extend(std::iter::repeat_n(String::new(), blanks));
            indented_block = false;
            previous_blank = blanks > 0;
        }

        if blank {
            out.push(String::new());
            list_paragraph = None;
            quote_paragraph = false;
            previous_blank = true;
            continue;
        }

        // A block at a smaller indentation than the list's content ends the list: after a blank
        // line, or a fence, which may interrupt a paragraph.
        let opens_fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        if list_content.is_some_and(|c| indent < c)
            && (previous_blank || opens_fence)
            && list_item_content(line).is_none()
        {
            list_content = None;
            list_paragraph = None;
        }

        // A fence opens.
        if let Some(fence_char) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = trimmed.chars().take_while(|&c| c == fence_char).count();
            if run >= 3 && indent < 4 + list_content.unwrap_or(0) {
                let info = trimmed[run..].trim();
                // rustdoc rejects info strings with other characters than these.
                let plain = info
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " ,-_+.".contains(c));
                let info = if is_rust_info(info) || !plain {
                    "text"
                } else {
                    info
                };
                out.push(format!(
                    "{}{}{}",
                    " ".repeat(indent),
                    fence_char.to_string().repeat(run),
                    info
                ));
                fence = Some((fence_char, run));
                list_paragraph = None;
                previous_blank = false;
                continue;
            }
        }

        // An indented code block starts (only after a blank line: it cannot interrupt a
        // paragraph).
        let code_indent = list_content.map_or(4, |c| c + 4);
        if previous_blank && indent >= code_indent {
            let pad = " ".repeat(list_content.unwrap_or(0));
            out.push(format!("{pad}```text"));
            out.push(line[code_indent..].to_owned());
            indented_block = true;
            previous_blank = false;
            continue;
        }

        // Prose: `Success[int]` is a pydantic generic's name, not a link to `int`.
        let escaped = escape_subscripts(line);
        let (line, trimmed) = (&escaped, escaped.trim_start());
        if let Some(content) = list_item_content(line) {
            out.push(line.clone());
            list_paragraph = Some(content);
            list_content = Some(content);
            quote_paragraph = false;
        } else if let Some(content) = list_paragraph {
            // Lazy or over-indented continuation of a list item's paragraph.
            out.push(format!("{}{}", " ".repeat(content), trimmed));
        } else if trimmed.starts_with('>') {
            out.push(line.clone());
            quote_paragraph = true;
        } else if quote_paragraph {
            out.push(format!("> {trimmed}"));
        } else {
            out.push(line.clone());
        }
        previous_blank = false;
    }

    if indented_block {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push(format!("{}```", " ".repeat(list_content.unwrap_or(0))));
    }
    if let Some((fence_char, fence_len)) = fence {
        out.push(fence_char.to_string().repeat(fence_len));
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out
}

/// Whether rustdoc would compile a code block with this info string as a Rust doctest.
/// `[` right after a word character (`Success[int]`, `list[str]`), and its `]`, escaped:
/// rustdoc would read `[int]` as a link to an item `int`. Inline code spans are left alone,
/// and so are links (`[text](url)`, `[text]`), which follow a space or start the line.
fn escape_subscripts(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut code = false;
    let mut open = 0usize;
    let mut previous: Option<char> = None;
    for c in line.chars() {
        match c {
            '`' => code = !code,
            '[' if !code && previous.is_some_and(|p| p.is_alphanumeric() || p == '_') => {
                open += 1;
                out.push('\\');
            }
            '[' if !code && open > 0 => {
                open += 1;
                out.push('\\');
            }
            ']' if !code && open > 0 => {
                open -= 1;
                out.push('\\');
            }
            _ => {}
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

fn is_rust_info(info: &str) -> bool {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "allow_fail",
        "edition2015",
        "edition2018",
        "edition2021",
        "edition2024",
    ];
    let words: Vec<&str> = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    words.is_empty()
        || words
            .iter()
            .all(|w| RUSTDOC.contains(w) || w.starts_with("ignore-") || w.starts_with('{'))
}

/// The content column of a list item line (`- x`, `* x`, `+ x`, `1. x`, `1) x`).
fn list_item_content(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 9 || !rest[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let after = &rest[marker..];
    if after.is_empty() {
        return Some(indent + marker + 1);
    }
    let spaces = after.len() - after.trim_start_matches(' ').len();
    if spaces == 0 {
        return None;
    }
    // A thematic break (`- - -`, `***`) is not a list item.
    if rest.starts_with(['-', '*'])
        && rest
            .chars()
            .all(|c| c == rest.as_bytes()[0] as char || c == ' ')
    {
        return None;
    }
    Some(indent + marker + if spaces > 4 { 1 } else { spaces })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_names_are_not_links() {
        assert_eq!(escape_subscripts("Success[int]"), "Success\\[int\\]");
        assert_eq!(
            escape_subscripts("Page[list[str]] of `a[b]`"),
            "Page\\[list\\[str\\]\\] of `a[b]`"
        );
        // Links stay links.
        assert_eq!(
            escape_subscripts("see [the docs](https://x)"),
            "see [the docs](https://x)"
        );
        assert_eq!(escape_subscripts("[`Client`]"), "[`Client`]");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code_span("a"), "`a`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("a\nb"), "`a b`");
    }

    #[test]
    fn info_strings_rustdoc_rejects_become_text() {
        assert_eq!(
            markdown_lines("```\\\n end\n```\n```yaml,x-1\ny\n```"),
            ["```text", " end", "```", "```yaml,x-1", "y", "```"]
        );
    }

    #[test]
    fn markdown_is_made_safe() {
        let text = "Intro\r\n\r\n- one\nlazy\n      over\n- two\n\n```\nlet x = 1;\n```\n\n    indented\n    code\n\ndone\t!\n> quote\nlazy quote\n```json\n{}";
        assert_eq!(
            markdown_lines(text),
            [
                "Intro",
                "",
                "- one",
                "  lazy",
                "  over",
                "- two",
                "",
                "```text",
                "let x = 1;",
                "```",
                "",
                "```text",
                "indented",
                "code",
                "```",
                "",
                "done    !",
                "> quote",
                "> lazy quote",
                "```json",
                "{}",
                "```",
            ]
        );
    }

    #[test]
    fn list_items() {
        assert_eq!(list_item_content("- a"), Some(2));
        assert_eq!(list_item_content("  10. a"), Some(6));
        assert_eq!(list_item_content("*emphasis*"), None);
        assert_eq!(list_item_content("- - -"), None);
        assert_eq!(list_item_content("2024. was a year"), Some(6));
        assert_eq!(list_item_content("3.14"), None);
    }
}
