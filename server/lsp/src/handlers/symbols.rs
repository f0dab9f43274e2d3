//! `textDocument/documentSymbol`: workloads > models, data, agents (> tools, controls), controls.

use tower_lsp_server::ls_types as lsp;

use crate::convert::Converter;
use crate::session::Snapshot;
use genai_scope_ide::symbols::{Symbol, SymbolKind, document_symbols};

#[allow(deprecated)] // `deprecated` is a required field of the protocol type
fn convert(converter: &Converter<'_>, symbol: Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: match symbol.kind {
            SymbolKind::Workload => lsp::SymbolKind::NAMESPACE,
            SymbolKind::Model => lsp::SymbolKind::CLASS,
            SymbolKind::Data => lsp::SymbolKind::STRUCT,
            SymbolKind::Agent => lsp::SymbolKind::OBJECT,
            SymbolKind::Tool => lsp::SymbolKind::METHOD,
            SymbolKind::Control => lsp::SymbolKind::PROPERTY,
        },
        tags: None,
        deprecated: None,
        range: converter.range(symbol.range),
        selection_range: converter.range(symbol.selection_range),
        children: Some(
            symbol
                .children
                .into_iter()
                .map(|c| convert(converter, c))
                .collect(),
        ),
    }
}

pub fn handle(snapshot: &Snapshot) -> Option<lsp::DocumentSymbolResponse> {
    let converter = snapshot.converter();
    let symbols = document_symbols(&snapshot.state)
        .into_iter()
        .map(|s| convert(&converter, s))
        .collect();
    Some(lsp::DocumentSymbolResponse::Nested(symbols))
}
