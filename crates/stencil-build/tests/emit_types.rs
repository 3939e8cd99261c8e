//! The `types` emitter on a hand-built kitchen-sink API: a snapshot of the rendered code, and a
//! build (clippy `-D warnings` + serde round trips) of that code in a scratch crate.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;
use stencil_build::stages::ir::{
    Api, Constraints, Docs, EnumVariant, Field, IntEnum, Primitive, StringEnum, Struct, TypeDef,
    TypeId, TypeKind, TypeRef, Union, UnionVariant,
};
use stencil_build::Options;

// ---------------------------------------------------------------------------------------------
// IR builders

const CAT: u32 = 0;
const COLOR: u32 = 1;
const DOG: u32 = 2;
const EMAIL: u32 = 3;
const EMPTY: u32 = 4;
const EVERYTHING: u32 = 5;
const LABELS: u32 = 6;
const LEVEL: u32 = 7;
const NODE: u32 = 8;
const PAGE: u32 = 9;
const PET: u32 = 10;
const SETTINGS: u32 = 11;
const SHAPE: u32 = 12;
const STRICT_MODE: u32 = 13;
const SUCCESS: u32 = 14;
const SUCCESS_PET: u32 = 15;
const TAGS: u32 = 16;
const WRAPPER: u32 = 17;

fn named(id: u32) -> TypeRef {
    TypeRef::Named(TypeId::at(id), Vec::new())
}

fn prim(p: Primitive) -> TypeRef {
    TypeRef::Primitive(p)
}

fn string() -> TypeRef {
    prim(Primitive::String)
}

fn array(t: TypeRef) -> TypeRef {
    TypeRef::Array(Box::new(t))
}

fn boxed(t: TypeRef) -> TypeRef {
    TypeRef::Boxed(Box::new(t))
}

fn docs(description: &str) -> Docs {
    Docs {
        description: Some(description.to_owned()),
        ..Docs::default()
    }
}

/// A required, non-nullable field named as on the wire.
fn field(name: &str, ty: TypeRef) -> Field {
    Field {
        name: name.to_owned(),
        wire_name: name.to_owned(),
        ty,
        required: true,
        nullable: false,
        default: None,
        read_only: false,
        write_only: false,
        constraints: Constraints::default(),
        docs: Docs::default(),
    }
}

fn optional(mut f: Field) -> Field {
    f.required = false;
    f
}

fn nullable(mut f: Field) -> Field {
    f.nullable = true;
    f
}

fn wire(mut f: Field, wire: &str) -> Field {
    f.wire_name = wire.to_owned();
    f
}

fn defaulted(f: Field, value: serde_json::Value) -> Field {
    let mut f = optional(f);
    f.default = Some(value);
    f
}

fn def(id: u32, name: &str, kind: TypeKind) -> TypeDef {
    TypeDef {
        id: TypeId::at(id),
        name: name.to_owned(),
        origin: format!("#/components/schemas/{name}"),
        docs: Docs::default(),
        generics: Vec::new(),
        kind,
    }
}

fn structure(fields: Vec<Field>) -> TypeKind {
    TypeKind::Struct(Struct {
        fields,
        additional: None,
    })
}

fn variant<V>(name: &str, value: V) -> EnumVariant<V> {
    EnumVariant {
        name: name.to_owned(),
        value,
        docs: Docs::default(),
    }
}

fn union_variant(name: &str, tags: &[&str], ty: TypeRef) -> UnionVariant {
    UnionVariant {
        name: name.to_owned(),
        tag_values: tags.iter().map(|t| (*t).to_owned()).collect(),
        ty,
        docs: Docs::default(),
    }
}

const HOSTILE: &str = concat!(
    "Ends a block comment */ and a raw string \"# and has `backticks`.\n",
    "Line two with a tab\there.\n",
    "\n",
    "- a list item\n",
    "lazily continued\n",
    "- another\n",
    "\n",
    "```\n",
    "assert!(false, \"doctests must not run\");\n",
    "```\n",
    "\n",
    "    indented code is no doctest either\n",
    "\n",
    "#[doc = \"injected\"] fn evil() {}",
);

