//! `genai-scope export --format cyclonedx`: the mapping of the examples to one CycloneDX BOM
//! (component counts, scope properties, a requirement per control, a claim per declared
//! control), its determinism, and that docs/examples.cdx.json is its current output. The
//! schema validation itself is tests/cyclonedx/validate.sh.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{genai_scope, temp_dir, workspace};
use insta_cmd::assert_cmd_snapshot;

use super::{cli, snapshot_filters};

fn export(paths: &[&str]) -> (String, Value) {
    let mut args = vec!["export", "--format", "cyclonedx", "--today", super::TODAY];
    args.extend(paths);
    let outcome = genai_scope(args).run();
    outcome.expect_code(0);
    let json = outcome.json();
    (outcome.stdout, json)
}

/// Every component, nested ones included.
fn all_components(bom: &Value) -> Vec<&Value> {
    fn walk<'a>(components: &'a Value, out: &mut Vec<&'a Value>) {
        for component in components.as_array().into_iter().flatten() {
            out.push(component);
            walk(&component["components"], out);
        }
    }
    let mut out = Vec::new();
    walk(&bom["components"], &mut out);
    out
}

fn property<'a>(component: &'a Value, name: &str) -> Option<&'a str> {
    component["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}

/// How many blocks of `keyword` the example sources hold, counted from their text.
fn blocks_in_examples(keyword: &str) -> usize {
    super::example_files()
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .map(|text| {
            text.lines()
                // A block opens with its keyword and its label (`model = "…"` in a data
                // block is an attribute, not a block).
                .filter(|line| {
                    line.trim_start()
                        .strip_prefix(&format!("{keyword} "))
                        .is_some_and(|rest| !rest.trim_start().starts_with('='))
                })
                .count()
        })
        .sum()
}

/// How many control blocks of the examples stand inside an `agent` block.
fn controls_in_agents() -> usize {
    let mut count = 0;
    for path in super::example_files() {
        let text = std::fs::read_to_string(path).unwrap();
        // Brace depth inside the current agent block; `None` outside one.
        let mut depth: Option<i64> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if depth.is_none() && trimmed.starts_with("agent ") {
                depth = Some(0);
            }
            if let Some(d) = depth.as_mut() {
                if trimmed.starts_with("control ") {
                    count += 1;
                }
                let code = line.split('#').next().unwrap_or("");
                *d += code.matches('{').count() as i64 - code.matches('}').count() as i64;
                if *d <= 0 && code.contains('}') {
                    depth = None;
                }
            }
        }
    }
    count
}

#[test]
fn components_by_type_match_the_blocks_of_the_examples() {
    let (_, bom) = export(&["examples"]);
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for component in all_components(&bom) {
        *by_type
            .entry(component["type"].as_str().unwrap())
            .or_default() += 1;
    }
    // A workload and each of its agents are applications.
    assert_eq!(
        by_type["application"],
        blocks_in_examples("workload") + blocks_in_examples("agent")
    );
    assert_eq!(
        by_type["machine-learning-model"],
        blocks_in_examples("model")
    );
    assert_eq!(by_type["data"], blocks_in_examples("data"));
    assert_eq!(by_type.len(), 3, "{by_type:?}");
    // Every bom-ref is unique, and every dependency names one of them.
    let refs: Vec<&str> = all_components(&bom)
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    let mut unique = refs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), refs.len());
    for dependency in bom["dependencies"].as_array().unwrap() {
        assert!(refs.contains(&dependency["ref"].as_str().unwrap()));
        for target in dependency["dependsOn"].as_array().into_iter().flatten() {
            assert!(refs.contains(&target.as_str().unwrap()), "{target}");
        }
    }
}

