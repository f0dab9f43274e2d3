//! `genai-scope report`: Markdown on stdout, HTML to a file; the page is self-contained.
//! (The HTML in a real browser: tests/report/test.mjs.)

use crate::support::{genai_scope, temp_dir};

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
}

#[test]
fn html_report_to_a_file() {
    let dir = temp_dir();
    let output = dir.path().join("report.html");
    let outcome = genai_scope([
        "report".as_ref(),
        "--today".as_ref(),
        super::TODAY.as_ref(),
        "--output".as_ref(),
        output.as_os_str(),
        "examples/scope3-support-assistant.genai".as_ref(),
    ] as [&std::ffi::OsStr; 6])
    .run();
    outcome.expect_code(0);
    assert_eq!(outcome.stdout, "");
    let page = std::fs::read_to_string(&output).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("class=\"scope inferred declared\" data-scope=\"3\""));
    assert!(!page.contains("<script") && !page.contains("<link"));

    let outcome = genai_scope(["report", "missing.genai"]).run();
    outcome.expect_code(2);
}
