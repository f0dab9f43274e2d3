//! genai-scope-analysis: the engine. From a syntax tree to diagnostics, fixes (as byte-range
//! text edits) and per-workload scope reports: the schema of the format, the scoping-matrix
//! catalog (embedded data, parsed once), the typed model, scope inference, rules, suppressions
//! and the parsing of `genai-scope.toml`. It knows nothing of editors or terminals.
//!
//! May depend on: `genai-scope-syntax` and data crates (serde, toml, time, globset, schemars).
//! Never on the ide, lsp or cli layers, and it does no IO of its own beyond what callers hand in.

pub mod agency;
pub mod catalog;
pub mod config;
pub mod diagnostic;
pub mod schema;
mod shared_names;

mod edits;
pub mod environment;
pub mod evidence;
pub mod findings;
pub mod incremental;
mod lower;
pub mod model;
pub mod obligation;
pub mod rule_selector;
mod rules;
pub mod scope;
pub mod suppressions;

use crate::model::NamedBlock as _;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use time::Date;

pub use edits::{
    apply_edits, insert_controls_into_block, insert_controls_into_workload,
    line_indent as edits_line_indent, workload_blocks,
};
use environment::SharedEnvironment;
use model::{Stage, Status, Workload};
use scope::WorkloadScope;

use crate::catalog::{Catalog, ControlId, Scope, SharedCatalog};
use crate::diagnostic::{Code, Diagnostic, Level};
use crate::rule_selector::{EvidenceSelector, RuleSelector};
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{self as syntax, SourceFile};

/// User settings that shape the findings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Per code or control id: a new severity, or `off`.
    pub severity_overrides: HashMap<RuleSelector, Level>,
    /// Codes or control ids that report nothing.
    pub disabled: HashSet<RuleSelector>,
    /// Codes or control ids that inline suppressions may not silence.
    pub no_inline_suppressions: HashSet<RuleSelector>,
    /// Control ids, or control severities (`error`, `warning`, …), whose implemented
    /// controls must name their `evidence` (`missing-evidence`).
    pub require_evidence: HashSet<EvidenceSelector>,
    /// The catalog, with the project's custom controls if it declares any.
    pub catalog: SharedCatalog,
}

/// What the analysis needs from its surroundings.
#[derive(Clone, Debug, Default)]
pub struct AnalysisOptions {
    /// Today's date for `overdue-control`; `None` skips that rule.
    pub today: Option<Date>,
    /// The directory of the file, for relative `evidence` paths; `None` skips the check.
    pub base_dir: Option<PathBuf>,
    /// The workspace root; evidence paths may not leave it (defaults to `base_dir`).
    pub workspace_root: Option<PathBuf>,
    pub settings: Settings,
    /// The file system and clock (by default, none: no evidence exists).
    pub environment: SharedEnvironment,
    /// The infrastructure code the declaration is held to (drift); `None`: not checked.
    pub infrastructure: Option<std::sync::Arc<environment::infrastructure::Infrastructure>>,
}

impl AnalysisOptions {
    /// Options for a file on disk, with the environment's date; its evidence workspace is
    /// `root` when given, else the nearest directory holding `genai-scope.toml` or `.git`,
    /// else the file's own directory.
    pub fn for_file(environment: &SharedEnvironment, path: &Path, root: Option<&Path>) -> Self {
        let base_dir = path.parent().map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        });
        let workspace_root = match (root, &base_dir) {
            (Some(root), _) => Some(root.to_path_buf()),
            (None, Some(dir)) => Some(environment::evidence_workspace(&**environment, dir, dir)),
            (None, None) => None,
        };
        Self {
            today: Some(environment.today()),
            base_dir,
            workspace_root,
            environment: environment.clone(),
            ..Self::default()
        }
    }
}

/// How a control stands in a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    Implemented,
    Planned,
    NotApplicable,
    Missing,
    /// Not required and not declared.
    NotRequired,
}

