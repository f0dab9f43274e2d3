//! The three presentations of `check`: text for people, JSON for tools, SARIF for code scanning.

pub mod json;
pub mod sarif;
pub mod text;

use genai_scope_analysis::Analysis;
use genai_scope_analysis::diagnostic::Severity;

/// Counts of findings by severity.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

impl Counts {
    pub fn of<'a>(analyses: impl IntoIterator<Item = &'a Analysis>) -> Self {
        let mut counts = Counts::default();
        for diagnostic in analyses.into_iter().flat_map(|a| &a.diagnostics) {
            match diagnostic.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
                Severity::Hint => counts.hints += 1,
            }
        }
        counts
    }
}
