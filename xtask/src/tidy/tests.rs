//! `tidy_repository` runs the rules on the repository; the other tests plant one violation of
//! each rule in a small temporary tree and check that it is reported (and that a clean tree
//! reports nothing).

use std::fs;

use super::{check, long_files, Finding, Rule, MAX_LINES};
use tempfile::TempDir;

#[test]
fn tidy_repository() {
    let findings = check(&crate::project_root());
    let list: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(
        findings.is_empty(),
        "{} tidy findings (`cargo xtask tidy` lists them):\n{}",
        findings.len(),
        list.join("\n")
    );
}

/// A tree of `files` (path, contents), plus the rest of a clean repository.
fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let clean = [
        (
            "crates/stencil-build/src/lib.rs",
            "mod pipeline;\npub mod diag;\npub mod load;\npub mod ir;\npub mod emit;\n\
             pub mod render;\npub use pipeline::{generate, Options};\n",
        ),
        ("crates/stencil-build/src/diag.rs", "pub struct Diagnostic;\n"),
        (
            "crates/stencil-build/src/load/mod.rs",
            "mod parse;\nuse crate::diag::Diagnostic;\npub fn load() -> Diagnostic { parse::parse() }\n",
        ),
        (
            "crates/stencil-build/src/load/parse.rs",
            "pub fn parse() -> crate::diag::Diagnostic { crate::diag::Diagnostic }\n",
        ),
        (
            "crates/stencil-build/src/ir/mod.rs",
            "pub mod build;\npub use build::build;\npub struct Api;\n",
        ),
        (
            "crates/stencil-build/src/ir/build.rs",
            "use super::Api;\npub fn build() -> Api { crate::load::load(); Api }\n",
        ),
        (
            "crates/stencil-build/src/emit/mod.rs",
            "pub fn emit(api: &crate::ir::Api) -> String { quote!(crate::render::x()); String::new() }\n",
        ),
        (
            "crates/stencil-build/src/render.rs",
            "use crate::emit;\npub fn render() -> String { emit::emit(&crate::ir::build()) }\n",
        ),
        (
            "crates/stencil-build/src/pipeline.rs",
            "pub struct Options;\npub fn generate(_: &Options) -> String { crate::render::render() }\n",
        ),
        ("crates/stencil/Cargo.toml", "[package]\nname = \"stencil\"\n# not stencil-build\n"),
        ("crates/stencil/src/lib.rs", "//! Not `stencil_build`.\npub mod client;\n"),
        ("crates/stencil/src/client.rs", "pub fn get() -> u8 { 1 }\n"),
        ("xtask/src/main.rs", "mod a;\nfn main() { a::run() }\n"),
        ("xtask/src/a.rs", "pub fn run() {}\n"),
    ];
    let mut all: Vec<(&str, &str)> = clean.to_vec();
    all.retain(|(path, _)| !files.iter().any(|(p, _)| p == path));
    all.extend_from_slice(files);
    for (path, text) in all {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn findings(files: &[(&str, &str)]) -> Vec<Finding> {
    check(tree(files).path())
}

/// The one finding of `rule`, after checking that the tree has no other finding.
fn only(files: &[(&str, &str)], rule: Rule) -> Finding {
    let found = findings(files);
    assert_eq!(found.len(), 1, "expected one {rule:?} finding: {found:#?}");
    assert_eq!(found[0].rule, rule, "{found:#?}");
    found.into_iter().next().unwrap()
}

fn paths(finding: &Finding) -> Vec<&str> {
    finding.files.iter().map(String::as_str).collect()
}

#[test]
fn a_clean_tree_has_no_findings() {
    assert_eq!(findings(&[]), vec![]);
}

#[test]
fn an_import_from_a_later_stage_is_reported() {
    let ir =
        "pub struct Api;\npub fn f() { crate::pipeline::generate(&crate::pipeline::Options); }\n";
    let found = only(&[("crates/stencil-build/src/ir/mod.rs", ir)], Rule::Stage);
    let files = [
        "crates/stencil-build/src/ir/mod.rs",
        "crates/stencil-build/src/pipeline.rs",
    ];
    assert_eq!(paths(&found), files);
    let detail = &found.detail;
    assert!(detail.contains("`crate::pipeline::"), "{detail}");
    assert!(
        detail.contains("ir (rank 2) imports from pipeline (rank 5)"),
        "{detail}"
    );
    let message = found.to_string();
    assert!(message.starts_with("later stage: "), "{message}");
    assert!(message.contains("fix: move the shared item"), "{message}");
}

#[test]
fn an_import_through_a_re_export_is_an_import_of_the_defining_file() {
    // `crate::Options` is `pipeline::Options`, re-exported by lib.rs.
    let load = "use crate::Options;\npub fn load() -> crate::diag::Diagnostic { todo!() }\n";
    let found = only(
        &[("crates/stencil-build/src/load/mod.rs", load)],
        Rule::Stage,
    );
    let files = [
        "crates/stencil-build/src/load/mod.rs",
        "crates/stencil-build/src/pipeline.rs",
    ];
    assert_eq!(found.files, files);
}

#[test]
fn a_leaf_module_imports_no_stage_and_an_unlisted_module_has_no_stage() {
    let diag = "pub struct Diagnostic;\nfn f() { let _ = crate::ir::Api; }\n";
    let found = only(&[("crates/stencil-build/src/diag.rs", diag)], Rule::Stage);
    assert_eq!(found.files[1], "crates/stencil-build/src/ir/mod.rs");

    let lib = "mod extra;\nmod pipeline;\npub mod diag;\npub mod load;\npub mod ir;\n\
               pub mod emit;\npub mod render;\n";
    let extra = ("crates/stencil-build/src/extra.rs", "pub fn f() {}\n");
    let found = only(
        &[("crates/stencil-build/src/lib.rs", lib), extra],
        Rule::Unranked,
    );
    assert_eq!(paths(&found), [extra.0]);
    assert!(found.detail.contains("`extra`"), "{}", found.detail);
}

#[test]
fn paths_in_expression_macros_count_and_in_other_macros_do_not() {
    let ir = "pub struct Api;\npub fn f() -> String { format!(\"{}\", crate::render::render()) }\n";
    only(&[("crates/stencil-build/src/ir/mod.rs", ir)], Rule::Stage);
    // The clean tree's emit/mod.rs has `quote!(crate::render::x())`: reported nowhere.
}

#[test]
fn test_code_may_import_anything() {
    let ir = "pub struct Api;\n#[cfg(test)]\nmod tests {\n    use crate::emit::emit;\n}\n\
              #[cfg(test)]\nuse crate::render::render;\n#[cfg(test)]\nmod more;\n";
    let more = "use crate::pipeline::Options;\n";
    let files = [
        ("crates/stencil-build/src/ir/mod.rs", ir),
        ("crates/stencil-build/src/ir/more.rs", more),
    ];
    assert_eq!(findings(&files), vec![]);
}

#[test]
fn two_sibling_files_importing_each_other_are_a_cycle() {
    let cli = [
        (
            "crates/stencil-cli/src/main.rs",
            "mod args;\nmod write;\nfn main() {}\n",
        ),
        (
            "crates/stencil-cli/src/args.rs",
            "pub struct Args;\npub fn parse() { crate::write::write(); }\n",
        ),
        (
            "crates/stencil-cli/src/write.rs",
            "use crate::args::Args;\npub fn write() {}\n",
        ),
    ];
    let found = only(&cli, Rule::Cycle);
    let files = [
        "crates/stencil-cli/src/args.rs",
        "crates/stencil-cli/src/write.rs",
    ];
    assert_eq!(paths(&found), files);
    assert!(
        found.detail.contains("`crate::write::write`"),
        "{}",
        found.detail
    );
    assert!(
        found.detail.contains("`crate::args::Args`"),
        "{}",
        found.detail
    );
    assert!(found.to_string().contains("a module both can import"));
}

#[test]
fn a_parent_and_a_child_using_each_other_are_a_cycle() {
    // ir/mod.rs calls into build.rs, which uses a helper of ir/mod.rs.
    let ir =
        "pub mod build;\npub struct Api;\npub fn helper() {}\npub fn run() { build::build(); }\n";
    let build = "pub fn build() -> super::Api { super::helper(); super::Api }\n";
    let files = [
        ("crates/stencil-build/src/ir/mod.rs", ir),
        ("crates/stencil-build/src/ir/build.rs", build),
    ];
    let found = only(&files, Rule::Cycle);
    assert_eq!(
        found.files,
        [
            "crates/stencil-build/src/ir/build.rs",
            "crates/stencil-build/src/ir/mod.rs"
        ]
    );

    // The same in the runtime, with a `foo.rs` + `foo/` parent and a name used after `use`.
    let runtime = [
        ("crates/stencil/src/lib.rs", "pub mod server;\n"),
        (
            "crates/stencil/src/server.rs",
            "mod input;\nuse input::decode;\npub struct Op;\npub fn f() { decode() }\n",
        ),
        (
            "crates/stencil/src/server/input.rs",
            "use super::*;\npub fn decode() {}\n",
        ),
    ];
    let found = only(&runtime, Rule::Cycle);
    assert_eq!(
        paths(&found),
        [
            "crates/stencil/src/server.rs",
            "crates/stencil/src/server/input.rs"
        ]
    );
}

#[test]
fn a_re_export_alone_is_not_an_import() {
    // The clean tree's ir/mod.rs re-exports `build::build`, and build.rs uses `super::Api`.
    assert_eq!(findings(&[]), vec![]);
    // Using the re-exported name in the file's own code makes it an import.
    let ir = "pub mod build;\npub use build::build;\npub struct Api;\npub fn again() -> Api { build() }\n";
    let found = only(&[("crates/stencil-build/src/ir/mod.rs", ir)], Rule::Cycle);
    assert_eq!(
        found.files,
        [
            "crates/stencil-build/src/ir/build.rs",
            "crates/stencil-build/src/ir/mod.rs"
        ]
    );
}

#[test]
fn a_module_declaration_is_not_an_import_and_a_local_is_not_a_module() {
    // xtask/src/a.rs uses main.rs's item; main.rs only declares `mod a;` and has a local `a`.
    let main = "mod a;\npub struct Config;\nfn main() { let a = 1; let _ = a; }\n";
    let a = "pub fn run(_: &crate::Config) {}\n";
    assert_eq!(
        findings(&[("xtask/src/main.rs", main), ("xtask/src/a.rs", a)]),
        vec![]
    );
}

#[test]
fn the_runtime_never_names_the_generator() {
    let manifest = "[package]\nname = \"stencil\"\n[dependencies]\nstencil-build = { path = \"../stencil-build\" }\n";
    let found = only(&[("crates/stencil/Cargo.toml", manifest)], Rule::Runtime);
    assert_eq!(paths(&found), ["crates/stencil/Cargo.toml"]);
    assert!(found.detail.contains("line 4"), "{}", found.detail);

    let source = "pub fn get() -> u8 { stencil_build::version() }\n";
    let found = only(&[("crates/stencil/src/client.rs", source)], Rule::Runtime);
    assert_eq!(paths(&found), ["crates/stencil/src/client.rs"]);
}

#[test]
fn a_file_over_the_limit_is_reported_unless_allowed_or_a_test() {
    let long = "// line\n".repeat(MAX_LINES + 1);
    let limit = "// line\n".repeat(MAX_LINES);
    let files = [
        ("crates/stencil/src/client.rs", &long[..]),
        ("crates/stencil/src/limit.rs", &limit),
        ("crates/stencil/tests/big.rs", &long),
        ("crates/stencil/src/server/tests.rs", &long),
        ("crates/stencil/src/parse_tests.rs", &long),
        ("generated/petstore/src/lib.rs", &long),
    ];
    let found = only(&files, Rule::Long);
    assert_eq!(paths(&found), ["crates/stencil/src/client.rs"]);
    assert!(found.detail.contains(&format!("{} lines", MAX_LINES + 1)));
    assert!(found
        .to_string()
        .contains("add it to ALLOW_LONG in xtask/src/tidy.rs with a reason"));

    let dir = tree(&files);
    let allow = [("crates/stencil/src/client.rs", "one table")];
    assert_eq!(long_files(dir.path(), &allow), vec![]);
    let stale = [("crates/stencil/src/limit.rs", "was long")];
    let found = long_files(dir.path(), &stale);
    let rules: Vec<Rule> = found.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [Rule::Long, Rule::StaleAllow], "{found:#?}");
}

#[test]
fn an_unparsable_file_is_a_finding_not_a_panic() {
    let found = only(&[("xtask/src/a.rs", "pub fn run( {\n")], Rule::Parse);
    assert_eq!(paths(&found), ["xtask/src/a.rs"]);
}
