//! Hover on the agentic axis: an agent's agency scope with its reasons and its coverage of the
//! six security dimensions, the inferred scope on `agency_scope`, and what a tool may do.

use std::fmt::Write;

use super::Hover;
use crate::FileState;
use crate::agents::{AgentControl, AgentSite, agent_at, agent_controls};
use genai_scope_analysis::agency::{Approval, Effect, is_high_impact};
use genai_scope_analysis::catalog::Catalog;
use genai_scope_analysis::model::{NamedBlock as _, Status, Tool};
use genai_scope_analysis::{AgentReport, typed_workloads};
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{Block, BlockKind};

/// Hover on an agent's label: its agency scope and a table of the six dimensions.
pub fn agent_hover(file: &FileState, block: &Block, range: TextRange) -> Option<Hover> {
    let site = agent_at(file, block.range.start)?;
    let catalog = file.catalog();
    let mut markdown = format!(
        "### agent \"{}\"\n\n{}",
        site.name(),
        agency_markdown(catalog, site.report)
    );
    markdown.push_str(&dimensions_markdown(catalog, &agent_controls(file, &site)));
    Some(Hover { markdown, range })
}

/// Hover on the value of `agency_scope`: the inferred scope beside the declared one.
pub fn agency_scope_hover(file: &FileState, offset: usize, range: TextRange) -> Option<Hover> {
    let site = agent_at(file, offset)?;
    Some(Hover {
        markdown: agency_markdown(file.catalog(), site.report),
        range,
    })
}

/// On the key `agency_scope` of an agent: what its facts give, under the attribute's meaning.
pub fn agency_scope_key_note(
    file: &FileState,
    block: &Block,
    key: &str,
    offset: usize,
) -> Option<String> {
    if !block.is(BlockKind::Agent) || key != "agency_scope" {
        return None;
    }
    Some(agency_markdown(
        file.catalog(),
        agent_at(file, offset)?.report,
    ))
}

/// "**Agency scope 3: Supervised agency** (declared and inferred)", then the reasons.
pub fn agency_markdown(catalog: &Catalog, report: &AgentReport) -> String {
    let inferred = report.inferred_agency_scope.number();
    let name = |n: u8| {
        catalog
            .agency_scope(n)
            .map_or("unknown agency scope", |s| s.name.as_str())
    };
    let mut out = match report.declared_agency_scope {
        Some(declared) if declared == inferred => format!(
            "**Agency scope {inferred}: {}** (declared and inferred)\n\n",
            name(inferred)
        ),
        Some(declared) => format!(
            "**Declared agency scope {declared}** ({}) but the inferred one is **{inferred}** ({})\n\n",
            name(declared),
            name(inferred)
        ),
        None => format!(
            "**Inferred agency scope {inferred}: {}**\n\n",
            name(inferred)
        ),
    };
    for reason in &report.reasons {
        let _ = writeln!(out, "- {reason}");
    }
    out
}

/// A row per security dimension: how many controls are required, present and missing, and
/// which are missing.
fn dimensions_markdown(catalog: &Catalog, controls: &[AgentControl]) -> String {
    let mut out = "\n| dimension | required | present | missing |\n|---|---|---|---|\n".to_string();
    for dimension in &catalog.dimensions {
        let of_dimension: Vec<&AgentControl> = controls
            .iter()
            .filter(|c| c.required && c.dimension == dimension.id)
            .collect();
        let present = of_dimension.iter().filter(|c| c.is_present()).count();
        let missing: Vec<String> = of_dimension
            .iter()
            .filter(|c| c.is_missing())
            .map(|c| format!("`{}`", c.id))
            .collect();
        let missing = if missing.is_empty() {
            "0".to_string()
        } else {
            missing.join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {present} | {missing} |",
            dimension.name,
            of_dimension.len()
        );
    }
    // Present includes planned controls: say which, as the workload's hover does.
    let planned: Vec<String> = controls
        .iter()
        .filter(|c| c.required && c.declared == Some(Status::Planned))
        .map(|c| format!("`{}`", c.id))
        .collect();
    if !planned.is_empty() {
        let _ = write!(out, "\nPlanned, not yet in place: {}\n", planned.join(", "));
    }
    out
}

/// Hover on a tool's label: its effect, approval and audience, and whether it is a
/// high-impact action that runs without approval.
pub fn tool_hover(file: &FileState, block: &Block, range: TextRange) -> Option<Hover> {
    let site = agent_at(file, block.range.start)?;
    let workloads = typed_workloads(file.catalog(), &file.syntax);
    let agent = workloads
        .get(site.workload_index)?
        .agents
        .iter()
        .find(|agent| agent.anchor() == site.report.range)?;
    let tool = agent
        .tools
        .iter()
        .find(|tool| std::ptr::eq(tool.block, block))?;
    let agent_approval = agent.facts().approval;
    Some(Hover {
        markdown: tool_markdown(&site, tool, agent_approval),
        range,
    })
}