#[allow(clippy::approx_constant)] // 3.14: a default that clippy would take for π in generated code
fn kitchen_sink() -> Api {
    let mut cat = def(
        CAT,
        "Cat",
        structure(vec![
            wire(field("pet_type", string()), "petType"),
            field("lives", prim(Primitive::U8)),
        ]),
    );
    cat.docs = docs("A cat.");

    let mut color = def(
        COLOR,
        "Color",
        TypeKind::StringEnum(StringEnum {
            variants: vec![
                variant("Red", "red".to_owned()),
                variant("LightBlue", "light-blue".to_owned()),
                {
                    let mut v = variant("Green", "green".to_owned());
                    v.docs = docs("The colour of grass.");
                    v
                },
            ],
            fallback: true,
        }),
    );
    color.docs = Docs {
        title: Some("Colour".to_owned()),
        ..Docs::default()
    };

    let dog = def(
        DOG,
        "Dog",
        structure(vec![
            wire(field("pet_type", string()), "petType"),
            wire(field("good_boy", prim(Primitive::Bool)), "goodBoy"),
            optional(field("weight", prim(Primitive::F64))),
        ]),
    );

    let mut email = def(
        EMAIL,
        "Email",
        TypeKind::Newtype(
            string(),
            Constraints {
                max_length: Some(254),
                format: Some("email".to_owned()),
                ..Constraints::default()
            },
        ),
    );
    email.docs = docs("An e-mail address.");

    let mut name = field("name", string());
    name.docs = Docs {
        title: Some("The name */".to_owned()),
        description: Some(HOSTILE.to_owned()),
        examples: vec![json!("Rex `the` dog"), json!({"long": "x".repeat(90)})],
        deprecated: false,
    };
    let mut age = optional(field("age", prim(Primitive::I32)));
    age.constraints = Constraints {
        minimum: Some(0.0),
        maximum: Some(150.0),
        ..Constraints::default()
    };
    let mut created_at = optional(wire(
        field("created_at", prim(Primitive::DateTime)),
        "createdAt",
    ));
    created_at.read_only = true;
    let mut password = optional(field("password", string()));
    password.write_only = true;
    let mut legacy = optional(field("legacy", string()));
    legacy.docs = Docs {
        deprecated: true,
        ..docs("Use `name`.")
    };
    let mut everything = def(
        EVERYTHING,
        "Everything",
        TypeKind::Struct(Struct {
            fields: vec![
                field("id", prim(Primitive::Uuid)),
                name,
                nullable(field("nickname", string())),
                age,
                nullable(optional(wire(field("middle_name", string()), "middleName"))),
                defaulted(field("limit", prim(Primitive::I64)), json!(20)),
                defaulted(field("offset", prim(Primitive::I32)), json!(-5)),
                defaulted(field("color", named(COLOR)), json!("light-blue")),
                defaulted(field("shade", named(COLOR)), json!("mauve")),
                defaulted(field("mode", named(STRICT_MODE)), json!("off")),
                defaulted(field("tags", array(string())), json!(["a", "b"])),
                defaulted(field("ratio", prim(Primitive::F64)), json!(3.14)),
                defaulted(field("scale", prim(Primitive::F32)), json!(0.1)),
                defaulted(field("started", prim(Primitive::Date)), json!("2024-01-31")),
                defaulted(field("settings", named(SETTINGS)), json!({})),
                defaulted(
                    field("meta", TypeRef::Map(Box::new(TypeRef::Any))),
                    json!({"k": [1, null]}),
                ),
                defaulted(field("level", named(LEVEL)), json!(3)),
                defaulted(
                    field("owner", prim(Primitive::Uuid)),
                    json!("67e55044-10b1-426f-9247-bb680e5fe0c8"),
                ),
                defaulted(field("email", named(EMAIL)), json!("nobody@example.com")),
                // Does not fit: becomes an optional field.
                defaulted(field("bad_default", prim(Primitive::Bool)), json!(0)),
                defaulted(field("bad_mode", named(STRICT_MODE)), json!("maybe")),
                defaulted(field("null_default", string()), json!(null)),
                {
                    let mut f = nullable(optional(field("patchable", prim(Primitive::I64))));
                    f.default = Some(json!(7));
                    f
                },
                wire(field("type_", string()), "type"),
                created_at,
                password,
                legacy,
                optional(field("avatar", prim(Primitive::Base64))),
                optional(field("file", prim(Primitive::Binary))),
                optional(field("extra", TypeRef::Any)),
                optional(field(
                    "pair",
                    TypeRef::Tuple(vec![string(), prim(Primitive::I64)]),
                )),
                optional(field("single", TypeRef::Tuple(vec![string()]))),
                field("scores", TypeRef::Map(Box::new(prim(Primitive::F64)))),
                optional(field(
                    "maybe_list",
                    array(TypeRef::Option(Box::new(prim(Primitive::I16)))),
                )),
                optional(field("tree", named(NODE))),
                field("pet", named(PET)),
                optional(field("shape", named(SHAPE))),
                optional(field("result", named(SUCCESS_PET))),
                optional(field("additional_properties", string())),
            ],
            additional: Some(TypeRef::Any),
        }),
    );
    everything.docs = Docs {
        title: Some("Everything".to_owned()),
        description: Some("One field of every kind.".to_owned()),
        examples: vec![json!({"id": "x"})],
        deprecated: true,
    };

    let level = def(
        LEVEL,
        "Level",
        TypeKind::IntEnum(IntEnum {
            variants: vec![
                variant("MinusOne", -1),
                variant("Low", 1),
                variant("High", 3),
            ],
            fallback: true,
        }),
    );

    let mut node = def(
        NODE,
        "Node",
        structure(vec![
            optional(field("label", string())),
            field("children", array(boxed(named(NODE)))),
            optional(field("next", boxed(named(NODE)))),
            optional(field("index", TypeRef::Map(Box::new(boxed(named(NODE)))))),
        ]),
    );
    node.docs = docs("A tree: recursive through `Box` and `Vec`.");

    let pet = def(
        PET,
        "Pet",
        TypeKind::Union(Union {
            tag: Some("petType".to_owned()),
            variants: vec![
                union_variant("Cat", &["cat"], named(CAT)),
                union_variant("Dog", &["dog", "Dog", "cat"], named(DOG)),
            ],
            event_keyed: false,
        }),
    );

    let settings = def(
        SETTINGS,
        "Settings",
        structure(vec![
            defaulted(field("theme", named(COLOR)), json!("red")),
            defaulted(field("page_size", prim(Primitive::U32)), json!(50)),
            optional(field("verbose", prim(Primitive::Bool))),
            defaulted(field("limits", array(prim(Primitive::I64))), json!([])),
        ]),
    );

    let shape = def(
        SHAPE,
        "Shape",
        TypeKind::Union(Union {
            tag: None,
            variants: vec![
                union_variant("Number", &[], prim(Primitive::F64)),
                union_variant("Text", &[], string()),
                union_variant("Node", &[], named(NODE)),
            ],
            event_keyed: false,
        }),
    );

    let strict_mode = def(
        STRICT_MODE,
        "StrictMode",
        TypeKind::StringEnum(StringEnum {
            variants: vec![
                variant("On", "on".to_owned()),
                variant("Off", "off".to_owned()),
            ],
            fallback: false,
        }),
    );

    let mut success = def(
        SUCCESS,
        "Success",
        structure(vec![
            field("data", TypeRef::Generic(0)),
            optional(field("message", string())),
            nullable(optional(field("previous", TypeRef::Generic(0)))),
            optional(field("next", TypeRef::Generic(0))),
        ]),
    );
    success.generics = vec!["T".to_owned()];
    success.docs = docs("`Success[T]`: the envelope of every successful response.");

    let success_pet = def(
        SUCCESS_PET,
        "SuccessPet",
        TypeKind::Alias(TypeRef::Named(TypeId::at(SUCCESS), vec![named(PET)])),
    );
    let tags = def(TAGS, "Tags", TypeKind::Alias(array(string())));
    let mut wrapper = def(
        WRAPPER,
        "Wrapper",
        structure(vec![
            field("settings", named(SETTINGS)),
            field("notes", array(string())),
        ]),
    );
    wrapper.docs = docs(
        "A long first paragraph, as documents often have: it goes on and on about what the \
         wrapper wraps, why it wraps it, and what happens to the wrapped settings and notes \
         when the wrapper is sent to the server, all in one breath and without a blank line.\n\
         1. a numbered list\n\
         lazily continued\n\
         2. second",
    );
    let empty = def(EMPTY, "Empty", structure(Vec::new()));
    let labels = def(
        LABELS,
        "Labels",
        TypeKind::Struct(Struct {
            fields: Vec::new(),
            additional: Some(string()),
        }),
    );
    let mut page = def(
        PAGE,
        "Page",
        structure(vec![
            field("items", array(TypeRef::Generic(0))),
            optional(field("total", prim(Primitive::U64))),
        ]),
    );
    page.generics = vec!["T".to_owned()];

    let mut api = Api::default();
    api.title = "Kitchen */ Sink".to_owned();
    api.version = "1.0.0".to_owned();
    api.with_types(vec![
        cat,
        color,
        dog,
        email,
        empty,
        everything,
        labels,
        level,
        node,
        page,
        pet,
        settings,
        shape,
        strict_mode,
        success,
        success_pet,
        tags,
        wrapper,
    ])
    .expect("a consistent arena")
}

