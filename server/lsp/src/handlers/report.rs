//! `genaiScope/report`: the reviewers' report of one document, rendered by
//! [`genai_scope_ide::report`] exactly as `genai-scope report` renders it (the VS Code "Show scoping
//! matrix" view shows it).

use crate::protocol::{ReportFormat, ReportResult};
use crate::session::Snapshot;
use genai_scope_ide::report::{FileInput, html, markdown};

pub fn handle(snapshot: &Snapshot, format: ReportFormat) -> ReportResult {
    let text = snapshot.rope.to_string();
    let path = display_path(snapshot);
    let input = [FileInput {
        path: &path,
        text: &text,
        analysis: &snapshot.state.analysis,
    }];
    let content = match format {
        ReportFormat::Html => html(&input),
        ReportFormat::Markdown => markdown(&input),
    };
    ReportResult { format, content }
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