fn tool_markdown(site: &AgentSite<'_>, tool: &Tool<'_>, agent_approval: Approval) -> String {
    let mut out = format!(
        "### tool \"{}\" of agent \"{}\"\n\n",
        tool.display_name(),
        site.name()
    );
    let Some(facts) = tool.facts() else {
        out.push_str("No valid `effect`: the agency inference leaves this tool out.\n");
        return out;
    };
    let approval = facts.approval_in(agent_approval);
    let approval_text = match (approval, facts.approval.is_some()) {
        (Approval::Required, true) => "required",
        (Approval::Required, false) => "required (the agent's default)",
        (Approval::None, true) => "none",
        (Approval::None, false) => "none (the agent's default)",
    };
    let _ = writeln!(out, "- effect: `{}`", facts.effect.keyword());
    let _ = writeln!(out, "- approval: {approval_text}");
    if facts.effect == Effect::Send {
        let _ = writeln!(out, "- audience: `{}`", facts.audience.keyword());
    }
    let impact = if is_high_impact(&facts, agent_approval) {
        "\n**High impact, without approval**: a person should approve each call before it runs."
    } else if facts.has_high_impact_effect() {
        "\nHigh impact, approved by a person before it runs."
    } else if facts.effect.changes_things() {
        "\nChanges things, but not a high-impact action."
    } else {
        "\nRead-only."
    };
    out.push_str(impact);
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::hover_at;

    const AGENT: &str = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n\n  agent \"ref$0unds\" {\n    agency_scope = 2\n    tool \"lookup\" { effect = read }\n    tool \"pay\" { effect = pay }\n    tool \"mail\" {\n      effect   = send\n      audience = external\n      approval = required\n    }\n    control audit.action_log {}\n  }\n}\n";

    /// The hover at `marker`'s `|` (its first occurrence in the agent fixture).
    fn at(marker: &str) -> String {
        let plain = AGENT.replace("$0", "");
        let text = plain.replacen(&marker.replace('|', ""), &marker.replace('|', "$0"), 1);
        hover_at(&text).unwrap_or_default()
    }

    #[test]
    fn hover_on_an_agent_shows_its_agency_and_the_six_dimensions() {
        let markdown = hover_at(AGENT).unwrap();
        assert!(markdown.starts_with("### agent \"refunds\""), "{markdown}");
        assert!(
            markdown.contains("**Declared agency scope 2** (Prescribed agency) but the inferred one is **3** (Supervised agency)"),
            "{markdown}"
        );
        assert!(
            markdown.contains("- tool \"pay\" pays without approval"),
            "{markdown}"
        );
        assert!(
            markdown.contains(
                "| Audit and logging | 3 | 1 | `audit.approval_trail`, `audit.decision_trace` |"
            ),
            "{markdown}"
        );
        assert_eq!(
            markdown.matches("\n| ").count(),
            7,
            "a header and six rows: {markdown}"
        );
    }

    /// The refund example's agents declare (and implement) what they need: the table counts it
    /// present.
    #[test]
    fn hover_on_a_complete_agent_counts_nothing_missing() {
        let example = include_str!("../../../../examples/agents/agency3-refund-agent.genai");
        for agent in ["support-chat", "refund-agent"] {
            let quoted = format!("agent \"{agent}\"");
            let text = example.replacen(&quoted, &format!("agent \"$0{agent}\""), 1);
            let markdown = hover_at(&text).unwrap();
            assert!(markdown.contains("(declared and inferred)"), "{markdown}");
            let rows: Vec<&str> = markdown
                .lines()
                .filter(|l| l.starts_with("| ") && !l.starts_with("| dimension"))
                .collect();
            assert_eq!(rows.len(), 6, "{markdown}");
            assert!(rows.iter().all(|row| row.ends_with("| 0 |")), "{markdown}");
            let required: usize = rows
                .iter()
                .filter_map(|row| row.split('|').nth(2)?.trim().parse::<usize>().ok())
                .sum();
            assert!(required > 10, "{markdown}");
            // Every control of the example is in place: nothing is listed as only planned.
            assert!(
                !markdown.contains("Planned, not yet in place"),
                "{markdown}"
            );
        }
    }

    #[test]
    fn hover_on_agency_scope_shows_the_inferred_scope() {
        let markdown = at("agency_scope = |2");
        assert!(
            markdown.starts_with("**Declared agency scope 2**"),
            "{markdown}"
        );
        assert!(markdown.contains("pays without approval"), "{markdown}");
    }

    #[test]
    fn hover_on_the_agency_scope_key_adds_the_inferred_scope_to_its_meaning() {
        let markdown = at("agency_sc|ope");
        assert!(markdown.starts_with("**agency_scope**: "), "{markdown}");
        assert!(
            markdown.contains(
                "\n\n**Declared agency scope 2** (Prescribed agency) but the inferred one is **3**"
            ),
            "{markdown}"
        );
        let other = at("  tool \"lookup\" { eff|ect");
        assert!(!other.contains("agency scope"), "{other}");
    }

    #[test]
    fn hover_on_a_tool_shows_its_facts_and_impact() {
        let pay = at("tool \"p|ay\"");
        assert!(
            pay.starts_with("### tool \"pay\" of agent \"refunds\""),
            "{pay}"
        );
        assert!(pay.contains("- effect: `pay`"), "{pay}");
        assert!(
            pay.contains("- approval: none (the agent's default)"),
            "{pay}"
        );
        assert!(pay.contains("**High impact, without approval**"), "{pay}");
        let mail = at("tool \"ma|il\"");
        assert!(mail.contains("- audience: `external`"), "{mail}");
        assert!(mail.contains("- approval: required\n"), "{mail}");
        assert!(mail.contains("High impact, approved by a person"), "{mail}");
        let lookup = at("tool \"look|up\"");
        assert!(lookup.ends_with("Read-only."), "{lookup}");
    }

    #[test]
    fn hover_on_an_effect_value_explains_it() {
        let markdown = at("effect = p|ay");
        assert!(markdown.starts_with("`effect` = `pay`"), "{markdown}");
        assert!(markdown.len() > "`effect` = `pay`".len() + 10, "{markdown}");
    }
}