impl Coverage {
    /// How a control stands given its declared status (if declared) and whether it is required.
    pub fn of(declared: Option<Status>, required: bool) -> Self {
        match (declared, required) {
            (Some(Status::Implemented), _) => Coverage::Implemented,
            (Some(Status::Planned), _) => Coverage::Planned,
            (Some(Status::NotApplicable), _) => Coverage::NotApplicable,
            (None, true) => Coverage::Missing,
            (None, false) => Coverage::NotRequired,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ControlCoverage {
    pub id: ControlId,
    pub required: bool,
    pub coverage: Coverage,
    /// Whether the control's conditions, if any, hold for this workload (for one of its
    /// models, at one of the control's scopes): what it would require at such a scope.
    pub condition_holds: bool,
    /// The model whose scope brings the requirement, when it is required.
    /// Shared by the controls the same model requires.
    pub required_by: Option<std::sync::Arc<str>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelReport {
    pub name: Option<String>,
    /// The model's label (or keyword).
    pub range: TextRange,
    pub scope: Option<Scope>,
    pub reason: String,
}

/// Everything known about one workload after analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkloadReport {
    /// Shared with the findings about the workload.
    pub name: Option<std::sync::Arc<str>>,
    /// The whole block.
    pub range: TextRange,
    /// The label (or keyword).
    pub name_range: TextRange,
    pub declared_scope: Option<Scope>,
    /// The highest of its models' scopes.
    pub inferred_scope: Option<Scope>,
    /// `prototype` or `production` (the default).
    pub stage: Stage,
    pub reasons: Vec<String>,
    pub models: Vec<ModelReport>,
    /// Every catalog control, in catalog order.
    pub controls: Vec<ControlCoverage>,
    /// The highest agency scope of its agents; `None` without agents.
    pub agency_scope: Option<agency::AgencyScope>,
    /// One per agent, in declaration order.
    pub agents: Vec<AgentReport>,
}

/// An agent's agency scope, declared and inferred, with the reasons.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentReport {
    pub name: Option<String>,
    /// The label (or keyword).
    pub range: TextRange,
    /// As written, valid or not (a number outside 1–4 is reported).
    pub declared_agency_scope: Option<u8>,
    pub inferred_agency_scope: agency::AgencyScope,
    pub reasons: Vec<String>,
    /// Every agentic control, in catalog order, as this agent stands with it (for the
    /// reports' agency-scope grid; not part of the JSON contract).
    #[serde(skip)]
    pub controls: Vec<AgentControlCoverage>,
}

/// How one agent stands with one agentic control.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentControlCoverage {
    pub id: ControlId,
    /// Required at the agent's inferred agency scope.
    pub required: bool,
    /// As declared in the agent's block, else in the workload (which covers all its agents).
    pub coverage: Coverage,
    /// The agency scopes (1–4) at which the agent's facts would require it.
    pub required_at: AgencyScopes,
}

/// A set of agency scopes (1–4), one bit each: kept for every agentic control of every
/// agent, so a vector each was an allocation per control.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AgencyScopes(u8);

impl AgencyScopes {
    /// Whether the scope numbered `number` (1–4) is in the set.
    pub fn contains(self, number: u8) -> bool {
        (1..=8).contains(&number) && self.0 & (1 << (number - 1)) != 0
    }
}

impl FromIterator<u8> for AgencyScopes {
    /// The scopes numbered 1–8 of `numbers`; other numbers are not scopes and are left out.
    fn from_iter<I: IntoIterator<Item = u8>>(numbers: I) -> Self {
        Self(
            numbers
                .into_iter()
                .filter(|n| (1..=8).contains(n))
                .fold(0, |bits, n| bits | 1 << (n - 1)),
        )
    }
}

impl WorkloadReport {
    pub fn missing_controls(&self) -> impl Iterator<Item = &ControlCoverage> {
        self.controls
            .iter()
            .filter(|c| c.coverage == Coverage::Missing)
    }
}

/// The result of analysing one file.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Sorted by position.
    pub diagnostics: findings::Findings,
    pub workloads: Vec<WorkloadReport>,
    /// Findings silenced by an inline suppression, with it (kept out of `diagnostics`).
    pub suppressed: Vec<(Diagnostic, suppressions::Suppression)>,
    /// The settings it was made with (their catalog has the project's custom controls).
    pub settings: Settings,
}

impl Analysis {
    /// The catalog it was made with: the built-in one, or with a project's custom controls.
    pub fn catalog(&self) -> &Catalog {
        &self.settings.catalog
    }
}

/// Parses and analyses `text`.
pub fn analyze(text: &str, options: &AnalysisOptions) -> Analysis {
    let file = syntax::parse(text);
    analyze_syntax(text, &file, options)
}

