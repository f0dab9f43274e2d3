//! What a person reads from `check`: the order of a file's findings, the summary, an unclosed
//! block, a path that does not exist.

use crate::support::{temp_dir, write_file};

use super::check;

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
    let outcome = check([
        "--color",
        "never",
        "examples/clean-internal-summarizer.genai",
    ])
    .run();
    outcome.expect_code(0);
    assert!(
        outcome
            .stdout
            .ends_with("Checked 1 file and 1 workload: 0 errors, 0 warnings, 0 infos, 0 hints.\n"),
        "{}",
        outcome.stdout
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
    let outcome = check(["--color", "never", "--fail-on", "never", "w.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    let first = outcome.stdout.lines().next().unwrap_or_default();
    assert!(
        first.contains("required controls: 0 in place, 1 planned, "),
        "{first}"
    );
}

#[test]
fn a_missing_path_is_reported_once() {
    let dir = temp_dir();
    let outcome = check(["nope.genai"]).current_dir(dir.path()).run();
    outcome.expect_code(2);
    assert_eq!(
        outcome.stderr,
        "genai-scope: nope.genai: no such file or directory\n"
    );
    assert_eq!(outcome.stdout, "", "nothing more on stdout");
    // The JSON report stays a complete document.
    let json = check(["--format", "json", "nope.genai"])
        .current_dir(dir.path())
        .run();
    json.expect_code(2);
    assert_eq!(json.json()["summary"]["files"], 0);
}
