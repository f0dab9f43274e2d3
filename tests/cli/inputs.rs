//! Inputs that are not regular files: standard input (`-`, with `--stdin-filename`), a named
//! pipe, `/dev/stdin` and `<(…)` named on the command line are read, not skipped; they are
//! never written back. And which `genai-scope.toml` applies (`--verbose`,
//! `--config-above-repository`).

use std::path::Path;
use std::process::Command;

use crate::support::{genai_scope, temp_dir, write_file};

use super::{TODAY, check, diagnostics};

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
    let outcome = check(["--color", "never", "-"])
        .current_dir(dir.path())
        .stdin(FAULTY)
        .run();
    outcome.expect_code(1);
    assert!(
        outcome.stdout.contains("error[invalid-value]")
            && outcome.stdout.contains(" --> <stdin>:3:"),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stdout.contains("\nChecked 1 file and 1 workload: "),
        "{}",
        outcome.stdout
    );
    assert!(!outcome.stdout.contains("No .genai files found"));
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
    let outcome = check(["--stdin-filename", "x.genai", "a.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(2);
    assert!(
        outcome.stderr.contains("--stdin-filename"),
        "{}",
        outcome.stderr
    );
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
    let outcome = check(["--max-file-size", "10", "-"])
        .current_dir(dir.path())
        .stdin(FAULTY)
        .run();
    outcome.expect_code(2);
    assert!(
        outcome
            .stderr
            .contains("<stdin>: more than the limit of 10 bytes"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    let dir = repository();
    let outcome = genai_scope(["fmt", "-"])
        .current_dir(dir.path())
        .stdin("workload \"w\" {\nowner=\"o\"\n}\n")
        .run();
    outcome.expect_code(0);
    assert_eq!(outcome.stdout, "workload \"w\" {\n  owner = \"o\"\n}\n");
    let checked = genai_scope(["fmt", "--check", "--stdin-filename", "a.genai", "-"])
        .current_dir(dir.path())
        .stdin("workload \"w\" {\nowner=\"o\"\n}\n")
        .run();
    checked.expect_code(1);
    assert_eq!(checked.stdout, "would reformat a.genai\n");
    // Text that cannot be formatted comes back as it was.
    let broken = genai_scope(["fmt", "-"])
        .current_dir(dir.path())
        .stdin("workload \"w\" {\nowner=\"o\"\n")
        .run();
    broken.expect_code(1);
    assert_eq!(broken.stdout, "workload \"w\" {\nowner=\"o\"\n");
}

#[test]
fn check_fix_never_rewrites_a_stream() {
    let dir = repository();
    let outcome = check(["--fix", "--stdin-filename", "a.genai", "-"])
        .current_dir(dir.path())
        .stdin(FAULTY)
        .run();
    outcome.expect_code(2);
    assert!(
        outcome.stderr.contains("a.genai: not fixed"),
        "{}",
        outcome.stderr
    );
    assert!(!dir.path().join("a.genai").exists(), "nothing written");
    assert!(
        outcome.stdout.contains("error[invalid-value]"),
        "the findings are still reported"
    );
}

#[test]
fn report_reads_standard_input() {
    let dir = repository();
    let outcome = genai_scope([
        "report",
        "--format",
        "markdown",
        "--today",
        TODAY,
        "--stdin-filename",
        "w.genai",
        "-",
    ])
    .current_dir(dir.path())
    .stdin(FAULTY)
    .run();
    outcome.expect_code(0);
    assert!(
        outcome.stdout.contains("## Workload `w`\n\n`w.genai:1`"),
        "{}",
        outcome.stdout
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