fn render(api: &Api) -> String {
    let options = Options {
        client: false,
        server: false,
        regenerate_command: "cargo test -p stencil-build --test emit_types".to_owned(),
        ..Options::default()
    };
    stencil_build::stages::emit_and_render(api, &options, "kitchen-sink.yaml")
        .expect("the emitted code parses")
        .code
}

#[test]
fn arena_is_consistent() {
    for (i, def) in kitchen_sink().types().iter().enumerate() {
        assert_eq!(def.id, TypeId::at(i as u32), "{}", def.name);
    }
}

#[test]
fn kitchen_sink_snapshot() {
    let code = render(&kitchen_sink());
    assert_eq!(code, render(&kitchen_sink()), "rendering is deterministic");
    insta::assert_snapshot!("kitchen_sink", code);
}

#[test]
fn extra_derives_are_added_once() {
    let mut cat = kitchen_sink().types()[CAT as usize].clone();
    cat.id = TypeId::at(0);
    let api = Api::default()
        .with_types(vec![cat])
        .expect("Cat stands alone");
    let options = Options {
        client: false,
        server: false,
        extra_derives: vec![
            "Hash".to_owned(),
            "my_crate::Schema".to_owned(),
            "serde::Serialize".to_owned(),
        ],
        ..Options::default()
    };
    let code = stencil_build::stages::emit_and_render(&api, &options, "y")
        .unwrap()
        .code;
    let compact: String = code.split_whitespace().collect();
    assert!(
        compact.contains(
            "#[derive(Debug,Clone,PartialEq,Eq,Hash,Serialize,Deserialize,my_crate::Schema)]"
        ),
        "{code}"
    );
    // A derive that is not a path is an error naming it, not code that fails to compile.
    let bad = Options {
        extra_derives: vec!["not a path".to_owned()],
        ..options
    };
    let errors = stencil_build::stages::emit_and_render(&api, &bad, "y").expect_err("bad derive");
    assert!(
        errors
            .to_string()
            .contains("extra derive `not a path` is not a path"),
        "{errors}"
    );
}

