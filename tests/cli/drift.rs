//! Drift: `check --iac PATH` and `iac = [...]` in `genai-scope.toml` hold bound declarations
//! to the infrastructure fixtures of `tests/fixtures/iac/`. Each code fires where it should
//! and not where the declaration agrees with the infrastructure.

use std::path::Path;

use crate::support::{temp_dir, workspace, write_file};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::{check, cli_check, diagnostics, snapshot_filters};

fn fixture(name: &str) -> String {
    workspace()
        .join("tests/fixtures/iac")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The findings of `code` when `text` is checked against the infrastructure `iac`.
fn findings_with(iac: &[String], text: &str, code: &str) -> Vec<Value> {
    let dir = temp_dir();
    let file = write_file(dir.path(), "app.genai", text);
    let mut args: Vec<String> = vec!["--format".into(), "json".into()];
    for path in iac {
        args.extend(["--iac".into(), path.clone()]);
    }
    args.extend(["--fail-on".into(), "never".into()]);
    args.push(file.to_string_lossy().into_owned());
    let outcome = check(&args).current_dir(dir.path()).run();
    outcome.expect_code(0);
    diagnostics(&outcome.json())
        .into_iter()
        .map(|(_, d)| d)
        .filter(|d| d["code"] == code)
        .collect()
}

fn findings(iac: &str, text: &str, code: &str) -> Vec<Value> {
    findings_with(&[fixture(iac)], text, code)
}

fn messages(found: &[Value]) -> Vec<String> {
    found
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

const TUNED_AS_UNTOUCHED: &str = r#"workload "underwriting" {
  owner = "underwriting@example.com"

  model "notes" {
    resource = "aws_bedrock_custom_model.underwriting"
    hosting  = managed_api
    training = none
  }
}
"#;

#[test]
fn a_fact_the_resource_contradicts_is_a_mismatch() {
    let found = findings("custom-model", TUNED_AS_UNTOUCHED, "iac-mismatch");
    assert_eq!(found.len(), 1, "{found:#?}");
    let _filters = snapshot_filters().bind_to_scope();
    insta::assert_snapshot!(messages(&found).join("\n"), @r#"
    model "notes" declares `training = none`, but its resource aws_bedrock_custom_model.underwriting ([WORKSPACE]/tests/fixtures/iac/custom-model/main.tf:5) gives `training = fine_tuned`; the declaration has drifted from the infrastructure
    "#);
    assert_eq!(found[0]["severity"], "error");
    // On the declared value (its fix, pinned in the analysis's rule snapshots, replaces it).
    assert_eq!(found[0]["range"]["start"]["line"], 7, "{found:#?}");
}

#[test]
fn agreeing_facts_and_unreadable_ones_are_no_mismatch() {
    let agreeing = TUNED_AS_UNTOUCHED.replace("training = none", "training = fine_tuned");
    assert!(findings("custom-model", &agreeing, "iac-mismatch").is_empty());
    // Without infrastructure, nothing is compared.
    assert!(findings_with(&[], TUNED_AS_UNTOUCHED, "iac-mismatch").is_empty());
}

const CLAIMS_ONLY: &str = r#"workload "claims" {
  owner = "claims@example.com"

  model "assistant" {
    resource = "aws_bedrockagent_agent.claims"
    hosting  = managed_api
  }
}
"#;

/// The claims agent of `bedrock-agent/` declared as an agent, with a tool for each of its
/// functions (the user-input group is no tool: the agent asks its user).
const CLAIMS_AGENT: &str = r#"workload "claims" {
  owner = "claims@example.com"

  model "assistant" {
    resource = "aws_bedrockagent_agent.claims"
    hosting  = managed_api
  }

  agent "claims" {
    resource = "aws_bedrockagent_agent.claims"
    model    = "assistant"
    memory   = persistent

    tool "issue_refund" {
      effect   = pay
      approval = required
    }

    tool "lookup_claim" {
      effect = read
    }

    tool "close_claim" {
      effect   = write
      approval = none
    }

    tool "code-interpreter" {
      effect = execute
    }

    tool "notifications" {
      effect = send
    }
  }
}
"#;

