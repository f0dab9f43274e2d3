//! Inline suppressions end to end: suppressed findings leave the report, are counted in the
//! summary, listed by `--list-suppressions` and carried in SARIF as `inSource` suppressions.

use crate::support::{temp_dir, workspace, write_file};
use serde_json::Value;

use super::{check, diagnostics};

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

    let text = check(["--fail-on", "never", "w.genai"])
        .current_dir(dir.path())
        .run();
    assert!(
        text.stdout.trim_end().ends_with(", 2 suppressed."),
        "{}",
        text.stdout
    );
}

#[test]
fn list_suppressions_names_path_line_rule_reason_and_date() {
    let dir = setup();
    let outcome = check(["--list-suppressions", "--fail-on", "never", "w.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    assert_eq!(
        outcome.stdout,
        "w.genai:3:11: scope-mismatch: moving to the enterprise app, SEC-1 (until 2027-03-31)\n\
         w.genai:10:14: overdue-control risk.threat_model: board accepted, RISK-7\n\
         2 suppressed findings.\n"
    );
    let json = check(["--list-suppressions", "--format", "json", "w.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    let entries = json["suppressions"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["code"], "scope-mismatch");
    assert_eq!(entries[0]["until"], "2027-03-31");
    assert_eq!(entries[0]["suppression_line"], 3);
    assert_eq!(entries[1]["reason"], "board accepted, RISK-7");
    assert_eq!(entries[1]["until"], Value::Null);
    assert_eq!(entries[1]["suppression_line"], 9);
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
    let report = check(["--format", "json", "--fail-on", "never", "w.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    let codes: Vec<String> = diagnostics(&report)
        .iter()
        .map(|(_, d)| d["code"].as_str().unwrap().to_string())
        .collect();
    for code in [
        "expired-suppression",
        "scope-mismatch",
        "invalid-suppression",
        "overdue-control",
        "unused-suppression",
    ] {
        assert!(
            codes.iter().any(|c| c == code),
            "{code} missing from {codes:?}"
        );
    }
}
