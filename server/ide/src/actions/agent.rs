//! The additions of an agent's missing agentic controls, inside its own block: all of them
//! at once for the findings under the cursor, and as source actions for the agent around the
//! cursor (all, then each security dimension's). They insert `planned` controls, which state
//! a plan, so none of them is a safe fix.

use super::{Action, ActionKind, count_controls};
use crate::FileState;
use crate::agents::{
    AgentSite, add_controls_edit, agent_at, agent_sites, agent_sites_of, reported_missing,
};
use crate::grouping::Shown;
use genai_scope_analysis::diagnostic::TextEdit;
use genai_scope_analysis::{Analysis, insert_controls_into_block};
use genai_scope_syntax::SourceFile;
use genai_scope_syntax::text::TextRange;

/// The agent a finding is anchored on (its label, else its keyword).
fn agent_of(file: &FileState, anchor: TextRange) -> Option<AgentSite<'_>> {
    agent_sites(file)
        .into_iter()
        .find(|site| site.report.range == anchor)
}

/// The edit that adds `ids` inside the block of the agent anchored at `anchor`.
pub fn add_to_agent_edit(
    text: &str,
    syntax: &SourceFile,
    analysis: &Analysis,
    anchor: TextRange,
    ids: &[&str],
) -> Option<TextEdit> {
    let site = agent_sites_of(syntax, analysis)
        .into_iter()
        .find(|site| site.report.range == anchor)?;
    Some(insert_controls_into_block(text, site.block, ids))
}

/// "Add all N missing controls to agent "x"" for several per-control findings on one agent.
pub fn add_all_quick_fix(file: &FileState, findings: &[&Shown]) -> Option<Action> {
    let anchor = findings.first()?.diagnostic.range;
    let site = agent_of(file, anchor)?;
    let ids: Vec<&str> = findings
        .iter()
        .filter(|s| s.diagnostic.range == anchor)
        .filter_map(|s| s.diagnostic.control.as_deref())
        .collect();
    Some(Action {
        title: format!(
            "Add all {} missing controls to agent \"{}\"",
            ids.len(),
            site.name()
        ),
        kind: ActionKind::QuickFix,
        edits: vec![add_controls_edit(file, &site, &ids)],
        diagnostics: findings.iter().map(|s| s.diagnostic.clone()).collect(),
        preferred: true,
    })
}

/// For the agent around `offset`: all its missing agentic controls, then each dimension's
/// (when that is not all of them), each inserted in its block.
pub fn source_actions(file: &FileState, offset: usize) -> Vec<Action> {
    let mut out = Vec::new();
    let Some(site) = agent_at(file, offset) else {
        return out;
    };
    let missing = reported_missing(file, &site);
    if missing.is_empty() {
        return out;
    }
    let name = site.name();
    out.push(Action {
        title: format!("Add {} to agent \"{name}\"", count_controls(missing.len())),
        kind: ActionKind::AddMissingControls { discipline: None },
        edits: vec![add_controls_edit(file, &site, &missing)],
        diagnostics: Vec::new(),
        preferred: false,
    });
    for dimension in &file.catalog().dimensions {
        let prefix = format!("{}.", dimension.id);
        let ids: Vec<&str> = missing
            .iter()
            .copied()
            .filter(|id| id.starts_with(&prefix))
            .collect();
        if ids.is_empty() || ids.len() == missing.len() {
            continue;
        }
        out.push(Action {
            title: format!(
                "Add {} of the {} dimension to agent \"{name}\"",
                count_controls(ids.len()),
                dimension.name
            ),
            kind: ActionKind::AddMissingControls {
                discipline: Some(dimension.id.clone()),
            },
            edits: vec![add_controls_edit(file, &site, &ids)],
            diagnostics: Vec::new(),
            preferred: false,
        });
    }
    out
}

