//! OpenAPI runtime expressions (`{$request.body#/callbackUrl}`, `{$request.query.x}`, `{$url}`,
//! ...): the URL a callback is sent to, computed from the request that subscribed.
//!
//! The generator checks and splits an expression when it generates (a bad one is a located
//! diagnostic then), so generated code holds it as [`Piece`]s and only evaluates it here,
//! against an [`Origin`]: the values of the request the callback belongs to (a generated
//! server fills one for each operation that declares callbacks).
//!
//! Values are inserted as they are: a string as its text, another JSON value (from a body) as
//! its JSON text. An expression naming a value the origin does not have is an
//! [`ExpressionError`], never a URL with a hole in it.

use std::fmt;

use serde_json::Value;

/// A piece of a callback URL template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Text(&'static str),
    /// `$url`: the URL of the request.
    Url,
    /// `$method`: its method.
    Method,
    /// `$statusCode`: the status of the response to it.
    StatusCode,
    /// `$request.<source>`.
    Request(Source),
    /// `$response.<source>`.
    Response(Source),
}

/// Where in a request or a response a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `header.<name>` (any case).
    Header(&'static str),
    /// `query.<name>` (the first value).
    Query(&'static str),
    /// `path.<name>`.
    Path(&'static str),
    /// `body#<pointer>` (`""`: the whole body).
    Body(&'static str),
}

/// The values of one request (and, once answered, of its response) that expressions read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origin {
    /// The request's method, `POST`.
    pub method: String,
    /// Its URL, `http://host/streams?callbackUrl=...`.
    pub url: String,
    /// Its path parameters (name, decoded value).
    pub path: Vec<(String, String)>,
    /// Its query parameters (name, decoded value), in order.
    pub query: Vec<(String, String)>,
    /// The request's headers and body.
    pub request: Message,
    /// The response's status, headers and body, when it is known.
    pub response: Option<(u16, Message)>,
}

/// The headers and the body (as JSON, when it is JSON) of a request or a response.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Message {
    /// Header name (any case) and value, in order.
    pub headers: Vec<(String, String)>,
    /// The body, when there was one and it was JSON.
    pub body: Option<Value>,
}

/// Why an expression has no value for an origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpressionError {
    /// The expression, as written in the document (`$request.query.callbackUrl`).
    pub expression: String,
    /// What is missing.
    pub reason: String,
}

impl fmt::Display for ExpressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{{{}}}`: {}", self.expression, self.reason)
    }
}

impl std::error::Error for ExpressionError {}

impl Piece {
    /// The expression as written (`$request.body#/id`); literal text as it is.
    pub fn written(&self) -> String {
        let source = |s: &Source| match s {
            Source::Header(n) => format!("header.{n}"),
            Source::Query(n) => format!("query.{n}"),
            Source::Path(n) => format!("path.{n}"),
            Source::Body("") => "body".to_owned(),
            Source::Body(p) => format!("body#{p}"),
        };
        match self {
            Piece::Text(t) => (*t).to_owned(),
            Piece::Url => "$url".to_owned(),
            Piece::Method => "$method".to_owned(),
            Piece::StatusCode => "$statusCode".to_owned(),
            Piece::Request(s) => format!("$request.{}", source(s)),
            Piece::Response(s) => format!("$response.{}", source(s)),
        }
    }
}

/// The text of `pieces` for `origin`: the URL a callback goes to.
pub fn evaluate(pieces: &[Piece], origin: &Origin) -> Result<String, ExpressionError> {
    let mut out = String::new();
    for piece in pieces {
        let fail = |reason: &str| ExpressionError {
            expression: piece.written(),
            reason: reason.to_owned(),
        };
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Url => out.push_str(&origin.url),
            Piece::Method => out.push_str(&origin.method),
            Piece::StatusCode => match &origin.response {
                Some((status, _)) => out.push_str(&status.to_string()),
                None => return Err(fail("the response is not known yet")),
            },
            Piece::Request(source) => {
                out.push_str(&source_value(*source, origin, &origin.request).map_err(|r| fail(&r))?)
            }
            Piece::Response(source) => match &origin.response {
                Some((_, message)) => {
                    out.push_str(&source_value(*source, origin, message).map_err(|r| fail(&r))?)
                }
                None => return Err(fail("the response is not known yet")),
            },
        }
    }
    Ok(out)
}