#[test]
fn each_workload_carries_the_scope_check_infers() {
    let (_, bom) = export(&["examples"]);
    let report = super::check(["--format", "json", "--fail-on", "never", "examples"]).run();
    let report = report.json();
    let mut inferred = BTreeMap::new();
    for file in report["files"].as_array().unwrap() {
        for workload in file["workloads"].as_array().unwrap() {
            let key = (
                file["path"].as_str().unwrap().to_string(),
                workload["name"].as_str().unwrap().to_string(),
            );
            inferred.insert(key, workload["inferred_scope"].as_u64());
        }
    }
    // The workloads' applications: those with their file (an agent's has none).
    let applications: Vec<&Value> = all_components(&bom)
        .into_iter()
        .filter(|c| c["type"] == "application" && property(c, "genai-scope:file").is_some())
        .collect();
    assert_eq!(applications.len(), inferred.len());
    for application in applications {
        let key = (
            property(application, "genai-scope:file")
                .unwrap()
                .to_string(),
            application["name"].as_str().unwrap().to_string(),
        );
        let scope = property(application, "genai-scope:scope").map(|s| s.parse::<u64>().unwrap());
        assert_eq!(scope, inferred[&key], "{key:?}");
        assert!(scope.is_some(), "every example has a known scope: {key:?}");
    }
    // Models carry their own scope too.
    for model in all_components(&bom)
        .into_iter()
        .filter(|c| c["type"] == "machine-learning-model")
    {
        assert!(property(model, "genai-scope:scope").is_some(), "{model}");
    }
}

