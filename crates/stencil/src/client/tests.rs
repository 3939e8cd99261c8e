use serde_json::json;

use super::encode;
use super::*;

fn q(name: &str, v: serde_json::Value, style: Style, explode: bool) -> String {
    let mut out = Vec::new();
    encode::query(&mut out, name, &v, style, explode);
    out.join("&")
}

#[test]
fn query_styles() {
    assert_eq!(q("a", json!("x y/z"), Style::Form, true), "a=x%20y%2Fz");
    assert_eq!(q("a", json!([1, 2]), Style::Form, true), "a=1&a=2");
    assert_eq!(q("a", json!(["x,y", "z"]), Style::Form, false), "a=x%2Cy,z");
    assert_eq!(
        q("a", json!(["x", "y"]), Style::SpaceDelimited, false),
        "a=x%20y"
    );
    assert_eq!(
        q("a", json!(["x", "y"]), Style::PipeDelimited, false),
        "a=x|y"
    );
    assert_eq!(q("a", json!([]), Style::Form, false), "");
    assert_eq!(q("a", json!(null), Style::Form, true), "");
    assert_eq!(q("a", json!(true), Style::Form, true), "a=true");
    assert_eq!(q("a", json!(1.5), Style::Form, true), "a=1.5");
    assert_eq!(
        q("f", json!({"k": 1, "n": null, "s": "x"}), Style::Form, true),
        "k=1&s=x"
    );
    assert_eq!(
        q("f", json!({"k": 1, "s": "x"}), Style::Form, false),
        "f=k,1,s,x"
    );
    assert_eq!(
        q(
            "filter",
            json!({"min_age": 2, "sort": "name", "skip": null}),
            Style::DeepObject,
            true
        ),
        "filter[min_age]=2&filter[sort]=name"
    );
    assert_eq!(
        q(
            "f",
            json!({"a": {"b": 1}, "c": [1, 2]}),
            Style::DeepObject,
            true
        ),
        "f[a][b]=1&f[c]=1&f[c]=2"
    );
    assert_eq!(q("ü", json!("é"), Style::Form, true), "%C3%BC=%C3%A9");
}

#[test]
fn path_styles() {
    assert_eq!(
        encode::simple(&json!("a/b?c#d"), false, encode::pct).unwrap(),
        "a%2Fb%3Fc%23d"
    );
    assert_eq!(
        encode::simple(&json!([1, 2]), false, encode::pct).unwrap(),
        "1,2"
    );
    assert_eq!(
        encode::simple(&json!({"a": 1, "b": 2}), false, encode::pct).unwrap(),
        "a,1,b,2"
    );
    assert_eq!(
        encode::simple(&json!({"a": 1, "b": 2}), true, encode::pct).unwrap(),
        "a=1,b=2"
    );
    assert_eq!(encode::label(&json!("x"), false).unwrap(), ".x");
    assert_eq!(encode::label(&json!(["x", "y"]), true).unwrap(), ".x.y");
    assert_eq!(encode::label(&json!(["x", "y"]), false).unwrap(), ".x,y");
    assert_eq!(encode::matrix("row", &json!(5), false).unwrap(), ";row=5");
    assert_eq!(
        encode::matrix("r", &json!([1, 2]), true).unwrap(),
        ";r=1;r=2"
    );
    assert_eq!(
        encode::matrix("r", &json!([1, 2]), false).unwrap(),
        ";r=1,2"
    );
}

#[test]
fn forms_and_cookies() {
    assert_eq!(
        encode::form_body(&json!({"a b": "c+d e", "n": null, "l": [1, 2], "t": true})).unwrap(),
        "a+b=c%2Bd+e&l=1&l=2&t=true"
    );
    assert!(encode::form_body(&json!([1])).is_err());
    assert_eq!(
        encode::cookie("s", &json!("a b;c"), false).unwrap(),
        "s=a%20b%3Bc"
    );
    assert_eq!(encode::cookie("s", &json!([1, 2]), false).unwrap(), "s=1,2");
}

static SCHEMES: &[Scheme] = &[
    Scheme::Bearer,
    Scheme::ApiKey {
        location: KeyLocation::Header,
        name: "X-Key",
    },
    Scheme::Unsupported,
];

#[test]
fn credential_selection() {
    let core = Core::new("http://x/", SCHEMES);
    assert_eq!(core.base_url(), "http://x");
    let creds = &core.credentials;
    assert!(creds.select(&[&[0]]).is_none());
    assert_eq!(
        creds.select(&[&[0], &[]]).unwrap().len(),
        0,
        "the empty set means optional auth"
    );
    core.set_token(0, "t".into());
    assert_eq!(creds.select(&[&[0, 1], &[0]]).unwrap().len(), 1);
    core.set_api_key(1, "k".into());
    assert_eq!(creds.select(&[&[0, 1], &[0]]).unwrap().len(), 2);
    assert!(
        creds.select(&[&[2]]).is_none(),
        "unsupported schemes are never satisfied"
    );
    let clone = core.clone();
    clone.clear_all();
    assert!(creds.select(&[&[0]]).is_none(), "clones share credentials");
    core.set_token(7, "out of range is ignored".into());
    assert!(!format!("{core:?}").contains("\"t\""));
}

