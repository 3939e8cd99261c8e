//! The `Input` lifecycle as generated handlers drive it: parameters, then the body.

use serde::Deserialize;

use super::*;
use crate::server::direct::tests::LOGIN as USER;
use crate::server::schema::{Body, Content, IntKind, MediaKind, Param, Rules, Schema, Style};

/// The futures here never wait (the body is in memory): poll once.
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => panic!("the future waited"),
    }
}

/// The same shape with a rule: never decoded directly.
static RULED_USER: Schema = Schema::Checked(
    &USER,
    &Rules {
        min_items: Some(0),
        ..Rules::NONE
    },
);

const fn op(body: &'static Body) -> Operation {
    Operation {
        id: "create_user",
        name: "create_user",
        method: "POST",
        path: "/users",
        params: &[Param {
            name: "x-version",
            location: Location::Header,
            required: false,
            style: Style::Simple,
            explode: false,
            schema: &Schema::Int(IntKind::U8),
            default: Some("1"),
        }],
        body: Some(body),
        security: &[],
        errors: &[],
        fallback: None,
    }
}
/// An operation with the header parameter and a required JSON body of `schema`.
macro_rules! json_op {
    ($schema:expr) => {
        op(&Body {
            required: true,
            contents: &[Content {
                media_type: "application/json",
                kind: MediaKind::Json,
                schema: Some($schema),
            }],
        })
    };
}
static DIRECT: Operation = json_op!(&USER);
static USUAL: Operation = json_op!(&RULED_USER);

#[derive(Debug, PartialEq, Deserialize)]
struct User {
    username: String,
    age: Option<u8>,
}

/// What the generated handler does: the parameter, the body, then every violation.
fn run(
    op: &'static Operation,
    version: &str,
    body: &str,
) -> (bool, Result<(u8, User), Vec<Violation>>) {
    let request = http::Request::post("/users")
        .header("x-version", version)
        .header("content-type", "application/json")
        .body(AxumBody::from(body.to_owned()))
        .unwrap();
    let (mut input, body) = ready(Input::new(op, request));
    ready(input.read_body(body, &Config::default())).unwrap();
    let direct = matches!(input.body, BodyState::Json { .. });
    let (Some(version), Some(user)) = (input.param::<u8>(0), input.body::<User>()) else {
        return (direct, Err(input.reject().violations));
    };
    input.check().unwrap();
    (direct, Ok((version, user)))
}

fn kinds(violations: Vec<Violation>) -> Vec<(String, String)> {
    violations
        .into_iter()
        .map(|v| (v.loc_string(), v.kind))
        .collect()
}

