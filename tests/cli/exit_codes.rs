//! Exit codes of `check`: 0 clean, 1 findings at or above `--fail-on`, 2 for input that could
//! not be read (named on stderr, while the other files are still reported) and usage errors.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::{Outcome, temp_dir, workspace, write_file};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::{check, cli, cli_check, diagnostics, example, paths, snapshot_filters};

/// The clean example with one control removed whose absence is a warning, not an error:
/// a file whose only findings are warnings.
fn warnings_only() -> String {
    let clean = example("clean-internal-summarizer.genai");
    let block = "  control resilience.circuit_breaker {\n    owner = \"it-ops@example.com\"\n  }\n";
    assert!(
        clean.contains(block),
        "the clean example changed: update this test's edit"
    );
    clean.replace(block, "")
}

fn severities(report: &Value) -> Vec<String> {
    diagnostics(report)
        .iter()
        .map(|(_, d)| d["severity"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn clean_file_exits_0_whatever_the_threshold() {
    for fail_on in ["error", "warning", "info", "hint", "never"] {
        let outcome = check([
            "examples/clean-internal-summarizer.genai",
            "--fail-on",
            fail_on,
        ])
        .run();
        outcome.expect_code(0);
        assert!(
            outcome
                .stdout
                .ends_with("0 errors, 0 warnings, 0 infos, 0 hints.\n"),
            "{}",
            outcome.stdout
        );
    }
}

#[test]
fn findings_exit_1_by_default_and_0_with_fail_on_never() {
    let outcome = check(["examples"]).run();
    outcome.expect_code(1);
    check(["examples", "--fail-on", "never"])
        .run()
        .expect_code(0);
    check(["examples", "--fail-on", "error"])
        .run()
        .expect_code(1);
}

#[test]
fn fail_on_compares_with_the_severity_of_the_findings() {
    let dir = temp_dir();
    write_file(dir.path(), "warnings.genai", warnings_only());
    let report = check(["--format", "json", "warnings.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    let found = severities(&report);
    assert!(
        !found.is_empty() && found.iter().all(|s| s == "warning"),
        "{found:?}"
    );
    for (fail_on, code) in [
        ("error", 0),
        ("warning", 1),
        ("info", 1),
        ("hint", 1),
        ("never", 0),
    ] {
        check(["warnings.genai", "--fail-on", fail_on])
            .current_dir(dir.path())
            .run()
            .expect_code(code);
    }
    // The default is `error`.
    check(["warnings.genai"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
}

/// A directory holding a clean file and `bad` with the given contents; runs `check --format
/// json` over the directory and over both files named explicitly.
fn with_bad_file(bad_name: &str, bad: &[u8], extra: &[&str]) -> (tempfile::TempDir, Vec<Outcome>) {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "good.genai",
        example("clean-internal-summarizer.genai"),
    );
    write_file(dir.path(), bad_name, bad);
    let mut outcomes = Vec::new();
    for targets in [vec!["."], vec!["good.genai", bad_name]] {
        let mut args = vec!["--format", "json"];
        args.extend(extra);
        args.extend(targets);
        outcomes.push(check(args).current_dir(dir.path()).run());
    }
    (dir, outcomes)
}

/// Exit 2, the bad file named on stderr with `reason`, the good file still reported.
#[track_caller]
fn assert_input_error(outcome: &Outcome, bad_name: &str, reason: &str) {
    outcome.expect_code(2);
    let line = outcome
        .stderr
        .lines()
        .find(|l| l.contains(bad_name))
        .unwrap_or_else(|| panic!("stderr does not name {bad_name}:\n{}", outcome.stderr));
    assert!(
        line.to_lowercase().contains(reason),
        "stderr says why ({reason}): {line}"
    );
    let report = outcome.json();
    assert_eq!(
        paths(&report),
        ["good.genai"],
        "the readable file is still reported"
    );
    super::check_output::assert_contract(&report);
}

#[test]
fn nonexistent_path_exits_2_and_the_rest_is_reported() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "good.genai",
        example("clean-internal-summarizer.genai"),
    );
    for missing in ["missing.genai", "no/such/dir"] {
        let outcome = check(["--format", "json", "good.genai", missing])
            .current_dir(dir.path())
            .run();
        assert_input_error(&outcome, missing, "no such file");
    }
    // Input errors win over findings, and over --fail-on never.
    let outcome = check(["examples", "missing.genai", "--fail-on", "never"]).run();
    outcome.expect_code(2);
    assert!(
        outcome.stdout.contains("Checked 15 files"),
        "{}",
        outcome.stdout
    );
}

#[test]
fn non_utf8_file_exits_2_and_the_rest_is_reported() {
    let mut bytes = b"workload \"w\" {\n  owner = \"caf".to_vec();
    bytes.extend([0xE9, b'"', b'\n', b'}', b'\n']); // Latin-1 é
    let (_dir, outcomes) = with_bad_file("latin1.genai", &bytes, &[]);
    for outcome in &outcomes {
        assert_input_error(outcome, "latin1.genai", "utf-8");
    }
}

#[test]
fn file_over_max_file_size_exits_2_and_the_rest_is_reported() {
    // Twice the good file, with the limit just under its size.
    let big = example("clean-internal-summarizer.genai").repeat(2);
    let limit = (big.len() - 1).to_string();
    let (dir, outcomes) = with_bad_file("big.genai", big.as_bytes(), &["--max-file-size", &limit]);
    for outcome in &outcomes {
        assert_input_error(outcome, "big.genai", "limit");
    }
    // At exactly its size, the file is analysed.
    let exact = big.len().to_string();
    let outcome = check(["--format", "json", "--max-file-size", &exact, "."])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    assert_eq!(paths(&outcome.json()), ["big.genai", "good.genai"]);
}

/// Whether this process can read a file whose permissions forbid it (root, or a capability
/// such as CAP_DAC_OVERRIDE, as in CI containers).
fn permissions_are_bypassed(dir: &Path) -> bool {
    let probe = write_file(dir, "probe", "x");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    readable
}

#[test]
fn unreadable_file_exits_2_and_the_rest_is_reported() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "good.genai",
        example("clean-internal-summarizer.genai"),
    );
    let locked = write_file(
        dir.path(),
        "locked.genai",
        example("scope3-support-assistant.genai"),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let bypassed = permissions_are_bypassed(dir.path());
    for targets in [vec!["."], vec!["good.genai", "locked.genai"]] {
        let mut args = vec!["--format", "json"];
        args.extend(targets);
        let outcome = check(args).current_dir(dir.path()).run();
        if bypassed {
            // Running as root (as CI does): mode 000 does not stop reading, so the file is
            // read and reported like any other. Assert that instead.
            println!(
                "permissions are not enforced for this user (root?): locked.genai is readable"
            );
            outcome.expect_code(1);
            assert_eq!(paths(&outcome.json()), ["good.genai", "locked.genai"]);
            assert_eq!(outcome.stderr, "");
        } else {
            assert_input_error(&outcome, "locked.genai", "permission denied");
        }
    }
}

#[test]
fn unreadable_directory_exits_2_and_the_rest_is_reported() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "good.genai",
        example("clean-internal-summarizer.genai"),
    );
    write_file(
        dir.path(),
        "private/inside.genai",
        example("scope3-support-assistant.genai"),
    );
    let private = dir.path().join("private");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o000)).unwrap();
    let bypassed = permissions_are_bypassed(dir.path());
    let outcome = check(["--format", "json", "."])
        .current_dir(dir.path())
        .run();
    // Restore, so the temporary directory can be removed.
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o755)).unwrap();
    if bypassed {
        println!("permissions are not enforced for this user (root?): private/ is readable");
        outcome.expect_code(1);
        assert_eq!(
            paths(&outcome.json()),
            ["good.genai", "private/inside.genai"]
        );
    } else {
        assert_input_error(&outcome, "private", "permission denied");
    }
}

