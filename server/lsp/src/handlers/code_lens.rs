//! `textDocument/codeLens` and the command behind "Add all": a summary above each workload
//! ("Scope 3 · 10 missing"), the addition of all its missing controls, and the matrix view.

use serde_json::json;
use tower_lsp_server::ls_types as lsp;

use super::code_action::workspace_edit;
use crate::session::Snapshot;
use genai_scope_ide::lens::lenses;

/// The server's command that adds a workload's missing controls (arguments: the document's
/// URI and the workload's index); it answers with `workspace/applyEdit`.
pub const ADD_MISSING_CONTROLS: &str = crate::protocol::ADD_MISSING_CONTROLS_COMMAND;
/// The editor's command that shows the scoping matrix of the active document.
pub const SHOW_MATRIX: &str = "genaiScope.showScopingMatrix";

pub fn handle(snapshot: &Snapshot) -> Option<Vec<lsp::CodeLens>> {
    let converter = snapshot.converter();
    let mut out = Vec::new();
    for (index, lens) in lenses(&snapshot.state).into_iter().enumerate() {
        let range = converter.range(lens.range);
        let show_matrix = |title: String| lsp::CodeLens {
            range,
            command: Some(lsp::Command {
                title,
                command: SHOW_MATRIX.into(),
                arguments: None,
            }),
            data: None,
        };
        out.push(show_matrix(lens.title()));
        if lens.add_all.is_some() {
            out.push(lsp::CodeLens {
                range,
                command: Some(lsp::Command {
                    title: "Add all".into(),
                    command: ADD_MISSING_CONTROLS.into(),
                    arguments: Some(vec![json!(snapshot.uri.as_str()), json!(index)]),
                }),
                data: None,
            });
        }
        out.push(show_matrix("Show matrix".into()));
    }
    Some(out)
}

/// The arguments of [`ADD_MISSING_CONTROLS`]: the document and the workload's index.
pub fn add_arguments(arguments: &[serde_json::Value]) -> Option<(lsp::Uri, usize)> {
    let uri = arguments.first()?.as_str()?.parse().ok()?;
    let index = usize::try_from(arguments.get(1)?.as_u64()?).ok()?;
    Some((uri, index))
}

/// The edit that adds the `index`-th workload's missing controls, as the document is now.
pub fn add_missing_controls(snapshot: &Snapshot, index: usize) -> Option<lsp::WorkspaceEdit> {
    let lens = lenses(&snapshot.state).into_iter().nth(index)?;
    Some(workspace_edit(snapshot, &[lens.add_all?]))
}
