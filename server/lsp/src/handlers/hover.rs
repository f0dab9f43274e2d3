//! `textDocument/hover`.

use tower_lsp_server::ls_types as lsp;

use crate::session::Snapshot;

pub fn handle(snapshot: &Snapshot, position: lsp::Position) -> Option<lsp::Hover> {
    let converter = snapshot.converter();
    let hover = genai_scope_ide::hover::hover(&snapshot.state, converter.offset(position))?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(converter.range(hover.range)),
    })
}