#[test]
fn several_input_errors_are_all_named() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "good.genai",
        example("clean-internal-summarizer.genai"),
    );
    write_file(dir.path(), "latin1.genai", [b'#', 0xFF, b'\n']);
    let _filters = snapshot_filters().bind_to_scope();
    assert_cmd_snapshot!(cli_check(dir.path(), ["good.genai", "latin1.genai", "gone.genai"]), @r#"
    success: false
    exit_code: 2
    ----- stdout -----
    good.genai:2: workload "ticket-summarizer" is scope 3 (Pre-trained models); 20 required controls: 20 in place, 0 planned, 0 missing
    Checked 1 file and 1 workload: 0 errors, 0 warnings, 0 infos, 0 hints.

    ----- stderr -----
    genai-scope: gone.genai: no such file or directory
    genai-scope: latin1.genai: not UTF-8 text (invalid byte at offset 1); .genai files are UTF-8
    "#);
    let outcome = check([
        "--format",
        "json",
        "good.genai",
        "latin1.genai",
        "gone.genai",
    ])
    .current_dir(dir.path())
    .run();
    outcome.expect_code(2);
    assert_eq!(paths(&outcome.json()), ["good.genai"]);
}

#[test]
fn usage_errors_exit_2() {
    // Each explains itself on stderr, and prints nothing on stdout.
    let dir = workspace();
    assert_cmd_snapshot!(cli(&dir, ["check", "--format", "xml", "examples"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'xml' for '--format <FORMAT>'
      [possible values: text, json, sarif]

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(&dir, ["check", "--fail-on", "sometimes", "examples"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'sometimes' for '--fail-on <FAIL_ON>'
      [possible values: error, warning, info, hint, never]

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(&dir, ["check", "--max-file-size", "-1", "examples"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: unexpected argument '-1' found

      tip: to pass '-1' as a value, use '-- -1'

    Usage: genai-scope check [OPTIONS] [PATHS]...

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(&dir, ["check", "--today", "25/11/2026", "examples"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value '25/11/2026' for '--today <YYYY-MM-DD>': `25/11/2026` is not a date written YYYY-MM-DD

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(&dir, ["check", "--no-such-flag"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: unexpected argument '--no-such-flag' found

      tip: to pass '--no-such-flag' as a value, use '-- --no-such-flag'

    Usage: genai-scope check [OPTIONS] [PATHS]...

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(cli(&dir, ["no-such-command"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: unrecognized subcommand 'no-such-command'

    Usage: genai-scope <COMMAND>

    For more information, try '--help'.
    ");
}

#[test]
fn empty_directory_exits_0_and_says_so() {
    let dir = temp_dir();
    assert_cmd_snapshot!(cli_check(dir.path(), ["."]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    No .genai files found.

    ----- stderr -----
    ");
    assert_cmd_snapshot!(cli_check(dir.path(), ["--format", "json", "."]), @r#"
    success: true
    exit_code: 0
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
    "#);
}
