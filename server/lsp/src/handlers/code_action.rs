//! `textDocument/codeAction`: quick fixes, bulk additions, scope declaration, fix-all.

use std::collections::HashMap;

use tower_lsp_server::ls_types as lsp;

use super::FIX_ALL_KIND;
use crate::session::Snapshot;
use genai_scope_analysis::diagnostic::TextEdit;
use genai_scope_ide::actions::{ActionKind, actions, fix_all};

fn workspace_edit(snapshot: &Snapshot, edits: &[TextEdit]) -> lsp::WorkspaceEdit {
    let converter = snapshot.converter();
    let edits = edits.iter().map(|e| converter.edit(e)).collect();
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(snapshot.uri.clone(), edits)])),
        ..Default::default()
    }
}

fn wants(only: Option<&Vec<lsp::CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds
            .iter()
            .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str()))),
    }
}

pub fn handle(
    snapshot: &Snapshot,
    params: &lsp::CodeActionParams,
) -> Option<lsp::CodeActionResponse> {
    let converter = snapshot.converter();
    let range = converter.text_range(params.range);
    let only = params.context.only.as_ref();
    let mut out: lsp::CodeActionResponse = Vec::new();
    for action in actions(&snapshot.state, range) {
        let kind = match action.kind {
            ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
            ActionKind::Refactor => lsp::CodeActionKind::REFACTOR,
            ActionKind::FixAll => lsp::CodeActionKind::new(FIX_ALL_KIND),
        };
        if !wants(only, kind.as_str()) {
            continue;
        }
        let diagnostics = action
            .diagnostics
            .iter()
            .filter_map(|i| snapshot.state.analysis.diagnostics.get(*i))
            .map(|d| converter.diagnostic(&snapshot.uri, snapshot.state.catalog(), d))
            .collect::<Vec<_>>();
        out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: action.title,
            kind: Some(kind),
            diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
            edit: Some(workspace_edit(snapshot, &action.edits)),
            is_preferred: action.preferred.then_some(true),
            ..Default::default()
        }));
    }
    // Fix-all only when asked for explicitly (e.g. on save), not in the light-bulb list.
    if only.is_some() && wants(only, FIX_ALL_KIND) {
        let edits = fix_all(&snapshot.state);
        if !edits.is_empty() {
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: "Fix all safe genai-scope findings".into(),
                kind: Some(lsp::CodeActionKind::new(FIX_ALL_KIND)),
                edit: Some(workspace_edit(snapshot, &edits)),
                ..Default::default()
            }));
        }
    }
    Some(out)
}
