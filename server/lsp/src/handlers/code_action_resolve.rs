//! `codeAction/resolve`: the edit of a code action listed without it (for clients that
//! resolve lazily, see [`super::code_action::ClientSupport::resolve_edits`]), built again
//! from the current analysis. A resolve for another version of the document, or for an
//! action no longer offered, is an error: never an edit meant for other text.

use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::ls_types as lsp;

use super::FIX_ALL_KIND;
use super::code_action::{FIX_ALL_TITLE, fill_edit, rebuild, workspace_edit};
use crate::protocol::CodeActionData;
use crate::session::Snapshot;
use genai_scope_ide::actions::safe_fixes;

/// The `data` of a listed action, or why it cannot be resolved.
pub fn data(action: &lsp::CodeAction) -> Result<CodeActionData, Error> {
    action
        .data
        .clone()
        .and_then(|data| serde_json::from_value(data).ok())
        .ok_or_else(|| Error::invalid_params("the code action carries no genai-scope data"))
}

pub fn handle(
    snapshot: &Snapshot,
    mut action: lsp::CodeAction,
    data: &CodeActionData,
) -> Result<lsp::CodeAction, Error> {
    if snapshot.version != data.version {
        return Err(Error {
            code: ErrorCode::ContentModified,
            message: format!(
                "the document changed since the code action was offered (version {}, now {})",
                data.version, snapshot.version
            )
            .into(),
            data: None,
        });
    }
    if data.kind == FIX_ALL_KIND && data.title == FIX_ALL_TITLE {
        let edits = safe_fixes(&snapshot.state);
        action.edit = Some(workspace_edit(snapshot, &edits));
        action.data = None;
        return Ok(action);
    }
    let Some(rebuilt) = rebuild(snapshot, data) else {
        return Err(Error {
            code: ErrorCode::ContentModified,
            message: format!("the code action \"{}\" is no longer offered", data.title).into(),
            data: None,
        });
    };
    // Plain edits: a client taking snippet edits gets its actions with their edits (see
    // `ClientSupport::resolve_edits`), so it never resolves.
    fill_edit(snapshot, &mut action, &rebuilt, false);
    Ok(action)
}
