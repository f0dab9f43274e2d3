//! `check --format sarif`: valid against the SARIF 2.1.0 schema (a copy in tests/fixtures) and
//! shaped as GitHub code scanning requires. `tests/sarif/validate.sh` adds Microsoft's own
//! validator with GitHub's ingestion rules on top of this.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::support::{temp_dir, workspace, write_file};
use serde_json::Value;

use super::{catalog_facts, check, diagnostics, example};

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = workspace().join("tests/fixtures/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(&path).expect("read the SARIF schema");
        // The official schema's `run.language` pattern has a stray `]`, a literal in
        // ECMAScript but refused by the meta-schema's strict `regex` format check: escape it
        // here (same meaning), leaving the fixture as published.
        let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
        assert!(text.contains(stray), "the schema fixture changed");
        let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
        let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles")
    })
}

/// Schema errors of a log, as `path: message` lines.
fn schema_errors(log: &Value) -> Vec<String> {
    validator()
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[track_caller]
fn assert_schema_valid(log: &Value) {
    let errors = schema_errors(log);
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

fn examples_log() -> Value {
    let outcome = check(["examples", "--format", "sarif"]).run();
    outcome.expect_code(1);
    assert_eq!(outcome.stderr, "");
    outcome.json()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results is an array")
}

#[test]
fn examples_validate_against_the_sarif_schema() {
    assert_schema_valid(&examples_log());
}

#[test]
fn the_schema_check_catches_broken_logs() {
    // The validation above is only worth something if a broken log fails it.
    let log = examples_log();
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!schema_errors(&broken).is_empty(), "startLine 0 accepted");
    let mut broken = log.clone();
    broken["version"] = Value::from("2.0.0");
    assert!(!schema_errors(&broken).is_empty(), "version 2.0.0 accepted");
    let mut broken = log;
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&broken).is_empty(), "level `fatal` accepted");
}

#[test]
fn other_logs_validate_too() {
    let dir = temp_dir();
    // Every kind of finding the varied file of the JSON tests triggers, in a path with a
    // space and non-ASCII letters (percent-encoded in the URI).
    write_file(
        dir.path(),
        "my team/ünïcode 日本.genai",
        "workload \"a\" {\n  scope = 2\n  gadget {}\n  model \"m\" { hosting = consumer_app training = fine_tuned }\n  data \"d\" { classification = secret use = rag }\n  control risk.thread_model {}\n}\nworkload \"a\" {\n",
    );
    let outcome = check(["--format", "sarif", "."])
        .current_dir(dir.path())
        .run();
    outcome.expect_code(1);
    let log = outcome.json();
    assert_schema_valid(&log);
    assert_github_requirements(&log);
    let uris: BTreeSet<&str> = results(&log)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris.len(), 1);
    let uri = uris.into_iter().next().unwrap();
    assert!(!uri.contains(' '), "a URI has no raw spaces: {uri}");
    assert_eq!(percent_decode(uri), "my team/ünïcode 日本.genai");

    // No files, no results: still a valid log with its rules.
    let empty = temp_dir();
    let outcome = check(["--format", "sarif", "."])
        .current_dir(empty.path())
        .run();
    outcome.expect_code(0);
    let log = outcome.json();
    assert_schema_valid(&log);
    assert_eq!(results(&log).len(), 0);
    assert_github_requirements(&log);
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&uri[i + 1..i + 3], 16).expect("a %XX escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("the URI decodes to UTF-8")
}

/// What GitHub code scanning needs of an uploaded log (and Microsoft's `Gh` rules check).
#[track_caller]
fn assert_github_requirements(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run");
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "genai-scope");
    let rules = driver["rules"].as_array().expect("tool.driver.rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("rule id"))
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    // One rule per diagnostic code, and one per built-in control under `missing-control/`
    // (a project's custom controls add theirs).
    let facts = catalog_facts();
    let mut expected: BTreeSet<String> = facts.codes.into_iter().collect();
    expected.extend(
        facts
            .controls
            .iter()
            .map(|control| format!("missing-control/{control}")),
    );
    let found: BTreeSet<String> = unique.iter().map(|s| s.to_string()).collect();
    assert!(
        found.is_superset(&expected),
        "missing rules: {:?}",
        expected.difference(&found).collect::<Vec<_>>()
    );
    for extra in found.difference(&expected) {
        assert!(
            extra.starts_with("missing-control/"),
            "unexpected rule {extra}"
        );
    }
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        for field in ["shortDescription", "fullDescription", "help"] {
            let text = rule[field]["text"].as_str().unwrap_or("");
            assert!(!text.trim().is_empty(), "{id}: {field}.text");
        }
        let help_uri = rule["helpUri"]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: helpUri"));
        assert!(help_uri.starts_with("https://"), "{id}: helpUri {help_uri}");
        let severity = rule["properties"]["security-severity"]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: properties.security-severity is a string"));
        let value: f64 = severity
            .parse()
            .unwrap_or_else(|_| panic!("{id}: {severity}"));
        assert!(
            (0.0..=10.0).contains(&value),
            "{id}: security-severity {value}"
        );
    }
    for result in results(log) {
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        // A missing control's result is filed under that control's rule.
        match result["properties"]["control"].as_str() {
            Some(control) if rule_id.starts_with("missing-control") => {
                assert_eq!(rule_id, format!("missing-control/{control}"));
            }
            _ => assert!(!rule_id.contains('/'), "{rule_id}"),
        }
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            ids.get(index),
            Some(&rule_id),
            "ruleIndex points at its rule"
        );
        let level = result["level"].as_str().expect("level");
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        assert!(!result["message"]["text"].as_str().unwrap_or("").is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"]
            .as_str()
            .expect("artifactLocation.uri");
        assert!(
            !uri.starts_with('/') && !uri.contains("://") && !uri.starts_with("file:"),
            "relative URI: {uri}"
        );
        let region = &location["region"];
        assert!(
            region["startLine"].as_u64().is_some_and(|l| l >= 1),
            "{region}"
        );
        assert!(
            region["startColumn"].as_u64().is_some_and(|c| c >= 1),
            "{region}"
        );
        let fingerprints = result["partialFingerprints"]
            .as_object()
            .expect("partialFingerprints");
        assert!(!fingerprints.is_empty());
        assert!(
            fingerprints
                .values()
                .all(|v| v.as_str().is_some_and(|s| !s.is_empty()))
        );
    }
}

