//! Callback URLs: a runtime expression embedded in a string
//! (`{$request.query.callbackUrl}/data`), split into [`UrlPiece`]s as the OpenAPI ABNF says.
//! Generated code evaluates the pieces with `stencil::expression`.

use crate::ir::{UrlPiece, ValueSource};

/// The pieces of `template`, or why it is not a runtime expression template.
pub fn parse(template: &str) -> Result<Vec<UrlPiece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("`{{` at byte {open} is never closed"));
        };
        let inner = &after[..close];
        if inner.contains('{') {
            return Err(format!("`{{{inner}}}` holds another `{{`"));
        }
        if !text.is_empty() {
            pieces.push(UrlPiece::Text(std::mem::take(&mut text)));
        }
        pieces.push(expression(inner).map_err(|why| format!("`{{{inner}}}`: {why}"))?);
        rest = &after[close + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(UrlPiece::Text(text));
    }
    if pieces.is_empty() {
        return Err("the URL is empty".to_owned());
    }
    Ok(pieces)
}

/// One expression, without its braces.
fn expression(inner: &str) -> Result<UrlPiece, String> {
    match inner {
        "$url" => return Ok(UrlPiece::Url),
        "$method" => return Ok(UrlPiece::Method),
        "$statusCode" => return Ok(UrlPiece::StatusCode),
        _ => {}
    }
    if let Some(source) = inner.strip_prefix("$request.") {
        return value_source(source).map(UrlPiece::Request);
    }
    if let Some(source) = inner.strip_prefix("$response.") {
        return value_source(source).map(UrlPiece::Response);
    }
    Err(
        "an expression is `$url`, `$method`, `$statusCode`, `$request.<source>` or \
         `$response.<source>`"
            .to_owned(),
    )
}

/// `header.<token>`, `query.<name>`, `path.<name>` or `body[#<json pointer>]`.
fn value_source(source: &str) -> Result<ValueSource, String> {
    let named = |name: &str, what: &str| {
        if name.is_empty() {
            Err(format!("the {what} has no name"))
        } else {
            Ok(name.to_owned())
        }
    };
    if let Some(name) = source.strip_prefix("header.") {
        let name = named(name, "header")?;
        if let Some(c) = name.chars().find(|c| !is_tchar(*c)) {
            return Err(format!("`{c}` cannot be in a header name"));
        }
        return Ok(ValueSource::Header(name));
    }
    if let Some(name) = source.strip_prefix("query.") {
        return named(name, "query parameter").map(ValueSource::Query);
    }
    if let Some(name) = source.strip_prefix("path.") {
        return named(name, "path parameter").map(ValueSource::Path);
    }
    if source == "body" {
        return Ok(ValueSource::Body(String::new()));
    }
    if let Some(pointer) = source.strip_prefix("body#") {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!(
                "the JSON pointer `{pointer}` does not start with `/`"
            ));
        }
        let mut chars = pointer.chars();
        while let Some(c) = chars.next() {
            if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
                return Err(format!(
                    "`~` in the JSON pointer `{pointer}` is not `~0` or `~1`"
                ));
            }
        }
        return Ok(ValueSource::Body(pointer.to_owned()));
    }
    Err(format!(
        "`{source}` is not `header.<name>`, `query.<name>`, `path.<name>` or `body#<pointer>`"
    ))
}

/// RFC 9110 `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> UrlPiece {
        UrlPiece::Text(t.to_owned())
    }

    #[test]
    fn templates_of_the_specification() {
        assert_eq!(
            parse("{$request.query.callbackUrl}/data").unwrap(),
            vec![
                UrlPiece::Request(ValueSource::Query("callbackUrl".into())),
                text("/data")
            ]
        );
        assert_eq!(
            parse("http://n.com?transactionId={$request.body#/id}&email={$request.body#/email}")
                .unwrap(),
            vec![
                text("http://n.com?transactionId="),
                UrlPiece::Request(ValueSource::Body("/id".into())),
                text("&email="),
                UrlPiece::Request(ValueSource::Body("/email".into())),
            ]
        );
        assert_eq!(
            parse("{$url}{$method}{$statusCode}{$request.header.X-Hook}{$response.body}").unwrap(),
            vec![
                UrlPiece::Url,
                UrlPiece::Method,
                UrlPiece::StatusCode,
                UrlPiece::Request(ValueSource::Header("X-Hook".into())),
                UrlPiece::Response(ValueSource::Body(String::new())),
            ]
        );
        assert_eq!(
            parse("{$request.path.id}").unwrap(),
            vec![UrlPiece::Request(ValueSource::Path("id".into()))]
        );
        assert_eq!(
            parse("https://fixed.test/cb").unwrap(),
            vec![text("https://fixed.test/cb")]
        );
    }

    #[test]
    fn bad_templates_say_why() {
        let cases = [
            ("{$request.query.x", "never closed"),
            ("{$request.query.{x}}", "holds another"),
            ("{request.query.x}", "an expression is"),
            ("{$request.cookie.x}", "is not `header.<name>`"),
            ("{$request.header.}", "has no name"),
            ("{$request.header.a b}", "cannot be in a header name"),
            ("{$request.body#id}", "does not start with `/`"),
            ("{$request.body#/a~2}", "is not `~0` or `~1`"),
            ("{$statuscode}", "an expression is"),
            ("", "empty"),
        ];
        for (template, why) in cases {
            let err = parse(template).unwrap_err();
            assert!(err.contains(why), "{template}: {err}");
        }
    }
}