#[test]
fn a_good_body_is_decoded_directly() {
    let (direct, result) = run(&DIRECT, "7", r#"{"username":"Al","age":3,"extra":{"a":1}}"#);
    assert!(direct);
    let user = User {
        username: "Al".into(),
        age: Some(3),
    };
    assert_eq!(result.unwrap(), (7, user));
    assert!(!run(&USUAL, "7", r#"{"username":"Al"}"#).0);
}

#[test]
fn direct_and_usual_paths_give_the_same_answers() {
    let bodies = [
        r#"{"username":"Al","age":3}"#,
        r#"{"username":"Al"}"#,
        // serde would take these, validation does not: the bytes send them the usual way.
        r#"{"username":"Al","age":null}"#,
        r#"["Al",3]"#,
        // serde fails: decoded again as a `Value` for the violations.
        r#"{"age":300}"#,
        r#"{"username":1,"age":-1}"#,
        r#"{"username":"Al","age":3.5}"#,
        r#"{"username":"Al","username":"Bo"}"#,
        // serde skips unknown properties with fewer checks than a `Value` gets.
        "{\"username\":\"Al\",\"x\":\"\u{0}\"}",
        r#"{"username":"Al","x":"\ud800"}"#,
        r#"{"username":"Al","x":1e400}"#,
        r#"{"username":"Al","x":{"y":null}}"#,
        r#"{"username":"Al""#,
        r#"{"username":"Al"} x"#,
        "true",
    ];
    let deep = format!(
        r#"{{"username":"Al","x":{}1{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    for body in bodies.iter().copied().chain([deep.as_str()]) {
        for version in ["7", "x"] {
            let (_, direct) = run(&DIRECT, version, body);
            let (_, usual) = run(&USUAL, version, body);
            assert_eq!(direct, usual, "{body} with version {version}");
        }
    }
    let (_, result) = run(&DIRECT, "x", r#"{"username":1,"age":300}"#);
    assert_eq!(
        kinds(result.unwrap_err()),
        vec![
            ("header.x-version".to_owned(), "int_parsing".to_owned()),
            ("body.username".to_owned(), "string_type".to_owned()),
            ("body.age".to_owned(), "less_than_equal".to_owned()),
        ]
    );
}

#[test]
fn direct_and_usual_paths_agree_on_generated_bodies() {
    // Bodies built from fragments (valid and invalid JSON), by a fixed pseudo-random walk.
    const VALUES: [&str; 16] = [
        r#""Al""#,
        "1",
        "300",
        "-1",
        "1.5",
        "1e400",
        "1E2",
        "null",
        "true",
        "[]",
        "{}",
        r#""\u0041""#,
        r#""\ud800""#,
        r#"["a",{"b":null}]"#,
        r#"{"y":[1,2]}"#,
        r#""a\"b""#,
    ];
    const KEYS: [&str; 4] = ["username", "age", "x", "na\\me"];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..3000 {
        let fields = next(4);
        let mut body = String::from("{");
        for i in 0..fields {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&format!(r#""{}":{}"#, KEYS[next(4)], VALUES[next(16)]));
        }
        body.push('}');
        if next(8) == 0 {
            body.truncate(next(body.len() + 1));
        }
        let version = ["7", "x"][next(2)];
        assert_eq!(
            run(&DIRECT, version, &body).1,
            run(&USUAL, version, &body).1,
            "{body}"
        );
    }
}

#[test]
fn body_violations_keep_their_place() {
    // Violations recorded after `read_body` (by `param` and `body` conversions) come after
    // the body's, as when the body was validated in `read_body`.
    let (direct, result) = run(&DIRECT, "7", r#"{"username":1}"#);
    assert!(direct);
    assert_eq!(
        kinds(result.unwrap_err()),
        vec![("body.username".to_owned(), "string_type".to_owned())]
    );
    let request = http::Request::post("/users")
        .header("content-type", "application/json")
        .body(AxumBody::from(r#"{"username":1}"#))
        .unwrap();
    let (mut input, body) = ready(Input::new(&DIRECT, request));
    ready(input.read_body(body, &Config::default())).unwrap();
    // The default applies; then a violation recorded before the body is taken.
    assert_eq!(input.param::<u8>(0), Some(1));
    assert_eq!(input.param::<u8>(0), None);
    input
        .violations
        .push(Violation::new(vec!["later".into()], "x", "x"));
    assert!(input.body::<User>().is_none());
    let locs: Vec<String> = input
        .violations()
        .iter()
        .map(Violation::loc_string)
        .collect();
    assert_eq!(locs, ["body.username", "later"]);
}

/// An operation with one optional header parameter named `name` with default `default`.
macro_rules! header_op {
    ($name:expr, $schema:expr, $default:expr) => {
        Operation {
            id: "h",
            name: "h",
            method: "GET",
            path: "/h",
            params: &[Param {
                name: $name,
                location: Location::Header,
                required: false,
                style: Style::Simple,
                explode: false,
                schema: $schema,
                default: $default,
            }],
            body: None,
            security: &[],
            errors: &[],
            fallback: None,
        }
    };
}

#[test]
fn header_parameters_match_names_in_any_case_and_join_lines() {
    static OP: Operation = header_op!("X-Trace-Id", &Schema::Str(None), None);
    let request = http::Request::get("/h")
        .header("accept", "*/*")
        .header("x-trace-id", "a")
        .header("X-TRACE-ID", "b")
        .body(AxumBody::empty())
        .unwrap();
    let (mut input, _) = ready(Input::new(&OP, request));
    assert_eq!(input.param::<String>(0).as_deref(), Some("a,b"));
    let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
    let (mut input, _) = ready(Input::new(&OP, request));
    assert_eq!(input.param::<Option<String>>(0), Some(None));
}

#[test]
fn defaults_are_decoded_once_per_type_and_fail_as_before() {
    static DATE: Operation = header_op!(
        "x-api-version",
        &Schema::Str(Some("date")),
        Some("\"2024-03-26\"")
    );
    let expected = chrono::NaiveDate::from_ymd_opt(2024, 3, 26).unwrap();
    for _ in 0..3 {
        let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
        let (mut input, _) = ready(Input::new(&DATE, request));
        assert_eq!(input.param::<chrono::NaiveDate>(0), Some(expected));
        // The same default text as another type is its own entry.
        let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
        let (mut input, _) = ready(Input::new(&DATE, request));
        assert_eq!(input.param::<String>(0).as_deref(), Some("2024-03-26"));
    }
    // A sent value wins over the cached default.
    let request = http::Request::get("/h")
        .header("x-api-version", "2025-01-02")
        .body(AxumBody::empty())
        .unwrap();
    let (mut input, _) = ready(Input::new(&DATE, request));
    assert_eq!(
        input.param::<chrono::NaiveDate>(0),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 2)
    );
    // A default that is not a value of the type is a violation, every time.
    static BAD: Operation = header_op!("x-n", &Schema::Int(IntKind::U8), Some("\"many\""));
    for _ in 0..2 {
        let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
        let (mut input, _) = ready(Input::new(&BAD, request));
        assert_eq!(input.param::<u8>(0), None);
        assert_eq!(input.violations().len(), 1);
        assert_eq!(input.violations()[0].loc_string(), "header.x-n");
    }
}