#[test]
fn resources_no_block_binds_are_undeclared() {
    let found = findings("bedrock-agent", CLAIMS_AGENT, "undeclared-resource");
    let messages = messages(&found);
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("aws_bedrockagent_agent.fraud_check ")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("aws_bedrockagent_data_source.help_pages ")),
        "{messages:#?}"
    );
    assert!(
        !messages
            .iter()
            .any(|m| m.starts_with("aws_bedrockagent_agent.claims ")),
        "a bound agent is declared: {messages:#?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("an action of agent")),
        "every function has its tool: {messages:#?}"
    );
    // Guardrails and logging only implement controls: they need no block.
    assert!(
        !messages.iter().any(|m| m.contains("aws_bedrock_guardrail")),
        "{messages:#?}"
    );
    assert!(found.iter().all(|d| d["severity"] == "warning"));
}

#[test]
fn a_declaration_binding_everything_has_nothing_undeclared() {
    let text = r#"workload "claims" {
  owner = "claims@example.com"

  model "assistant" {
    resource = "aws_bedrockagent_agent.claims"
    hosting  = managed_api
  }

  model "fraud" {
    resource = "aws_bedrockagent_agent.fraud_check"
    hosting  = managed_api
  }

  agent "claims" {
    resource = "aws_bedrockagent_agent.claims"
    model    = "assistant"

    tool "issue_refund" {
      effect = pay
    }

    tool "lookup_claim" {
      effect = read
    }

    tool "close_claim" {
      effect = write
    }

    tool "code-interpreter" {
      effect = execute
    }

    tool "notifications" {
      effect = send
    }
  }

  agent "fraud-check" {
    resource = "aws_bedrockagent_agent.fraud_check"
    model    = "fraud"
  }

  data "policies" {
    resource       = "aws_bedrockagent_data_source.policy_documents"
    classification = internal
    use            = rag
  }

  data "help" {
    resource       = "aws_bedrockagent_data_source.help_pages"
    classification = public
    use            = rag
  }
}
"#;
    let found = findings("bedrock-agent", text, "undeclared-resource");
    assert!(found.is_empty(), "{:#?}", messages(&found));
}

#[test]
fn an_agent_bound_only_by_its_model_is_undeclared() {
    let found = findings("bedrock-agent", CLAIMS_ONLY, "undeclared-resource");
    let claims: Vec<String> = messages(&found)
        .into_iter()
        .filter(|m| m.starts_with("aws_bedrockagent_agent.claims "))
        .collect();
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert!(
        claims[0].contains("no `agent` block declares it"),
        "{claims:#?}"
    );
    // Not bound as an agent: its functions are not compared yet.
    assert!(
        !messages(&found)
            .iter()
            .any(|m| m.contains("an action of agent")),
        "{found:#?}"
    );
}

#[test]
fn a_function_of_a_bound_agent_without_a_tool_is_undeclared() {
    let text = CLAIMS_AGENT.replace(
        "    tool \"lookup_claim\" {\n      effect = read\n    }\n\n",
        "",
    );
    let found = findings("bedrock-agent", &text, "undeclared-resource");
    let functions: Vec<String> = messages(&found)
        .into_iter()
        .filter(|m| m.contains("an action of agent"))
        .collect();
    assert_eq!(functions.len(), 1, "{functions:#?}");
    assert!(
        functions[0].starts_with("`lookup_claim` of aws_bedrockagent_agent_action_group.refunds (")
            && functions[0].contains("action_groups.tf:"),
        "{functions:#?}"
    );
    // Its quick fix (the drafted tool) is pinned in the analysis's rule snapshots.
}

/// The findings of `code` whose message names `needle`.
fn naming(found: Vec<Value>, needle: &str) -> Vec<String> {
    messages(&found)
        .into_iter()
        .filter(|m| m.contains(needle))
        .collect()
}

#[test]
fn an_agent_declared_without_the_memory_it_has_is_a_mismatch() {
    let forgetful = CLAIMS_AGENT.replace("memory   = persistent", "memory   = none");
    let found = naming(
        findings("bedrock-agent", &forgetful, "iac-mismatch"),
        "memory",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("agent \"claims\" declares `memory = none`")
            && found[0].contains("gives `memory = persistent`"),
        "{found:#?}"
    );
    assert!(
        naming(
            findings("bedrock-agent", CLAIMS_AGENT, "iac-mismatch"),
            "memory"
        )
        .is_empty()
    );
    // Without a memory configuration the infrastructure does not say: never compared.
    let fraud = r#"workload "fraud" {
  owner = "o@example.com"

  model "nova" {
    resource = "aws_bedrockagent_agent.fraud_check"
    hosting  = managed_api
  }

  agent "fraud-check" {
    resource = "aws_bedrockagent_agent.fraud_check"
    model    = "nova"
    memory   = persistent
  }
}
"#;
    assert!(findings("bedrock-agent", fraud, "iac-mismatch").is_empty());
}