#[test]
fn invalid_requests_are_not_built() {
    let core = Core::new("http://127.0.0.1:1", SCHEMES);
    let err = |r: Request<'_>| r.build().err().unwrap_or_default();
    assert!(err(core
        .request(reqwest::Method::GET)
        .path("/a")
        .header("x-h", "a\r\nb: c", false))
    .contains("x-h"));
    assert!(
        err(core.request(reqwest::Method::GET).path("/a/").path_param(
            "id",
            "",
            Style::Simple,
            false
        ))
        .contains("empty")
    );
    assert!(
        err(core.request(reqwest::Method::GET).path("/a/").path_param(
            "id",
            "..",
            Style::Simple,
            false
        ))
        .contains("..")
    );
    assert!(
        err(core.request(reqwest::Method::GET).path("/a/").path_param(
            "id",
            ".",
            Style::Simple,
            false
        ))
        .contains(".")
    );
    assert!(core
        .request(reqwest::Method::GET)
        .path("/a/")
        .path_param("id", "...", Style::Simple, false)
        .build()
        .is_ok());
    // `segment` is the simple style: the same checks, the same URL.
    assert!(err(core
        .request(reqwest::Method::GET)
        .path("/a/")
        .segment("id", ".."))
    .contains(".."));
    let url = |r: Request<'_>| {
        r.build()
            .ok()
            .and_then(|b| b.build().ok())
            .map(|r| r.url().to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        url(core
            .request(reqwest::Method::GET)
            .path("/a/")
            .segment("id", "x y/z")),
        url(core.request(reqwest::Method::GET).path("/a/").path_param(
            "id",
            "x y/z",
            Style::Simple,
            false
        )),
    );
    assert!(url(core
        .request(reqwest::Method::GET)
        .path("/a/")
        .segment("id", "x y/z"))
    .ends_with("/a/x%20y%2Fz"));
    core.set_token(0, "bad\ntoken".into());
    assert!(
        err(core.request(reqwest::Method::GET).path("/a").auth(&[&[0]])).contains("authorization")
    );
    let bad_base = Core::new("not a url", SCHEMES);
    assert!(err(bad_base.request(reqwest::Method::GET).path("/a")).contains("invalid URL"));
}

#[test]
fn decoding_never_panics() {
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    let r = |body: &'static [u8]| {
        Response::new(
            StatusCode::OK,
            HeaderMap::new(),
            bytes::Bytes::from_static(body),
        )
    };
    let ok: Result<ResponseValue<Vec<u32>>, Error<()>> = r(b"[1,2]").ok(json);
    assert_eq!(*ok.unwrap(), vec![1, 2]);
    let bad: Result<ResponseValue<Vec<u32>>, Error<()>> = r(b"{garbage").ok(json);
    assert!(matches!(bad, Err(Error::Decode { .. })));
    let deep = Box::leak(("[".repeat(100_000)).into_bytes().into_boxed_slice());
    let deep: Result<ResponseValue<serde_json::Value>, Error<()>> = r(deep).ok(json);
    assert!(matches!(deep, Err(Error::Decode { .. })));
    let not_utf8: Result<ResponseValue<String>, Error<()>> = r(b"\xff").ok(text);
    assert!(matches!(not_utf8, Err(Error::Decode { .. })));
    let e: Result<ResponseValue<()>, Error<String>> = r(b"\"x\"").err(json, |s: String| s);
    let e = e.unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::OK));
    assert!(e.to_string().contains("\"x\""));
}

#[test]
fn extension_methods_and_the_query_string() {
    let core = Core::new("http://127.0.0.1:1", SCHEMES);
    let built = |r: Request<'_>| {
        let request = r.build().ok().and_then(|b| b.build().ok()).unwrap();
        (request.method().to_string(), request.url().to_string())
    };
    // The whole query string (`in: querystring`): a form, arrays as repeated names.
    let filter = json!({"kind": "cat", "skip": null, "tag": ["a b", "c&d"], "n": 2});
    assert_eq!(
        built(
            core.request_named("QUERY")
                .path("/p")
                .query_string("f", &filter)
        ),
        (
            "QUERY".to_owned(),
            "http://127.0.0.1:1/p?kind=cat&tag=a+b&tag=c%26d&n=2".to_owned()
        )
    );
    let none: Option<serde_json::Value> = None;
    assert_eq!(
        built(
            core.request_named("LINK")
                .path("/p")
                .query_string("f", &none)
        )
        .1,
        "http://127.0.0.1:1/p"
    );
    let err = |r: Request<'_>| r.build().err().unwrap_or_default();
    assert!(err(core.request_named("NOT A METHOD").path("/p")).contains("not an HTTP method"));
    assert!(err(core.request_named("GET").path("/p").query_string("f", &[1])).contains("`f`"));
}
