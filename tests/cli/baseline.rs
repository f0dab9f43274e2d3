//! `check --write-baseline` / `check --baseline`: accepted findings stay quiet through edits
//! that move them; new ones are reported, and only they.

use crate::support::{temp_dir, write_file};
use serde_json::Value;

use super::{check, diagnostics};

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
    let outcome = check(["--write-baseline", "baseline.json", "src"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 1);
    let entries = baseline["entries"].as_array().unwrap();
    assert!(entries.len() >= 5, "{baseline:#}");
    for entry in entries {
        assert_eq!(entry["path"], "src/w.genai");
        assert_eq!(entry["workload"], "w");
        assert_eq!(entry["fingerprint"].as_str().unwrap().len(), 16);
    }
    assert!(
        outcome
            .stderr
            .contains(&format!("wrote {} findings to the baseline", entries.len())),
        "{}",
        outcome.stderr
    );

    // An unrelated edit that shifts every line: nothing is reported.
    let shifted = format!("# a comment\n\n# another\n{TEXT}");
    std::fs::write(&file, &shifted).unwrap();
    let outcome = check(["--baseline", "baseline.json", "--format", "json", "src"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    assert_eq!(codes(&outcome.json()), vec![], "{}", outcome.stdout);
    // The same from another working directory (paths are relative to the baseline).
    check(["--baseline", "../baseline.json", "w.genai"])
        .current_dir(dir.path().join("src"))
        .run()
        .expect_code(0);

    // A new problem: exactly it is reported.
    let broken = shifted.replace("  owner = \"o\"\n", "  owner = \"o\"\n  scope = 2\n");
    std::fs::write(&file, &broken).unwrap();
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
    let outcome = check(["--baseline", "bad.json", "w.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(2);
    assert!(
        outcome.stderr.contains("bad.json:1:")
            && outcome.stderr.contains("not a genai-scope baseline"),
        "{}",
        outcome.stderr
    );
    let outcome = check(["--baseline", "missing.json", "w.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(2);
    assert!(
        outcome.stderr.contains("missing.json"),
        "{}",
        outcome.stderr
    );
}
