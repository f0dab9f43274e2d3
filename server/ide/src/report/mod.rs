//! Reports for reviewers: an overview when there are several workloads; per workload, the
//! five scopes with the inferred one highlighted and its reasons, whether its required
//! controls are covered, the scope × discipline heat map of required / implemented / planned /
//! not-applicable / missing controls (painted in the workload's own scopes only), the missing
//! and the planned controls by name, and the findings. Pure functions from analyses to text:
//! self-contained HTML (inline CSS, no external resource) or Markdown.
//!
//! A planned control is never shown as covered: it has its own colour and is listed by name,
//! and a production workload with a planned required control is "not covered".
//!
//! A workload with agents gets a second grid, agency scope × security dimension of the agentic
//! matrix, and each agent its agency scope and missing agentic controls. A missing control is
//! listed once, with where its finding is; the findings list leaves out what is listed.

mod html;
mod markdown;

pub use html::html;
pub use markdown::markdown;

use genai_scope_analysis::catalog::{Catalog, ControlId, Scope};
use genai_scope_analysis::diagnostic::Code;
use genai_scope_analysis::diagnostic::{Diagnostic, Severity};
use genai_scope_analysis::{AgentReport, Analysis, Coverage, WorkloadReport};
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
    /// Counts one required control with its coverage.
    fn count(&mut self, coverage: Coverage) {
        self.required += 1;
        match coverage {
            Coverage::Implemented => self.implemented += 1,
            Coverage::Planned => self.planned += 1,
            Coverage::NotApplicable => self.not_applicable += 1,
            Coverage::Missing | Coverage::NotRequired => self.missing += 1,
        }
    }

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
                        cell.count(coverage.coverage);
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

/// How bad a coverage is when several agents share a cell: a control counts as implemented
/// only when every agent that would need it has it.
fn shortfall(coverage: Coverage) -> u8 {
    match coverage {
        Coverage::Implemented => 0,
        Coverage::NotApplicable => 1,
        Coverage::Planned => 2,
        Coverage::Missing | Coverage::NotRequired => 3,
    }
}

/// The agency scope × dimension grid of a workload's agents, rows in catalog order, a cell per
/// agency scope. A control counts at an agency scope when some agent's facts would require it
/// there; its coverage is the worst among those agents (declared in the agent or the
/// workload). Empty without agents.
pub fn agentic_grid(catalog: &Catalog, workload: &WorkloadReport) -> Vec<Row> {
    if workload.agents.is_empty() {
        return Vec::new();
    }
    catalog
        .dimensions
        .iter()
        .map(|dimension| {
            let cells = catalog
                .agency_scopes
                .iter()
                .map(|scope| {
                    let mut cell = Cell::default();
                    for control in catalog
                        .agentic_controls()
                        .filter(|c| c.discipline_id() == dimension.id)
                    {
                        let worst = workload
                            .agents
                            .iter()
                            .filter_map(|agent| agent.controls.iter().find(|c| c.id == control.id))
                            .filter(|c| c.required_at.contains(scope.number))
                            .map(|c| c.coverage)
                            .max_by_key(|c| shortfall(*c));
                        let Some(coverage) = worst else {
                            continue;
                        };
                        cell.count(coverage);
                    }
                    cell
                })
                .collect();
            Row {
                discipline_id: dimension.id.clone(),
                discipline: dimension.name.clone(),
                cells,
            }
        })
        .collect()
}

/// The agency scopes the workload's agents are in, in order: the agentic grid paints these.
pub fn own_agency_scopes(workload: &WorkloadReport) -> Vec<u8> {
    let mut scopes: Vec<u8> = workload
        .agents
        .iter()
        .map(|a| a.inferred_agency_scope.number())
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes
}

/// Whether `workload` is in production, where a planned control is not enough.
pub fn is_production(workload: &WorkloadReport) -> bool {
    workload.stage == genai_scope_analysis::model::Stage::Production
}

/// The scopes the workload is in: its inferred scope and each of its models' scopes, in
/// order. The heat map paints only these columns; the others show what another scope would
/// require, for comparison. As numbers: the grids' columns, shared with the agency axis.
pub fn own_scopes(workload: &WorkloadReport) -> Vec<u8> {
    let mut scopes: Vec<u8> = workload
        .models
        .iter()
        .filter_map(|model| model.scope)
        .chain(workload.inferred_scope)
        .map(Scope::number)
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes
}

