//! Custom controls declared in `genai-scope.toml` behave as built-in ones in every command:
//! `check` (text, JSON, SARIF rules), `check --fix`, `explain`, `matrix`, `new` and `report`.

use crate::support::{
    CUSTOM_CONTROLS_TOML as CONFIG, RAG_WORKLOAD as WORKLOAD, genai_scope, temp_dir, write_file,
};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::{TODAY, check, cli, cli_check, diagnostics, snapshot_filters};

fn project() -> tempfile::TempDir {
    let dir = temp_dir();
    write_file(dir.path(), "genai-scope.toml", CONFIG);
    write_file(dir.path(), "kb.genai", WORKLOAD);
    dir
}

/// The JSON findings about `controls.prompt_logging` when checking `file` in `dir`.
fn prompt_logging_findings(dir: &std::path::Path, file: &str) -> Vec<Value> {
    let report = check(["--format", "json", file])
        .current_dir(dir)
        .run()
        .json();
    diagnostics(&report)
        .into_iter()
        .filter(|(_, d)| d["control"] == "controls.prompt_logging")
        .map(|(_, d)| d)
        .collect()
}

#[test]
fn check_reports_a_missing_custom_control_with_its_severity_and_title() {
    let dir = project();
    let custom = prompt_logging_findings(dir.path(), "kb.genai");
    assert_eq!(custom.len(), 1, "{custom:#?}");
    let diagnostic = &custom[0];
    assert_eq!(diagnostic["code"], "missing-control");
    assert_eq!(diagnostic["severity"], "error", "[severity] applies");
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("Log prompts and completions"),
        "{diagnostic}"
    );
    // The text report too.
    assert_cmd_snapshot!(cli_check(dir.path(), ["--color", "never", "kb.genai"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    kb.genai:2: workload "kb-assistant" is scope 3 (Pre-trained models); 23 required controls: 0 in place, 0 planned, 23 missing
    error[missing-control]: workload "kb-assistant" is missing 23 controls (6 errors, 17 warnings):
     --> kb.genai:2:10
      |
    2 | workload "kb-assistant" {
      |          ^^^^^^^^^^^^^^
      |
      = note: Governance & compliance: governance.data_classification
      = note: Legal & privacy: legal.provider_terms_review, legal.model_terms_review, legal.provider_data_handling, legal.conversation_retention
      = note: Risk management: risk.threat_model, risk.prompt_injection, risk.pre_deployment_evaluation, risk.incident_response
      = note: Controls: controls.model_access_policy, controls.user_authentication, controls.retrieval_authorization, controls.data_flow_protection, controls.invocation_logging, controls.guardrails, controls.rate_limiting, controls.prompt_logging
      = note: Resilience: resilience.quota_and_cost, resilience.timeouts, resilience.input_size_limit, resilience.retry_backoff, resilience.circuit_breaker, resilience.vector_store_ha_dr
      = help: quick fix: Add all 23 missing controls

    Checked 1 file and 1 workload: 6 errors, 17 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
}

#[test]
fn check_fix_inserts_a_custom_control_and_the_file_is_then_clean_of_it() {
    let dir = project();
    let outcome = check(["--fix", "--color", "never", "kb.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    // The fix's summary says the inserted controls are planned, so in production not
    // implemented yet.
    insta::assert_snapshot!("custom_control_fix", outcome.stderr);
    let fixed = std::fs::read_to_string(dir.path().join("kb.genai")).unwrap();
    assert!(
        fixed.contains("control controls.prompt_logging {"),
        "{fixed}"
    );
    // Inserted as planned: no longer missing, but not implemented yet.
    let left = prompt_logging_findings(dir.path(), "kb.genai");
    let codes: Vec<&str> = left.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["control-not-implemented"], "{left:#?}");
    // The project's `"controls.prompt_logging" = "error"` follows the control from missing
    // to planned.
    assert_eq!(left[0]["severity"], "error", "{left:#?}");
}

#[test]
fn sarif_has_a_rule_for_the_custom_control_with_its_documentation() {
    let dir = project();
    let log = check(["--format", "sarif", "kb.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let index = rules
        .iter()
        .position(|r| r["id"] == "missing-control/controls.prompt_logging")
        .expect("a rule for the custom control");
    let rule = &rules[index];
    assert_eq!(rule["name"], "Log prompts and completions");
    assert_eq!(rule["helpUri"], "https://wiki.example.com/ai/logging");
    assert_eq!(rule["defaultConfiguration"]["level"], "warning");
    let tags = rule["properties"]["tags"].as_array().unwrap();
    assert!(
        tags.contains(&"custom".into()) && tags.contains(&"controls".into()),
        "{rule}"
    );
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("Investigations need the exchange"),
        "{rule}"
    );
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "missing-control/controls.prompt_logging")
        .expect("a result under that rule");
    assert_eq!(result["ruleIndex"], index);
    assert_eq!(result["level"], "error");
}

#[test]
fn explain_and_matrix_know_the_project_custom_controls() {
    let dir = project();
    // "custom control (genai-scope.toml)", "Required in scopes 3, 4 and 5".
    assert_cmd_snapshot!(cli(dir.path(), ["explain", "controls.prompt_logging"]), @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    ### controls.prompt_logging

    **Log prompts and completions** · Controls · custom control (genai-scope.toml)

    Prompts and completions are logged with personal data masked.

    Investigations need the exchange; privacy needs the masking.

    Required in scopes 3, 4 and 5 (Pre-trained models, Fine-tuned models, Self-trained models), only when some data is retrieved into the context (`use = rag`). Missing it is reported as `warning`.

    References:
    - OWASP Top 10 for LLM Applications: LLM02:2025 Sensitive Information Disclosure
    - MITRE ATLAS technique: AML.T0057 LLM Data Leakage
    - NIST AI 600-1: Data Privacy
    - Source: [https://wiki.example.com/ai/logging](https://wiki.example.com/ai/logging) (project policy (genai-scope.toml))
    - Source: [Security standard §4.2](https://example.com/std#4.2) (project policy (genai-scope.toml))
    - Source: Internal standard SEC-12 (project policy (genai-scope.toml))

    Example:

    ```genai
    control controls.prompt_logging {
      status   = implemented
      evidence = "docs/security/evidence.md"
    }
    ```

    ----- stderr -----
    "#);
    let matrix = genai_scope(["matrix"]).current_dir(dir.path()).run();
    matrix.expect_code(0);
    let controls_row = matrix
        .stdout
        .lines()
        .find(|l| l.starts_with("| Controls |"))
        .expect("a row for the controls discipline");
    assert_eq!(
        controls_row.matches("prompt_logging*").count(),
        3,
        "{controls_row}"
    );
    // Elsewhere, without the configuration, the id is unknown.
    let elsewhere = temp_dir();
    assert_cmd_snapshot!(cli(elsewhere.path(), ["explain", "controls.prompt_logging"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: `controls.prompt_logging` is neither a diagnostic code, a control id nor a scope; `genai-scope matrix` lists the controls
    ");
    // A broken configuration is an error, not a silent fallback.
    write_file(
        dir.path(),
        "genai-scope.toml",
        CONFIG.replace("[5, 3, 4, 3]", "[3, 9]"),
    );
    let _filters = snapshot_filters().bind_to_scope();
    assert_cmd_snapshot!(cli(dir.path(), ["matrix"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: [TEMP]/genai-scope.toml:10:14: `control.scopes` of `controls.prompt_logging`: 9 is not a scope (1 to 5)
    ");
}

#[test]
fn new_declares_the_custom_controls_the_scope_requires() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "genai-scope.toml",
        CONFIG.replace("when = \"uses_rag\"\n", ""),
    );
    assert_cmd_snapshot!(cli(dir.path(), ["new", "--scope", "3", "bot"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    created bot.genai (scope 3 Pre-trained models, stage = prototype); replace the TODOs, set each control to `implemented` as it is put in place, and remove `stage = prototype` when the workload goes live

    ----- stderr -----
    ");
    let text = std::fs::read_to_string(dir.path().join("bot.genai")).unwrap();
    assert!(text.contains("control controls.prompt_logging {"), "{text}");
    let left = prompt_logging_findings(dir.path(), "bot.genai");
    assert!(left.is_empty(), "{left:#?}");
}

#[test]
fn the_report_counts_the_custom_control_in_its_discipline() {
    let dir = project();
    // `controls.prompt_logging` (Log prompts and completions) among the controls.
    assert_cmd_snapshot!(
        "custom_control_report",
        cli(
            dir.path(),
            [
                "report", "--format", "markdown", "--today", TODAY, "kb.genai"
            ]
        )
    );
}

/// A custom control of the agentic matrix (`agency_scopes`, `agent_when`) is required of the
/// agents whose agency scope it lists, reported on the agent, and fixed inside its block.
#[test]
fn a_custom_agentic_control_is_required_of_agents_at_its_agency_scopes() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "genai-scope.toml",
        r#"
[[control]]
id = "perimeter.refund_ceiling"
title = "Cap each refund"
summary = "The refund tool refuses amounts above the policy's ceiling."
agency_scopes = [3, 4]
agent_when = "tool_changes_things"
severity = "error"
"#,
    );
    let workload = |tool: &str| {
        format!(
            "workload \"refunds\" {{\n  owner = \"o@example.com\"\n  model \"m\" {{ hosting = managed_api }}\n  agent \"refund-agent\" {{\n    {tool}\n  }}\n}}\n"
        )
    };
    write_file(
        dir.path(),
        "supervised.genai",
        workload("tool \"refund\" { effect = write }"),
    );
    write_file(
        dir.path(),
        "lookup.genai",
        workload("tool \"lookup\" { effect = read }"),
    );
    let findings = |file: &str| -> Vec<Value> {
        let report = check(["--format", "json", file])
            .current_dir(dir.path())
            .run()
            .json();
        diagnostics(&report)
            .into_iter()
            .filter(|(_, d)| d["control"] == "perimeter.refund_ceiling")
            .map(|(_, d)| d)
            .collect()
    };
    let found = findings("supervised.genai");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "missing-control");
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(found[0]["agent"], "refund-agent");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("Cap each refund"),
        "{found:#?}"
    );
    // At agency scope 1 it is not required.
    assert!(findings("lookup.genai").is_empty());

    // Declared in the agent's block, it is covered.
    let text = std::fs::read_to_string(dir.path().join("supervised.genai")).unwrap();
    let declared = text.replace(
        "effect = write }\n",
        "effect = write }\n    control perimeter.refund_ceiling { evidence = \"https://example.com/cap\" }\n",
    );
    write_file(dir.path(), "supervised.genai", &declared);
    assert!(findings("supervised.genai").is_empty(), "{declared}");
}