/// One insertion of all its missing controls per agent that misses some (for `check --fix`).
pub fn add_all_edits(file: &FileState) -> Vec<TextEdit> {
    agent_sites(file)
        .iter()
        .filter_map(|site| {
            let missing = reported_missing(file, site);
            (!missing.is_empty()).then(|| add_controls_edit(file, site, &missing))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{ActionOptions, actions_with, fix_all, safe_fixes};
    use super::*;
    use genai_scope_analysis::diagnostic::Code;
    use genai_scope_analysis::{AnalysisOptions, apply_edits};

    /// A supervised agent missing controls of several dimensions, between two items.
    const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n\n  agent \"payer\" {\n    tool \"p\" { effect = pay }\n  }\n\n  control risk.threat_model {}\n}\n";

    fn file(text: &str) -> FileState {
        FileState::new(text.to_string(), None, &AnalysisOptions::default())
    }

    fn agent_findings(file: &FileState) -> usize {
        file.analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::MissingControl && d.agent.is_some())
            .count()
    }

    fn options(group: bool) -> ActionOptions {
        ActionOptions {
            group_missing_controls: group,
            source_actions: true,
        }
    }

    /// The agent's block up to its closing brace's line, where its controls belong.
    fn agent_body(text: &str) -> std::ops::RangeInclusive<usize> {
        let start = text.find("agent \"payer\"").unwrap();
        start..=start + text[start..].find("\n  }").unwrap()
    }

    #[test]
    fn the_preferred_fix_adds_all_of_an_agents_controls_inside_its_block() {
        for group in [true, false] {
            let file = file(TEXT);
            let at = TEXT.find("\"payer\"").unwrap() + 2;
            let actions = actions_with(&file, TextRange::new(at, at), options(group));
            let preferred: Vec<&Action> = actions.iter().filter(|a| a.preferred).collect();
            assert_eq!(preferred.len(), 1, "group = {group}: {actions:#?}");
            let add_all = preferred[0];
            assert_eq!(
                add_all.title,
                format!(
                    "Add all {} missing controls to agent \"payer\"",
                    agent_findings(&file)
                ),
                "group = {group}"
            );
            assert!(agent_body(TEXT).contains(&add_all.edits[0].range.start));
            let fixed = apply_edits(TEXT, &add_all.edits).unwrap();
            assert!(
                fixed.contains("    tool \"p\" { effect = pay }\n\n    control identity.agent_identity {\n      status = planned\n    }\n"),
                "indented like the agent's items: {fixed}"
            );
            assert_eq!(agent_findings(&super::tests::file(&fixed)), 0, "{fixed}");
        }
    }

    #[test]
    fn source_actions_add_an_agents_controls_all_or_per_dimension() {
        let file = file(TEXT);
        let inside = TEXT.find("tool").unwrap();
        let actions = source_actions(&file, inside);
        let missing = agent_findings(&file);
        assert_eq!(
            actions[0].title,
            format!("Add {missing} missing controls to agent \"payer\"")
        );
        assert_eq!(
            actions[0].kind,
            ActionKind::AddMissingControls { discipline: None }
        );
        let orchestration = actions
            .iter()
            .find(|a| {
                a.kind
                    == ActionKind::AddMissingControls {
                        discipline: Some("orchestration".into()),
                    }
            })
            .expect("one per dimension");
        assert!(
            orchestration
                .title
                .ends_with("of the Orchestration dimension to agent \"payer\""),
            "{}",
            orchestration.title
        );
        let fixed = apply_edits(TEXT, &orchestration.edits).unwrap();
        assert!(agent_body(TEXT).contains(&orchestration.edits[0].range.start));
        let after = super::tests::file(&fixed);
        let left: Vec<&str> = after
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.agent.is_some() && d.code == Code::MissingControl)
            .filter_map(|d| d.control.as_deref())
            .collect();
        assert!(
            left.iter().all(|id| !id.starts_with("orchestration.")),
            "{left:?}"
        );
        let orchestration_missing = file
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.agent.is_some())
            .filter(|d| {
                d.control
                    .as_deref()
                    .is_some_and(|id| id.starts_with("orchestration."))
            })
            .count();
        assert!(orchestration_missing > 0);
        assert_eq!(left.len(), missing - orchestration_missing);
        // Also offered through the whole list, and only inside the agent.
        let all = actions_with(&file, TextRange::new(inside, inside), options(true));
        assert!(all.iter().any(|a| a.title == actions[0].title));
        assert!(source_actions(&file, TEXT.find("control risk").unwrap()).is_empty());
    }

    #[test]
    fn check_fix_adds_the_agents_controls_inside_it_and_the_workloads_in_it() {
        let file = file(TEXT);
        let fixed = apply_edits(TEXT, &fix_all(&file)).unwrap();
        let after = super::tests::file(&fixed);
        let missing: Vec<&str> = after
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::MissingControl)
            .filter_map(|d| d.control.as_deref())
            .collect();
        assert!(missing.is_empty(), "{missing:?}\n{fixed}");
        let agent_start = fixed.find("agent \"payer\"").unwrap();
        let agent_end = agent_start + fixed[agent_start..].find("\n  }").unwrap();
        let agent = &fixed[agent_start..agent_end];
        assert!(agent.contains("control agent.kill_switch {"), "{fixed}");
        assert!(!agent.contains("control risk."), "{fixed}");
    }

    #[test]
    fn adding_planned_agentic_controls_is_never_a_safe_fix() {
        let file = file(TEXT);
        let safe = safe_fixes(&file);
        let body = agent_body(TEXT);
        assert!(
            safe.iter()
                .all(|edit| !edit.new_text.contains("status = planned")
                    && !body.contains(&edit.range.start)),
            "{safe:#?}"
        );
    }
}
