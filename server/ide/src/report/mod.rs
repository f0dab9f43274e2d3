//! Reports for reviewers: per workload, the five scopes with the inferred one highlighted and
//! its reasons, the scope × discipline heat map of required / implemented / planned /
//! not-applicable / missing controls, the missing controls and the findings. Pure functions
//! from analyses to text: self-contained HTML (inline CSS, no external resource) or Markdown.

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

use genai_scope_analysis::catalog::Catalog;
use genai_scope_analysis::diagnostic::{Diagnostic, Severity};
use genai_scope_analysis::{Analysis, Coverage, WorkloadReport};
use genai_scope_syntax::text::{Encoding, LineIndex};

/// One analysed file.
pub struct FileInput<'a> {
    /// As shown to the reader.
    pub path: &'a str,
    pub text: &'a str,
    pub analysis: &'a Analysis,
}

/// The counts of one cell of the heat map: the controls of one discipline at one scope.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// Required at that scope for this workload's facts.
    pub required: usize,
    /// Among the required: declared implemented, planned, not applicable, or not declared.
    pub implemented: usize,
    pub planned: usize,
    pub not_applicable: usize,
    pub missing: usize,
}

impl Cell {
    /// The share of required controls missing, 0 to 1 (0 when nothing is required).
    pub fn missing_ratio(&self) -> f64 {
        if self.required == 0 {
            0.0
        } else {
            self.missing as f64 / self.required as f64
        }
    }
}

/// One row of the heat map.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub discipline_id: String,
    pub discipline: String,
    /// Indexed by scope − 1.
    pub cells: Vec<Cell>,
}

/// The scope × discipline grid of a workload, rows in catalog order, a cell per scope. A
/// control counts at a scope when the catalog requires it there and its condition holds for
/// the workload's facts; its coverage is what the workload declares.
pub fn grid(catalog: &Catalog, workload: &WorkloadReport) -> Vec<Row> {
    catalog
        .disciplines
        .iter()
        .map(|discipline| {
            let cells = catalog
                .scopes
                .iter()
                .map(|scope| {
                    let mut cell = Cell::default();
                    for coverage in &workload.controls {
                        let Some(control) = catalog.control(coverage.id.as_str()) else {
                            continue;
                        };
                        if control.discipline_id() != discipline.id
                            || !control.required_in(scope.number)
                            || !coverage.condition_holds
                        {
                            continue;
                        }
                        cell.required += 1;
                        match coverage.coverage {
                            Coverage::Implemented => cell.implemented += 1,
                            Coverage::Planned => cell.planned += 1,
                            Coverage::NotApplicable => cell.not_applicable += 1,
                            Coverage::Missing | Coverage::NotRequired => cell.missing += 1,
                        }
                    }
                    cell
                })
                .collect();
            Row {
                discipline_id: discipline.id.clone(),
                discipline: discipline.name.clone(),
                cells,
            }
        })
        .collect()
}

/// A finding with its 1-based line and column.
pub struct Finding<'a> {
    pub line: usize,
    pub column: usize,
    pub diagnostic: &'a Diagnostic,
}

/// The findings of a file that belong to `workload` (`None`: those outside every workload).
pub fn findings<'a>(
    file: &'a FileInput<'a>,
    index: &LineIndex,
    workload: Option<&WorkloadReport>,
) -> Vec<Finding<'a>> {
    file.analysis
        .diagnostics
        .iter()
        .filter(|d| match workload {
            Some(w) => w.range.contains_range(d.range),
            None => !file
                .analysis
                .workloads
                .iter()
                .any(|w| w.range.contains_range(d.range)),
        })
        .map(|diagnostic| {
            let at = index.line_col(diagnostic.range.start, Encoding::Utf32);
            Finding {
                line: at.line + 1,
                column: at.col + 1,
                diagnostic,
            }
        })
        .collect()
}

/// Totals by severity, for summaries.
/// "2 files, 3 workloads; findings: 1 error, 4 warnings, …" (without the final period).
pub fn summary(files: &[FileInput<'_>]) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let workloads: usize = files.iter().map(|f| f.analysis.workloads.len()).sum();
    let findings: Vec<String> = severity_counts(files)
        .iter()
        .map(|(severity, n)| format!("{n} {}{}", severity.as_str(), plural(*n)))
        .collect();
    format!(
        "{} file{}, {workloads} workload{}; findings: {}",
        files.len(),
        plural(files.len()),
        plural(workloads),
        findings.join(", ")
    )
}

pub fn severity_counts(files: &[FileInput<'_>]) -> [(Severity, usize); 4] {
    let mut counts = [
        (Severity::Error, 0),
        (Severity::Warning, 0),
        (Severity::Info, 0),
        (Severity::Hint, 0),
    ];
    for diagnostic in files.iter().flat_map(|f| &f.analysis.diagnostics) {
        if let Some(entry) = counts.iter_mut().find(|(s, _)| *s == diagnostic.severity) {
            entry.1 += 1;
        }
    }
    counts
}

/// The controls of a workload that are missing, with their catalog titles.
pub fn missing_controls<'a>(
    catalog: &'a Catalog,
    workload: &'a WorkloadReport,
) -> Vec<(&'a str, &'a str, Severity)> {
    workload
        .missing_controls()
        .filter_map(|c| {
            let control = catalog.control(c.id.as_str())?;
            Some((c.id.as_str(), control.title.as_str(), control.severity))
        })
        .collect()
}

#[cfg(test)]
mod tests;