#[test]
fn a_tool_approval_the_action_group_contradicts_is_a_mismatch() {
    // Declared without approval, but the function asks for confirmation.
    let unapproved = CLAIMS_AGENT.replace(
        "effect   = pay\n      approval = required",
        "effect   = pay\n      approval = none",
    );
    let found = naming(
        findings("bedrock-agent", &unapproved, "iac-mismatch"),
        "issue_refund",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("declares `approval = none`")
            && found[0].contains("aws_bedrockagent_agent_action_group.refunds")
            && found[0].contains("gives `approval = required`"),
        "{found:#?}"
    );
    // Declared as approved, but confirmation is off.
    let overstated = CLAIMS_AGENT.replace(
        "effect   = write\n      approval = none",
        "effect   = write\n      approval = required",
    );
    let found = naming(
        findings("bedrock-agent", &overstated, "iac-mismatch"),
        "close_claim",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("gives `approval = none`"), "{found:#?}");
    // Agreeing declarations, and a tool that says nothing (the agent's default holds).
    assert!(findings("bedrock-agent", CLAIMS_AGENT, "iac-mismatch").is_empty());
}

#[test]
fn a_tool_taking_the_agents_approval_is_held_to_its_function() {
    let all_approved = CLAIMS_AGENT.replace(
        "    memory   = persistent\n",
        "    memory   = persistent\n    approval = required\n",
    );
    let found = messages(&findings("bedrock-agent", &all_approved, "iac-mismatch"));
    // lookup_claim and notifications say nothing and take `required`; lookup_claim's
    // function has no confirmation. notifications' API schema is not read: not compared.
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(
            "tool \"lookup_claim\" of agent \"claims\" takes `approval = required` from its agent"
        ),
        "{found:#?}"
    );
}

#[test]
fn a_code_interpreter_declared_without_execution_is_a_mismatch() {
    let text = CLAIMS_AGENT.replace(
        "tool \"code-interpreter\" {\n      effect = execute",
        "tool \"code-interpreter\" {\n      effect = read",
    );
    let found = naming(findings("bedrock-agent", &text, "iac-mismatch"), "effect");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("code interpreter: `effect = execute`"),
        "{found:#?}"
    );
    // Other effects cannot be read: `effect = pay` on issue_refund is not compared.
    assert!(
        naming(
            findings("bedrock-agent", CLAIMS_AGENT, "iac-mismatch"),
            "effect"
        )
        .is_empty()
    );
}

const RESEARCH_AGENT: &str = r#"workload "research" {
  owner = "research@example.com"

  model "claude" {
    resource = "ResearchAgent"
    hosting  = managed_api
  }

  agent "research-assistant" {
    resource = "ResearchAgent"
    model    = "claude"

    tool "search_papers" {
      effect = read
    }

    tool "order_copy" {
      effect   = pay
      approval = required
    }
  }
}
"#;

#[test]
fn cloudformation_agents_are_held_to_their_action_groups() {
    assert!(findings("cloudformation", RESEARCH_AGENT, "iac-mismatch").is_empty());
    let unapproved = RESEARCH_AGENT.replace("approval = required", "approval = none");
    let found = naming(
        findings("cloudformation", &unapproved, "iac-mismatch"),
        "order_copy",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("gives `approval = required`"),
        "{found:#?}"
    );
    // The code-interpreter group `analysis` has no tool: undeclared, on the agent's template.
    let undeclared = naming(
        findings("cloudformation", RESEARCH_AGENT, "undeclared-resource"),
        "an action of agent",
    );
    assert_eq!(undeclared.len(), 1, "{undeclared:#?}");
    assert!(
        undeclared[0].starts_with("`analysis` of ResearchAgent (")
            && undeclared[0].contains("stack.yaml:"),
        "{undeclared:#?}"
    );
}