fn source_value(source: Source, origin: &Origin, message: &Message) -> Result<String, String> {
    let find = |pairs: &[(String, String)], name: &str, what: &str, any_case: bool| {
        pairs
            .iter()
            .find(|(k, _)| {
                if any_case {
                    k.eq_ignore_ascii_case(name)
                } else {
                    k == name
                }
            })
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("there is no {what} `{name}`"))
    };
    match source {
        Source::Header(name) => find(&message.headers, name, "header", true),
        Source::Query(name) => find(&origin.query, name, "query parameter", false),
        Source::Path(name) => find(&origin.path, name, "path parameter", false),
        Source::Body(pointer) => {
            let body = message.body.as_ref().ok_or("there is no JSON body")?;
            match body.pointer(pointer) {
                None | Some(Value::Null) => Err(format!("the body has no value at `{pointer}`")),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(other) => Ok(other.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn origin() -> Origin {
        Origin {
            method: "POST".into(),
            url: "http://api.test/streams?callbackUrl=http%3A%2F%2Fme".into(),
            path: vec![("id".into(), "7".into())],
            query: vec![
                ("callbackUrl".into(), "http://me".into()),
                ("callbackUrl".into(), "http://second".into()),
            ],
            request: Message {
                headers: vec![("X-Hook".into(), "http://hook".into())],
                body: Some(json!({"callbackUrl": "http://body", "id": 42, "tags": ["a"]})),
            },
            response: None,
        }
    }

    #[test]
    fn every_source_of_the_request() {
        let o = origin();
        let eval = |pieces: &[Piece]| evaluate(pieces, &o);
        let q = Piece::Request(Source::Query("callbackUrl"));
        assert_eq!(eval(&[q, Piece::Text("/data")]).unwrap(), "http://me/data");
        let b = Piece::Request(Source::Body("/callbackUrl"));
        assert_eq!(eval(&[b]).unwrap(), "http://body");
        let id = Piece::Request(Source::Body("/id"));
        let text = Piece::Text("http://n.test?id=");
        assert_eq!(eval(&[text, id]).unwrap(), "http://n.test?id=42");
        let tags = Piece::Request(Source::Body("/tags"));
        assert_eq!(eval(&[tags]).unwrap(), r#"["a"]"#);
        let h = Piece::Request(Source::Header("x-hook"));
        assert_eq!(eval(&[h]).unwrap(), "http://hook");
        let p = Piece::Request(Source::Path("id"));
        assert_eq!(eval(&[Piece::Text("/"), p]).unwrap(), "/7");
        assert_eq!(
            eval(&[Piece::Url, Piece::Text("#"), Piece::Method]).unwrap(),
            "http://api.test/streams?callbackUrl=http%3A%2F%2Fme#POST"
        );
    }

    #[test]
    fn missing_values_are_errors_naming_the_expression() {
        let o = origin();
        let err = evaluate(&[Piece::Request(Source::Query("nope"))], &o).unwrap_err();
        assert_eq!(err.expression, "$request.query.nope");
        assert_eq!(
            err.to_string(),
            "`{$request.query.nope}`: there is no query parameter `nope`"
        );
        let err = evaluate(&[Piece::Request(Source::Body("/missing"))], &o).unwrap_err();
        assert_eq!(err.reason, "the body has no value at `/missing`");
        let err = evaluate(&[Piece::StatusCode], &o).unwrap_err();
        assert_eq!(err.reason, "the response is not known yet");
        let no_body = Origin::default();
        let err = evaluate(&[Piece::Request(Source::Body(""))], &no_body).unwrap_err();
        assert_eq!(err.reason, "there is no JSON body");
    }

    #[test]
    fn the_response_once_known() {
        let mut o = origin();
        o.response = Some((
            201,
            Message {
                headers: vec![("Location".into(), "/s/1".into())],
                body: Some(json!({"subscriptionId": "s1"})),
            },
        ));
        let pieces = [
            Piece::Text("http://x.test"),
            Piece::Response(Source::Header("location")),
            Piece::Text("?status="),
            Piece::StatusCode,
            Piece::Text("&id="),
            Piece::Response(Source::Body("/subscriptionId")),
        ];
        assert_eq!(
            evaluate(&pieces, &o).unwrap(),
            "http://x.test/s/1?status=201&id=s1"
        );
    }
}
