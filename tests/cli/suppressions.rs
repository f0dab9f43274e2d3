//! Inline suppressions end to end: suppressed findings leave the report, are counted in the
//! summary, listed by `--list-suppressions` and carried in SARIF as `inSource` suppressions.

use crate::support::{temp_dir, workspace, write_file};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::{check, cli_check, diagnostics};

const TEXT: &str = r#"workload "w" {
  owner = "o"
  scope = 2 # genai-scope: ignore[scope-mismatch] reason="moving to the enterprise app, SEC-1" until=2027-03-31
  model "m" {
    hosting = managed_api
  }
  control risk.threat_model {
    status = planned
    # genai-scope: ignore[overdue-control] reason="board accepted, RISK-7"
    due    = "2026-01-01"
  }
}
"#;

fn setup() -> tempfile::TempDir {
    let dir = temp_dir();
    write_file(dir.path(), "w.genai", TEXT);
    dir
}

#[test]
fn suppressed_findings_leave_the_report_and_are_counted() {
    let dir = setup();
    let report = check(["--format", "json", "--fail-on", "never", "w.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    let codes: Vec<String> = diagnostics(&report)
        .iter()
        .map(|(_, d)| d["code"].as_str().unwrap().to_string())
        .collect();
    assert!(!codes.contains(&"scope-mismatch".to_string()), "{codes:?}");
    assert!(!codes.contains(&"overdue-control".to_string()), "{codes:?}");
    assert!(
        !codes.iter().any(|c| c.ends_with("-suppression")),
        "{codes:?}"
    );
    assert!(codes.contains(&"missing-control".to_string()), "{codes:?}");

    assert_cmd_snapshot!(cli_check(dir.path(), ["--color", "never", "--fail-on", "never", "w.genai"]), @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    w.genai:1: workload "w" is scope 3 (Pre-trained models), declared 2; 19 required controls: 0 in place, 1 planned, 18 missing
    error[missing-control]: workload "w" is missing 18 controls (3 errors, 15 warnings):
     --> w.genai:1:10
      |
    1 | workload "w" {
      |          ^^^
      |
      = note: Governance & compliance: governance.data_classification
      = note: Legal & privacy: legal.provider_terms_review, legal.model_terms_review, legal.conversation_retention
      = note: Risk management: risk.prompt_injection, risk.pre_deployment_evaluation, risk.incident_response
      = note: Controls: controls.model_access_policy, controls.user_authentication, controls.data_flow_protection, controls.invocation_logging, controls.guardrails, controls.rate_limiting
      = note: Resilience: resilience.quota_and_cost, resilience.timeouts, resilience.input_size_limit, resilience.retry_backoff, resilience.circuit_breaker
      = help: quick fix: Add all 18 missing controls

    error[control-not-implemented]: risk.threat_model is required at scope 3 (Pre-trained models) for model "m", but it is only `planned` and this workload is in production (the default `stage`): a planned control is a promise, not a safeguard; implement it, or declare `stage = prototype` while the workload is not live
     --> w.genai:8:14
      |
    8 |     status = planned
      |              ^^^^^^^

    Checked 1 file and 1 workload: 4 errors, 15 warnings, 0 infos, 0 hints, 2 suppressed.

    ----- stderr -----
    "#);
}

#[test]
fn list_suppressions_names_path_line_rule_reason_and_date() {
    let dir = setup();
    assert_cmd_snapshot!(
        cli_check(dir.path(), ["--list-suppressions", "--fail-on", "never", "w.genai"]),
        @r"
        success: true
        exit_code: 0
        ----- stdout -----
        w.genai:3:11: scope-mismatch: moving to the enterprise app, SEC-1 (until 2027-03-31)
        w.genai:10:14: overdue-control risk.threat_model: board accepted, RISK-7
        2 suppressed findings.

        ----- stderr -----
        "
    );
    assert_cmd_snapshot!(
        cli_check(dir.path(), ["--list-suppressions", "--format", "json", "w.genai"]),
        @r#"
        success: false
        exit_code: 1
        ----- stdout -----
        {
          "version": 1,
          "suppressions": [
            {
              "path": "w.genai",
              "line": 3,
              "column": 11,
              "code": "scope-mismatch",
              "control": null,
              "workload": "w",
              "message": "declared scope 2 (Enterprise app) differs from the inferred scope 3 (Pre-trained models): model \"m\": hosting = managed_api, training = none → scope 3 (Pre-trained models)",
              "reason": "moving to the enterprise app, SEC-1",
              "until": "2027-03-31",
              "suppression_line": 3
            },
            {
              "path": "w.genai",
              "line": 10,
              "column": 14,
              "code": "overdue-control",
              "control": "risk.threat_model",
              "workload": "w",
              "message": "risk.threat_model was planned for 2026-01-01 and is still not implemented",
              "reason": "board accepted, RISK-7",
              "until": null,
              "suppression_line": 9
            }
          ]
        }

        ----- stderr -----
        "#
    );
}

#[test]
fn sarif_carries_suppressed_results_with_their_justification() {
    let dir = setup();
    let log = check(["--format", "sarif", "--fail-on", "never", "w.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2, "{log:#}");
    let mismatch = suppressed
        .iter()
        .find(|r| r["ruleId"] == "scope-mismatch")
        .expect("the suppressed scope-mismatch is a result");
    assert_eq!(
        mismatch["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "moving to the enterprise app, SEC-1"}])
    );
    // The other results are not suppressed.
    assert!(results.iter().any(|r| {
        r["ruleId"]
            .as_str()
            .is_some_and(|id| id.starts_with("missing-control/"))
            && r.get("suppressions").is_none()
    }));

    // And the log is still valid SARIF 2.1.0.
    let path = workspace().join("tests/fixtures/sarif-schema-2.1.0.json");
    let schema_text = std::fs::read_to_string(path).unwrap().replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
    );
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn invalid_expired_and_unused_suppressions_are_reported() {
    let dir = temp_dir();
    let text = TEXT
        .replace(" until=2027-03-31", " until=2026-01-31")
        .replace(" reason=\"board accepted, RISK-7\"", "")
        .replace(
            "  model \"m\" {",
            "  # genai-scope: ignore[no-model] reason=\"x\"\n  model \"m\" {",
        );
    write_file(dir.path(), "w.genai", &text);
    // expired-suppression, invalid-suppression (no reason), unused-suppression (no
    // no-model to hide), and the findings the broken suppressions no longer hide.
    assert_cmd_snapshot!(cli_check(dir.path(), ["--color", "never", "--fail-on", "never", "w.genai"]), @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    w.genai:1: workload "w" is scope 3 (Pre-trained models), declared 2; 19 required controls: 0 in place, 1 planned, 18 missing
    error[scope-mismatch]: declared scope 2 (Enterprise app) differs from the inferred scope 3 (Pre-trained models): model "m": hosting = managed_api, training = none → scope 3 (Pre-trained models)
     --> w.genai:3:11
      |
    3 |   scope = 2 # genai-scope: ignore[scope-mismatch] reason="moving to the enterprise app, SEC-1" until=2026-01-31
      |           ^
      |
      = help: quick fix: Set declared scope to 3

    warning[expired-suppression]: this suppression of `scope-mismatch` expired on 2026-01-31; it suppresses nothing: fix the finding, or renew the suppression with a new date and reason
     --> w.genai:3:13
      |
    3 |   scope = 2 # genai-scope: ignore[scope-mismatch] reason="moving to the enterprise app, SEC-1" until=2026-01-31
      |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    warning[unused-suppression]: nothing on line 5 is reported as `no-model`: this suppression is unused
     --> w.genai:4:3
      |
    4 |   # genai-scope: ignore[no-model] reason="x"
      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: quick fix: Remove the unused suppression

    warning[invalid-suppression]: invalid suppression: a suppression needs a reason: add `reason="…"`; until then it suppresses nothing
      --> w.genai:10:5
       |
    10 |     # genai-scope: ignore[overdue-control]
       |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    warning[overdue-control]: risk.threat_model was planned for 2026-01-01 and is still not implemented
      --> w.genai:11:14
       |
    11 |     due    = "2026-01-01"
       |              ^^^^^^^^^^^^

    error[missing-control]: workload "w" is missing 18 controls (3 errors, 15 warnings):
     --> w.genai:1:10
      |
    1 | workload "w" {
      |          ^^^
      |
      = note: Governance & compliance: governance.data_classification
      = note: Legal & privacy: legal.provider_terms_review, legal.model_terms_review, legal.conversation_retention
      = note: Risk management: risk.prompt_injection, risk.pre_deployment_evaluation, risk.incident_response
      = note: Controls: controls.model_access_policy, controls.user_authentication, controls.data_flow_protection, controls.invocation_logging, controls.guardrails, controls.rate_limiting
      = note: Resilience: resilience.quota_and_cost, resilience.timeouts, resilience.input_size_limit, resilience.retry_backoff, resilience.circuit_breaker
      = help: quick fix: Add all 18 missing controls

    error[control-not-implemented]: risk.threat_model is required at scope 3 (Pre-trained models) for model "m", but it is only `planned` and this workload is in production (the default `stage`): a planned control is a promise, not a safeguard; implement it, or declare `stage = prototype` while the workload is not live
     --> w.genai:9:14
      |
    9 |     status = planned
      |              ^^^^^^^

    Checked 1 file and 1 workload: 5 errors, 19 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
}
