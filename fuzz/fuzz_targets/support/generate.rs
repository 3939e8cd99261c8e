//! load → IR → emit → render, as the pipeline runs it: any text must give code or diagnostics.

/// Generate code from `text`; panics (a finding) when an IR that was built fails to emit or
/// render: that is an emitter panicking or making code that is not Rust.
pub fn generate(text: &str) {
    let Ok(loaded) = stencil_build::stages::load::load_str(text, "fuzz.yaml") else {
        return;
    };
    let mut warnings = loaded.warnings.clone();
    let Ok(api) = stencil_build::stages::ir::build(&loaded, &mut warnings) else {
        return;
    };
    let options = stencil_build::Options::default();
    // The pipeline's own path: parts emitted and formatted as they go, on worker threads.
    if let Err(diagnostics) = stencil_build::stages::emit_and_render(&api, &options, "fuzz.yaml") {
        panic!("emitting or formatting failed: {diagnostics:?}");
    }
}
