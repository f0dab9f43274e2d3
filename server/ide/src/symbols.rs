//! The outline: workloads, and inside them models, data and controls.

use super::FileState;
use genai_scope_syntax::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Workload,
    Model,
    Data,
    Control,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub range: TextRange,
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

pub fn document_symbols(file: &FileState) -> Vec<Symbol> {
    let catalog = file.catalog();
    file.workloads()
        .map(|(block, report)| {
            let children = block
                .blocks()
                .filter_map(|child| {
                    let kind = match child.kind.text.as_str() {
                        "model" => SymbolKind::Model,
                        "data" => SymbolKind::Data,
                        "control" => SymbolKind::Control,
                        _ => return None,
                    };
                    let label = child.label.as_ref()?;
                    let detail = match kind {
                        SymbolKind::Model => report
                            .models
                            .iter()
                            .find(|m| m.range == label.range)
                            .and_then(|m| m.scope)
                            .map(|s| format!("scope {s}")),
                        SymbolKind::Control => {
                            catalog.control(&label.text).map(|c| c.title.clone())
                        }
                        _ => None,
                    };
                    Some(Symbol {
                        name: label.text.clone(),
                        detail,
                        kind,
                        range: child.range,
                        selection_range: label.range,
                        children: Vec::new(),
                    })
                })
                .collect();
            Symbol {
                name: report.name.clone().unwrap_or_else(|| "(unnamed)".into()),
                detail: report
                    .inferred_scope
                    .map(|s| format!("scope {s} ({})", catalog.scope_name(s))),
                kind: SymbolKind::Workload,
                range: block.range,
                selection_range: report.name_range,
                children,
            }
        })
        .collect()
}
