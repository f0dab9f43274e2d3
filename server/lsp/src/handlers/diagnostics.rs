//! Pushed (`textDocument/publishDiagnostics`) and pulled (`textDocument/diagnostic`) findings.

use std::path::Path;

use tower_lsp_server::ls_types as lsp;

use crate::convert::ElementWriter;
use crate::publication;
use crate::session::Snapshot;
use genai_scope_analysis::diagnostic::Diagnostic;
use genai_scope_analysis::environment::NoEnvironment;
use genai_scope_analysis::evidence::{Evidence, resolve_evidence};
use genai_scope_ide::grouping::{has_groups, shown_for_publication};

/// The code of the hint on documents that are not local files.
pub const NOT_A_FILE: &str = "evidence-not-checked";

pub fn to_lsp(snapshot: &Snapshot) -> Vec<lsp::Diagnostic> {
    let converter = snapshot.converter();
    let grouped = grouped(snapshot);
    grouped
        .as_deref()
        .unwrap_or(&snapshot.state.analysis.diagnostics)
        .iter()
        .map(|d| {
            converter.diagnostic(
                &snapshot.uri,
                snapshot.state.catalog(),
                d,
                snapshot.related_information,
            )
        })
        .chain(not_a_file(snapshot))
        .collect()
}

/// The diagnostics as shown when missing controls are grouped (`None`: as analysed).
pub fn grouped(snapshot: &Snapshot) -> Option<Vec<Diagnostic>> {
    let state = &snapshot.state;
    (snapshot.group_missing_controls && has_groups(state)).then(|| shown_for_publication(state))
}

/// For a document that is not a file of this machine (an `untitled:` buffer, a remote
/// document), whose evidence paths therefore cannot be checked: one hint, on the first
/// evidence path, saying so. A hint rather than a message box, as rust-analyzer marks a file
/// outside every crate: visible where it matters, without interrupting; none at all when the
/// document names no evidence path.
pub fn not_a_file(snapshot: &Snapshot) -> Option<lsp::Diagnostic> {
    if snapshot.base_dir.is_some() {
        return None;
    }
    let state = &snapshot.state;
    let first_path = genai_scope_analysis::typed_workloads(state.catalog(), &state.syntax)
        .into_iter()
        .flat_map(|workload| workload.controls)
        .filter_map(|control| control.evidence)
        .find(|evidence| {
            // Only paths are checked on disk; links are not.
            resolve_evidence(
                &NoEnvironment,
                Path::new("/"),
                Path::new("/"),
                &evidence.value,
            ) != Evidence::Url
        })?;
    Some(lsp::Diagnostic {
        range: snapshot.converter().range(first_path.range),
        severity: Some(lsp::DiagnosticSeverity::HINT),
        code: Some(lsp::NumberOrString::String(NOT_A_FILE.into())),
        source: Some("genai-scope".into()),
        message: format!(
            "evidence paths are not checked: {} is not a file on this machine, so they have no directory to be found in; save the document in the project to check them",
            genai_scope_analysis::diagnostic::bounded(snapshot.uri.as_str())
        ),
        ..Default::default()
    })
}

/// The frame of `textDocument/publishDiagnostics`, serialised straight from the analysis
/// (missing controls grouped, per the settings), reusing the JSON of the workloads whose
/// findings did not change since the last publication.
pub fn publication(snapshot: &Snapshot, extra: &[lsp::Diagnostic]) -> crate::outbox::Message {
    let state = &snapshot.state;
    let source = publication::Source {
        uri: &snapshot.uri,
        version: snapshot.version,
        text: &state.text,
        catalog: state.catalog(),
        workloads: &state.analysis.workloads,
        findings: &state.analysis.diagnostics,
        group: snapshot.group_missing_controls,
        extra,
    };
    let mut writer = ElementWriter::new(snapshot.converter(), &snapshot.uri, state.catalog())
        .with_related_information(snapshot.related_information);
    let mut runs = snapshot
        .published_runs
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    publication::frame(&source, &mut writer, &mut runs)
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
