//! `genai-scope init --from PATH [--output FILE] [--force]`: a draft from every infrastructure
//! fixture that `check` reads without syntax errors and `fmt` leaves as it is; the same input
//! gives the same bytes; an existing file is replaced only with `--force`.

use crate::support::{genai_scope, temp_dir, workspace, write_file};

use super::{check, diagnostics};

/// The fixture folders under `tests/fixtures/iac/`.
fn fixture_folders() -> Vec<String> {
    let root = workspace().join("tests/fixtures/iac");
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            format!(
                "tests/fixtures/iac/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    folders.sort();
    folders
}

#[test]
fn every_fixture_drafts_a_file_check_reads_without_syntax_errors_and_fmt_keeps() {
    let folders = fixture_folders();
    assert!(folders.len() >= 8, "{folders:?}");
    let dir = temp_dir();
    for folder in folders {
        let outcome = genai_scope(["init", "--from", &folder])
            .current_dir(workspace())
            .run();
        outcome.expect_code(0);
        let text = outcome.stdout.clone();
        assert!(text.contains("workload \""), "{folder}:\n{text}");
        let file = write_file(dir.path(), "draft.genai", &text);

        let report = check(["--format", "json", "--fail-on", "never"])
            .current_dir(dir.path())
            .run();
        report.expect_code(0);
        let report = report.json();
        let found = diagnostics(&report);
        assert!(
            !found.is_empty() || text.contains("control"),
            "{folder}: a report was made"
        );
        for (_, diagnostic) in &found {
            assert_ne!(
                diagnostic["code"], "syntax-error",
                "{folder}:\n{text}\n{diagnostic:#}"
            );
            let schema = [
                "unknown-block",
                "unknown-attribute",
                "invalid-value",
                "missing-attribute",
                "duplicate-name",
                "duplicate-attribute",
                "unknown-control",
                "no-model",
            ];
            assert!(
                !schema.contains(&diagnostic["code"].as_str().unwrap_or_default()),
                "{folder}: a schema error in the draft:\n{text}\n{diagnostic:#}"
            );
        }

        // Held to the infrastructure it was drafted from, the draft has not drifted: every
        // block binds, agrees with its resource, and every resource (and function) is declared.
        let iac = workspace().join(&folder);
        let drift = check([
            "--format",
            "json",
            "--fail-on",
            "never",
            "--iac",
            iac.to_str().unwrap(),
        ])
        .current_dir(dir.path())
        .run();
        drift.expect_code(0);
        let drift = drift.json();
        let drifted: Vec<_> = diagnostics(&drift)
            .into_iter()
            .filter(|(_, d)| {
                ["iac-mismatch", "undeclared-resource", "unbound-resource"]
                    .contains(&d["code"].as_str().unwrap_or_default())
            })
            .collect();
        assert!(drifted.is_empty(), "{folder}:\n{text}\n{drifted:#?}");

        let fmt = genai_scope(["fmt", "--check", file.to_str().unwrap()]).run();
        fmt.expect_code(0);

        let again = genai_scope(["init", "--from", &folder])
            .current_dir(workspace())
            .run();
        assert_eq!(again.stdout, text, "{folder}: not the same bytes twice");
    }
}

#[test]
fn the_draft_binds_blocks_and_marks_what_to_review() {
    let outcome = genai_scope(["init", "--from", "tests/fixtures/iac/bedrock-agent"])
        .current_dir(workspace())
        .run();
    outcome.expect_code(0);
    let text = &outcome.stdout;
    for expected in [
        "resource = \"aws_bedrockagent_agent.claims\"",
        "tool \"issue_refund\" {",
        "approval    = required",
        "effect      = write # review:",
        "classification = internal # review:",
        "evidence = \"iac:aws_bedrock_guardrail.claims\"",
        "regions = [\"us-east-1\", \"eu-west-1\"]",
    ] {
        assert!(text.contains(expected), "`{expected}` missing:\n{text}");
    }
}

#[test]
fn unreadable_files_are_reported_and_the_rest_drafted() {
    let outcome = genai_scope(["init", "--from", "tests/fixtures/iac/broken"])
        .current_dir(workspace())
        .run();
    outcome.expect_code(0);
    assert!(
        outcome.stderr.contains(
            "tests/fixtures/iac/broken/broken.tf:5: warning: iac-unreadable: not valid HCL"
        ),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome
            .stdout
            .contains("# not read: tests/fixtures/iac/broken/broken.tf")
    );
    assert!(outcome.stdout.contains("agent \"helper\""));
}

#[test]
fn output_is_never_overwritten_without_force() {
    let dir = temp_dir();
    let infra = dir.path().join("infra");
    std::fs::create_dir(&infra).unwrap();
    write_file(
        &infra,
        "main.tf",
        "resource \"aws_bedrockagent_agent\" \"a\" {\n  agent_name       = \"a\"\n  foundation_model = \"amazon.nova-lite-v1:0\"\n}\n",
    );
    let first = genai_scope(["init", "--from", "infra", "--output", "ai.genai"])
        .current_dir(dir.path())
        .run();
    first.expect_code(0);
    assert!(
        first.stdout.is_empty(),
        "the draft goes to the file: {}",
        first.stdout
    );
    let path = dir.path().join("ai.genai");
    let drafted = std::fs::read_to_string(&path).unwrap();
    assert!(drafted.contains("agent \"a\""), "{drafted}");
    assert!(
        drafted.contains("# From infra."),
        "paths relative to the output: {drafted}"
    );

    std::fs::write(&path, "# edited by hand\n").unwrap();
    let refused = genai_scope(["init", "--from", "infra", "--output", "ai.genai"])
        .current_dir(dir.path())
        .run();
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("already exists; not overwritten"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# edited by hand\n"
    );

    let forced = genai_scope(["init", "--from", "infra", "--output", "ai.genai", "--force"])
        .current_dir(dir.path())
        .run();
    forced.expect_code(0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), drafted);
}

#[test]
fn usage_errors() {
    let dir = temp_dir();
    let missing = genai_scope(["init", "--from", "no-such-dir"])
        .current_dir(dir.path())
        .run();
    missing.expect_code(2);
    assert!(
        missing
            .stderr
            .contains("no-such-dir: no such file or directory")
    );
    // --force only makes sense with --output.
    genai_scope(["init", "--from", ".", "--force"])
        .current_dir(dir.path())
        .run()
        .expect_code(2);
}

#[test]
fn a_directory_without_infrastructure_drafts_no_workload() {
    let dir = temp_dir();
    write_file(dir.path(), "notes.yaml", "title: not a template\n");
    let outcome = genai_scope(["init", "--from", "."])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(0);
    assert!(
        outcome.stdout.contains("# No workload"),
        "{}",
        outcome.stdout
    );
    assert!(outcome.stderr.is_empty(), "{}", outcome.stderr);
}
