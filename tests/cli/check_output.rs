//! `check` output: the text and JSON reports of the examples (reviewed snapshots) and the JSON
//! contract (version 1): shape, 1-based lines, columns in Unicode characters, `control` on
//! missing-control findings, `inferred_scope` null without a model.

use std::collections::BTreeSet;
use std::ffi::OsStr;

use crate::support::{command, temp_dir, write_file};
use serde_json::Value;

use super::{TODAY, catalog_facts, check, diagnostics, example, paths};

#[test]
fn text_report_of_the_examples() {
    let outcome = check(["examples", "--color", "never"]).run();
    outcome.expect_code(1);
    assert_eq!(outcome.stderr, "", "no input errors expected");
    insta::assert_snapshot!("check_examples_text", outcome.stdout);
}

#[test]
fn json_report_of_the_examples() {
    let outcome = check(["examples", "--format", "json"]).run();
    outcome.expect_code(1);
    assert_eq!(outcome.stderr, "", "no input errors expected");
    insta::assert_snapshot!("check_examples_json", outcome.stdout);
    assert_contract(&outcome.json());
}

#[test]
fn text_and_json_agree_on_the_counts() {
    let json = check(["examples", "--format", "json"]).run().json();
    let text = check(["examples", "--color", "never"]).run().stdout;
    let summary = &json["summary"];
    let last = text.lines().last().expect("a summary line");
    let files = summary["files"].as_u64().unwrap();
    let errors = summary["errors"].as_u64().unwrap();
    let warnings = summary["warnings"].as_u64().unwrap();
    assert!(
        last.starts_with(&format!("Checked {files} files and ")),
        "{last}"
    );
    assert!(
        last.contains(&format!(": {errors} errors, {warnings} warnings")),
        "{last}"
    );
    // Every workload has its scope line, and every finding its `severity[code]` header, except
    // a workload's (or agent's) missing controls, which are one finding with a note per
    // discipline naming each.
    for file in json["files"].as_array().unwrap() {
        for workload in file["workloads"].as_array().unwrap() {
            let name = workload["name"].as_str().unwrap();
            let line = format!("{}:", file["path"].as_str().unwrap());
            assert!(
                text.lines()
                    .any(|l| l.starts_with(&line) && l.contains(&format!("\"{name}\""))),
                "no scope line for {name}"
            );
        }
    }
    for (_, d) in diagnostics(&json) {
        let header = format!(
            "{}[{}]: {}",
            d["severity"].as_str().unwrap(),
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        let grouped = d["code"] == "missing-control"
            && d["control"].as_str().is_some_and(|control| {
                text.lines()
                    .any(|l| l.trim_start().starts_with("= note: ") && l.contains(control))
            });
        assert!(
            text.contains(&header) || grouped,
            "text report lacks `{header}`"
        );
    }
    assert!(
        text.contains("[missing-control]: workload \"sales-enablement\" is missing 3 controls ("),
        "{text}"
    );
}

/// Checks the version-1 JSON contract on a report: exact keys, types, value domains and the
/// summary's counts.
pub fn assert_contract(report: &Value) {
    let facts = catalog_facts();
    let keys = |value: &Value| -> BTreeSet<String> {
        value
            .as_object()
            .unwrap_or_else(|| panic!("an object expected, got {value}"))
            .keys()
            .cloned()
            .collect()
    };
    let set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
    assert_eq!(keys(report), set(&["version", "files", "summary"]));
    assert_eq!(report["version"], 1);
    let files = report["files"].as_array().expect("files is an array");
    let (mut errors, mut warnings, mut infos, mut hints) = (0, 0, 0, 0);
    for file in files {
        assert_eq!(keys(file), set(&["path", "workloads", "diagnostics"]));
        let path = file["path"].as_str().expect("path is a string");
        assert!(!path.contains('\\'), "paths use forward slashes: {path}");
        let mut names = Vec::new();
        for workload in file["workloads"].as_array().expect("workloads is an array") {
            assert_eq!(
                keys(workload),
                set(&[
                    "name",
                    "declared_scope",
                    "inferred_scope",
                    "stage",
                    "reasons",
                    "agency_scope",
                    "agents"
                ])
            );
            let agency = &workload["agency_scope"];
            assert!(
                agency.is_null() || agency.as_u64().is_some_and(|n| (1..=4).contains(&n)),
                "agency_scope is null or 1-4: {agency}"
            );
            let agents = workload["agents"].as_array().expect("agents is an array");
            assert_eq!(agency.is_null(), agents.is_empty());
            for agent in agents {
                assert_eq!(
                    keys(agent),
                    set(&[
                        "name",
                        "declared_agency_scope",
                        "inferred_agency_scope",
                        "reasons"
                    ])
                );
                assert!(
                    agent["inferred_agency_scope"]
                        .as_u64()
                        .is_some_and(|n| (1..=4).contains(&n))
                );
                assert!(!agent["reasons"].as_array().expect("reasons").is_empty());
            }
            assert!(
                matches!(workload["stage"].as_str(), Some("prototype" | "production")),
                "stage: {}",
                workload["stage"]
            );
            assert!(workload["name"].is_string() || workload["name"].is_null());
            names.extend(workload["name"].as_str().map(str::to_string));
            for scope in ["declared_scope", "inferred_scope"] {
                let value = &workload[scope];
                assert!(
                    value.is_null() || value.as_u64().is_some_and(|n| (1..=5).contains(&n)),
                    "{scope} is null or 1-5: {value}"
                );
            }
            let reasons = workload["reasons"].as_array().expect("reasons is an array");
            assert!(reasons.iter().all(Value::is_string));
            if !workload["inferred_scope"].is_null() {
                assert!(
                    !reasons.is_empty(),
                    "an inferred scope comes with its reason"
                );
            }
        }
        for d in file["diagnostics"]
            .as_array()
            .expect("diagnostics is an array")
        {
            assert_eq!(
                keys(d),
                set(&[
                    "code", "severity", "message", "range", "workload", "control", "model", "agent"
                ])
            );
            let code = d["code"].as_str().expect("code is a string");
            assert!(facts.codes.iter().any(|c| c == code), "unknown code {code}");
            match d["severity"].as_str().expect("severity is a string") {
                "error" => errors += 1,
                "warning" => warnings += 1,
                "info" => infos += 1,
                "hint" => hints += 1,
                other => panic!("unknown severity {other}"),
            }
            assert!(
                !d["message"]
                    .as_str()
                    .expect("message is a string")
                    .is_empty()
            );
            assert_eq!(keys(&d["range"]), set(&["start", "end"]));
            let position = |p: &Value| -> (u64, u64) {
                assert_eq!(keys(p), set(&["line", "column"]));
                let line = p["line"].as_u64().expect("line is a number");
                let column = p["column"].as_u64().expect("column is a number");
                assert!(line >= 1 && column >= 1, "1-based: {p}");
                (line, column)
            };
            let (start, end) = (position(&d["range"]["start"]), position(&d["range"]["end"]));
            assert!(start <= end, "range starts after it ends: {d}");
            let workload = &d["workload"];
            assert!(
                workload.is_null()
                    || workload
                        .as_str()
                        .is_some_and(|w| names.iter().any(|n| n == w))
            );
            let control = &d["control"];
            assert!(control.is_null() || control.is_string());
            let model = &d["model"];
            assert!(model.is_null() || model.is_string(), "model: {model}");
            if code == "missing-control" {
                let control = control.as_str().expect("missing-control names its control");
                // Built-in, or one of the team policy example's custom controls.
                assert!(
                    facts.controls.iter().any(|c| c == control)
                        || path.starts_with("examples/team-policy/"),
                    "unknown control {control}"
                );
                assert!(d["message"].as_str().unwrap().contains(control));
                assert!(workload.is_string(), "missing-control names its workload");
                assert!(model.is_string(), "missing-control names its model");
            }
        }
    }
    assert_eq!(
        keys(&report["summary"]),
        set(&["files", "errors", "warnings", "infos", "hints"])
    );
    assert_eq!(report["summary"]["files"], files.len());
    assert_eq!(report["summary"]["errors"], errors);
    assert_eq!(report["summary"]["warnings"], warnings);
    assert_eq!(report["summary"]["infos"], infos);
    assert_eq!(report["summary"]["hints"], hints);
}

#[test]
fn clean_example_has_no_findings() {
    let outcome = check([
        "examples/clean-internal-summarizer.genai",
        "--format",
        "json",
    ])
    .run();
    outcome.expect_code(0);
    let report = outcome.json();
    assert_contract(&report);
    assert_eq!(diagnostics(&report), vec![]);
    let workloads = report["files"][0]["workloads"].as_array().unwrap();
    assert!(!workloads.is_empty());
    for workload in workloads {
        assert_eq!(workload["declared_scope"], workload["inferred_scope"]);
    }
}

#[test]
fn every_finding_of_a_varied_file_follows_the_contract() {
    // One file that triggers many different rules: unknown names, bad values, duplicates, no
    // model, a contradiction, a scope mismatch, training-data rules, overdue and
    // not-applicable controls, a syntax error at the end.
    let dir = temp_dir();
    let text = r#"
workload "a" {
  owner = "o"
  scope = 2
  audiense = public
  criticality = extreme
  model "m" { hosting = consumer_app  training = fine_tuned }
  model "m" { hosting = managed_api }
  data "d" { classification = restricted  personal_data = true  use = fine_tuning }
  control risk.thread_model {}
  control governance.training_opt_out { status = not_applicable }
  control risk.threat_model { status = planned  due = "2020-01-01" }
  control legal.provider_terms_review { evidence = "missing/evidence.md" }
  gadget {}
}
workload "a" { owner = 3 }
workload "b" { owner = "o" owner = "p" }
workload "c" {
"#;
    write_file(dir.path(), "varied.genai", text);
    let outcome = check(["--format", "json", "varied.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    let report = outcome.json();
    assert_contract(&report);
    let codes: BTreeSet<String> = diagnostics(&report)
        .iter()
        .map(|(_, d)| d["code"].as_str().unwrap().to_string())
        .collect();
    assert!(
        codes.len() >= 10,
        "a varied file, varied findings: {codes:?}"
    );
}

#[test]
fn inferred_scope_is_null_without_a_model() {
    let dir = temp_dir();
    write_file(
        dir.path(),
        "no-model.genai",
        "workload \"bare\" {\n  owner = \"o\"\n  scope = 3\n}\n",
    );
    let outcome = check(["--format", "json", "no-model.genai"])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    let report = outcome.json();
    assert_contract(&report);
    let workload = &report["files"][0]["workloads"][0];
    assert_eq!(workload["name"], "bare");
    assert_eq!(workload["declared_scope"], 3);
    assert_eq!(workload["inferred_scope"], Value::Null);
    let no_model: Vec<_> = diagnostics(&report)
        .into_iter()
        .filter(|(_, d)| d["code"] == "no-model")
        .collect();
    assert_eq!(no_model.len(), 1, "one no-model finding");
    assert_eq!(no_model[0].1["workload"], "bare");
    // The text report says the scope is unknown rather than inventing one.
    let mut text = command([
        "check",
        "--today",
        TODAY,
        "--color",
        "never",
        "no-model.genai",
    ]);
    text.current_dir(dir.path());
    insta_cmd::assert_cmd_snapshot!(text, @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    no-model.genai:1: workload "bare": scope unknown
    error[no-model]: workload "bare" declares no model, so its scope cannot be inferred: add a `model "name" { hosting = … }` block
     --> no-model.genai:1:10
      |
    1 | workload "bare" {
      |          ^^^^^^

    Checked 1 file and 1 workload: 1 error, 0 warnings, 0 infos, 0 hints.

    ----- stderr -----
    "#);
}

/// Where `needle` is in `text`: 1-based line and 1-based column counted in Unicode scalar
/// values, computed independently of the tool.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

fn find<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} finding in {report}"))
}

#[test]
fn columns_count_unicode_characters() {
    // Emoji (outside the BMP: two UTF-16 units, four UTF-8 bytes), a skin-tone sequence, CJK,
    // a combining accent, all before a finding on the same line.
    let line = "  description = \"日本語の説明 😀👍🏽 e\u{301}\"  audience = everyone";
    let text = format!(
        "workload \"ユニコード\" {{\n  owner = \"o\"\n{line}\n  model \"m\" {{ hosting = managed_api }}\n}}\n"
    );
    let prefix = &line[..line.find("everyone").unwrap()];
    assert!(
        prefix.len() > prefix.chars().count()
            && prefix.encode_utf16().count() > prefix.chars().count(),
        "the test needs bytes, UTF-16 units and characters to differ before the finding"
    );
    let (line_number, column) = position_of(&text, "everyone");

    let dir = temp_dir();
    write_file(dir.path(), "unicode.genai", &text);
    // The same text with every non-ASCII character replaced by one ASCII character: the
    // columns must not move.
    let ascii: String = text
        .chars()
        .map(|c| if c.is_ascii() { c } else { 'x' })
        .collect();
    write_file(dir.path(), "ascii.genai", &ascii);

    for name in ["unicode.genai", "ascii.genai"] {
        let outcome = check(["--format", "json", name])
            .current_dir(dir.path())
            .run();
        outcome.expect_code(1);
        let report = outcome.json();
        assert_contract(&report);
        let finding = find(&report, "invalid-value");
        assert_eq!(
            finding["range"]["start"]["line"], line_number,
            "{name}: {finding}"
        );
        assert_eq!(
            finding["range"]["start"]["column"], column,
            "{name}: {finding}"
        );
        assert_eq!(
            finding["range"]["end"]["line"], line_number,
            "{name}: {finding}"
        );
        assert_eq!(
            finding["range"]["end"]["column"],
            column + "everyone".chars().count(),
            "{name}: {finding}"
        );
        // SARIF uses the same columns.
        let sarif = check(["--format", "sarif", name])
            .current_dir(dir.path())
            .run()
            .json();
        let result = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "invalid-value")
            .expect("the SARIF log has the finding");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], line_number);
        assert_eq!(region["startColumn"], column);
        assert_eq!(region["endColumn"], column + "everyone".chars().count());
    }
    // The text report points at the same place.
    let text_report = check(["--color", "never", "unicode.genai"])
        .current_dir(dir.path())
        .run();
    assert!(
        text_report
            .stdout
            .contains(&format!("unicode.genai:{line_number}:{column}")),
        "{}",
        text_report.stdout
    );
    // And the workload's name comes back intact.
    let report = check(["--format", "json", "unicode.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    assert_eq!(report["files"][0]["workloads"][0]["name"], "ユニコード");
}

#[test]
fn first_character_of_the_file_is_line_1_column_1() {
    let dir = temp_dir();
    write_file(dir.path(), "first.genai", "gadget {}\n");
    let report = check(["--format", "json", "first.genai"])
        .current_dir(dir.path())
        .run()
        .json();
    assert_contract(&report);
    let finding = find(&report, "unknown-block");
    assert_eq!(
        finding["range"]["start"],
        serde_json::json!({"line": 1, "column": 1})
    );
}

#[test]
fn crlf_line_endings_give_the_same_positions() {
    let lf = example("scope3-support-assistant.genai");
    assert!(!lf.contains('\r'));
    let dir = temp_dir();
    write_file(dir.path(), "lf/a.genai", &lf);
    write_file(dir.path(), "crlf/a.genai", lf.replace('\n', "\r\n"));
    let lf_report = check(["--format", "json", "lf"])
        .current_dir(dir.path())
        .run()
        .json();
    let crlf_report = check(["--format", "json", "crlf"])
        .current_dir(dir.path())
        .run()
        .json();
    assert!(!diagnostics(&lf_report).is_empty());
    assert_eq!(
        lf_report["files"][0]["diagnostics"],
        crlf_report["files"][0]["diagnostics"]
    );
    assert_eq!(
        lf_report["files"][0]["workloads"],
        crlf_report["files"][0]["workloads"]
    );
}

#[test]
fn paths_are_relative_to_the_working_directory() {
    let dir = temp_dir();
    let clean = example("clean-internal-summarizer.genai");
    write_file(dir.path(), "team/one.genai", &clean);
    write_file(dir.path(), "team/nested/two.genai", &clean);
    write_file(dir.path(), "team/notes.txt", "not a declaration");
    write_file(dir.path(), "team/three.genai.bak", &clean);
    let report = check(["--format", "json", "team"])
        .current_dir(dir.path())
        .run()
        .json();
    assert_eq!(paths(&report), ["team/nested/two.genai", "team/one.genai"]);
    // `./` is dropped; a file named twice (directly and through its directory) is reported once.
    let report = check(["--format", "json", "./team/one.genai", "team"])
        .current_dir(dir.path())
        .run()
        .json();
    assert_eq!(paths(&report), ["team/nested/two.genai", "team/one.genai"]);
    // An absolute path under the working directory is shown relative to it.
    let absolute = dir.path().join("team/one.genai");
    let report = check([
        OsStr::new("--format"),
        OsStr::new("json"),
        absolute.as_os_str(),
    ])
    .current_dir(dir.path())
    .run()
    .json();
    assert_eq!(paths(&report), ["team/one.genai"]);
    // Without arguments, the working directory is searched.
    let report = check(["--format", "json"])
        .current_dir(dir.path().join("team"))
        .run()
        .json();
    assert_eq!(paths(&report), ["nested/two.genai", "one.genai"]);
}

#[test]
fn overdue_controls_follow_the_today_option() {
    // The examples plan controls with due dates; past them, overdue-control fires.
    let before = check(["--format", "json", "examples"]).run().json();
    assert!(
        diagnostics(&before)
            .iter()
            .all(|(_, d)| d["code"] != "overdue-control")
    );
    let late = crate::support::genai_scope([
        "check",
        "--format",
        "json",
        "--today",
        "2100-01-01",
        "examples",
    ])
    .run()
    .json();
    assert_contract(&late);
    let overdue: Vec<_> = diagnostics(&late)
        .into_iter()
        .filter(|(_, d)| d["code"] == "overdue-control")
        .collect();
    let due_dates: usize = super::example_files()
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .map(|text| {
            text.lines()
                .filter(|l| l.trim_start().starts_with("due "))
                .count()
        })
        .sum();
    assert!(due_dates > 0, "the examples plan some controls");
    assert_eq!(
        overdue.len(),
        due_dates,
        "every planned control is overdue in 2100"
    );
    for (path, d) in &overdue {
        let text = std::fs::read_to_string(crate::support::workspace().join(path)).unwrap();
        let line = d["range"]["start"]["line"].as_u64().unwrap() as usize;
        let source = text.lines().nth(line - 1).unwrap();
        assert!(
            source.trim_start().starts_with("due "),
            "{path}:{line} is not a `due`: {source}"
        );
    }
}

#[test]
fn color_always_colours_even_through_a_pipe() {
    let plain = check(["examples/scope1-consumer-chat.genai", "--color", "never"]).run();
    let coloured = check(["examples/scope1-consumer-chat.genai", "--color", "always"]).run();
    let auto = check(["examples/scope1-consumer-chat.genai"]).run();
    assert!(!plain.stdout.contains('\u{1b}'));
    assert!(
        !auto.stdout.contains('\u{1b}'),
        "auto: no colour into a pipe"
    );
    assert!(coloured.stdout.contains("\u{1b}["), "always: ANSI colours");
    assert_eq!(strip_ansi(&coloured.stdout), plain.stdout);
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
