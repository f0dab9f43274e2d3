//! `genaiScope/report`: the reviewers' report of one document, rendered by
//! [`genai_scope_ide::report`] exactly as `genai-scope report` renders it (the VS Code "Show scoping
//! matrix" view shows it).

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::ls_types as lsp;

use crate::session::Snapshot;
use genai_scope_ide::report::{FileInput, html, markdown};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    pub text_document: lsp::TextDocumentIdentifier,
    /// `html` (the default) or `markdown`.
    #[serde(default)]
    pub format: Option<String>,
}

pub fn handle(snapshot: &Snapshot, format: Option<&str>) -> Result<Value, String> {
    let text = snapshot.rope.to_string();
    let path = display_path(snapshot);
    let input = [FileInput {
        path: &path,
        text: &text,
        analysis: &snapshot.state.analysis,
    }];
    let (format, content) = match format.unwrap_or("html") {
        "html" => ("html", html(&input)),
        "markdown" => ("markdown", markdown(&input)),
        other => {
            return Err(format!(
                "unknown report format `{other}` (html or markdown)"
            ));
        }
    };
    Ok(json!({"format": format, "content": content}))
}

/// The document's path relative to its workspace root, else its file name, else its URI.
fn display_path(snapshot: &Snapshot) -> String {
    let Some(path) = crate::local::local_path(&snapshot.uri) else {
        return snapshot.uri.as_str().to_string();
    };
    let relative = snapshot
        .root
        .as_deref()
        .and_then(|root| path.strip_prefix(root).ok())
        .filter(|p| !p.as_os_str().is_empty());
    relative
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/")
}
