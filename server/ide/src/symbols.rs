//! The outline: workloads, and inside them models, data, agents (with their tools and
//! controls) and controls.

use super::FileState;
use crate::agents::agent_sites;
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{Block, BlockKind, ValueKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Workload,
    Model,
    Data,
    Agent,
    Tool,
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
                    let kind = match child.kind() {
                        BlockKind::Model => SymbolKind::Model,
                        BlockKind::Data => SymbolKind::Data,
                        BlockKind::Control => SymbolKind::Control,
                        BlockKind::Agent => return agent_symbol(file, child),
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
                name: report.name.as_deref().unwrap_or("(unnamed)").to_string(),
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

/// An agent with its agency scope, its tools (with their effect) and its controls.
fn agent_symbol(file: &FileState, block: &Block) -> Option<Symbol> {
    let label = block.label.as_ref()?;
    let report = agent_sites(file)
        .into_iter()
        .find(|site| std::ptr::eq(site.block, block))
        .map(|site| site.report);
    let children = block
        .blocks()
        .filter_map(|child| {
            let label = child.label.as_ref()?;
            let (kind, detail) = match child.kind() {
                BlockKind::Tool => (SymbolKind::Tool, tool_detail(child)),
                BlockKind::Control => (
                    SymbolKind::Control,
                    file.catalog().control(&label.text).map(|c| c.title.clone()),
                ),
                _ => return None,
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
    Some(Symbol {
        name: label.text.clone(),
        detail: report.map(|r| format!("agency {}", r.inferred_agency_scope)),
        kind: SymbolKind::Agent,
        range: block.range,
        selection_range: label.range,
        children,
    })
}

/// "effect pay", from the tool's own text (the outline shows what is written).
fn tool_detail(tool: &Block) -> Option<String> {
    let value = tool.attribute("effect")?.value.as_ref()?;
    match &value.kind {
        ValueKind::Identifier(name) => Some(format!("effect {name}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::AnalysisOptions;

    #[test]
    fn agents_stand_under_their_workload_and_tools_under_their_agent() {
        let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  agent \"helper\" {\n    tool \"lookup\" { effect = read }\n    tool \"pay\" { effect = pay }\n    control audit.action_log {}\n  }\n}\n";
        let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
        let symbols = document_symbols(&file);
        let agent = symbols[0]
            .children
            .iter()
            .find(|s| s.kind == SymbolKind::Agent)
            .expect("the agent under its workload");
        assert_eq!(agent.name, "helper");
        assert_eq!(agent.detail.as_deref(), Some("agency 3"));
        assert_eq!(
            &text[agent.selection_range.start..agent.selection_range.end],
            "\"helper\""
        );
        let children: Vec<(&str, SymbolKind, Option<&str>)> = agent
            .children
            .iter()
            .map(|s| (s.name.as_str(), s.kind, s.detail.as_deref()))
            .collect();
        assert_eq!(
            children,
            [
                ("lookup", SymbolKind::Tool, Some("effect read")),
                ("pay", SymbolKind::Tool, Some("effect pay")),
                (
                    "audit.action_log",
                    SymbolKind::Control,
                    Some(
                        file.catalog()
                            .control("audit.action_log")
                            .unwrap()
                            .title
                            .as_str()
                    )
                ),
            ]
        );
    }
}
