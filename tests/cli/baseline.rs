//! `check --write-baseline` / `check --baseline`: accepted findings stay quiet through edits
//! that move them; new ones are reported, and only they.

use crate::support::{temp_dir, write_file};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::{check, cli_check, diagnostics};

const TEXT: &str = r#"workload "w" {
  owner = "o"
  model "m" {
    hosting = managed_api
  }
}
"#;

fn codes(report: &Value) -> Vec<(String, Option<String>)> {
    diagnostics(report)
        .iter()
        .map(|(_, d)| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["control"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn baseline_hides_accepted_findings_through_moves_and_reports_new_ones() {
    let dir = temp_dir();
    let file = write_file(dir.path(), "src/w.genai", TEXT);
    assert_cmd_snapshot!(
        cli_check(dir.path(), ["--write-baseline", "baseline.json", "src"]),
        @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        src/w.genai:1: workload "w" is scope 3 (Pre-trained models); 19 required controls: 0 in place, 0 planned, 19 missing
        error[missing-control]: workload "w" is missing 19 controls (4 errors, 15 warnings):
         --> src/w.genai:1:10
          |
        1 | workload "w" {
          |          ^^^
          |
          = note: Governance & compliance: governance.data_classification
          = note: Legal & privacy: legal.provider_terms_review, legal.model_terms_review, legal.conversation_retention
          = note: Risk management: risk.threat_model, risk.prompt_injection, risk.pre_deployment_evaluation, risk.incident_response
          = note: Controls: controls.model_access_policy, controls.user_authentication, controls.data_flow_protection, controls.invocation_logging, controls.guardrails, controls.rate_limiting
          = note: Resilience: resilience.quota_and_cost, resilience.timeouts, resilience.input_size_limit, resilience.retry_backoff, resilience.circuit_breaker
          = help: quick fix: Add all 19 missing controls

        Checked 1 file and 1 workload: 4 errors, 15 warnings, 0 infos, 0 hints.

        ----- stderr -----
        genai-scope: wrote 19 findings to the baseline baseline.json
        "#
    );
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 1);
    let entries = baseline["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        19,
        "as many entries as the snapshot says were written: {baseline:#}"
    );
    for entry in entries {
        assert_eq!(entry["path"], "src/w.genai");
        assert_eq!(entry["workload"], "w");
        assert_eq!(entry["fingerprint"].as_str().unwrap().len(), 16);
    }

    // An unrelated edit that shifts every line: nothing is reported.
    let shifted = format!("# a comment\n\n# another\n{TEXT}");
    std::fs::write(&file, &shifted).unwrap();
    assert_cmd_snapshot!(cli_check(dir.path(), ["--baseline", "baseline.json", "src"]), @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    src/w.genai:4: workload "w" is scope 3 (Pre-trained models); 19 required controls: 0 in place, 0 planned, 19 missing
    Checked 1 file and 1 workload: 0 errors, 0 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
    let outcome = check(["--baseline", "baseline.json", "--format", "json", "src"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    assert_eq!(codes(&outcome.json()), vec![], "{}", outcome.stdout);
    // The same from another working directory (paths are relative to the baseline).
    assert_cmd_snapshot!(
        cli_check(dir.path().join("src"), ["--baseline", "../baseline.json", "w.genai"]),
        @r#"
        success: true
        exit_code: 0
        ----- stdout -----
        w.genai:4: workload "w" is scope 3 (Pre-trained models); 19 required controls: 0 in place, 0 planned, 19 missing
        Checked 1 file and 1 workload: 0 errors, 0 warnings, 0 infos, 0 hints.

        ----- stderr -----
        "#
    );

    // A new problem: exactly it is reported.
    let broken = shifted.replace("  owner = \"o\"\n", "  owner = \"o\"\n  scope = 2\n");
    std::fs::write(&file, &broken).unwrap();
    assert_cmd_snapshot!(cli_check(dir.path(), ["--baseline", "baseline.json", "src"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    src/w.genai:4: workload "w" is scope 3 (Pre-trained models), declared 2; 19 required controls: 0 in place, 0 planned, 19 missing
    error[scope-mismatch]: declared scope 2 (Enterprise app) differs from the inferred scope 3 (Pre-trained models): model "m": hosting = managed_api, training = none → scope 3 (Pre-trained models)
     --> src/w.genai:6:11
      |
    6 |   scope = 2
      |           ^
      |
      = help: quick fix: Set declared scope to 3

    Checked 1 file and 1 workload: 1 error, 0 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
    let outcome = check(["--baseline", "baseline.json", "--format", "json", "src"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    assert_eq!(
        codes(&outcome.json()),
        vec![("scope-mismatch".to_string(), None)]
    );
}

#[test]
fn baseline_counts_multiplicity() {
    let dir = temp_dir();
    // Two workloads with the same name: their findings share fingerprints.
    let one = TEXT.to_string();
    let file = write_file(dir.path(), "w.genai", &one);
    check(["--write-baseline", "b.json", "w.genai"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    std::fs::write(&file, format!("{one}{one}")).unwrap();
    let report = check(["--baseline", "b.json", "--format", "json", "w.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    let found = codes(&report);
    // The second copy's findings are new (and the duplicate name is a new finding too).
    assert!(
        found.contains(&("duplicate-name".to_string(), None)),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "missing-control".to_string(),
            Some("risk.threat_model".to_string())
        )),
        "{found:?}"
    );
    assert_eq!(
        found
            .iter()
            .filter(|(_, c)| c.as_deref() == Some("risk.threat_model"))
            .count(),
        1
    );
}

#[test]
fn an_unreadable_or_invalid_baseline_is_an_error() {
    let dir = temp_dir();
    write_file(dir.path(), "w.genai", TEXT);
    write_file(
        dir.path(),
        "bad.json",
        "{\"version\": 1, \"entries\": [{}]}",
    );
    assert_cmd_snapshot!(cli_check(dir.path(), ["--baseline", "bad.json", "w.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: bad.json:1:29: not a genai-scope baseline: missing field `path` at line 1 column 29
    ");
    assert_cmd_snapshot!(cli_check(dir.path(), ["--baseline", "missing.json", "w.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: missing.json: cannot read the baseline: No such file or directory (os error 2)
    ");
}
