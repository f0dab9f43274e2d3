//! Arbitrary bytes (as lossy UTF-8) through the parser and the whole analysis: no panic, and
//! every reported range is inside the text and on character boundaries.
#![no_main]

use genai_scope_fuzz::{analyse, assert_ranges, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let analysis = analyse(&text);
    assert_ranges(&text, &analysis);
});