// ---------------------------------------------------------------------------------------------
// Building the generated code

const ROUND_TRIPS: &str = r#"
use std::collections::BTreeMap;

use kitchen_sink::types::*;
use stencil::serde_json::{self, json};
use stencil::Nullable;

fn minimal() -> serde_json::Value {
    json!({
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "name": "Rex",
        "nickname": null,
        "type": "dog",
        "scores": {"a": 1.5},
        "pet": {"petType": "Dog", "goodBoy": true}
    })
}

fn everything(value: serde_json::Value) -> Everything {
    serde_json::from_value(value).expect("deserializes")
}

#[test]
fn tagged_union_dispatches_on_the_tag() {
    let pet: Pet = serde_json::from_value(json!({"petType": "cat", "lives": 9})).unwrap();
    assert_eq!(pet, Pet::Cat(Cat { pet_type: "cat".to_owned(), lives: 9 }));
    assert_eq!(serde_json::to_value(&pet).unwrap(), json!({"petType": "cat", "lives": 9}));
    let pet: Pet = serde_json::from_value(json!({"petType": "dog", "goodBoy": false})).unwrap();
    assert!(matches!(pet, Pet::Dog(Dog { good_boy: false, weight: None, .. })));
    let error = serde_json::from_value::<Pet>(json!({"petType": "cow"})).unwrap_err();
    assert_eq!(error.to_string(), "unknown variant `cow`, expected one of `cat`, `dog`, `Dog`");
}