#[test]
fn the_standard_has_a_requirement_per_control_and_a_level_per_scope() {
    let (_, bom) = export(&["examples/team-policy"]);
    let standard = &bom["definitions"]["standards"][0];
    let mut requirements: Vec<&str> = standard["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["identifier"].as_str().unwrap())
        .collect();
    let builtin = genai_scope_analysis::catalog::catalog();
    let config: toml::Table = toml::from_str(
        &std::fs::read_to_string(workspace().join("examples/team-policy/genai-scope.toml"))
            .unwrap(),
    )
    .unwrap();
    let custom: Vec<&str> = config["control"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = builtin.controls.iter().map(|c| c.id.as_str()).collect();
    expected.extend(&custom);
    expected.sort();
    assert_eq!(requirements, expected);
    requirements.dedup();
    assert_eq!(requirements.len(), expected.len());
    for id in &custom {
        let requirement = standard["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["identifier"] == *id)
            .unwrap();
        assert_eq!(property(requirement, "genai-scope:custom"), Some("true"));
    }
    let levels = standard["levels"].as_array().unwrap();
    assert_eq!(levels.len(), builtin.scopes.len());
    for (level, scope) in levels.iter().zip(&builtin.scopes) {
        assert_eq!(level["identifier"], scope.number.to_string());
        let listed = level["requirements"].as_array().unwrap().len();
        let required = builtin
            .controls
            .iter()
            .filter(|c| c.required_in(scope.number))
            .count();
        // The team's custom controls add to the levels they name.
        assert!(
            listed >= required,
            "scope {}: {listed} < {required}",
            scope.number
        );
    }
}

#[test]
fn a_claim_per_declared_control_and_a_counter_claim_per_missing_one() {
    let (_, bom) = export(&["examples"]);
    let claims = bom["declarations"]["claims"].as_array().unwrap();
    let count = |prefix: &str| {
        claims
            .iter()
            .filter(|c| c["bom-ref"].as_str().unwrap().starts_with(prefix))
            .count()
    };
    // Every declared control is a claim, those inside agent blocks about their agent.
    assert_eq!(count("claim:"), blocks_in_examples("control"));
    let about_agents = claims
        .iter()
        .filter(|c| {
            c["bom-ref"].as_str().unwrap().starts_with("claim:")
                && c["target"].as_str().unwrap().contains("/agent:")
        })
        .count();
    assert_eq!(about_agents, controls_in_agents());
    assert!(about_agents > 0, "the agent examples declare controls");
    let missing: usize = all_components(&bom)
        .iter()
        .filter(|c| property(c, "genai-scope:missing-controls").is_some())
        .map(|c| {
            property(c, "genai-scope:missing-controls")
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert!(missing > 0, "the examples leave controls out");
    assert_eq!(count("counter-claim:"), missing);
    assert_eq!(count("claim:") + count("counter-claim:"), claims.len());
    // One attestation per workload; its map names a requirement of the standard each time.
    let attestations = bom["declarations"]["attestations"].as_array().unwrap();
    assert_eq!(attestations.len(), blocks_in_examples("workload"));
    let standard = &bom["definitions"]["standards"][0]["requirements"];
    let requirement_refs: Vec<&Value> = standard
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["bom-ref"])
        .collect();
    let entries: usize = attestations
        .iter()
        .map(|a| {
            let map = a["map"].as_array().unwrap();
            for entry in map {
                assert!(requirement_refs.contains(&&entry["requirement"]), "{entry}");
            }
            map.len()
        })
        .sum();
    assert_eq!(entries, claims.len());
    // Planned controls come with a mitigation strategy naming their due date.
    let planned = claims
        .iter()
        .find(|c| !c["mitigationStrategies"].is_null())
        .expect("the examples plan controls");
    let plan = planned["mitigationStrategies"][0].as_str().unwrap();
    let evidence = bom["declarations"]["evidence"].as_array().unwrap();
    let plan = evidence.iter().find(|e| e["bom-ref"] == plan).unwrap();
    assert!(
        plan["description"].as_str().unwrap().contains("due 20"),
        "{plan}"
    );
}

#[test]
fn the_same_input_gives_the_same_bom_and_a_serial_number_only_when_asked() {
    let (first, bom) = export(&["examples"]);
    let (second, _) = export(&["examples"]);
    assert_eq!(first, second);
    assert!(bom.get("serialNumber").is_none());
    let outcome = genai_scope(["export", "--serial-number", "examples"]).run();
    outcome.expect_code(0);
    let serial = outcome.json()["serialNumber"].as_str().unwrap().to_string();
    assert!(serial.starts_with("urn:uuid:"), "{serial}");
}

#[test]
fn the_committed_example_bom_is_current() {
    let (current, _) = export(&["examples"]);
    let committed = std::fs::read_to_string(workspace().join("docs/examples.cdx.json")).unwrap();
    assert!(
        committed == current,
        "docs/examples.cdx.json is stale: run `genai-scope export --format cyclonedx --today {} --output docs/examples.cdx.json examples`",
        super::TODAY
    );
}

#[test]
fn output_to_a_file_and_an_unwritable_output() {
    let dir = temp_dir();
    let output = dir.path().join("bom.cdx.json");
    let _filters = snapshot_filters().bind_to_scope();
    // Nothing on stdout: the BOM goes to the file.
    assert_cmd_snapshot!(
        cli(
            workspace(),
            [
                "export".as_ref(),
                "--output".as_ref(),
                output.as_os_str(),
                "examples/scope1-consumer-chat.genai".as_ref(),
            ] as [&std::ffi::OsStr; 4]
        ),
        @r"
        success: true
        exit_code: 0
        ----- stdout -----

        ----- stderr -----
        "
    );
    let bom: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(bom["components"].as_array().unwrap().len(), 1);
    let missing_dir = dir.path().join("no/such/dir/bom.json");
    assert_cmd_snapshot!(
        cli(
            workspace(),
            [
                "export".as_ref(),
                "--output".as_ref(),
                missing_dir.as_os_str(),
                "examples".as_ref(),
            ] as [&std::ffi::OsStr; 4]
        ),
        @r"
        success: false
        exit_code: 2
        ----- stdout -----

        ----- stderr -----
        genai-scope: [TEMP]/no/such/dir/bom.json: cannot write the BOM: No such file or directory (os error 2)
        "
    );
}

#[test]
fn completions_and_the_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let outcome = genai_scope(["completions", shell]).run();
        outcome.expect_code(0);
        assert!(
            outcome.stdout.contains("export"),
            "{shell}: {}",
            outcome.stdout
        );
        assert!(outcome.stdout.contains("fail-on"), "{shell}");
    }
    assert_cmd_snapshot!(cli(workspace(), ["completions", "powershell"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'powershell' for '<SHELL>'
      [possible values: bash, zsh, fish]

    For more information, try '--help'.
    ");
    let outcome = genai_scope(["man"]).run();
    outcome.expect_code(0);
    let committed = std::fs::read_to_string(workspace().join("man/genai-scope.1")).unwrap();
    assert!(
        committed == outcome.stdout,
        "man/genai-scope.1 is stale: run `genai-scope man > man/genai-scope.1`"
    );
    assert!(
        committed.starts_with(".ie \\n(.g .ds Aq"),
        "roff: {}",
        &committed[..80]
    );
}
