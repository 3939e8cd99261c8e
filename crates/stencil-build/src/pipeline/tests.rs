use super::*;

fn pathstack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/pathstack/openapi_2024-03-26.yaml")
}

/// Path patterns select operations and their types; a typo is a located warning, a pattern
/// that cannot be read an error naming it.
#[test]
fn path_patterns_select_and_explain() {
    let options = Options {
        include_paths: vec!["/device/**".into(), "/devices/**".into()],
        exclude_paths: vec!["/device/*/trip#GET".into()],
        ..Options::default()
    };
    let generated = generate(&pathstack(), &options).expect("PathStack generates");
    let code = &generated.code;
    assert!(code.contains("pub fn update_device_by_id("));
    assert!(!code.contains("pub fn trips("), "excluded");
    assert!(!code.contains("pub fn login("), "not included");
    assert!(!code.contains("pub struct UsernamePassword"), "unused type");
    assert!(code.contains("pub type DeviceUpdate = "));
    let typo: Vec<String> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("matches no operation"))
        .map(|w| w.to_string())
        .collect();
    assert_eq!(typo.len(), 1, "{typo:?}");
    assert!(typo[0].contains("include path `/devices/**` matches no operation"));
    // Located at the document's `paths`.
    assert!(
        typo[0].contains("openapi_2024-03-26.yaml:24:1"),
        "{}",
        typo[0]
    );

    let bad = Options {
        include_paths: vec!["device/**".into()],
        exclude_paths: vec!["/x#GET;FETCH".into()],
        ..Options::default()
    };
    let errors = generate(&pathstack(), &bad).expect_err("bad patterns fail");
    let text = errors.to_string();
    assert!(text.contains("include path: path pattern `device/**` does not start with `/`"));
    assert!(text.contains("exclude path: path pattern `/x#GET;FETCH`: `GET;FETCH` is not an HTTP"));
}

/// The file is the same whatever the number of threads, and the document is included
/// from the file the pipeline gives to write beside it.
#[test]
fn output_does_not_depend_on_threads() {
    let spec =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/pathstack/openapi_2024-03-26.yaml");
    let loaded = crate::load::load(&spec).expect("PathStack loads");
    let api = crate::ir::build(&loaded, &mut Vec::new()).expect("PathStack builds");
    let settings = Settings::new(&Options::default()).expect("default settings");
    let file = |threads| {
        let pieces = emit_and_render_on(&api, &settings, threads, &mut |_, _| {}, &Progress::new())
            .expect("PathStack generates");
        crate::render::assemble(pieces, "x", "y")
    };
    let one = file(1);
    assert_eq!(one, file(2));
    assert_eq!(one, file(8));
    assert!(
        one.contains("pub const OPENAPI_DOCUMENT: &str = ::std::include_str!(\"openapi.yaml\");")
    );
    let generated = generate(&spec, &Options::default()).expect("PathStack generates");
    let document = generated.document.expect("a server includes the document");
    assert_eq!(document.name, "openapi.yaml");
    assert_eq!(document.text, std::fs::read_to_string(&spec).unwrap());
    let client_only = Options {
        server: false,
        ..Options::default()
    };
    assert!(generate(&spec, &client_only).unwrap().document.is_none());
}

/// The file made of parts formatted as they are emitted, on two threads, is the file made
/// by formatting each part's whole token stream at once, whatever the options.
#[test]
fn streaming_makes_the_whole_file() {
    for (spec, api) in crate::render::fixture_apis() {
        for (feature_gates, server_traits_per_tag, client) in [
            (false, false, true),
            (true, true, true),
            (false, true, false),
        ] {
            let options = Options {
                feature_gates,
                server_traits_per_tag,
                client,
                ..Options::default()
            };
            let settings = Settings::new(&options).expect("valid options");
            let pieces = emit_and_render_on(&api, &settings, 2, &mut |_, _| {}, &Progress::new())
                .expect("fixture generates");
            let streamed = crate::render::assemble(pieces, "x", "y");
            // Each part's whole token stream formatted at once.
            let whole: Vec<crate::render::Piece> = Part::wanted(&settings, &api)
                .into_iter()
                .map(|part| {
                    let mut collect = crate::emit::Collect::new();
                    emit_part(&api, &settings, part, &mut collect);
                    let tokens = collect.finish();
                    crate::render::render_part(tokens).expect("fixture renders")
                })
                .collect();
            let whole = crate::render::assemble(whole, "x", "y");
            assert!(
                streamed == whole,
                "{spec} (gates {feature_gates}, per tag {server_traits_per_tag}, client \
                 {client}): the streamed file differs from the whole"
            );
        }
    }
}

#[test]
fn parts_are_spread_over_workers() {
    let api = crate::ir::Api::default();
    let parts = [Part::Types, Part::Client, Part::Server];
    assert_eq!(plan_workers(&api, &parts, 1), vec![vec![0, 1, 2]]);
    let two = plan_workers(&api, &parts, 2);
    assert_eq!(two.len(), 2);
    let mut all: Vec<usize> = two.concat();
    all.sort_unstable();
    assert_eq!(all, vec![0, 1, 2]);
    assert_eq!(plan_workers(&api, &parts, 16).len(), 3);
}