#[test]
fn untagged_union_tries_variants_in_order() {
    assert_eq!(serde_json::from_value::<Shape>(json!(1.5)).unwrap(), Shape::Number(1.5));
    assert_eq!(serde_json::from_value::<Shape>(json!("x")).unwrap(), Shape::Text("x".to_owned()));
    let node: Shape = serde_json::from_value(json!({"children": [{"children": []}]})).unwrap();
    let Shape::Node(node) = node else { panic!("a node") };
    assert_eq!(node.children.len(), 1);
}

#[test]
fn nullable_keeps_absent_null_and_value_apart() {
    let mut value = minimal();
    let absent = everything(value.clone());
    assert_eq!(absent.middle_name, Nullable::Absent);
    value["middleName"] = json!(null);
    let null = everything(value.clone());
    assert_eq!(null.middle_name, Nullable::Null);
    value["middleName"] = json!("Q");
    let set = everything(value);
    assert_eq!(set.middle_name, Nullable::Value("Q".to_owned()));

    assert!(serde_json::to_value(&absent).unwrap().get("middleName").is_none());
    assert_eq!(serde_json::to_value(&null).unwrap()["middleName"], json!(null));
    assert_eq!(serde_json::to_value(&set).unwrap()["middleName"], json!("Q"));
    // Required and nullable: always written.
    assert_eq!(serde_json::to_value(&absent).unwrap()["nickname"], json!(null));
}