/// How a workload's required controls stand, as the report shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// No scope could be inferred, so nothing is known to be required.
    Unknown,
    /// Every required control is implemented or justified as not applicable.
    Covered,
    /// Nothing is missing but some required controls are only planned, outside production.
    Planned,
    /// A required control is missing, or planned in a production workload.
    NotCovered,
}

impl Standing {
    /// For `data-standing` attributes and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Unknown => "unknown",
            Standing::Covered => "covered",
            Standing::Planned => "planned",
            Standing::NotCovered => "not-covered",
        }
    }
}

/// Counts of a workload's required controls by how it declares them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequiredCounts {
    pub required: usize,
    pub implemented: usize,
    pub planned: usize,
    pub not_applicable: usize,
    pub missing: usize,
}

pub fn required_counts(workload: &WorkloadReport) -> RequiredCounts {
    let mut counts = RequiredCounts::default();
    for control in workload.controls.iter().filter(|c| c.required) {
        counts.required += 1;
        match control.coverage {
            Coverage::Implemented => counts.implemented += 1,
            Coverage::Planned => counts.planned += 1,
            Coverage::NotApplicable => counts.not_applicable += 1,
            Coverage::Missing | Coverage::NotRequired => counts.missing += 1,
        }
    }
    counts
}

pub fn standing(workload: &WorkloadReport) -> Standing {
    if workload.inferred_scope.is_none() {
        return Standing::Unknown;
    }
    let counts = required_counts(workload);
    if counts.missing > 0 || (counts.planned > 0 && is_production(workload)) {
        Standing::NotCovered
    } else if counts.planned > 0 {
        Standing::Planned
    } else {
        Standing::Covered
    }
}

/// One sentence on the workload's standing: "covered", or what keeps it from being.
pub fn standing_text(workload: &WorkloadReport) -> String {
    let counts = required_counts(workload);
    let controls = |n: usize| if n == 1 { "control" } else { "controls" };
    match standing(workload) {
        Standing::Unknown => "scope unknown: the required controls cannot be told".into(),
        Standing::Covered => format!(
            "covered: all {} required {} implemented or not applicable",
            counts.required,
            controls(counts.required)
        ),
        Standing::Planned => format!(
            "not yet covered: {} required {} planned (acceptable before production)",
            counts.planned,
            controls(counts.planned)
        ),
        Standing::NotCovered => {
            let mut parts = Vec::new();
            if counts.missing > 0 {
                parts.push(format!("{} missing", counts.missing));
            }
            if counts.planned > 0 {
                parts.push(format!("{} planned but not implemented", counts.planned));
            }
            format!(
                "not covered: of {} required {}, {}",
                counts.required,
                controls(counts.required),
                parts.join(", ")
            )
        }
    }
}

/// Which kind of finding comes first when a file's findings are listed for a person: what
/// keeps the file from being read at all, then what is wrongly written, then what the
/// declarations contradict, then the controls that are missing or not in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    Syntax,
    Schema,
    Consistency,
    Coverage,
}

pub fn finding_kind(diagnostic: &Diagnostic) -> FindingKind {
    match diagnostic.code.as_str() {
        "syntax-error" => FindingKind::Syntax,
        "unknown-block"
        | "unknown-attribute"
        | "invalid-value"
        | "missing-attribute"
        | "duplicate-attribute"
        | "duplicate-name"
        | "unknown-control"
        | "no-model"
        | "no-workload"
        | "unknown-reference" => FindingKind::Schema,
        "missing-control" | "control-not-implemented" => FindingKind::Coverage,
        _ => FindingKind::Consistency,
    }
}

/// The order findings are shown to people in (the text output of `check` and the reports):
/// by kind ([`FindingKind`]: syntax, schema, consistency, then missing controls), then by
/// severity (errors first), then by position; findings alike in all three keep the analysis's
/// order (catalog order for the controls of one workload).
pub fn in_reading_order<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<&'a Diagnostic> {
    let mut ordered: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    ordered.sort_by_key(|d| {
        (
            finding_kind(d),
            std::cmp::Reverse(d.severity),
            d.range.start,
        )
    });
    ordered
}

/// A finding with its 1-based line and column.
pub struct Finding<'a> {
    pub line: usize,
    pub column: usize,
    pub diagnostic: &'a Diagnostic,
}

