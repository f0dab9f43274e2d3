//! Code lenses: a summary above each workload ("Scope 3 · 10 missing") and each agent
//! ("Agency 3 · 4 missing") with the edit that adds all its missing controls (an agent's
//! inside its own block).

use super::FileState;
use super::actions::reported_missing;
use crate::agents::{self, agent_sites};
use genai_scope_analysis::catalog::Scope;
use genai_scope_analysis::diagnostic::TextEdit;
use genai_scope_analysis::insert_controls_into_workload;
use genai_scope_syntax::text::TextRange;

/// The summary of one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct Lens {
    /// The workload's name (its label).
    pub range: TextRange,
    pub workload: Option<String>,
    /// The declared scope, else the inferred one.
    pub scope: Option<Scope>,
    pub missing: usize,
    /// Adds all the missing controls (as `planned`); `None` when none is missing.
    pub add_all: Option<TextEdit>,
}

impl Lens {
    /// "Scope 3 · 10 missing", "Scope ? · nothing missing".
    pub fn title(&self) -> String {
        let scope = self.scope.map_or("?".to_string(), |s| s.to_string());
        match self.missing {
            0 => format!("Scope {scope} · nothing missing"),
            n => format!("Scope {scope} · {n} missing"),
        }
    }
}

pub fn lenses(file: &FileState) -> Vec<Lens> {
    file.workloads()
        .enumerate()
        .map(|(index, (_, report))| {
            let missing = reported_missing(file, report);
            Lens {
                range: report.name_range,
                workload: report.name.as_deref().map(str::to_string),
                scope: report.declared_scope.or(report.inferred_scope),
                missing: missing.len(),
                add_all: (!missing.is_empty())
                    .then(|| {
                        insert_controls_into_workload(&file.text, &file.syntax, index, &missing)
                    })
                    .flatten(),
            }
        })
        .collect()
}

/// The summary of one agent.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentLens {
    /// The agent's name (its label).
    pub range: TextRange,
    pub workload_index: usize,
    /// Its index among its workload's agents.
    pub agent_index: usize,
    pub agent: Option<String>,
    /// The inferred agency scope.
    pub agency: genai_scope_analysis::agency::AgencyScope,
    pub missing: usize,
    /// Adds its missing agentic controls (as `planned`) inside its block; `None` when none
    /// is missing.
    pub add_all: Option<TextEdit>,
}

impl AgentLens {
    /// "Agency 3 · 4 missing", "Agency 1 · nothing missing".
    pub fn title(&self) -> String {
        match self.missing {
            0 => format!("Agency {} · nothing missing", self.agency),
            n => format!("Agency {} · {n} missing", self.agency),
        }
    }
}

pub fn agent_lenses(file: &FileState) -> Vec<AgentLens> {
    agent_sites(file)
        .into_iter()
        .map(|site| {
            let missing = agents::reported_missing(file, &site);
            AgentLens {
                range: site.report.range,
                workload_index: site.workload_index,
                agent_index: site.agent_index,
                agent: site.report.name.clone(),
                agency: site.report.inferred_agency_scope,
                missing: missing.len(),
                add_all: (!missing.is_empty())
                    .then(|| agents::add_controls_edit(file, &site, &missing)),
            }
        })
        .collect()
}

/// The lens of the `agent_index`-th agent of the `workload_index`-th workload.
pub fn agent_lens(
    file: &FileState,
    workload_index: usize,
    agent_index: usize,
) -> Option<AgentLens> {
    agent_lenses(file)
        .into_iter()
        .find(|lens| lens.workload_index == workload_index && lens.agent_index == agent_index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::{AnalysisOptions, apply_edits};

    /// The agentic examples declare what their agents need: every agent lens says so, with
    /// the agency scope each example's first line expects.
    #[test]
    fn the_agentic_examples_agents_miss_nothing() {
        let examples = [
            (
                1,
                include_str!("../../../examples/agents/agency1-lookup-assistant.genai"),
            ),
            (
                2,
                include_str!("../../../examples/agents/agency2-ticketing-agent.genai"),
            ),
            (
                3,
                include_str!("../../../examples/agents/agency3-refund-agent.genai"),
            ),
            (
                4,
                include_str!("../../../examples/agents/agency4-follow-up-scheduler.genai"),
            ),
        ];
        for (agency, text) in examples {
            assert!(text.starts_with(&format!("# Expected agency scope: {agency}")));
            let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
            let lenses = agent_lenses(&file);
            assert!(!lenses.is_empty());
            for lens in &lenses {
                assert_eq!(
                    lens.title(),
                    format!("Agency {agency} · nothing missing"),
                    "{lens:?}"
                );
                assert!(lens.add_all.is_none());
            }
        }
    }

    #[test]
    fn each_agent_has_a_summary_whose_edit_adds_its_controls_inside_its_block() {
        let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  agent \"reader\" {\n    tool \"t\" { effect = read }\n  }\n  agent \"payer\" {\n    tool \"p\" { effect = pay }\n  }\n}\n";
        let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
        let lenses = agent_lenses(&file);
        assert_eq!(lenses.len(), 2);
        let payer = &lenses[1];
        assert_eq!(payer.agent.as_deref(), Some("payer"));
        assert_eq!(&text[payer.range.start..payer.range.end], "\"payer\"");
        assert_eq!(
            (payer.workload_index, payer.agent_index, payer.agency),
            (0, 1, genai_scope_analysis::agency::AgencyScope::Supervised)
        );
        assert!(payer.missing > lenses[0].missing, "{lenses:#?}");
        assert_eq!(
            payer.title(),
            format!("Agency 3 · {} missing", payer.missing)
        );
        let edit = payer.add_all.clone().unwrap();
        let agent_body = text.find("agent \"payer\"").unwrap()..text.rfind("\n}").unwrap();
        assert!(
            agent_body.contains(&edit.range.start),
            "inside the agent's block"
        );
        let fixed = apply_edits(text, &[edit]).unwrap();
        let after = FileState::new(fixed, None, &AnalysisOptions::default());
        let again = agent_lens(&after, 0, 1).unwrap();
        assert_eq!(again.title(), "Agency 3 · nothing missing");
        assert!(again.add_all.is_none());
        assert_eq!(
            agent_lens(&after, 0, 0).unwrap().missing,
            lenses[0].missing,
            "the other agent keeps its own"
        );
    }

    #[test]
    fn each_workload_has_a_summary_whose_edit_adds_what_is_missing() {
        let text = "workload \"a\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n}\nworkload \"b\" {\n  owner = \"o\"\n}\n";
        let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
        let lenses = lenses(&file);
        assert_eq!(lenses.len(), 2);
        let a = &lenses[0];
        assert_eq!(a.workload.as_deref(), Some("a"));
        assert_eq!(&text[a.range.start..a.range.end], "\"a\"");
        assert_eq!(a.scope, Scope::new(3));
        assert!(a.missing > 1);
        assert_eq!(a.title(), format!("Scope 3 · {} missing", a.missing));
        let fixed = apply_edits(text, std::slice::from_ref(a.add_all.as_ref().unwrap())).unwrap();
        let after = FileState::new(fixed, None, &AnalysisOptions::default());
        assert_eq!(super::lenses(&after)[0].missing, 0);
        assert_eq!(
            super::lenses(&after)[0].title(),
            "Scope 3 · nothing missing"
        );
    }
}
