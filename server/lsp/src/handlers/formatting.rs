//! `textDocument/formatting`: one edit replacing the whole text, or none.

use tower_lsp_server::ls_types as lsp;

use crate::session::Snapshot;
use genai_scope_syntax::text::TextRange;

pub fn handle(snapshot: &Snapshot) -> Option<Vec<lsp::TextEdit>> {
    let text = &snapshot.state.text;
    let formatted = genai_scope_ide::format::format(text)?;
    if formatted == *text {
        return Some(Vec::new());
    }
    let converter = snapshot.converter();
    Some(vec![lsp::TextEdit {
        range: converter.range(TextRange::new(0, text.len())),
        new_text: formatted,
    }])
}
