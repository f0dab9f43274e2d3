//! `genai-scope fmt [--check]` and `genai-scope check --fix`: files rewritten in place,
//! atomically, and never when they have syntax errors.

use crate::support::{genai_scope, temp_dir, write_file};

use super::{TODAY, check, diagnostics};

const UNFORMATTED: &str =
    "workload \"w\" {\nowner = \"o\"\n    model \"m\" { hosting = managed_api }\n}\n";
const BROKEN: &str =
    "workload \"w\" {\n  owner \"o\"\n  model \"m\" { hosting = managed_api }\n}\n";

#[test]
fn fmt_check_lists_files_that_would_change_and_changes_nothing() {
    let dir = temp_dir();
    let messy = write_file(dir.path(), "messy.genai", UNFORMATTED);
    let formatted = genai_scope_formatted(UNFORMATTED);
    write_file(dir.path(), "tidy.genai", &formatted);
    let outcome = genai_scope(["fmt", "--check", "."])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    assert_eq!(outcome.stdout, "would reformat messy.genai\n");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), UNFORMATTED);

    let outcome = genai_scope(["fmt", "."]).current_dir(dir.path()).run();
    outcome.expect_code(0);
    assert_eq!(outcome.stdout, "formatted messy.genai\n");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), formatted);
    assert!(
        formatted.contains("  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n")
    );

    genai_scope(["fmt", "--check", "."])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    // Only the two files: no temporary file was left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["messy.genai", "tidy.genai"]);
}

/// What `fmt` makes of `text` (run on a scratch copy).
fn genai_scope_formatted(text: &str) -> String {
    let dir = temp_dir();
    let path = write_file(dir.path(), "x.genai", text);
    genai_scope(["fmt", "x.genai"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn fmt_reports_and_leaves_alone_files_with_syntax_errors() {
    let dir = temp_dir();
    let broken = write_file(dir.path(), "broken.genai", BROKEN);
    let outcome = genai_scope(["fmt", "broken.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    assert!(
        outcome.stderr.contains("broken.genai: not formatted"),
        "{}",
        outcome.stderr
    );
    assert_eq!(std::fs::read_to_string(broken).unwrap(), BROKEN);
    genai_scope(["fmt", "missing.genai"])
        .current_dir(dir.path())
        .run()
        .expect_code(2);
}

const FIXABLE: &str = "workload \"w\" {\n  owner    = \"o\"\n  audience = \"customers\"\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

#[test]
fn check_fix_applies_safe_fixes_and_reports_what_remains() {
    let dir = temp_dir();
    let path = write_file(dir.path(), "w.genai", FIXABLE);
    let before = check(["--format", "json", "--fail-on", "never"])
        .current_dir(dir.path())
        .run()
        .json();
    assert!(
        diagnostics(&before)
            .iter()
            .any(|(_, d)| d["code"] == "missing-control"),
        "{before:#}"
    );

    let outcome = check(["--fix", "--format", "json", "--fail-on", "never"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    assert!(
        outcome.stderr.starts_with("fixed w.genai: "),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("  invalid-value ×1\n")
            && outcome
                .stderr
                .contains("  missing-control risk.threat_model ×1\n"),
        "{}",
        outcome.stderr
    );
    // The report is of the fixed file: no missing control, no quoted enum.
    let after = outcome.json();
    let codes: Vec<String> = diagnostics(&after)
        .iter()
        .map(|(_, d)| d["code"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !codes
            .iter()
            .any(|c| c == "missing-control" || c == "invalid-value"),
        "{codes:?}"
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.contains("audience = customers"), "{fixed}");
    assert!(
        fixed.contains("control risk.threat_model {\n    status = planned\n  }"),
        "{fixed}"
    );

    // Nothing left to fix: nothing printed, the file unchanged.
    let again = genai_scope(["check", "--today", TODAY, "--fix", "w.genai"])
        .current_dir(dir.path())
        .run();
    assert!(!again.stderr.contains("fixed"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
}

#[test]
fn check_fix_never_touches_a_file_with_syntax_errors() {
    let dir = temp_dir();
    let path = write_file(dir.path(), "broken.genai", BROKEN);
    let outcome = check(["--fix", "broken.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    assert!(
        outcome
            .stderr
            .contains("broken.genai: not fixed: the file has syntax errors"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stdout.contains("syntax-error"),
        "{}",
        outcome.stdout
    );
    assert_eq!(std::fs::read_to_string(path).unwrap(), BROKEN);
}

#[test]
fn fmt_follows_the_project_include_and_exclude() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "genai-scope.toml",
        "exclude = [\"vendor/**\"]\n",
    );
    write_file(dir.path(), "vendor/theirs.genai", UNFORMATTED);
    let ours = write_file(dir.path(), "ours.genai", UNFORMATTED);
    let outcome = genai_scope(["fmt", "--check"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    assert_eq!(outcome.stdout, "would reformat ours.genai\n");
    assert_eq!(std::fs::read_to_string(ours).unwrap(), UNFORMATTED);
    write_file(dir.path(), "genai-scope.toml", "exclude = [\"vendor/[\"]\n");
    let outcome = genai_scope(["fmt"]).current_dir(dir.path()).run();
    outcome.expect_code(2);
    assert!(
        outcome
            .stderr
            .contains("invalid configuration: genai-scope.toml:1:"),
        "{}",
        outcome.stderr
    );
}

/// `fmt` keeps every suppression on the line it covers: what `check` reports, and what it
/// counts as suppressed, is the same before and after.
#[test]
fn fmt_never_changes_what_a_suppression_hides() {
    let ignore = "# genai-scope: ignore[invalid-value] reason=\"r\"";
    for text in [
        format!("workload \"w\" {{  {ignore}\n  audience = martians\n}}\n"),
        format!("workload \"w\" {{\n  model \"m\" {{ hosting = bogus }} {ignore}\n}}\n"),
        format!("workload \"w\" {{\n  owner = \"o\" audience = martians {ignore}\n}}\n"),
    ] {
        let dir = temp_dir();
        write_file(dir.path(), "s.genai", &text);
        let summary = || {
            let outcome = genai_scope(["check", "s.genai"])
                .current_dir(dir.path())
                .run();
            outcome
                .stdout
                .lines()
                .last()
                .unwrap_or_default()
                .to_string()
        };
        let before = summary();
        genai_scope(["fmt", "s.genai"])
            .current_dir(dir.path())
            .run();
        let after = summary();
        assert_eq!(
            before,
            after,
            "input:\n{text}\nafter fmt:\n{}",
            std::fs::read_to_string(dir.path().join("s.genai")).unwrap()
        );
    }
}