#[test]
fn examples_meet_github_requirements() {
    let log = examples_log();
    assert_github_requirements(&log);
    // The same findings as the JSON report, at the same places and levels.
    let json = check(["examples", "--format", "json"]).run().json();
    let from_json: Vec<(String, String, u64, u64, String)> = diagnostics(&json)
        .into_iter()
        .map(|(path, d)| {
            let level = match d["severity"].as_str().unwrap() {
                "error" => "error",
                "warning" => "warning",
                _ => "note",
            };
            (
                path,
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["column"].as_u64().unwrap(),
                level.to_string(),
            )
        })
        .collect();
    // SARIF keeps suppressed results (marked as such); the JSON report leaves them out.
    let from_sarif: Vec<(String, String, u64, u64, String)> = results(&log)
        .iter()
        .filter(|r| r["suppressions"].as_array().is_none_or(Vec::is_empty))
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                // `missing-control/<control>`: the code is the rule's parent.
                r["ruleId"]
                    .as_str()
                    .unwrap()
                    .split('/')
                    .next()
                    .unwrap()
                    .to_string(),
                location["region"]["startLine"].as_u64().unwrap(),
                location["region"]["startColumn"].as_u64().unwrap(),
                r["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_sarif, from_json);
    // Distinct findings get distinct fingerprints: GitHub merges alerts that share one.
    let mut seen = BTreeMap::new();
    for r in results(&log) {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone();
        let key = (uri.to_string(), r["partialFingerprints"].to_string());
        if let Some(previous) = seen.insert(key, r["message"]["text"].clone()) {
            panic!(
                "two results share a fingerprint:\n{previous}\n{}",
                r["message"]["text"]
            );
        }
    }
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let original = example("scope3-support-assistant.genai");
    // Lines added above and blank lines inside move every finding, but change none.
    let shifted = format!(
        "# A comment added on top.\n\n# And another.\n{}",
        original.replace("  model \"assistant\"", "\n\n  model \"assistant\"")
    );
    let dir = temp_dir();
    write_file(dir.path(), "before/a.genai", &original);
    write_file(dir.path(), "after/a.genai", &shifted);
    let key = |log: &Value| -> Vec<(String, Value)> {
        results(log)
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"].clone(),
                )
            })
            .collect()
    };
    let line = |log: &Value| {
        results(log)[0]["locations"][0]["physicalLocation"]["region"]["startLine"].clone()
    };
    let before = check(["--format", "sarif", "before"])
        .current_dir(dir.path())
        .run()
        .json();
    let after = check(["--format", "sarif", "after"])
        .current_dir(dir.path())
        .run()
        .json();
    assert!(!results(&before).is_empty());
    assert_ne!(line(&before), line(&after), "the edit moves the findings");
    assert_eq!(key(&before), key(&after));
}

#[test]
fn files_outside_the_working_directory_get_absolute_file_uris() {
    // A relative reference starting with `/` cannot be combined with `%SRCROOT%` (SARIF1004):
    // a file outside the working directory is located by an absolute `file:` URI instead.
    let outside = temp_dir();
    let file = write_file(
        outside.path(),
        "my dir/ünï.genai",
        example("scope1-consumer-chat.genai"),
    );
    let elsewhere = temp_dir();
    let outcome = check([
        std::ffi::OsStr::new("--format"),
        "sarif".as_ref(),
        file.as_os_str(),
    ])
    .current_dir(elsewhere.path())
    .run();
    outcome.expect_code(1);
    let log = outcome.json();
    assert_schema_valid(&log);
    assert!(!results(&log).is_empty());
    for result in results(&log) {
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = location["uri"].as_str().unwrap();
        assert_eq!(location.get("uriBaseId"), None, "{location}");
        let path = uri.strip_prefix("file://").expect("an absolute file: URI");
        assert_eq!(std::path::Path::new(&percent_decode(path)), file);
    }
}
