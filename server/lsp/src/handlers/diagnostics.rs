//! Pushed (`textDocument/publishDiagnostics`) and pulled (`textDocument/diagnostic`) findings.

use tower_lsp_server::ls_types as lsp;

use crate::convert::DiagnosticsJson;
use crate::session::Snapshot;

pub fn to_lsp(snapshot: &Snapshot) -> Vec<lsp::Diagnostic> {
    let converter = snapshot.converter();
    snapshot
        .state
        .analysis
        .diagnostics
        .iter()
        .map(|d| converter.diagnostic(&snapshot.uri, snapshot.state.catalog(), d))
        .collect()
}

/// The parameters of `textDocument/publishDiagnostics`, serialised straight from the analysis.
#[derive(serde::Serialize)]
pub struct Published<'a> {
    uri: &'a lsp::Uri,
    diagnostics: DiagnosticsJson<'a>,
    version: i32,
}

pub fn published(snapshot: &Snapshot) -> Published<'_> {
    Published {
        uri: &snapshot.uri,
        diagnostics: DiagnosticsJson {
            converter: snapshot.converter(),
            uri: &snapshot.uri,
            catalog: snapshot.state.catalog(),
            diagnostics: &snapshot.state.analysis.diagnostics,
        },
        version: snapshot.version,
    }
}

pub fn pull(snapshot: &Snapshot) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
        lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                result_id: Some(snapshot.version.to_string()),
                items: to_lsp(snapshot),
            },
        },
    ))
}
