//! `genai-scope.toml`: found walking up from each file (the nearest wins), it sets
//! severities, disables rules, requires evidence, forbids some inline suppressions and picks
//! the files of directory walks; an invalid one stops `check` with exit 2 naming the file,
//! line and key.

use crate::support::{temp_dir, write_file};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::{check, cli_check, diagnostics};

const TEXT: &str = r#"workload "w" {
  owner = "o"
  scope = 2 # genai-scope: ignore[scope-mismatch] reason="migrating"
  model "m" {
    hosting = managed_api
  }
  control risk.threat_model {
    status = implemented
  }
}
"#;

fn found(report: &Value) -> Vec<(String, String, Option<String>)> {
    diagnostics(report)
        .into_iter()
        .map(|(path, d)| {
            (
                path,
                format!(
                    "{} {}",
                    d["code"].as_str().unwrap(),
                    d["severity"].as_str().unwrap()
                ),
                d["control"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn the_nearest_configuration_shapes_the_findings_of_each_file() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "genai-scope.toml",
        r#"require_evidence = ["risk.threat_model"]
no_inline_suppressions = ["scope-mismatch"]

[severity]
"risk.prompt_injection" = "off"
missing-evidence = "error"
"#,
    );
    write_file(dir.path(), "a.genai", TEXT);
    write_file(
        dir.path(),
        "team/genai-scope.toml",
        "disabled = [\"missing-control\"]\n",
    );
    write_file(dir.path(), "team/b.genai", TEXT);
    assert_cmd_snapshot!(
        "nearest_configuration",
        cli_check(dir.path(), ["--color", "never", "--fail-on", "never", "."])
    );
    let report = check(["--format", "json", "--fail-on", "never", "."])
        .current_dir(dir.path())
        .run()
        .json();
    let all = found(&report);
    let of = |path: &str| -> Vec<(String, Option<String>)> {
        all.iter()
            .filter(|(p, _, _)| p == path)
            .map(|(_, c, control)| (c.clone(), control.clone()))
            .collect()
    };
    let a = of("a.genai");
    assert!(
        a.contains(&(
            "missing-evidence error".into(),
            Some("risk.threat_model".into())
        )),
        "{a:?}"
    );
    assert!(
        a.contains(&("invalid-suppression warning".into(), None)),
        "{a:?}"
    );
    assert!(a.contains(&("scope-mismatch error".into(), None)), "{a:?}");
    assert!(
        !a.iter()
            .any(|(_, c)| c.as_deref() == Some("risk.prompt_injection")),
        "{a:?}"
    );
    assert!(
        a.iter().any(|(c, _)| c.starts_with("missing-control")),
        "{a:?}"
    );

    // The nearer file wins whole: no evidence requirement, suppressions allowed.
    let b = of("team/b.genai");
    assert!(
        !b.iter().any(|(c, _)| c.starts_with("missing-control")),
        "{b:?}"
    );
    assert!(
        !b.iter().any(|(c, _)| c.starts_with("missing-evidence")),
        "{b:?}"
    );
    assert!(
        !b.iter().any(|(c, _)| c.starts_with("scope-mismatch")),
        "{b:?}"
    );
}

#[test]
fn include_and_exclude_pick_the_files_of_directory_walks() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "genai-scope.toml",
        "include = [\"workloads/**\"]\nexclude = [\"**/draft-*.genai\"]\n",
    );
    write_file(dir.path(), "workloads/a.genai", TEXT);
    write_file(dir.path(), "workloads/draft-b.genai", TEXT);
    write_file(dir.path(), "other/c.genai", TEXT);
    let report = check(["--format", "json", "--fail-on", "never"])
        .current_dir(dir.path())
        .run()
        .json();
    assert_eq!(super::paths(&report), ["workloads/a.genai"]);
    // A file named on the command line is checked whatever the globs say.
    let report = check([
        "--format",
        "json",
        "--fail-on",
        "never",
        "workloads/draft-b.genai",
    ])
    .current_dir(dir.path())
    .run()
    .json();
    assert_eq!(super::paths(&report), ["workloads/draft-b.genai"]);
}

#[test]
fn an_invalid_configuration_is_an_error_naming_file_line_and_key() {
    // Nothing is reported with a broken configuration: stdout stays empty.
    let dir = temp_dir();
    write_file(dir.path(), "a.genai", TEXT);
    let config = |text: &str| write_file(dir.path(), "genai-scope.toml", text);
    config("disabled = [\"scope-mismatch\"]\n\n[severity]\nmissing-control = \"loud\"\n");
    assert_cmd_snapshot!(cli_check(dir.path(), ["a.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: invalid configuration: genai-scope.toml:4:19: unknown variant `loud`, expected one of `error`, `warning`, `info`, `hint`, `off`
    ");
    config("disabled = [\"scope-mismatch\"]\nsevertiy = {}\n");
    assert_cmd_snapshot!(cli_check(dir.path(), ["a.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: invalid configuration: genai-scope.toml:2:1: unknown field `severtiy`, expected one of `severity`, `disabled`, `include`, `exclude`, `require_evidence`, `no_inline_suppressions`, `control`, `iac`
    ");
    config("require_evidence = [\n  \"risk.threat_modle\",\n]\n");
    assert_cmd_snapshot!(cli_check(dir.path(), ["a.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: invalid configuration: genai-scope.toml:2:3: `require_evidence`: `risk.threat_modle` is neither a control id nor a severity (error, warning, info, hint)
    ");
}