#[test]
fn an_address_the_infrastructure_lacks_is_unbound_with_the_nearest() {
    let text = CLAIMS_ONLY.replace("agent.claims", "agent.claim")
        + r#"
workload "tuned" {
  owner = "o@example.com"

  model "m" {
    hosting = managed_api
  }

  control resilience.reserved_capacity {
    evidence = "iac:aws_bedrock_provisioned_model_throughput.underwritng"
  }
}
"#;
    let found = findings("custom-model", &text, "unbound-resource");
    let messages = messages(&found);
    assert_eq!(found.len(), 2, "{messages:#?}");
    let _filters = snapshot_filters().bind_to_scope();
    insta::assert_snapshot!(messages.join("\n"), @r#"
    `resource` of model "assistant" names `aws_bedrockagent_agent.claim`, which the infrastructure does not have; the nearest is `aws_bedrockagent_agent.underwriter`
    evidence names `aws_bedrock_provisioned_model_throughput.underwritng`, which the infrastructure does not have; the nearest is `aws_bedrock_provisioned_model_throughput.underwriting`
    "#);
}

#[test]
fn iac_evidence_that_exists_is_found_and_without_infrastructure_is_no_missing_file() {
    let text = r#"workload "tuned" {
  owner = "o@example.com"

  model "notes" {
    resource = "aws_bedrock_custom_model.underwriting"
    hosting  = managed_api
    training = fine_tuned
  }

  control resilience.reserved_capacity {
    evidence = "iac:aws_bedrock_provisioned_model_throughput.underwriting"
  }
}
"#;
    assert!(findings("custom-model", text, "unbound-resource").is_empty());
    assert!(findings("custom-model", text, "evidence-not-found").is_empty());
    assert!(findings_with(&[], text, "evidence-not-found").is_empty());
    assert!(findings_with(&[], text, "unbound-resource").is_empty());
}

#[test]
fn a_broken_file_is_reported_and_the_rest_still_used() {
    let text = r#"workload "helper" {
  owner = "o@example.com"

  model "helper" {
    resource = "aws_bedrockagent_agent.helper"
    hosting  = managed_api
  }
}
"#;
    let found = findings("broken", text, "iac-unreadable");
    let messages = messages(&found);
    assert_eq!(found.len(), 1, "{messages:#?}");
    {
        let _filters = snapshot_filters().bind_to_scope();
        insta::assert_snapshot!(messages.join("\n"), @r"
        infrastructure file [WORKSPACE]/tests/fixtures/iac/broken/broken.tf:5 could not be read: not valid HCL at line 5, column 30: invalid block body; expected `}`, newline or identifier; drift is checked against the other files
        ");
    }
    // The agent beside it was read: its binding holds.
    assert!(findings("broken", text, "unbound-resource").is_empty());
    assert!(findings("custom-model", TUNED_AS_UNTOUCHED, "iac-unreadable").is_empty());
}

#[test]
fn a_missing_iac_path_is_a_usage_error() {
    let dir = temp_dir();
    let file = write_file(dir.path(), "app.genai", CLAIMS_ONLY);
    let _filters = snapshot_filters().bind_to_scope();
    assert_cmd_snapshot!(
        cli_check(dir.path(), ["--iac", "no-such-dir", file.to_str().unwrap()]),
        @r"
        success: false
        exit_code: 2
        ----- stdout -----

        ----- stderr -----
        genai-scope: --iac no-such-dir: no such file or directory
        "
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn the_configuration_names_the_infrastructure_relative_to_itself() {
    let dir = temp_dir();
    copy_dir(
        &workspace().join("tests/fixtures/iac/custom-model"),
        &dir.path().join("infra"),
    );
    write_file(dir.path(), "genai-scope.toml", "iac = [\"infra\"]\n");
    write_file(dir.path(), "workloads/app.genai", TUNED_AS_UNTOUCHED);
    // Run from elsewhere: the paths are the configuration's, not the working directory's.
    let outcome = check(["--format", "json", "--fail-on", "never", "workloads"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    let found: Vec<Value> = diagnostics(&outcome.json())
        .into_iter()
        .map(|(_, d)| d)
        .filter(|d| d["code"] == "iac-mismatch")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let _filters = snapshot_filters().bind_to_scope();
    insta::assert_snapshot!(messages(&found).join("\n"), @r#"
    model "notes" declares `training = none`, but its resource aws_bedrock_custom_model.underwriting (infra/main.tf:5) gives `training = fine_tuned`; the declaration has drifted from the infrastructure
    "#);
}
