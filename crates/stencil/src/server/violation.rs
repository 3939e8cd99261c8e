//! Validation failures, described the way FastAPI (pydantic 2) describes them.

use std::fmt;

use serde::Serialize;

/// One segment of a violation's location: a property name or an array index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LocSegment {
    /// A property name, or a location (`body`, `query`, ...).
    Key(String),
    /// An array index.
    Index(usize),
}

impl From<&str> for LocSegment {
    fn from(s: &str) -> Self {
        LocSegment::Key(s.to_owned())
    }
}

impl From<String> for LocSegment {
    fn from(s: String) -> Self {
        LocSegment::Key(s)
    }
}

impl From<usize> for LocSegment {
    fn from(i: usize) -> Self {
        LocSegment::Index(i)
    }
}

impl fmt::Display for LocSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocSegment::Key(k) => f.write_str(k),
            LocSegment::Index(i) => write!(f, "{i}"),
        }
    }
}

/// Why a request was rejected: where (`loc`, e.g. `["body", "username"]`), what (`msg`, e.g.
/// `Field required`) and which kind of failure (`kind`, e.g. `missing`), with pydantic's
/// vocabulary for `msg` and `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Where: the location segments, outermost first.
    pub loc: Vec<LocSegment>,
    /// What: a human-readable message.
    pub msg: String,
    /// Which kind of failure (serialised as `type`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The value that failed, as sent: set by pydantic-mode validation only, and then given in
    /// FastAPI's envelope as pydantic gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<serde_json::Value>,
    /// The failure's parameters in pydantic's words (`{"ge": 1}`, `{"error": "..."}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ctx: Option<serde_json::Value>,
}

impl Violation {
    /// A violation at `loc` of kind `kind` with message `msg`.
    pub fn new(loc: Vec<LocSegment>, kind: impl Into<String>, msg: impl Into<String>) -> Self {
        Violation {
            loc,
            msg: msg.into(),
            kind: kind.into(),
            input: None,
            ctx: None,
        }
    }

    /// The same violation with pydantic's `ctx`.
    pub fn with_ctx(mut self, ctx: serde_json::Value) -> Self {
        self.ctx = Some(ctx);
        self
    }

    /// `Field required`.
    pub fn missing(loc: Vec<LocSegment>) -> Self {
        Violation::new(loc, "missing", "Field required")
    }

    /// The location joined with dots: `body.username`.
    pub fn loc_string(&self) -> String {
        self.loc
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc_string(), self.msg)
    }
}

/// The message of a validation rejection: the violation's own message when there is one, else a
/// count followed by every violation.
pub fn summary(violations: &[Violation]) -> String {
    match violations {
        [] => "Validation failed".to_owned(),
        [one] => one.msg.clone(),
        many => {
            let list: Vec<String> = many.iter().map(ToString::to_string).collect();
            format!("{} validation errors: {}", many.len(), list.join("; "))
        }
    }
}

/// Why a text could not be coerced: a violation without its location, which the caller knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The violation's `type` (`int_parsing`, ...).
    pub(crate) kind: &'static str,
    /// The violation's message.
    pub(crate) message: String,
    /// Pydantic's `ctx` for it, if any.
    pub(crate) ctx: Option<serde_json::Value>,
}

impl Failure {
    pub(crate) fn new(kind: &'static str, message: &str) -> Self {
        Failure {
            kind,
            message: message.to_owned(),
            ctx: None,
        }
    }

    /// The same failure with pydantic's `ctx` (`{"error": "..."}`).
    pub(crate) fn with_ctx(mut self, ctx: serde_json::Value) -> Self {
        self.ctx = Some(ctx);
        self
    }

    /// The violation at `loc`.
    pub(crate) fn at(self, loc: Vec<LocSegment>) -> Violation {
        let v = Violation::new(loc, self.kind, self.message);
        match self.ctx {
            Some(ctx) => v.with_ctx(ctx),
            None => v,
        }
    }
}
