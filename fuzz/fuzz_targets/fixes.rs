//! Every fix of a syntactically valid file applies, keeps it valid and removes a finding of
//! its kind (same code, control, workload and message), and never brings back a finding that a
//! suppression hid (edits must not move a suppression off the line it covers); fix-all keeps
//! the file valid and what is suppressed suppressed too.
#![no_main]

use genai_scope_analysis::Analysis;
use genai_scope_analysis::apply_edits;
use genai_scope_fuzz::{
    analyse, finding_counts, finding_key, has_syntax_error, options, suppressed_counts, text,
};
use genai_scope_ide::{FileState, actions::fix_all};

/// No finding suppressed in `before` is reported, unsuppressed, more often in `after`.
fn assert_nothing_unsuppressed(
    before: &Analysis,
    after: &Analysis,
    what: &str,
    text: &str,
    fixed: &str,
) {
    let reported_before = finding_counts(before);
    let reported_after = finding_counts(after);
    for key in suppressed_counts(before).keys() {
        let was = reported_before.get(key).copied().unwrap_or(0);
        let now = reported_after.get(key).copied().unwrap_or(0);
        assert!(
            now <= was,
            "{what} un-suppresses {key:?}\ninput: {text:?}\nfixed: {fixed:?}"
        );
    }
}
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let state = FileState::new(text.clone(), None, options());
    if has_syntax_error(&state.analysis) {
        return;
    }
    let before = finding_counts(&state.analysis);
    for diagnostic in &state.analysis.diagnostics {
        let key = finding_key(diagnostic);
        for fix in diagnostic.fixes().iter() {
            let fixed = apply_edits(&text, &fix.edits).unwrap_or_else(|| {
                panic!(
                    "the edits of fix \"{}\" for {} do not apply: {:?}\ninput: {text:?}",
                    fix.title, diagnostic.code, fix.edits
                )
            });
            let after = analyse(&fixed);
            assert!(
                !has_syntax_error(&after),
                "fix \"{}\" for {} \"{}\" breaks the syntax\ninput: {text:?}\nfixed: {fixed:?}",
                fix.title,
                diagnostic.code,
                diagnostic.message()
            );
            assert_nothing_unsuppressed(
                &state.analysis,
                &after,
                &format!("fix \"{}\"", fix.title),
                &text,
                &fixed,
            );
            let left = finding_counts(&after).get(&key).copied().unwrap_or(0);
            assert!(
                left < before[&key],
                "fix \"{}\" for {} \"{}\" leaves {left} of {} such findings\ninput: {text:?}\nfixed: {fixed:?}",
                fix.title,
                diagnostic.code,
                diagnostic.message(),
                before[&key]
            );
        }
    }
    let edits = fix_all(&state);
    let fixed = apply_edits(&text, &edits)
        .unwrap_or_else(|| panic!("fix-all edits do not apply: {edits:?}\ninput: {text:?}"));
    let after = analyse(&fixed);
    assert!(
        !has_syntax_error(&after),
        "fix-all breaks the syntax\ninput: {text:?}\nfixed: {fixed:?}"
    );
    assert_nothing_unsuppressed(&state.analysis, &after, "fix-all", &text, &fixed);
});
