//! The agentic axis through the whole analysis: the examples of `examples/agents/` declare
//! every control their facts require and have no finding; taking one away brings it back on
//! the agent, and its fix, applied, removes it again.

use super::examples::EXAMPLES;
use crate::agency::AgencyScope;
use crate::diagnostic::{Code, Diagnostic};
use crate::{AnalysisOptions, analyze, apply_edits};

fn findings(text: &str) -> Vec<Diagnostic> {
    analyze(text, &AnalysisOptions::default())
        .diagnostics
        .into_vec()
}

#[test]
fn examples_that_declare_every_required_control_have_no_finding() {
    for (file, text) in EXAMPLES {
        let found = findings(text);
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

#[test]
fn the_report_gives_each_agent_its_agency_scope() {
    let (_, text) = EXAMPLES[2];
    let analysis = analyze(text, &AnalysisOptions::default());
    let workload = &analysis.workloads[0];
    assert_eq!(workload.agency_scope, Some(AgencyScope::Supervised));
    let agents: Vec<(Option<&str>, Option<u8>, AgencyScope)> = workload
        .agents
        .iter()
        .map(|a| {
            (
                a.name.as_deref(),
                a.declared_agency_scope,
                a.inferred_agency_scope,
            )
        })
        .collect();
    assert_eq!(
        agents,
        [
            (Some("support-chat"), Some(3), AgencyScope::Supervised),
            (Some("refund-agent"), Some(3), AgencyScope::Supervised)
        ]
    );
    // "support-chat" reads only; its delegate raises it, and the reasons say so.
    assert_eq!(workload.agents[0].reasons.len(), 2);
    assert!(workload.agents[0].reasons[1].contains("\"refund-agent\""));
}

#[test]
fn a_workload_without_agents_has_no_agency_scope() {
    let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = consumer_app }\n}\n";
    let analysis = analyze(text, &AnalysisOptions::default());
    assert_eq!(analysis.workloads[0].agency_scope, None);
    assert!(analysis.workloads[0].agents.is_empty());
}

#[test]
fn a_missing_agentic_control_is_reported_on_its_agent_and_fixed_inside_it() {
    let (_, text) = EXAMPLES[2];
    let declared = "    control perimeter.least_privilege_tools { evidence = \"https://wiki.example.com/infra/iam/refund-tool-policy.tf\" }\n";
    assert!(text.contains(declared));
    let without = text.replacen(declared, "", 1);
    let found = findings(&without);
    assert_eq!(found.len(), 1, "{found:#?}");
    let finding = &found[0];
    assert_eq!(finding.code, Code::MissingControl);
    assert_eq!(finding.agent.as_deref(), Some("refund-agent"));
    assert_eq!(
        finding.control.as_deref(),
        Some("perimeter.least_privilege_tools")
    );
    assert_eq!(
        &without[finding.range.start..finding.range.end],
        "\"refund-agent\""
    );
    let fix = &finding.fixes()[0];
    // It inserts a planned control: a plan, so not a fix that fix-all applies.
    assert!(!fix.safe);
    let fixed = apply_edits(&without, &fix.edits).expect("the fix applies");
    // Inside the agent block, indented like its other items.
    let agent_start = fixed.find("agent \"refund-agent\"").expect("the agent");
    let inserted = fixed
        .find("    control perimeter.least_privilege_tools {\n      status = planned\n    }")
        .expect("the inserted block, indented like its neighbours");
    assert!(inserted > agent_start);
    // The control is no longer missing; planned in a production workload, it is now a
    // promise to keep, which `control-not-implemented` reports on its status.
    let after: Vec<(Code, Option<String>)> = findings(&fixed)
        .into_iter()
        .map(|d| (d.code, d.control.as_deref().map(str::to_string)))
        .collect();
    assert_eq!(
        after,
        [(
            Code::ControlNotImplemented,
            Some("perimeter.least_privilege_tools".to_string())
        )]
    );
}

#[test]
fn a_workload_level_agentic_control_covers_every_agent() {
    let (_, text) = EXAMPLES[2];
    let removed = text.replace(
        "    control audit.action_log { evidence = \"https://wiki.example.com/infra/agent-audit-log.tf\" }\n",
        "",
    );
    let agents: Vec<Option<String>> = findings(&removed)
        .into_iter()
        .map(|d| d.agent.as_deref().map(str::to_string))
        .collect();
    assert_eq!(
        agents,
        [
            Some("support-chat".to_string()),
            Some("refund-agent".to_string())
        ],
        "one finding per agent"
    );
    let covered = removed.replacen(
        "  agent \"support-chat\"",
        "  control audit.action_log { evidence = \"https://wiki.example.com/audit\" }\n\n  agent \"support-chat\"",
        1,
    );
    assert!(findings(&covered).is_empty(), "{:#?}", findings(&covered));
}

#[test]
fn untrusted_content_reaches_the_agents_model_only() {
    let text = r#"workload "w" {
  owner = "o"
  model "a" { hosting = managed_api }
  model "b" { hosting = managed_api }
  data "web-pages" {
    classification = public
    use            = rag
    origin         = web
    model          = "a"
  }
  data "curated" {
    classification = internal
    use            = rag
  }
  agent "on-a" { model = "a" }
  agent "on-b" { model = "b" }
}
"#;
    let file = genai_scope_syntax::parse(text);
    let workloads = crate::typed_workloads(crate::catalog::catalog(), &file);
    let workload = &workloads[0];
    assert!(workload.untrusted_reaches_agent(&workload.agents[0]));
    assert!(!workload.untrusted_reaches_agent(&workload.agents[1]));
}
