//! `genai-scope new --scope N NAME`: a starter file that `check` finds in scope N with no
//! missing control and no error, for every scope; an existing file is never overwritten.

use crate::support::{genai_scope, temp_dir, write_file};
use insta_cmd::assert_cmd_snapshot;

use super::{check, cli, diagnostics};

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
    assert_cmd_snapshot!(cli(dir.path(), ["new", "--scope", "3", "taken"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: taken.genai already exists; not overwritten
    ");
    assert_eq!(std::fs::read_to_string(existing).unwrap(), "# mine\n");

    assert_cmd_snapshot!(cli(dir.path(), ["new", "--scope", "6", "x"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value '6' for '--scope <SCOPE>': 6 is not in 1..=5

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(dir.path(), ["new", "--scope", "2", "../escape"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: `../escape` is not a workload name: start it with a letter or digit
    ");
    assert!(!dir.path().parent().unwrap().join("escape.genai").exists());
}

/// `new --agency N`: an agent whose facts `check` infers at agency scope N, with the agentic
/// controls of that scope planned in its block; no syntax or schema error, nothing missing.
#[test]
fn agency_starter_checks_at_its_agency_scope() {
    let dir = temp_dir();
    for agency in 1..=4 {
        let name = format!("agent-starter-{agency}");
        let outcome = genai_scope(["new", "--agency", &agency.to_string(), &name])
            .current_dir(dir.path())
            .run();
        outcome.expect_code(0);
        assert!(
            outcome
                .stdout
                .contains(&format!("an agent at agency scope {agency} ")),
            "{}",
            outcome.stdout
        );
        let file = format!("{name}.genai");
        let report = check(["--format", "json", &file])
            .current_dir(dir.path())
            .run();
        report.expect_code(0);
        let report = report.json();
        let workload = &report["files"][0]["workloads"][0];
        assert_eq!(workload["agency_scope"], agency);
        assert_eq!(workload["agents"][0]["inferred_agency_scope"], agency);
        assert_eq!(workload["agents"][0]["declared_agency_scope"], agency);
        // Without --scope, the model is behind an API.
        assert_eq!(workload["inferred_scope"], 3);
        let bad: Vec<_> = diagnostics(&report)
            .into_iter()
            .filter(|(_, d)| d["code"] == "missing-control" || d["severity"] == "error")
            .collect();
        assert!(bad.is_empty(), "agency {agency}: {bad:#?}");
    }
    let text = std::fs::read_to_string(dir.path().join("agent-starter-3.genai")).unwrap();
    insta::assert_snapshot!("new_agency_3", text);

    // With --scope too, both hold.
    let outcome = genai_scope(["new", "--scope", "1", "--agency", "4", "both"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    let report = check(["--format", "json", "both.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    assert_eq!(report["files"][0]["workloads"][0]["inferred_scope"], 1);
    assert_eq!(report["files"][0]["workloads"][0]["agency_scope"], 4);
}

#[test]
fn agency_outside_1_to_4_is_refused() {
    let dir = temp_dir();
    assert_cmd_snapshot!(cli(dir.path(), ["new", "--agency", "0", "x"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value '0' for '--agency <AGENCY>': 0 is not in 1..=4

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(dir.path(), ["new", "--agency", "5", "x"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value '5' for '--agency <AGENCY>': 5 is not in 1..=4

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(dir.path(), ["new", "--agency", "two", "x"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'two' for '--agency <AGENCY>': invalid digit found in string

    For more information, try '--help'.
    ");
    assert!(!dir.path().join("x.genai").exists());
    // Without an agent, the scope is still needed.
    assert_cmd_snapshot!(cli(dir.path(), ["new", "x"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: the following required arguments were not provided:
      --scope <SCOPE>

    Usage: genai-scope new --scope <SCOPE> <NAME>

    For more information, try '--help'.
    ");
}