#[test]
#[allow(clippy::approx_constant)] // the document's 3.14
fn defaults_apply_when_absent() {
    let e = everything(minimal());
    assert_eq!(e.limit, 20);
    assert_eq!(e.offset, -5);
    assert_eq!(e.color, Color::LightBlue);
    assert_eq!(e.shade, Color::Other("mauve".to_owned()));
    assert_eq!(e.mode, StrictMode::Off);
    assert_eq!(e.tags, vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(e.ratio, 3.14);
    assert_eq!(e.scale, 0.1);
    assert_eq!(e.started.to_string(), "2024-01-31");
    assert_eq!(e.settings, Settings::default());
    assert_eq!(e.meta, BTreeMap::from([("k".to_owned(), json!([1, null]))]));
    assert_eq!(e.level, Level::High);
    assert_eq!(e.owner.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(e.email.as_str(), "nobody@example.com");
    assert_eq!(e.bad_default, None);
    assert_eq!(e.bad_mode, None);

    let settings = Settings::default();
    assert_eq!(settings.theme, Color::Red);
    assert_eq!(settings.page_size, 50);
    assert_eq!(settings.verbose, None);
    assert!(settings.limits.is_empty());
    let wrapper = Wrapper::default();
    assert_eq!(wrapper.settings, settings);
    assert!(Node::default().children.is_empty());
}

#[test]
fn enums_keep_unknown_values() {
    let color: Color = serde_json::from_value(json!("mauve")).unwrap();
    assert_eq!(color, Color::Other("mauve".to_owned()));
    assert_eq!(serde_json::to_value(&color).unwrap(), json!("mauve"));
    assert_eq!(Color::LightBlue.to_string(), "light-blue");
    assert_eq!("green".parse::<Color>().unwrap(), Color::Green);
    assert!(serde_json::from_value::<StrictMode>(json!("maybe")).is_err());
    let level: Level = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(level, Level::Other(7));
    assert_eq!(serde_json::to_value(Level::MinusOne).unwrap(), json!(-1));
}

#[test]
fn everything_round_trips() {
    let mut value = minimal();
    value["x-unknown"] = json!({"kept": true});
    value["createdAt"] = json!("2024-01-31T10:00:00Z");
    value["avatar"] = json!("aGVsbG8=");
    value["pair"] = json!(["a", 1]);
    value["single"] = json!(["only"]);
    value["maybe_list"] = json!([1, null]);
    value["tree"] = json!({"label": "root", "children": [], "next": {"children": []}});
    value["result"] = json!({"data": {"petType": "cat", "lives": 1}, "previous": null});
    value["additional_properties"] = json!("a declared property");
    let e = everything(value.clone());
    assert_eq!(e.additional_properties, Some("a declared property".to_owned()));
    assert_eq!(e.additional_properties_2.get("x-unknown"), Some(&json!({"kept": true})));
    assert_eq!(e.avatar.as_ref().map(|a| a.as_bytes()), Some(&b"hello"[..]));
    let result: &SuccessPet = e.result.as_ref().unwrap();
    assert_eq!(result.previous, Nullable::Null);
    assert_eq!(e.tree.as_ref().unwrap().next.as_ref().unwrap().children.len(), 0);
    let again = everything(serde_json::to_value(&e).unwrap());
    assert_eq!(again, e);
}

#[test]
fn newtypes_are_transparent() {
    let email: Email = serde_json::from_value(json!("a@b.c")).unwrap();
    assert_eq!(email.len(), 5);
    assert_eq!(String::from(email.clone()), "a@b.c");
    assert_eq!(Email::from("a@b.c".to_owned()), email);
    let tags: Tags = vec!["x".to_owned()];
    assert_eq!(serde_json::to_value(tags).unwrap(), json!(["x"]));
}

#[test]
fn eq_and_hash_where_possible() {
    fn eq_hash<T: Eq + std::hash::Hash>() {}
    eq_hash::<Cat>();
    eq_hash::<Node>();
    eq_hash::<Settings>();
    eq_hash::<Success<Cat>>();
    eq_hash::<Color>();
    eq_hash::<Level>();
    eq_hash::<Page<Cat>>();
}

#[test]
fn open_and_empty_objects() {
    let labels: Labels = serde_json::from_value(json!({"a": "b"})).unwrap();
    assert_eq!(labels.additional_properties.get("a").map(String::as_str), Some("b"));
    assert_eq!(serde_json::to_value(&labels).unwrap(), json!({"a": "b"}));
    assert!(serde_json::from_value::<Labels>(json!({"a": 1})).is_err());
    assert_eq!(serde_json::to_value(Empty::default()).unwrap(), json!({}));
    let page: Page<Empty> = Page::default();
    assert_eq!(serde_json::to_value(&page).unwrap(), json!({"items": []}));
}
"#;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/stencil-build")
        .to_owned()
}

fn run(command: &mut Command) {
    let output = command.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "{command:?} failed\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The generated code builds without a warning under `clippy -D warnings`, and its values round
/// trip through serde_json. One scratch crate per run; builds are shared under `target/`.
#[test]
fn generated_code_builds_and_round_trips() {
    let root = workspace_root();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let runtime = root.join("crates/stencil");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"kitchen-sink\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nstencil = {{ path = {:?} }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    // The workspace's versions, so that the scratch crate reuses its downloads and builds.
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), render(&kitchen_sink())).unwrap();
    std::fs::write(dir.path().join("tests/round_trips.rs"), ROUND_TRIPS).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = root.join("target/emit-types-check");
    let cargo_in = |args: &[&str]| {
        let mut command = Command::new(&cargo);
        command
            .args(args)
            .current_dir(dir.path())
            .env("CARGO_TARGET_DIR", &target);
        command
    };
    let has_clippy = cargo_in(&["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_clippy {
        run(&mut cargo_in(&[
            "clippy",
            "--quiet",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]));
    } else {
        eprintln!("cargo clippy is not installed: checking rustc warnings only");
        run(cargo_in(&["build", "--quiet", "--all-targets"]).env("RUSTFLAGS", "-D warnings"));
    }
    run(&mut cargo_in(&["test", "--quiet"]));
}
