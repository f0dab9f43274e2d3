//! `textDocument/codeAction`: the quick fixes of the diagnostics under the cursor, scope
//! declaration, the workload-wide additions as source actions, and fix-all (safe fixes only).

use std::collections::HashMap;

use tower_lsp_server::ls_types as lsp;

use super::{ADD_MISSING_CONTROLS_KIND, FIX_ALL_KIND};
use crate::protocol::CodeActionData;
use crate::session::Snapshot;
use genai_scope_analysis::diagnostic::TextEdit;
use genai_scope_ide::actions::{ActionKind, ActionOptions, actions_with, safe_fixes};
use genai_scope_ide::snippets::{SnippetEdit, snippet_edit};

/// Marks, in `data`, an action whose edits are snippets; [`crate::snippet_edits`] turns the
/// mark into rust-analyzer's `insertTextFormat` on each edit on the way out.
pub const SNIPPET_MARK: &str = "genaiScopeSnippetEdits";

pub fn workspace_edit(snapshot: &Snapshot, edits: &[TextEdit]) -> lsp::WorkspaceEdit {
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

fn kind(action: &ActionKind) -> lsp::CodeActionKind {
    match action {
        ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ActionKind::Refactor => lsp::CodeActionKind::REFACTOR,
        ActionKind::FixAll => lsp::CodeActionKind::new(FIX_ALL_KIND),
        ActionKind::AddMissingControls { discipline: None } => {
            lsp::CodeActionKind::new(ADD_MISSING_CONTROLS_KIND)
        }
        ActionKind::AddMissingControls {
            discipline: Some(discipline),
        } => lsp::CodeActionKind::from(format!("{ADD_MISSING_CONTROLS_KIND}.{discipline}")),
    }
}

/// The snippet form of an edit, as rust-analyzer's `snippetTextEdit` extension sends it: in
/// `documentChanges`, for the document's current version.
fn snippet_workspace_edit(snapshot: &Snapshot, snippet: &SnippetEdit) -> lsp::WorkspaceEdit {
    let edit = snapshot.converter().snippet_edit(snippet);
    lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                uri: snapshot.uri.clone(),
                version: Some(snapshot.version),
            },
            edits: vec![lsp::OneOf::Left(edit)],
        }])),
        ..Default::default()
    }
}

/// What the client accepts in code actions.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientSupport {
    /// The client applies snippet text edits (rust-analyzer's experimental `snippetTextEdit`
    /// capability).
    pub snippet_edits: bool,
    /// The client resolves a code action's `edit` lazily (`codeAction/resolve`): the list is
    /// sent without edits, each action's `data` naming it (see [`CodeActionData`]). Not for
    /// a client taking snippet edits: the VS Code extension rebuilds them from the list.
    pub resolve_edits: bool,
}

/// The title of fix-all, which is no action of [`actions_with`].
pub const FIX_ALL_TITLE: &str = "Fix all safe genai-scope findings";

