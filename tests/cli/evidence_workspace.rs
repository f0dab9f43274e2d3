//! The workspace of `evidence` paths: the nearest directory with `genai-scope.toml` or
//! `.git` above each file, or `--root`; links that lead out of it count as outside.

use crate::support::{temp_dir, write_file};

use insta_cmd::assert_cmd_snapshot;

use super::{check, cli_check, diagnostics, snapshot_filters};

const TEXT: &str = r#"workload "w" {
  owner = "o"
  model "m" {
    hosting = managed_api
  }
  control risk.threat_model {
    status   = implemented
    evidence = "EVIDENCE"
  }
}
"#;

/// The `evidence-not-found` messages of `check` on `file`, run in `cwd`.
fn evidence_findings(cwd: &std::path::Path, args: &[&str]) -> Vec<String> {
    let outcome = check(["--format", "json"].iter().chain(args))
        .current_dir(cwd)
        .run();
    outcome.expect_no_crash();
    diagnostics(&outcome.json())
        .into_iter()
        .filter(|(_, d)| d["code"] == "evidence-not-found")
        .map(|(_, d)| d["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn evidence_above_the_file_is_inside_when_the_repository_root_is_above_it() {
    let dir = temp_dir();
    let repo = dir.path();
    std::fs::create_dir(repo.join(".git")).unwrap();
    write_file(repo, "docs/x.md", "# threat model\n");
    write_file(
        repo,
        "workloads/w.genai",
        TEXT.replace("EVIDENCE", "../docs/x.md"),
    );
    let workloads = repo.join("workloads");
    // From the subdirectory, as CI runs it: the repository root is the workspace.
    assert_eq!(
        evidence_findings(&workloads, &["w.genai"]),
        Vec::<String>::new()
    );
    assert_eq!(
        evidence_findings(repo, &["workloads"]),
        Vec::<String>::new()
    );
    // `--root` narrows it; without a repository the file's own directory is the workspace.
    let narrowed = evidence_findings(&workloads, &["--root", ".", "w.genai"]);
    assert_eq!(narrowed.len(), 1, "{narrowed:?}");
    assert!(
        narrowed[0].contains("outside the workspace"),
        "{narrowed:?}"
    );
    let _filters = snapshot_filters().bind_to_scope();
    assert_cmd_snapshot!(
        "evidence_outside_a_narrowed_root",
        cli_check(&workloads, ["--color", "never", "--root", ".", "w.genai"])
    );
    std::fs::remove_dir(repo.join(".git")).unwrap();
    let alone = evidence_findings(&workloads, &["w.genai"]);
    assert!(alone[0].contains("outside the workspace"), "{alone:?}");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_workspace_is_outside_and_reveals_nothing() {
    let outside = temp_dir();
    write_file(outside.path(), "secret.md", "x");
    let dir = temp_dir();
    let repo = dir.path();
    std::fs::create_dir(repo.join(".git")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.join("elsewhere")).unwrap();
    write_file(repo, "docs/tm.md", "x");
    std::os::unix::fs::symlink("docs", repo.join("inside")).unwrap();
    let text = TEXT.replace(
        "    evidence = \"EVIDENCE\"\n  }",
        "    evidence = \"elsewhere/secret.md\"\n  }\n  control governance.terms_compliance {\n    status   = implemented\n    evidence = \"elsewhere/nope.md\"\n  }\n  control governance.data_usage_policy {\n    status   = implemented\n    evidence = \"inside/tm.md\"\n  }",
    );
    write_file(repo, "w.genai", text);
    let found = evidence_findings(repo, &["w.genai"]);
    assert_eq!(found.len(), 2, "{found:?}");
    // The existing and the missing target get the same answer: no existence oracle.
    for message in &found {
        assert!(message.contains("outside the workspace"), "{found:?}");
    }
    let _filters = snapshot_filters().bind_to_scope();
    assert_cmd_snapshot!(
        "evidence_through_links",
        cli_check(repo, ["--color", "never", "w.genai"])
    );
}
