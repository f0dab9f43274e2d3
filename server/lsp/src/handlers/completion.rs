//! `textDocument/completion`.

use tower_lsp_server::ls_types as lsp;

use crate::session::Snapshot;
use genai_scope_ide::completion::{CompletionKind, complete};
use genai_scope_syntax::text::TextRange;

pub fn handle(
    snapshot: &Snapshot,
    position: lsp::Position,
    snippets: bool,
) -> Option<lsp::CompletionResponse> {
    let converter = snapshot.converter();
    let offset = converter.offset(position);
    let items: Vec<lsp::CompletionItem> = complete(&snapshot.state, offset)
        .into_iter()
        .filter_map(|mut c| {
            if c.is_snippet && !snippets {
                c.insert_text = c.plain_text.take()?;
                c.is_snippet = false;
            }
            Some(c)
        })
        .map(|c| lsp::CompletionItem {
            label: c.label.clone(),
            kind: Some(match c.kind {
                CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
                CompletionKind::Property => lsp::CompletionItemKind::PROPERTY,
                CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
                CompletionKind::Control => lsp::CompletionItemKind::REFERENCE,
                CompletionKind::Snippet => lsp::CompletionItemKind::SNIPPET,
            }),
            detail: Some(c.detail),
            documentation: c.documentation.map(|value| {
                lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value,
                })
            }),
            sort_text: Some(c.sort_text),
            filter_text: Some(c.label),
            insert_text_format: Some(if c.is_snippet {
                lsp::InsertTextFormat::SNIPPET
            } else {
                lsp::InsertTextFormat::PLAIN_TEXT
            }),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range: converter.range(TextRange::new(c.replace_start, offset)),
                new_text: c.insert_text,
            })),
            ..Default::default()
        })
        .collect();
    Some(lsp::CompletionResponse::Array(items))
}
