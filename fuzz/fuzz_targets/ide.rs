//! The editor features the language server calls at every cursor position (hover, completion,
//! navigation, rename, selection, code actions) and over the whole file (symbols, folding,
//! semantic tokens, inlay hints, fix-all): no panic at any offset, every range they return is
//! inside the text and on character boundaries, and every edit they offer applies.
#![no_main]

use genai_scope_analysis::apply_edits;
use genai_scope_analysis::diagnostic::TextEdit;
use genai_scope_fuzz::{assert_range, options, text};
use genai_scope_ide::symbols::Symbol;
use genai_scope_ide::{FileState, actions, completion, hover, navigation, structure, symbols};
use genai_scope_syntax::text::TextRange;
use libfuzzer_sys::fuzz_target;

fn assert_edits(text: &str, edits: &[TextEdit], what: &str) {
    for edit in edits {
        assert_range(text, edit.range, what);
    }
    assert!(
        apply_edits(text, edits).is_some(),
        "{what}: edits do not apply: {edits:?}\ninput: {text:?}"
    );
}

fn assert_symbols(text: &str, symbols: &[Symbol]) {
    for symbol in symbols {
        assert_range(text, symbol.range, "symbol");
        assert_range(text, symbol.selection_range, "symbol selection");
        assert_symbols(text, &symbol.children);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let file = FileState::new(text.clone(), None, options());
    let whole = TextRange::new(0, text.len());

    assert_symbols(&text, &symbols::document_symbols(&file));
    for range in structure::folding_ranges(&file) {
        assert_range(&text, range, "folding range");
    }
    for (range, _) in structure::semantic_tokens(&file) {
        assert_range(&text, range, "semantic token");
    }
    for hint in structure::inlay_hints(&file, whole) {
        assert_range(&text, TextRange::empty(hint.offset), "inlay hint");
    }
    assert_edits(&text, &actions::fix_all(&file), "fix-all");

    // Cursor positions: a spread of character boundaries, and where each finding starts.
    let boundaries: Vec<usize> = (0..=text.len())
        .filter(|&o| text.is_char_boundary(o))
        .collect();
    let step = boundaries.len().div_ceil(24).max(1);
    let mut offsets: Vec<usize> = boundaries.iter().copied().step_by(step).collect();
    offsets.push(text.len());
    offsets.extend(
        file.analysis
            .diagnostics
            .iter()
            .take(16)
            .map(|d| d.range.start),
    );
    for offset in offsets {
        if let Some(hover) = hover::hover(&file, offset) {
            assert_range(&text, hover.range, "hover");
        }
        completion::complete(&file, offset);
        if let Some(range) = navigation::definition(&file, offset) {
            assert_range(&text, range, "definition");
        }
        for range in navigation::references(&file, offset) {
            assert_range(&text, range, "reference");
        }
        if let Some(range) = navigation::prepare_rename(&file, offset) {
            assert_range(&text, range, "rename range");
        }
        if let Some(edits) = navigation::rename(&file, offset, "renamed") {
            assert_edits(&text, &edits, "rename");
        }
        for range in structure::selection_ranges(&file, offset) {
            assert_range(&text, range, "selection range");
        }
        for action in actions::actions(&file, TextRange::empty(offset)) {
            assert_edits(&text, &action.edits, &action.title);
        }
    }
    for action in actions::actions(&file, whole) {
        assert_edits(&text, &action.edits, &action.title);
    }
});