pub fn handle(
    snapshot: &Snapshot,
    params: &lsp::CodeActionParams,
    support: ClientSupport,
) -> Option<lsp::CodeActionResponse> {
    let converter = snapshot.converter();
    let range = converter.text_range(params.range);
    let only = params.context.only.as_ref();
    // Source actions when asked for (a "Source Action…" menu), or for everything on an
    // explicit request; never with the automatic light-bulb request.
    let automatic = params.context.trigger_kind == Some(lsp::CodeActionTriggerKind::AUTOMATIC);
    let options = ActionOptions {
        group_missing_controls: snapshot.group_missing_controls,
        source_actions: match only {
            // `source`, `source.addMissingControls` or one discipline's.
            Some(kinds) => {
                wants(only, ADD_MISSING_CONTROLS_KIND)
                    || kinds
                        .iter()
                        .any(|k| k.as_str().starts_with(ADD_MISSING_CONTROLS_KIND))
            }
            None => !automatic,
        },
    };
    let mut out: lsp::CodeActionResponse = Vec::new();
    for action in actions_with(&snapshot.state, range, options) {
        let kind = kind(&action.kind);
        if !wants(only, kind.as_str()) {
            continue;
        }
        let diagnostics = action
            .diagnostics
            .iter()
            .map(|d| {
                converter.diagnostic(
                    &snapshot.uri,
                    snapshot.state.catalog(),
                    d,
                    snapshot.related_information,
                )
            })
            .collect::<Vec<_>>();
        let mut code_action = lsp::CodeAction {
            title: action.title.clone(),
            kind: Some(kind),
            diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
            is_preferred: action.preferred.then_some(true),
            ..Default::default()
        };
        if support.resolve_edits {
            code_action.data = Some(resolve_data(snapshot, params.range, &code_action));
        } else {
            fill_edit(snapshot, &mut code_action, &action, support.snippet_edits);
        }
        out.push(lsp::CodeActionOrCommand::CodeAction(code_action));
    }
    // Fix-all only when asked for explicitly (e.g. on save), not in the light-bulb list; it
    // applies the safe fixes only (no control is stated as planned).
    if only.is_some() && wants(only, FIX_ALL_KIND) {
        let edits = safe_fixes(&snapshot.state);
        if !edits.is_empty() {
            let mut code_action = lsp::CodeAction {
                title: FIX_ALL_TITLE.into(),
                kind: Some(lsp::CodeActionKind::new(FIX_ALL_KIND)),
                ..Default::default()
            };
            if support.resolve_edits {
                code_action.data = Some(resolve_data(snapshot, params.range, &code_action));
            } else {
                code_action.edit = Some(workspace_edit(snapshot, &edits));
            }
            out.push(lsp::CodeActionOrCommand::CodeAction(code_action));
        }
    }
    Some(out)
}

/// What `codeAction/resolve` needs to build `action` again.
fn resolve_data(
    snapshot: &Snapshot,
    range: lsp::Range,
    action: &lsp::CodeAction,
) -> serde_json::Value {
    let data = CodeActionData {
        uri: snapshot.uri.clone(),
        version: snapshot.version,
        range,
        kind: action
            .kind
            .as_ref()
            .map(|k| k.as_str().to_string())
            .unwrap_or_default(),
        title: action.title.clone(),
    };
    serde_json::to_value(data).unwrap_or(serde_json::Value::Null)
}

/// Sets the edit of `code_action` to `action`'s (as a snippet when the client takes them and
/// the action has tab stops).
pub fn fill_edit(
    snapshot: &Snapshot,
    code_action: &mut lsp::CodeAction,
    action: &genai_scope_ide::actions::Action,
    snippet_edits: bool,
) {
    let snippet = snippet_edits
        .then(|| snippet_edit(&snapshot.state, action))
        .flatten();
    let (edit, data) = match &snippet {
        Some(snippet) => (
            snippet_workspace_edit(snapshot, snippet),
            Some(serde_json::json!({ SNIPPET_MARK: true })),
        ),
        None => (workspace_edit(snapshot, &action.edits), None),
    };
    code_action.edit = Some(edit);
    code_action.data = data;
}

/// `codeAction/resolve`'s way back to an action listed by [`handle`]: the actions at the
/// range, computed again from the current analysis (with source actions, which the list may
/// have asked for), and the one of that kind and title.
pub fn rebuild(
    snapshot: &Snapshot,
    data: &CodeActionData,
) -> Option<genai_scope_ide::actions::Action> {
    let range = snapshot.converter().text_range(data.range);
    let options = ActionOptions {
        group_missing_controls: snapshot.group_missing_controls,
        source_actions: true,
    };
    let mut matching = actions_with(&snapshot.state, range, options)
        .into_iter()
        .filter(|action| action.title == data.title && kind(&action.kind).as_str() == data.kind);
    let first = matching.next()?;
    // Two actions of one title with different edits: which one was listed is not known, so
    // none is resolved rather than perhaps the wrong one.
    matching
        .all(|other| other.edits == first.edits)
        .then_some(first)
}
