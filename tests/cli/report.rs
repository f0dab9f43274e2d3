//! `genai-scope report`: Markdown on stdout, HTML to a file; the page is self-contained.
//! (The HTML in a real browser: tests/report/test.mjs.)

use crate::support::{genai_scope, temp_dir, workspace};
use insta_cmd::assert_cmd_snapshot;

use super::{TODAY, cli, snapshot_filters};

#[test]
fn markdown_report_of_the_examples_on_stdout() {
    let outcome = genai_scope([
        "report",
        "--format",
        "markdown",
        "--today",
        super::TODAY,
        "examples",
    ])
    .run();
    outcome.expect_code(0);
    let text = &outcome.stdout;
    assert!(
        text.starts_with("# genai-scope report\n\n15 files, "),
        "{text}"
    );
    for scope in 1..=5 {
        assert!(
            text.contains(&format!("Inferred scope: **{scope} ")),
            "scope {scope} missing:\n{text}"
        );
    }
    assert_eq!(
        text.matches("### Controls by scope and discipline").count(),
        text.matches("## Workload `").count()
    );
    assert_cmd_snapshot!(
        "report_examples_markdown",
        cli(
            workspace(),
            [
                "report", "--format", "markdown", "--today", TODAY, "examples"
            ]
        )
    );
}

#[test]
fn html_report_to_a_file() {
    let dir = temp_dir();
    let output = dir.path().join("report.html");
    let _filters = snapshot_filters().bind_to_scope();
    // Nothing on stdout: the page goes to the file.
    assert_cmd_snapshot!(
        cli(
            workspace(),
            [
                "report".as_ref(),
                "--today".as_ref(),
                TODAY.as_ref(),
                "--output".as_ref(),
                output.as_os_str(),
                "examples/scope3-support-assistant.genai".as_ref(),
            ] as [&std::ffi::OsStr; 6]
        ),
        @r"
        success: true
        exit_code: 0
        ----- stdout -----

        ----- stderr -----
        "
    );
    let page = std::fs::read_to_string(&output).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("class=\"scope inferred declared\" data-scope=\"3\""));
    assert!(!page.contains("<script") && !page.contains("<link"));

    // An input error: exit 2, the file named on stderr, and still a complete (empty) page.
    assert_cmd_snapshot!(
        "report_of_a_missing_file",
        cli(workspace(), ["report", "missing.genai"])
    );
}
