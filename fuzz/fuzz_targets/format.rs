//! The formatter is a fixed point and never changes meaning: when it formats a text, formatting
//! the result gives the result again, and the result has the same findings (codes and messages)
//! as the input, suppressed findings included (a suppression that moves to another line hides
//! other findings).
#![no_main]

use genai_scope_fuzz::{analyse, assert_ranges, meaning, suppressed_meaning, text};
use genai_scope_ide::format::format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let Some(out) = format(&text) else {
        return;
    };
    let again = format(&out);
    assert_eq!(
        again.as_deref(),
        Some(out.as_str()),
        "formatting is not a fixed point\ninput: {text:?}\nonce:  {out:?}"
    );
    let before = analyse(&text);
    let after = analyse(&out);
    assert_ranges(&out, &after);
    assert_eq!(
        meaning(&before),
        meaning(&after),
        "formatting changed the findings\ninput:     {text:?}\nformatted: {out:?}"
    );
    assert_eq!(
        suppressed_meaning(&before),
        suppressed_meaning(&after),
        "formatting changed what is suppressed\ninput:     {text:?}\nformatted: {out:?}"
    );
});
