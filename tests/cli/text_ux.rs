//! What a person reads from `check`: the order of a file's findings, the summary, an unclosed
//! block, a path that does not exist.

use crate::support::{temp_dir, workspace, write_file};
use insta_cmd::assert_cmd_snapshot;

use super::{check, cli_check};

/// The `severity[code]` headers of the text output, in order.
fn headers(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| {
            ["error[", "warning[", "info[", "note["]
                .iter()
                .any(|prefix| line.starts_with(prefix))
        })
        .map(|line| line.split(']').next().unwrap_or(line).to_string() + "]")
        .collect()
}

#[test]
fn errors_in_what_is_written_come_before_missing_controls() {
    let dir = temp_dir();
    // A schema error at the end of the file: the missing controls are reported at the
    // workload's name, earlier in the file, but are read after it.
    write_file(
        dir.path(),
        "w.genai",
        "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n  data \"d\" {\n    use = rag\n  }\n  audience = martians\n}\n",
    );
    assert_cmd_snapshot!(cli_check(dir.path(), ["--color", "never", "w.genai"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    w.genai:1: workload "w" is scope 3 (Pre-trained models); 21 required controls: 0 in place, 0 planned, 21 missing
    error[missing-attribute]: data is missing `classification`: one of `public`, `internal`, `confidential` or `restricted`
     --> w.genai:6:8
      |
    6 |   data "d" {
      |        ^^^

    error[invalid-value]: `martians` is not a valid `audience`: expected `employees`, `partners`, `customers` or `public`
     --> w.genai:9:14
      |
    9 |   audience = martians
      |              ^^^^^^^^

    error[missing-control]: workload "w" is missing 21 controls (5 errors, 16 warnings):
     --> w.genai:1:10
      |
    1 | workload "w" {
      |          ^^^
      |
      = note: Governance & compliance: governance.data_classification
      = note: Legal & privacy: legal.provider_terms_review, legal.model_terms_review, legal.conversation_retention
      = note: Risk management: risk.threat_model, risk.prompt_injection, risk.pre_deployment_evaluation, risk.incident_response
      = note: Controls: controls.model_access_policy, controls.user_authentication, controls.retrieval_authorization, controls.data_flow_protection, controls.invocation_logging, controls.guardrails, controls.rate_limiting
      = note: Resilience: resilience.quota_and_cost, resilience.timeouts, resilience.input_size_limit, resilience.retry_backoff, resilience.circuit_breaker, resilience.vector_store_ha_dr
      = help: quick fix: Add all 21 missing controls

    Checked 1 file and 1 workload: 7 errors, 16 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
    // The order, independently of the snapshot.
    let outcome = check(["--color", "never", "w.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    let found = headers(&outcome.stdout);
    let first_missing = found
        .iter()
        .position(|h| h.ends_with("[missing-control]"))
        .expect("missing controls reported");
    let schema: Vec<usize> = found
        .iter()
        .enumerate()
        .filter(|(_, h)| h.ends_with("[invalid-value]") || h.ends_with("[missing-attribute]"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(schema.len(), 2, "{found:?}");
    assert!(schema.iter().all(|&i| i < first_missing), "{found:?}");
    // Among the missing controls, errors before warnings.
    let missing: Vec<&String> = found[first_missing..].iter().collect();
    let first_warning = missing
        .iter()
        .position(|h| h.starts_with("warning"))
        .unwrap_or(missing.len());
    assert!(
        missing[first_warning..]
            .iter()
            .all(|h| !h.starts_with("error")),
        "{found:?}"
    );
}

#[test]
fn syntax_errors_come_first_and_an_unclosed_block_is_named_once() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "w.genai",
        "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n\n  data \"d\" {\n    use = rag\n    classification = internal\n  }\n}\n",
    );
    assert_cmd_snapshot!(cli_check(dir.path(), ["--color", "never", "w.genai"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    w.genai:1: workload "w" is scope 3 (Pre-trained models); 22 required controls: 0 in place, 0 planned, 22 missing
    error[syntax-error]: `model "m"` is not closed: expected a `}` to end it
     --> w.genai:3:3
      |
    3 |   model "m" {
      |   ^^^^^^^^^

    error[missing-control]: workload "w" is missing 22 controls (5 errors, 17 warnings):
     --> w.genai:1:10
      |
    1 | workload "w" {
      |          ^^^
      |
      = note: Governance & compliance: governance.data_classification
      = note: Legal & privacy: legal.provider_terms_review, legal.model_terms_review, legal.provider_data_handling, legal.conversation_retention
      = note: Risk management: risk.threat_model, risk.prompt_injection, risk.pre_deployment_evaluation, risk.incident_response
      = note: Controls: controls.model_access_policy, controls.user_authentication, controls.retrieval_authorization, controls.data_flow_protection, controls.invocation_logging, controls.guardrails, controls.rate_limiting
      = note: Resilience: resilience.quota_and_cost, resilience.timeouts, resilience.input_size_limit, resilience.retry_backoff, resilience.circuit_breaker, resilience.vector_store_ha_dr
      = help: quick fix: Add all 22 missing controls

    Checked 1 file and 1 workload: 6 errors, 17 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
    // The order, independently of the snapshot.
    let outcome = check(["--color", "never", "w.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    let found = headers(&outcome.stdout);
    assert_eq!(
        found.first().map(String::as_str),
        Some("error[syntax-error]"),
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|h| *h == "error[syntax-error]").count(),
        1,
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stdout.contains(
            "error[syntax-error]: `model \"m\"` is not closed: expected a `}` to end it\n --> w.genai:3:3\n"
        ),
        "{}",
        outcome.stdout
    );
}

#[test]
fn the_summary_counts_every_severity() {
    assert_cmd_snapshot!(
        cli_check(
            workspace(),
            ["--color", "never", "examples/clean-internal-summarizer.genai"],
        ),
        @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    examples/clean-internal-summarizer.genai:2: workload "ticket-summarizer" is scope 3 (Pre-trained models); 20 required controls: 20 in place, 0 planned, 0 missing
    Checked 1 file and 1 workload: 0 errors, 0 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#
    );
}

#[test]
fn a_planned_control_is_not_counted_as_in_place() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "w.genai",
        "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = enterprise_app\n  }\n  control governance.terms_compliance {\n    status = planned\n  }\n}\n",
    );
    assert_cmd_snapshot!(
        cli_check(dir.path(), ["--color", "never", "--fail-on", "never", "w.genai"]),
        @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    w.genai:1: workload "w" is scope 2 (Enterprise app); 10 required controls: 0 in place, 1 planned, 9 missing
    error[missing-control]: workload "w" is missing 9 controls (1 error, 8 warnings):
     --> w.genai:1:10
      |
    1 | workload "w" {
      |          ^^^
      |
      = note: Governance & compliance: governance.data_usage_policy, governance.training_opt_out, governance.acceptable_use_training
      = note: Legal & privacy: legal.provider_terms_review
      = note: Risk management: risk.provider_assessment
      = note: Controls: controls.data_flow_protection, controls.egress_dlp
      = note: Resilience: resilience.provider_availability, resilience.quota_and_cost
      = help: quick fix: Add all 9 missing controls

    warning[control-not-implemented]: governance.terms_compliance is required at scope 2 (Enterprise app) for model "m", but it is only `planned` and this workload is in production (the default `stage`): a planned control is a promise, not a safeguard; implement it, or declare `stage = prototype` while the workload is not live
     --> w.genai:7:14
      |
    7 |     status = planned
      |              ^^^^^^^

    Checked 1 file and 1 workload: 1 error, 9 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#
    );
}

#[test]
fn a_missing_path_is_reported_once() {
    let dir = temp_dir();
    assert_cmd_snapshot!(cli_check(dir.path(), ["nope.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: nope.genai: no such file or directory
    ");
    // The JSON report stays a complete document.
    assert_cmd_snapshot!(cli_check(dir.path(), ["--format", "json", "nope.genai"]), @r#"
    success: false
    exit_code: 2
    ----- stdout -----
    {
      "version": 1,
      "files": [],
      "summary": {
        "files": 0,
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "hints": 0
      }
    }

    ----- stderr -----
    genai-scope: nope.genai: no such file or directory
    "#);
}