/// Analyses an already parsed file.
/// The catalog is the settings' (the built-in one unless a project declares controls).
pub fn analyze_syntax(text: &str, file: &SourceFile, options: &AnalysisOptions) -> Analysis {
    let catalog: &Catalog = &options.settings.catalog;
    let mut diagnostics: Vec<Diagnostic> = file
        .errors
        .iter()
        .map(|error| Diagnostic::new(Code::SyntaxError, error.range, error.message.clone()))
        .collect();
    let mut lowering = lower::Lowering::new(catalog);
    let workloads = lowering.file(file);
    diagnostics.append(&mut lowering.diagnostics);
    if workloads.is_empty() {
        diagnostics.push(no_workload(file));
    }

    let mut reports = Vec::with_capacity(workloads.len());
    for workload in &workloads {
        let scope = scope::infer_workload(catalog, workload);
        let cx = rules::Context {
            catalog,
            text,
            workload,
            scope: &scope,
            options,
        };
        rules::run(&cx, &mut diagnostics);
        reports.push(report(catalog, workload, &scope));
    }

    finish(text, file, options, diagnostics, reports)
}

/// What runs over the whole file once every workload is analysed: attribution, settings,
/// suppressions and the order (shared with [`incremental`], which must agree exactly).
fn finish(
    text: &str,
    file: &SourceFile,
    options: &AnalysisOptions,
    mut diagnostics: Vec<Diagnostic>,
    reports: Vec<WorkloadReport>,
) -> Analysis {
    attribute_to_workloads(&mut diagnostics, &reports);
    apply_settings(&mut diagnostics, &options.settings);
    suppress(text, file, options, diagnostics, reports)
}

/// The last of [`finish`], from attributed diagnostics with the settings applied: the
/// suppressions and the order. Sorted before the suppressions apply, so that what they
/// silence is listed in the file's order (the incremental analysis has the findings sorted
/// by then).
fn suppress(
    text: &str,
    file: &SourceFile,
    options: &AnalysisOptions,
    mut diagnostics: Vec<Diagnostic>,
    reports: Vec<WorkloadReport>,
) -> Analysis {
    let catalog: &Catalog = &options.settings.catalog;
    findings::sort(&mut diagnostics);
    let (suppressed, mut problems) = suppressions::apply(
        catalog,
        text,
        file,
        &mut diagnostics,
        &options.settings,
        options.today,
    );
    attribute_to_workloads(&mut problems, &reports);
    apply_settings(&mut problems, &options.settings);
    diagnostics.append(&mut problems);
    findings::sort(&mut diagnostics);
    Analysis {
        diagnostics: diagnostics.into(),
        workloads: reports,
        suppressed,
        settings: options.settings.clone(),
    }
}

/// `no-workload`: a file without any `workload` block passes every other check because there
/// is nothing to check, so it is a finding of its own. Reported on its first item, or at
/// the start of an empty file.
fn no_workload(file: &SourceFile) -> Diagnostic {
    let first = file.items.first();
    let range = first.map_or(TextRange::empty(0), |item| match item {
        syntax::Item::Block(block) => block.keyword.range,
        syntax::Item::Attribute(attribute) => attribute.key.range,
    });
    let message = match first {
        None => {
            "this file declares no workload, so there is nothing to check: add a `workload \"<name>\" { … }` block with its owner and models (`genai-scope new` writes one), or delete the file"
        }
        Some(syntax::Item::Attribute(_)) => {
            "this file declares no workload: its attributes stand at the top level, where nothing reads them; put them inside a `workload \"<name>\" { … }` block"
        }
        Some(syntax::Item::Block(_)) => {
            "this file declares no workload, so there is nothing to check: its declarations belong inside a `workload \"<name>\" { … }` block"
        }
    };
    Diagnostic::new(Code::NoWorkload, range, message)
}

/// The typed workloads of a parsed file, for exports that need more than the reports (the
/// lowering's diagnostics are dropped: [`analyze_syntax`] reports them).
pub fn typed_workloads<'f>(catalog: &Catalog, file: &'f SourceFile) -> Vec<Workload<'f>> {
    lower::Lowering::new(catalog).file(file)
}

