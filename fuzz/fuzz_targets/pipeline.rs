//! load → IR → emit → render on arbitrary bytes: any input must give code or diagnostics,
//! never a panic, a stack overflow, a hang or unbounded memory.
#![no_main]

#[path = "support/generate.rs"]
mod generate;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        generate::generate(text);
    }
});
