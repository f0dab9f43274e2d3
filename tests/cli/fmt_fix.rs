//! `genai-scope fmt [--check]` and `genai-scope check --fix`: files rewritten in place,
//! atomically, and never when they have syntax errors.

use crate::support::{genai_scope, temp_dir, write_file};
use insta_cmd::assert_cmd_snapshot;

use super::{check, cli, cli_check, diagnostics};

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
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "--check", "."]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    would reformat messy.genai

    ----- stderr -----
    ");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), UNFORMATTED);

    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "."]), @r"
    success: true
    exit_code: 0
    ----- stdout -----
    formatted messy.genai

    ----- stderr -----
    ");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), formatted);
    assert!(
        formatted.contains("  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n")
    );

    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "--check", "."]), @r"
    success: true
    exit_code: 0
    ----- stdout -----

    ----- stderr -----
    ");
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
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "broken.genai"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----

    ----- stderr -----
    genai-scope: broken.genai: not formatted: it has syntax errors or comments that cannot be kept in place; left unchanged
    ");
    assert_eq!(std::fs::read_to_string(broken).unwrap(), BROKEN);
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "missing.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: missing.genai: no such file or directory
    ");
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

    let outcome = check(["--fix", "--color", "never", "--fail-on", "never"])
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
    // Every inserted control is listed, the one the corrected `audience` made required too
    // (the second pass inserts it).
    insta::assert_snapshot!("check_fix_summary", outcome.stderr);
    // The report is of the fixed file: no missing control, no quoted enum.
    insta::assert_snapshot!("check_fix_report", outcome.stdout);
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.contains("audience = customers"), "{fixed}");
    assert!(
        fixed.contains("control risk.threat_model {\n    status = planned\n  }"),
        "{fixed}"
    );
    insta::assert_snapshot!(fixed, @r#"
    workload "w" {
      owner    = "o"
      audience = customers
      model "m" {
        hosting = managed_api
      }

      control governance.data_classification {
        status = planned
      }

      control legal.provider_terms_review {
        status = planned
      }

      control legal.model_terms_review {
        status = planned
      }

      control risk.threat_model {
        status = planned
      }

      control risk.prompt_injection {
        status = planned
      }

      control controls.model_access_policy {
        status = planned
      }

      control controls.user_authentication {
        status = planned
      }

      control controls.data_flow_protection {
        status = planned
      }

      control resilience.quota_and_cost {
        status = planned
      }

      control resilience.timeouts {
        status = planned
      }

      control resilience.input_size_limit {
        status = planned
      }

      control resilience.retry_backoff {
        status = planned
      }

      control resilience.circuit_breaker {
        status = planned
      }

      control legal.conversation_retention {
        status = planned
      }

      control risk.pre_deployment_evaluation {
        status = planned
      }

      control risk.incident_response {
        status = planned
      }

      control controls.invocation_logging {
        status = planned
      }

      control controls.guardrails {
        status = planned
      }

      control controls.rate_limiting {
        status = planned
      }

      control governance.ai_transparency_notice {
        status = planned
      }
    }
    "#);

    // Nothing left to fix: nothing on stderr, the file unchanged.
    assert_cmd_snapshot!(
        "check_fix_nothing_left",
        cli_check(dir.path(), ["--fix", "--color", "never", "w.genai"])
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
}

#[test]
fn check_fix_never_touches_a_file_with_syntax_errors() {
    let dir = temp_dir();
    let path = write_file(dir.path(), "broken.genai", BROKEN);
    assert_cmd_snapshot!(cli_check(dir.path(), ["--fix", "--color", "never", "broken.genai"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    broken.genai:1: workload "w" is scope 3 (Pre-trained models); 19 required controls: 0 in place, 0 planned, 19 missing
    error[syntax-error]: expected `{` after `owner "o"`
     --> broken.genai:2:3
      |
    2 |   owner "o"
      |   ^^^^^^^^^

    error[missing-attribute]: workload is missing `owner`: a string
     --> broken.genai:1:10
      |
    1 | workload "w" {
      |          ^^^

    error[missing-control]: workload "w" is missing 19 controls (4 errors, 15 warnings):
     --> broken.genai:1:10
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

    Checked 1 file and 1 workload: 6 errors, 15 warnings, 0 infos, 0 hints.

    ----- stderr -----
    genai-scope: broken.genai: not fixed: the file has syntax errors
    "#);
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
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "--check"]), @r"
    success: false
    exit_code: 1
    ----- stdout -----
    would reformat ours.genai

    ----- stderr -----
    ");
    assert_eq!(std::fs::read_to_string(ours).unwrap(), UNFORMATTED);
    write_file(dir.path(), "genai-scope.toml", "exclude = [\"vendor/[\"]\n");
    assert_cmd_snapshot!(cli(dir.path(), ["fmt"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: invalid configuration: genai-scope.toml:1:12: `exclude`: invalid glob `vendor/[`: unclosed character class; missing ']'
    ");
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