/// The findings of a file that belong to `workload` (`None`: those outside every workload),
/// in reading order.
pub fn findings<'a>(
    file: &'a FileInput<'a>,
    index: &LineIndex,
    workload: Option<&WorkloadReport>,
) -> Vec<Finding<'a>> {
    in_reading_order(&file.analysis.diagnostics)
        .into_iter()
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

/// Each of `ids` with its catalog title and severity (ids the catalog lacks are skipped).
fn titled<'a>(
    catalog: &'a Catalog,
    ids: impl Iterator<Item = &'a ControlId>,
) -> Vec<(&'a str, &'a str, Severity)> {
    ids.filter_map(|id| {
        let control = catalog.control(id.as_str())?;
        Some((id.as_str(), control.title.as_str(), control.severity))
    })
    .collect()
}

/// The required controls of a workload that are only planned, with their catalog titles.
pub fn planned_controls<'a>(
    catalog: &'a Catalog,
    workload: &'a WorkloadReport,
) -> Vec<(&'a str, &'a str, Severity)> {
    let planned = workload
        .controls
        .iter()
        .filter(|c| c.required && c.coverage == Coverage::Planned);
    titled(catalog, planned.map(|c| &c.id))
}

/// The controls of a workload that are missing, with their catalog titles.
pub fn missing_controls<'a>(
    catalog: &'a Catalog,
    workload: &'a WorkloadReport,
) -> Vec<(&'a str, &'a str, Severity)> {
    titled(catalog, workload.missing_controls().map(|c| &c.id))
}

/// The agentic controls an agent needs at its agency scope and lacks, with their titles.
pub fn agent_missing_controls<'a>(
    catalog: &'a Catalog,
    agent: &'a AgentReport,
) -> Vec<(&'a str, &'a str, Severity)> {
    let missing = agent
        .controls
        .iter()
        .filter(|c| c.coverage == Coverage::Missing);
    titled(catalog, missing.map(|c| &c.id))
}

/// The agentic controls an agent needs at its agency scope that are only planned.
pub fn agent_planned_controls<'a>(
    catalog: &'a Catalog,
    agent: &'a AgentReport,
) -> Vec<(&'a str, &'a str, Severity)> {
    let planned = agent
        .controls
        .iter()
        .filter(|c| c.required && c.coverage == Coverage::Planned);
    titled(catalog, planned.map(|c| &c.id))
}

/// A missing control as the report lists it: once, with its finding when there is one (the
/// finding's severity is the one the settings give).
pub struct MissingItem<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub severity: Severity,
    pub finding: Option<&'a Finding<'a>>,
}

/// Whether `diagnostic` reports that control `id` is missing, for the workload itself
/// (`agent` `None`) or for the named agent.
fn reports_missing(diagnostic: &Diagnostic, id: &str, agent: Option<&str>) -> bool {
    diagnostic.code == Code::MissingControl
        && diagnostic.control.as_deref() == Some(id)
        && diagnostic.agent.as_deref() == agent
}

/// `missing` (from [`missing_controls`] or [`agent_missing_controls`]) with the findings
/// among `found` that report them.
pub fn missing_items<'a>(
    missing: Vec<(&'a str, &'a str, Severity)>,
    agent: Option<&str>,
    found: &'a [Finding<'a>],
) -> Vec<MissingItem<'a>> {
    missing
        .into_iter()
        .map(|(id, title, severity)| {
            let finding = found
                .iter()
                .find(|f| reports_missing(f.diagnostic, id, agent));
            MissingItem {
                id,
                title,
                severity: finding.map_or(severity, |f| f.diagnostic.severity),
                finding,
            }
        })
        .collect()
}

/// The findings not already shown in one of the `listed` missing-control lists.
pub fn unlisted<'a, 'f>(
    found: &'a [Finding<'f>],
    listed: &[&[MissingItem<'_>]],
) -> Vec<&'a Finding<'f>> {
    found
        .iter()
        .filter(|f| {
            !listed.iter().flat_map(|items| items.iter()).any(|item| {
                item.finding
                    .is_some_and(|shown| std::ptr::eq(shown.diagnostic, f.diagnostic))
            })
        })
        .collect()
}

/// A position as editors count it (0-based line, UTF-16 column), for the `data-` attributes
/// that the VS Code view turns into links.
pub fn editor_position(index: &LineIndex, offset: usize) -> (usize, usize) {
    let at = index.line_col(offset, Encoding::Utf16);
    (at.line, at.col)
}

#[cfg(test)]
mod tests;