fn report(catalog: &Catalog, workload: &Workload<'_>, scope: &WorkloadScope) -> WorkloadReport {
    // One name per model, shared by every control it requires (a workload lists them all).
    let mut model_names = shared_names::SharedNames::default();
    let controls = catalog
        .controls
        .iter()
        .map(|control| {
            let requirement = obligation::requirement(control, workload, scope);
            let required = requirement.is_some();
            let coverage = Coverage::of(
                workload.control(control.id.as_str()).map(|c| c.status()),
                required,
            );
            ControlCoverage {
                id: control.id.clone(),
                required,
                coverage,
                condition_holds: obligation::conditions_hold_somewhere(control, workload),
                required_by: requirement
                    .and_then(|r| r.model_name())
                    .map(|name| model_names.share(name)),
            }
        })
        .collect();
    WorkloadReport {
        name: workload.name.as_ref().map(|n| n.value.as_str().into()),
        range: workload.block.range,
        name_range: workload.anchor(),
        declared_scope: workload.scope.as_ref().map(|s| s.value),
        inferred_scope: scope.scope,
        stage: workload.stage(),
        reasons: scope.reasons.clone(),
        models: workload
            .models
            .iter()
            .zip(&scope.models)
            .map(|(model, model_scope)| ModelReport {
                name: model.name.as_ref().map(|n| n.value.clone()),
                range: model.anchor(),
                scope: model_scope.scope,
                reason: model_scope.reason.clone(),
            })
            .collect(),
        controls,
        agency_scope: scope.agency.scope,
        agents: workload
            .agents
            .iter()
            .zip(&scope.agency.agents)
            .map(|(agent, agency)| AgentReport {
                name: agent.name.as_ref().map(|n| n.value.clone()),
                range: agent.anchor(),
                declared_agency_scope: agent.agency_scope.as_ref().map(|s| s.value),
                inferred_agency_scope: agency.scope,
                reasons: agency.reasons.clone(),
                controls: agent_controls(catalog, workload, agent, agency),
            })
            .collect(),
    }
}

/// An agent's standing with every agentic control of `catalog`.
fn agent_controls(
    catalog: &Catalog,
    workload: &Workload<'_>,
    agent: &model::Agent<'_>,
    agency: &agency::AgentAgency,
) -> Vec<AgentControlCoverage> {
    let facts = agent.facts();
    let untrusted = workload.untrusted_reaches_agent(agent);
    catalog
        .agentic_controls()
        .map(|control| {
            let required = obligation::agent_requires(control, workload, agent, agency);
            let coverage = Coverage::of(
                obligation::declared_for_agent(control.id.as_str(), workload, agent)
                    .map(|c| c.status()),
                required,
            );
            AgentControlCoverage {
                id: control.id.clone(),
                required,
                coverage,
                required_at: agency::AgencyScope::ALL
                    .into_iter()
                    .filter(|scope| control.required_of_agent(*scope, &facts, untrusted))
                    .map(agency::AgencyScope::number)
                    .collect(),
            }
        })
        .collect()
}

/// Names the workload of every finding that lies inside one (workloads are in file order and
/// do not overlap, so a binary search finds the candidate).
fn attribute_to_workloads(diagnostics: &mut [Diagnostic], reports: &[WorkloadReport]) {
    for diagnostic in diagnostics.iter_mut().filter(|d| d.workload.is_none()) {
        let after = reports.partition_point(|w| w.range.start <= diagnostic.range.start);
        diagnostic.workload = after
            .checked_sub(1)
            .map(|i| &reports[i])
            .filter(|w| w.range.contains_range(diagnostic.range))
            .and_then(|w| w.name.clone());
    }
}

/// Severity overrides and disabled rules, by control id first, then by code.
fn apply_settings(diagnostics: &mut Vec<Diagnostic>, settings: &Settings) {
    if settings.severity_overrides.is_empty() && settings.disabled.is_empty() {
        return;
    }
    diagnostics.retain_mut(|diagnostic| {
        let selectors: Vec<RuleSelector> = RuleSelector::of_finding(diagnostic).collect();
        if selectors.iter().any(|s| settings.disabled.contains(s)) {
            return false;
        }
        match selectors
            .iter()
            .find_map(|s| settings.severity_overrides.get(s))
            .map(|level| level.severity())
        {
            Some(Some(severity)) => {
                diagnostic.severity = severity;
                true
            }
            Some(None) => false,
            None => true,
        }
    });
}

#[cfg(test)]
mod tests;
