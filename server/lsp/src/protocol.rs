//! The server's extensions of the protocol, typed in one place: the custom requests editors
//! call (`genaiScope/workloads`, `genaiScope/report`), the test-only hooks and the command the
//! code lenses run. docs/protocol.md documents them for client authors; the VS Code extension's
//! `src/protocol.ts` mirrors these shapes.

use genai_scope_analysis::catalog::Scope;
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::request::Request;

/// The command a workload's or agent's code lens runs: adds its missing controls.
pub const ADD_MISSING_CONTROLS_COMMAND: &str = "genai-scope.addMissingControls";

/// Parameters naming one open document (`genaiScope/workloads` and the debug hooks).
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentParams {
    pub text_document: lsp::TextDocumentIdentifier,
}

/// `genaiScope/workloads`: each workload's scope and coverage (status bars, matrix views).
pub enum Workloads {}

impl Request for Workloads {
    type Params = DocumentParams;
    type Result = WorkloadsResult;
    const METHOD: &'static str = "genaiScope/workloads";
}

#[derive(Debug, Deserialize, Serialize)]
pub struct WorkloadsResult {
    pub workloads: Vec<WorkloadSummary>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadSummary {
    pub name: Option<String>,
    pub range: lsp::Range,
    pub declared_scope: Option<Scope>,
    pub inferred_scope: Option<Scope>,
    pub scope_name: Option<String>,
    pub reasons: Vec<String>,
    pub disciplines: Vec<DisciplineCoverage>,
}

/// How many of a discipline's required controls stand in each state, and every control of
/// the discipline the workload meets (required or declared).
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DisciplineCoverage {
    pub id: String,
    pub name: String,
    pub required: usize,
    pub implemented: usize,
    pub planned: usize,
    pub not_applicable: usize,
    pub missing: usize,
    pub controls: Vec<ControlStatus>,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ControlStatus {
    pub id: String,
    pub title: Option<String>,
    pub required: bool,
    pub status: CoverageStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    Implemented,
    Planned,
    NotApplicable,
    Missing,
    NotRequired,
}

/// `genaiScope/report`: the document's report exactly as `genai-scope report` renders it.
pub enum Report {}

impl Request for Report {
    type Params = ReportParams;
    type Result = ReportResult;
    const METHOD: &'static str = "genaiScope/report";
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportParams {
    pub text_document: lsp::TextDocumentIdentifier,
    /// `html` when absent. Anything else than the two formats is an invalid-params error.
    #[serde(default)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// One self-contained page: inline CSS, no script.
    #[default]
    Html,
    Markdown,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct ReportResult {
    pub format: ReportFormat,
    pub content: String,
}

/// `genaiScope/debugPanic` (test hook): panics inside a request, to prove the server survives.
pub enum DebugPanic {}

impl Request for DebugPanic {
    type Params = DocumentParams;
    type Result = ();
    const METHOD: &'static str = "genaiScope/debugPanic";
}

/// `genaiScope/debugSyntaxTree` (test hook): the S-expression of the document's current tree.
pub enum DebugSyntaxTree {}

impl Request for DebugSyntaxTree {
    type Params = DocumentParams;
    type Result = String;
    const METHOD: &'static str = "genaiScope/debugSyntaxTree";
}

/// `genaiScope/debugOutbox` (test hook): the most the output queue held.
pub enum DebugOutbox {}

impl Request for DebugOutbox {
    type Params = ();
    type Result = crate::outbox::Statistics;
    const METHOD: &'static str = "genaiScope/debugOutbox";
}

/// The environment variable that enables the `debug*` hooks (off: method not found).
pub const TEST_HOOKS_VARIABLE: &str = "GENAI_SCOPE_TEST_HOOKS";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn report_format_defaults_to_html_and_rejects_others() {
        let uri = json!({"uri": "file:///a.genai"});
        let params: ReportParams = serde_json::from_value(json!({"textDocument": uri})).unwrap();
        assert_eq!(params.format, ReportFormat::Html);
        let params: ReportParams =
            serde_json::from_value(json!({"textDocument": uri, "format": "markdown"})).unwrap();
        assert_eq!(params.format, ReportFormat::Markdown);
        let error =
            serde_json::from_value::<ReportParams>(json!({"textDocument": uri, "format": "pdf"}))
                .unwrap_err();
        assert!(error.to_string().contains("html"), "{error}");
    }

    #[test]
    fn coverage_status_is_snake_case() {
        assert_eq!(
            serde_json::to_value(CoverageStatus::NotApplicable).unwrap(),
            "not_applicable"
        );
    }
}

/// A code action's `data` when it is sent without its edit, for clients that resolve code
/// actions lazily (`textDocument.codeAction.resolveSupport.properties` containing `"edit"`):
/// enough for `codeAction/resolve` to build the same action again, or to refuse when the
/// document has changed since.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeActionData {
    /// The document the action edits.
    pub uri: lsp::Uri,
    /// The document's version the action was computed for; a resolve for another version
    /// fails with `ContentModified` rather than build an edit for text it was not meant for.
    pub version: i32,
    /// The range the actions were asked for.
    pub range: lsp::Range,
    /// Which of the actions at that range: its kind and title (unique among them).
    pub kind: String,
    pub title: String,
}
