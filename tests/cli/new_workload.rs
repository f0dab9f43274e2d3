//! `genai-scope new --scope N NAME`: a starter file that `check` finds in scope N with no
//! missing control and no error, for every scope; an existing file is never overwritten.

use crate::support::{genai_scope, temp_dir, write_file};

use super::{check, diagnostics};

#[test]
fn every_scope_starter_checks_without_missing_controls_or_errors() {
    let dir = temp_dir();
    for scope in 1..=5 {
        let name = format!("starter-{scope}");
        let outcome = genai_scope(["new", "--scope", &scope.to_string(), &name])
            .current_dir(dir.path())
            .run();
        outcome.expect_code(0);
        assert!(
            outcome
                .stdout
                .starts_with(&format!("created {name}.genai (scope {scope} ")),
            "{}",
            outcome.stdout
        );
        let file = format!("{name}.genai");
        let text = std::fs::read_to_string(dir.path().join(&file)).unwrap();
        assert!(text.contains(&format!("workload \"{name}\"")), "{text}");
        let report = check(["--format", "json", &file])
            .current_dir(dir.path())
            .run();
        report.expect_code(0);
        let report = report.json();
        assert_eq!(
            report["files"][0]["workloads"][0]["inferred_scope"], scope,
            "{text}"
        );
        let bad: Vec<_> = diagnostics(&report)
            .into_iter()
            .filter(|(_, d)| d["code"] == "missing-control" || d["severity"] == "error")
            .collect();
        assert!(bad.is_empty(), "scope {scope}:\n{text}\n{bad:#?}");
        assert!(text.contains("status = planned"), "{text}");
    }
    // Higher scopes need more controls than lower ones.
    let planned = |scope: u32| {
        std::fs::read_to_string(dir.path().join(format!("starter-{scope}.genai")))
            .unwrap()
            .matches("status = planned")
            .count()
    };
    assert!(planned(5) > planned(3), "{} vs {}", planned(5), planned(3));
}

#[test]
fn new_refuses_to_overwrite_and_rejects_bad_input() {
    let dir = temp_dir();
    let existing = write_file(dir.path(), "taken.genai", "# mine\n");
    let outcome = genai_scope(["new", "--scope", "3", "taken"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(2);
    assert!(
        outcome.stderr.contains("already exists"),
        "{}",
        outcome.stderr
    );
    assert_eq!(std::fs::read_to_string(existing).unwrap(), "# mine\n");

    genai_scope(["new", "--scope", "6", "x"])
        .current_dir(dir.path())
        .run()
        .expect_code(2);
    let outcome = genai_scope(["new", "--scope", "2", "../escape"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(2);
    assert!(!dir.path().parent().unwrap().join("escape.genai").exists());
}
