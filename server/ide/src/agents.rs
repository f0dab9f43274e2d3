//! The agents of a file as the editor features see them: each agent's block with its report,
//! the agentic controls it still misses (as reported), the edit that adds them inside its
//! block, and its coverage per security dimension (for hover).

use super::FileState;
use genai_scope_analysis::catalog::Catalog;
use genai_scope_analysis::diagnostic::{Code, TextEdit};
use genai_scope_analysis::model::{NamedBlock as _, Status};
use genai_scope_analysis::obligation::{agent_requires, declared_for_agent};
use genai_scope_analysis::{
    AgentReport, Analysis, insert_controls_into_block, scope, typed_workloads,
};
use genai_scope_syntax::{Block, BlockKind, SourceFile};

/// One agent block, with the report the analysis made of it.
#[derive(Clone, Copy, Debug)]
pub struct AgentSite<'f> {
    /// The index of its workload among the file's workloads.
    pub workload_index: usize,
    /// Its index among the agents of its workload.
    pub agent_index: usize,
    pub block: &'f Block,
    pub report: &'f AgentReport,
}

impl AgentSite<'_> {
    pub fn name(&self) -> &str {
        self.report.name.as_deref().unwrap_or("(unnamed)")
    }
}

/// Every agent of the file, in order.
pub fn agent_sites(file: &FileState) -> Vec<AgentSite<'_>> {
    agent_sites_of(&file.syntax, &file.analysis)
}

/// [`agent_sites`] of a syntax tree and its analysis (the command line has no [`FileState`]).
pub fn agent_sites_of<'f>(syntax: &'f SourceFile, analysis: &'f Analysis) -> Vec<AgentSite<'f>> {
    let mut out = Vec::new();
    let workloads = genai_scope_analysis::workload_blocks(syntax).zip(&analysis.workloads);
    for (workload_index, (workload, report)) in workloads.enumerate() {
        for (agent_index, agent) in report.agents.iter().enumerate() {
            // The report is anchored on the agent's label, else on its keyword.
            let block = workload.blocks().find(|b| {
                b.is(BlockKind::Agent)
                    && b.label
                        .as_ref()
                        .map_or(b.keyword.range, |label| label.range)
                        == agent.range
            });
            if let Some(block) = block {
                out.push(AgentSite {
                    workload_index,
                    agent_index,
                    block,
                    report: agent,
                });
            }
        }
    }
    out
}

/// The agent whose block holds `offset`.
pub fn agent_at(file: &FileState, offset: usize) -> Option<AgentSite<'_>> {
    agent_sites(file).into_iter().find(|site| {
        let end = site.block.close_brace.map_or(usize::MAX, |close| close.end);
        site.block.range.start <= offset && offset <= end
    })
}

/// The agentic controls the analysis reports missing for this agent, in catalog order
/// (settings may have disabled some; those are not offered).
pub fn reported_missing<'f>(file: &'f FileState, site: &AgentSite<'_>) -> Vec<&'f str> {
    file.analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingControl && d.range == site.report.range)
        .filter_map(|d| d.control.as_deref())
        .collect()
}

/// The edit that inserts `ids` (as `planned`) at the end of the agent's block.
pub fn add_controls_edit(file: &FileState, site: &AgentSite<'_>, ids: &[&str]) -> TextEdit {
    insert_controls_into_block(&file.text, site.block, ids)
}

/// How one agentic control stands for one agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentControl {
    pub id: String,
    /// Its dimension's id (the control id's prefix).
    pub dimension: String,
    pub required: bool,
    /// Declared in the agent's block or in the workload, with its status.
    pub declared: Option<Status>,
}

impl AgentControl {
    /// Required and declared, in whatever status.
    pub fn is_present(&self) -> bool {
        self.required && self.declared.is_some()
    }

    pub fn is_missing(&self) -> bool {
        self.required && self.declared.is_none()
    }
}

/// Every agentic control of the catalog as it stands for this agent, in catalog order.
pub fn agent_controls(file: &FileState, site: &AgentSite<'_>) -> Vec<AgentControl> {
    let catalog: &Catalog = file.catalog();
    let workloads = typed_workloads(catalog, &file.syntax);
    let Some(workload) = workloads.get(site.workload_index) else {
        return Vec::new();
    };
    let inferred = scope::infer_workload(catalog, workload);
    let Some((agent, agency)) = workload
        .agents
        .iter()
        .zip(&inferred.agency.agents)
        .find(|(agent, _)| agent.anchor() == site.report.range)
    else {
        return Vec::new();
    };
    catalog
        .agentic_controls()
        .map(|control| AgentControl {
            id: control.id.as_str().to_string(),
            dimension: control.discipline_id().to_string(),
            required: agent_requires(control, workload, agent, agency),
            declared: declared_for_agent(control.id.as_str(), workload, agent)
                .map(|declared| declared.status()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::{AnalysisOptions, apply_edits};

    /// A supervised agent (it pays without approval) that declares one control.
    pub(crate) const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n\n  agent \"refunds\" {\n    tool \"pay\" { effect = pay }\n    control audit.action_log {}\n  }\n}\n";

    fn file(text: &str) -> FileState {
        FileState::new(text.to_string(), None, &AnalysisOptions::default())
    }

    #[test]
    fn finds_each_agent_with_its_block_and_report() {
        let file = file(TEXT);
        let sites = agent_sites(&file);
        assert_eq!(sites.len(), 1);
        assert_eq!(sites[0].name(), "refunds");
        assert_eq!(
            sites[0].report.inferred_agency_scope,
            genai_scope_analysis::agency::AgencyScope::Supervised
        );
        let inside = TEXT.find("tool").unwrap();
        assert_eq!(agent_at(&file, inside).unwrap().name(), "refunds");
        assert!(agent_at(&file, TEXT.find("model").unwrap()).is_none());
    }

    #[test]
    fn coverage_and_reported_missing_agree() {
        let file = file(TEXT);
        let site = agent_sites(&file)[0];
        let controls = agent_controls(&file, &site);
        let log = controls
            .iter()
            .find(|c| c.id == "audit.action_log")
            .unwrap();
        assert!(log.is_present());
        let missing: Vec<&str> = controls
            .iter()
            .filter(|c| c.is_missing())
            .map(|c| c.id.as_str())
            .collect();
        assert!(missing.contains(&"agent.kill_switch"), "{missing:?}");
        assert!(
            !missing.contains(&"identity.agent_attestation"),
            "scope 4 only"
        );
        assert_eq!(reported_missing(&file, &site), missing);
    }

    #[test]
    fn the_edit_adds_the_controls_inside_the_agent_block() {
        let file = file(TEXT);
        let site = agent_sites(&file)[0];
        let missing = reported_missing(&file, &site);
        let fixed = apply_edits(TEXT, &[add_controls_edit(&file, &site, &missing)]).unwrap();
        assert!(
            fixed.contains("    control audit.action_log {}\n\n    control identity.agent_identity {\n      status = planned\n    }\n"),
            "{fixed}"
        );
        let after = super::tests::file(&fixed);
        let site = agent_sites(&after)[0];
        assert!(reported_missing(&after, &site).is_empty());
    }
}
