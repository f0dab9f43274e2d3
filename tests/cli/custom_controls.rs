//! Custom controls declared in `genai-scope.toml` behave as built-in ones in every command:
//! `check` (text, JSON, SARIF rules), `check --fix`, `explain`, `matrix`, `new` and `report`.

use crate::support::{
    CUSTOM_CONTROLS_TOML as CONFIG, RAG_WORKLOAD as WORKLOAD, genai_scope, temp_dir, write_file,
};
use serde_json::Value;

use super::{check, diagnostics};

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
    let text = check(["kb.genai"]).current_dir(dir.path()).run();
    text.expect_code(1);
    assert!(
        text.stdout.contains("controls.prompt_logging"),
        "{}",
        text.stdout
    );
}

#[test]
fn check_fix_inserts_a_custom_control_and_the_file_is_then_clean_of_it() {
    let dir = project();
    let outcome = check(["--fix", "kb.genai"]).current_dir(dir.path()).run();
    let fixed = std::fs::read_to_string(dir.path().join("kb.genai")).unwrap();
    assert!(
        fixed.contains("control controls.prompt_logging {"),
        "{}\n{fixed}",
        outcome.stdout
    );
    // Inserted as planned: no longer missing; in production it is not implemented yet, and
    // the fix's summary says so.
    let left = prompt_logging_findings(dir.path(), "kb.genai");
    let codes: Vec<&str> = left.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["control-not-implemented"], "{left:#?}");
    assert!(
        outcome
            .stderr
            .contains("in a production workload each stays a finding (control-not-implemented)"),
        "{}",
        outcome.stderr
    );
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
    let explained = genai_scope(["explain", "controls.prompt_logging"])
        .current_dir(dir.path())
        .run();
    explained.expect_code(0);
    assert!(
        explained
            .stdout
            .contains("custom control (genai-scope.toml)")
            && explained.stdout.contains("Required in scopes 3, 4 and 5"),
        "{}",
        explained.stdout
    );
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
    genai_scope(["explain", "controls.prompt_logging"])
        .current_dir(elsewhere.path())
        .run()
        .expect_code(2);
    // A broken configuration is an error, not a silent fallback.
    write_file(
        dir.path(),
        "genai-scope.toml",
        CONFIG.replace("[5, 3, 4, 3]", "[3, 9]"),
    );
    let broken = genai_scope(["matrix"]).current_dir(dir.path()).run();
    broken.expect_code(2);
    assert!(
        broken.stderr.contains("genai-scope.toml:") && broken.stderr.contains("9 is not a scope"),
        "{}",
        broken.stderr
    );
}

#[test]
fn new_declares_the_custom_controls_the_scope_requires() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "genai-scope.toml",
        CONFIG.replace("when = \"uses_rag\"\n", ""),
    );
    genai_scope(["new", "--scope", "3", "bot"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    let text = std::fs::read_to_string(dir.path().join("bot.genai")).unwrap();
    assert!(text.contains("control controls.prompt_logging {"), "{text}");
    let left = prompt_logging_findings(dir.path(), "bot.genai");
    assert!(left.is_empty(), "{left:#?}");
}

#[test]
fn the_report_counts_the_custom_control_in_its_discipline() {
    let dir = project();
    let outcome = genai_scope(["report", "--format", "markdown", "kb.genai"])
        .current_dir(dir.path())
        .run();
    assert!(
        outcome.stdout.contains("controls.prompt_logging")
            && outcome.stdout.contains("Log prompts and completions"),
        "{}",
        outcome.stdout
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
