//! load → IR → emit → render on arbitrary bytes: any input must give code or diagnostics,
//! never a panic, a stack overflow, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = stencil_build::stages::load::load_str(text, "fuzz.yaml") else {
        return;
    };
    let mut warnings = loaded.warnings.clone();
    let Ok(api) = stencil_build::stages::ir::build(&loaded, &mut warnings) else {
        return;
    };
    let options = stencil_build::Options::default();
    // The pipeline's own path: parts emitted and formatted as they go, on worker threads. Once
    // the IR is built, nothing may fail: an error here is an emitter panicking or making code
    // that is not Rust.
    if let Err(diagnostics) = stencil_build::stages::emit_and_render(&api, &options, "fuzz.yaml") {
        panic!("emitting or formatting failed: {diagnostics:?}");
    }
});
