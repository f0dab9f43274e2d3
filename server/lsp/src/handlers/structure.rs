//! `textDocument/foldingRange`, `selectionRange`, `semanticTokens/full`, `inlayHint`.

use tower_lsp_server::ls_types as lsp;

use crate::session::Snapshot;
use genai_scope_ide::structure::{self, TokenKind};

pub fn folding(snapshot: &Snapshot) -> Option<Vec<lsp::FoldingRange>> {
    let converter = snapshot.converter();
    let ranges = structure::folding_ranges(&snapshot.state)
        .into_iter()
        .filter_map(|range| {
            let start = converter.position(range.start);
            let end = converter.position(range.end);
            let comment = snapshot.state.text[range.start..].starts_with('#');
            (end.line > start.line).then(|| lsp::FoldingRange {
                start_line: start.line,
                // Keep the closing brace visible.
                end_line: if comment { end.line } else { end.line - 1 }.max(start.line),
                kind: comment.then_some(lsp::FoldingRangeKind::Comment),
                ..Default::default()
            })
        })
        .collect();
    Some(ranges)
}

pub fn selection(
    snapshot: &Snapshot,
    positions: &[lsp::Position],
) -> Option<Vec<lsp::SelectionRange>> {
    let converter = snapshot.converter();
    let ranges = positions
        .iter()
        .map(|position| {
            let chain = structure::selection_ranges(&snapshot.state, converter.offset(*position));
            let mut selection: Option<lsp::SelectionRange> = None;
            for range in chain.into_iter().rev() {
                selection = Some(lsp::SelectionRange {
                    range: converter.range(range),
                    parent: selection.map(Box::new),
                });
            }
            selection.unwrap_or(lsp::SelectionRange {
                range: lsp::Range {
                    start: *position,
                    end: *position,
                },
                parent: None,
            })
        })
        .collect();
    Some(ranges)
}

pub fn legend() -> lsp::SemanticTokensLegend {
    let types = TokenKind::ALL.iter().map(|kind| match kind {
        TokenKind::Keyword => lsp::SemanticTokenType::KEYWORD,
        TokenKind::Type => lsp::SemanticTokenType::TYPE,
        TokenKind::Property => lsp::SemanticTokenType::PROPERTY,
        TokenKind::EnumMember => lsp::SemanticTokenType::ENUM_MEMBER,
        TokenKind::String => lsp::SemanticTokenType::STRING,
        TokenKind::Number => lsp::SemanticTokenType::NUMBER,
        TokenKind::Comment => lsp::SemanticTokenType::COMMENT,
        TokenKind::Operator => lsp::SemanticTokenType::OPERATOR,
    });
    lsp::SemanticTokensLegend {
        token_types: types.collect(),
        token_modifiers: Vec::new(),
    }
}

pub fn semantic_tokens(snapshot: &Snapshot) -> Option<lsp::SemanticTokensResult> {
    let converter = snapshot.converter();
    let mut data = Vec::new();
    let (mut previous_line, mut previous_start) = (0, 0);
    for (range, kind) in structure::semantic_tokens(&snapshot.state) {
        let start = converter.position(range.start);
        let end = converter.position(range.end);
        let delta_line = start.line - previous_line;
        let delta_start = if delta_line == 0 {
            start.character - previous_start
        } else {
            start.character
        };
        data.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: end.character.saturating_sub(start.character),
            token_type: TokenKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u32,
            token_modifiers_bitset: 0,
        });
        (previous_line, previous_start) = (start.line, start.character);
    }
    Some(lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens {
        result_id: None,
        data,
    }))
}

pub fn inlay_hints(snapshot: &Snapshot, range: lsp::Range) -> Option<Vec<lsp::InlayHint>> {
    let converter = snapshot.converter();
    let hints = structure::inlay_hints(&snapshot.state, converter.text_range(range))
        .into_iter()
        .map(|hint| lsp::InlayHint {
            position: converter.position(hint.offset),
            label: lsp::InlayHintLabel::String(hint.label),
            kind: Some(lsp::InlayHintKind::TYPE),
            text_edits: None,
            tooltip: Some(lsp::InlayHintTooltip::String(hint.tooltip)),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect();
    Some(hints)
}
