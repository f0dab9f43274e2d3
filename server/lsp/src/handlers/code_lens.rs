//! `textDocument/codeLens` and the command behind "Add all": a summary above each workload
//! ("Scope 3 · 10 missing") and each agent ("Agency 3 · 4 missing"), the addition of all its
//! missing controls, and the matrix view.

use serde_json::json;
use tower_lsp_server::ls_types as lsp;

use super::code_action::workspace_edit;
use crate::session::Snapshot;
use genai_scope_ide::lens::{agent_lens, agent_lenses, lenses};

/// The server's command that adds a workload's missing controls (arguments: the document's
/// URI and the workload's index, and for an agent's, the agent's index in the workload); it
/// answers with `workspace/applyEdit`.
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
    out.extend(agent_code_lenses(snapshot));
    Some(out)
}

/// "Agency 3 · 4 missing" and "Add all" above each agent.
fn agent_code_lenses(snapshot: &Snapshot) -> Vec<lsp::CodeLens> {
    let converter = snapshot.converter();
    let mut out = Vec::new();
    for lens in agent_lenses(&snapshot.state) {
        let range = converter.range(lens.range);
        out.push(lsp::CodeLens {
            range,
            command: Some(lsp::Command {
                title: lens.title(),
                command: SHOW_MATRIX.into(),
                arguments: None,
            }),
            data: None,
        });
        if lens.add_all.is_some() {
            out.push(lsp::CodeLens {
                range,
                command: Some(lsp::Command {
                    title: "Add all".into(),
                    command: ADD_MISSING_CONTROLS.into(),
                    arguments: Some(vec![
                        json!(snapshot.uri.as_str()),
                        json!(lens.workload_index),
                        json!(lens.agent_index),
                    ]),
                }),
                data: None,
            });
        }
    }
    out
}

/// What [`ADD_MISSING_CONTROLS`] adds to: a workload, or one agent of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddTarget {
    pub workload: usize,
    pub agent: Option<usize>,
}

/// The arguments of [`ADD_MISSING_CONTROLS`]: the document, the workload's index, and the
/// agent's when the lens is an agent's.
pub fn add_arguments(arguments: &[serde_json::Value]) -> Option<(lsp::Uri, AddTarget)> {
    let uri = arguments.first()?.as_str()?.parse().ok()?;
    let workload = usize::try_from(arguments.get(1)?.as_u64()?).ok()?;
    let agent = match arguments.get(2) {
        None => None,
        Some(value) => Some(usize::try_from(value.as_u64()?).ok()?),
    };
    Some((uri, AddTarget { workload, agent }))
}

/// The edit that adds the missing controls of `target`, as the document is now.
pub fn add_missing_controls(snapshot: &Snapshot, target: AddTarget) -> Option<lsp::WorkspaceEdit> {
    let edit = match target.agent {
        Some(agent) => agent_lens(&snapshot.state, target.workload, agent)?.add_all?,
        None => {
            lenses(&snapshot.state)
                .into_iter()
                .nth(target.workload)?
                .add_all?
        }
    };
    Some(workspace_edit(snapshot, &[edit]))
}
