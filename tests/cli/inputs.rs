//! Inputs that are not regular files: standard input (`-`, with `--stdin-filename`), a named
//! pipe, `/dev/stdin` and `<(…)` named on the command line are read, not skipped; they are
//! never written back. And which `genai-scope.toml` applies (`--verbose`,
//! `--config-above-repository`).

use std::path::Path;
use std::process::Command;

use crate::support::{temp_dir, write_file};
use insta_cmd::assert_cmd_snapshot;

use super::{TODAY, check, cli, cli_check, diagnostics, snapshot_filters};

/// A workload with an invalid value (an error whatever the configuration) and missing
/// controls.
const FAULTY: &str = "workload \"w\" {\n  owner = \"o\"\n  audience = martians\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

/// A directory that is the root of a repository, so no configuration above it applies.
fn repository() -> tempfile::TempDir {
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    dir
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    diagnostics(report)
        .into_iter()
        .map(|(_, d)| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let dir = repository();
    assert_cmd_snapshot!(cli_check(dir.path(), ["--color", "never", "-"]).pass_stdin(FAULTY), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    <stdin>:1: workload "w" is scope 3 (Pre-trained models); 19 required controls: 0 in place, 0 planned, 19 missing
    error[invalid-value]: `martians` is not a valid `audience`: expected `employees`, `partners`, `customers` or `public`
     --> <stdin>:3:14
      |
    3 |   audience = martians
      |              ^^^^^^^^

    error[missing-control]: workload "w" is missing 19 controls (4 errors, 15 warnings):
     --> <stdin>:1:10
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

    Checked 1 file and 1 workload: 5 errors, 15 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
}

#[test]
fn stdin_filename_names_standard_input_and_finds_its_configuration_and_evidence() {
    let dir = repository();
    write_file(
        dir.path(),
        "team/genai-scope.toml",
        "disabled = [\"missing-control\"]\n",
    );
    write_file(dir.path(), "team/docs/threat-model.md", "# threat model\n");
    let text = FAULTY.replace(
        "}\n}\n",
        "}\n  control risk.threat_model {\n    evidence = \"docs/threat-model.md\"\n  }\n}\n",
    );
    let outcome = check(["--format", "json", "--stdin-filename", "team/w.genai", "-"])
        .current_dir(dir.path())
        .stdin(text.clone())
        .run();
    outcome.expect_code(1);
    let report = outcome.json();
    assert_eq!(report["files"][0]["path"], "team/w.genai");
    // team/genai-scope.toml applies; the evidence is found beside the name.
    assert_eq!(codes(&report), ["invalid-value"], "{report}");
    // Without the name, neither applies.
    let bare = check(["--format", "json", "-"])
        .current_dir(dir.path())
        .stdin(text)
        .run();
    let codes = codes(&bare.json());
    assert!(codes.contains(&"missing-control".to_string()), "{codes:?}");
    assert!(
        codes.contains(&"evidence-not-found".to_string()),
        "{codes:?}"
    );
    assert_eq!(bare.json()["files"][0]["path"], "<stdin>");
}

#[test]
fn stdin_filename_without_a_dash_is_a_usage_error() {
    let dir = repository();
    write_file(dir.path(), "a.genai", FAULTY);
    assert_cmd_snapshot!(cli_check(dir.path(), ["--stdin-filename", "x.genai", "a.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: --stdin-filename names standard input, which is read only when `-` is among the paths
    ");
}

#[test]
fn a_named_pipe_on_the_command_line_is_read() {
    let dir = repository();
    let fifo = dir.path().join("pipe.genai");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    let writer_path = fifo.clone();
    // Opening a pipe for writing waits for its reader: on the old behaviour (the pipe never
    // opened) this thread stays blocked and ends with the test process.
    std::thread::spawn(move || {
        let _ = std::fs::write(&writer_path, FAULTY);
    });
    let outcome = check(["--format", "json", "pipe.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    let report = outcome.json();
    assert_eq!(report["summary"]["files"], 1, "{report}");
    assert_eq!(report["files"][0]["path"], "pipe.genai");
    assert!(codes(&report).contains(&"invalid-value".to_string()));
}

#[test]
fn dev_stdin_and_process_substitution_are_read() {
    let dir = repository();
    let outcome = check(["--format", "json", "/dev/stdin"])
        .current_dir(dir.path())
        .stdin(FAULTY)
        .run();
    outcome.expect_code(1);
    assert_eq!(outcome.json()["summary"]["files"], 1);
    assert!(codes(&outcome.json()).contains(&"invalid-value".to_string()));

    write_file(dir.path(), "faulty.txt", FAULTY);
    let binary = crate::support::binary();
    let substituted = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "exec '{}' check --today {TODAY} --color never <(cat faulty.txt)",
            binary.display()
        ))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&substituted.stdout);
    assert_eq!(substituted.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[invalid-value]"), "{stdout}");
    assert!(stdout.contains(" --> /dev/fd/"), "{stdout}");
}

#[test]
fn a_stream_over_the_size_limit_is_refused() {
    let dir = repository();
    assert_cmd_snapshot!(cli_check(dir.path(), ["--max-file-size", "10", "-"]).pass_stdin(FAULTY), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: <stdin>: more than the limit of 10 bytes; not analysed (raise it with --max-file-size)
    ");
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    let dir = repository();
    let unformatted = "workload \"w\" {\nowner=\"o\"\n}\n";
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "-"]).pass_stdin(unformatted), @r#"
    success: true
    exit_code: 0
    ----- stdout -----
    workload "w" {
      owner = "o"
    }

    ----- stderr -----
    "#);
    assert_cmd_snapshot!(
        cli(dir.path(), ["fmt", "--check", "--stdin-filename", "a.genai", "-"]).pass_stdin(unformatted),
        @r"
        success: false
        exit_code: 1
        ----- stdout -----
        would reformat a.genai

        ----- stderr -----
        "
    );
    // Text that cannot be formatted comes back as it was.
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "-"]).pass_stdin("workload \"w\" {\nowner=\"o\"\n"), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    workload "w" {
    owner="o"

    ----- stderr -----
    genai-scope: <stdin>: not formatted: it has syntax errors or comments that cannot be kept in place; left unchanged
    "#);
}

#[test]
fn check_fix_never_rewrites_a_stream() {
    let dir = repository();
    // The findings are still reported.
    assert_cmd_snapshot!(
        cli_check(dir.path(), ["--fix", "--stdin-filename", "a.genai", "-"]).pass_stdin(FAULTY),
        @r#"
        success: false
        exit_code: 2
        ----- stdout -----
        a.genai:1: workload "w" is scope 3 (Pre-trained models); 19 required controls: 0 in place, 0 planned, 19 missing
        error[invalid-value]: `martians` is not a valid `audience`: expected `employees`, `partners`, `customers` or `public`
         --> a.genai:3:14
          |
        3 |   audience = martians
          |              ^^^^^^^^

        error[missing-control]: workload "w" is missing 19 controls (4 errors, 15 warnings):
         --> a.genai:1:10
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

        Checked 1 file and 1 workload: 5 errors, 15 warnings, 0 infos, 0 hints.

        ----- stderr -----
        genai-scope: a.genai: not fixed: --fix rewrites files, and this is a stream (`genai-scope fmt -` formats standard input to standard output)
        "#
    );
    assert!(!dir.path().join("a.genai").exists(), "nothing written");
}

#[test]
fn report_reads_standard_input() {
    let dir = repository();
    assert_cmd_snapshot!(
        "report_of_standard_input",
        cli(
            dir.path(),
            [
                "report",
                "--format",
                "markdown",
                "--today",
                TODAY,
                "--stdin-filename",
                "w.genai",
                "-"
            ],
        )
        .pass_stdin(FAULTY),
    );
}

fn verbose_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("configuration"))
        .collect()
}

#[test]
fn verbose_says_which_configuration_applies_and_why_none_does() {
    let dir = repository();
    let root = dir.path().canonicalize().unwrap();
    write_file(
        dir.path(),
        "team/genai-scope.toml",
        "disabled = [\"no-model\"]\n",
    );
    write_file(dir.path(), "team/a.genai", FAULTY);
    write_file(dir.path(), "b.genai", FAULTY);
    let outcome = check(["--verbose", "--format", "json", "."])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    {
        let _filters = snapshot_filters().bind_to_scope();
        insta::assert_snapshot!(outcome.stderr, @r"
        genai-scope: b.genai: no configuration: none at or above [TEMP] up to the repository root [TEMP] (the search stops there; --config-above-repository looks further)
        genai-scope: team/a.genai: configuration [TEMP]/team/genai-scope.toml
        ");
    }
    let lines = verbose_lines(&outcome.stderr);
    assert_eq!(
        lines,
        [
            format!(
                "genai-scope: b.genai: no configuration: none at or above {} up to the repository root {} (the search stops there; --config-above-repository looks further)",
                root.display(),
                root.display()
            ),
            format!(
                "genai-scope: team/a.genai: configuration {}",
                Path::new(&root).join("team/genai-scope.toml").display()
            ),
        ],
        "{}",
        outcome.stderr
    );
    // Without --verbose, nothing of it.
    let quiet = check(["--format", "json", "."])
        .current_dir(dir.path())
        .run();
    assert!(verbose_lines(&quiet.stderr).is_empty(), "{}", quiet.stderr);
}

#[test]
fn config_above_repository_lets_a_parents_configuration_apply() {
    let parent = temp_dir();
    write_file(
        parent.path(),
        "genai-scope.toml",
        "disabled = [\"missing-control\"]\n",
    );
    std::fs::create_dir_all(parent.path().join("repo/.git")).unwrap();
    write_file(parent.path(), "repo/w.genai", FAULTY);
    let repo = parent.path().join("repo");
    let bounded = check(["--format", "json", "w.genai"])
        .current_dir(&repo)
        .run();
    assert!(codes(&bounded.json()).contains(&"missing-control".to_string()));
    let above = check([
        "--format",
        "json",
        "--config-above-repository",
        "--verbose",
        "w.genai",
    ])
    .current_dir(&repo)
    .run();
    assert_eq!(codes(&above.json()), ["invalid-value"], "{}", above.stderr);
    {
        let _filters = snapshot_filters().bind_to_scope();
        insta::assert_snapshot!(above.stderr, @r"
        genai-scope: w.genai: configuration [TEMP]/genai-scope.toml
        ");
    }
    let expected = format!(
        "genai-scope: w.genai: configuration {}",
        parent
            .path()
            .canonicalize()
            .unwrap()
            .join("genai-scope.toml")
            .display()
    );
    assert!(
        verbose_lines(&above.stderr).contains(&expected.as_str()),
        "{}",
        above.stderr
    );
}
