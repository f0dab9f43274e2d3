use std::path::{Path, PathBuf};

use crate::environment::NoEnvironment;
use crate::environment::memory::MemoryEnvironment;

use super::*;
use crate::catalog::{Scope, catalog};
use crate::diagnostic::{Code, Severity};
use crate::rule_selector::{evidence, selector};
use crate::{AnalysisOptions, analyze};

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(Path::new("proj/genai-scope.toml"), text, catalog())
}

const FULL: &str = r#"
include = ["**/*.genai"]
exclude = ["vendor/**", "**/draft-*.genai"]
disabled = ["control-not-applicable"]
require_evidence = ["error", "risk.threat_model"]
no_inline_suppressions = ["sensitive-data-in-consumer-app"]

[severity]
missing-justification = "error"
"resilience.region_parity" = "off"
"#;

#[test]
fn reads_every_setting() {
    let config = parse(FULL).unwrap();
    let settings = &config.settings;
    assert_eq!(
        settings
            .severity_overrides
            .get(&selector("missing-justification")),
        Some(&Level::Error)
    );
    assert_eq!(
        settings
            .severity_overrides
            .get(&selector("resilience.region_parity")),
        Some(&Level::Off)
    );
    assert!(
        settings
            .disabled
            .contains(&selector("control-not-applicable"))
    );
    assert!(settings.require_evidence.contains(&evidence("error")));
    assert!(
        settings
            .require_evidence
            .contains(&evidence("risk.threat_model"))
    );
    assert!(
        settings
            .no_inline_suppressions
            .contains(&selector("sensitive-data-in-consumer-app"))
    );
    assert_eq!(config.dir, Path::new("proj"));
    assert!(parse("").unwrap().settings == Settings::default());
}

#[test]
fn errors_name_the_line_and_the_key() {
    let cases = [
        (
            "severity_overrides = {}\n",
            1,
            "unknown field `severity_overrides`",
        ),
        (
            "\n[severity]\nmissing-control = \"fatal\"\n",
            3,
            "unknown variant `fatal`",
        ),
        (
            "\n\n[severity]\nno-such-code = \"error\"\n",
            4,
            "`severity.no-such-code`",
        ),
        (
            "disabled = [\n  \"scope-mismatch\",\n  \"risk.threat_modle\",\n]\n",
            3,
            "`risk.threat_modle`",
        ),
        ("require_evidence = [\"fatal\"]\n", 1, "`require_evidence`"),
        (
            "require_evidence = [\"scope-mismatch\"]\n",
            1,
            "neither a control id nor a severity",
        ),
        (
            "no_inline_suppressions = [\"nope\"]\n",
            1,
            "`no_inline_suppressions`",
        ),
        ("\nexclude = [\"a/[\"]\n", 2, "invalid glob"),
        ("disabled = \"scope-mismatch\"\n", 1, "invalid type"),
        ("[severity\n", 1, ""),
    ];
    for (text, line, needle) in cases {
        let error = parse(text).expect_err(text);
        assert_eq!(error.line, Some(line), "{text}: {error}");
        assert!(
            error.to_string().starts_with("proj/genai-scope.toml:"),
            "{error}"
        );
        assert!(error.message.contains(needle), "{text}: {error}");
    }
}

#[test]
fn include_and_exclude_are_relative_to_the_config() {
    let config = parse(FULL).unwrap();
    assert!(config.includes(&NoEnvironment, Path::new("proj/a/b.genai")));
    assert!(!config.includes(&NoEnvironment, Path::new("proj/vendor/x.genai")));
    assert!(!config.includes(&NoEnvironment, Path::new("proj/a/draft-1.genai")));
    let only = parse("include = [\"prod/**\"]\n").unwrap();
    assert!(only.includes(&NoEnvironment, Path::new("proj/prod/x.genai")));
    assert!(!only.includes(&NoEnvironment, Path::new("proj/dev/x.genai")));
}

#[test]
fn client_settings_win_over_the_project() {
    let project = parse(FULL).unwrap().settings;
    let mut client = Settings::default();
    client
        .severity_overrides
        .insert(selector("missing-justification"), Level::Hint);
    client.disabled.insert(selector("overdue-control"));
    let merged = merge(&project, &client);
    assert_eq!(
        merged
            .severity_overrides
            .get(&selector("missing-justification")),
        Some(&Level::Hint)
    );
    assert!(merged.disabled.contains(&selector("overdue-control")));
    assert!(
        merged
            .disabled
            .contains(&selector("control-not-applicable"))
    );
    assert!(merged.require_evidence.contains(&evidence("error")));
}

const WORKLOAD: &str = r#"workload "w" {
  owner = "o"
  model "m" {
    hosting = managed_api
  }
  control risk.threat_model {
    status = implemented
  }
  control risk.prompt_injection {
  }
  control legal.provider_terms_review {
    status = planned
  }
  control resilience.timeouts {
    evidence = "https://example.com/timeouts"
  }
}
"#;

#[test]
fn require_evidence_by_id_and_by_severity() {
    let evidence_missing = |required: &[&str]| -> Vec<String> {
        let mut options = AnalysisOptions::default();
        options.settings.require_evidence = required.iter().map(|s| evidence(s)).collect();
        analyze(WORKLOAD, &options)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == Code::MissingEvidence)
            .filter_map(|d| d.control.as_deref().map(str::to_string))
            .collect()
    };
    assert!(evidence_missing(&[]).is_empty());
    assert_eq!(
        evidence_missing(&["risk.threat_model"]),
        ["risk.threat_model"]
    );
    // prompt_injection is an `error` control, implemented by default; planned and
    // evidenced controls never need it.
    let by_severity = evidence_missing(&["error", "warning"]);
    assert!(
        by_severity.contains(&"risk.prompt_injection".to_string()),
        "{by_severity:?}"
    );
    assert!(!by_severity.contains(&"legal.provider_terms_review".to_string()));
    assert!(!by_severity.contains(&"resilience.timeouts".to_string()));
}

#[test]
fn configs_are_found_walking_up_and_the_nearest_wins() {
    let env = MemoryEnvironment::default();
    let root = Path::new("/p");
    let nested = root.join("a/b");
    env.mkdir(&nested)
        .write(root.join(FILE_NAME), "disabled = [\"no-model\"]\n")
        .write(
            root.join("a").join(FILE_NAME),
            "disabled = [\"scope-mismatch\"]\n",
        );
    let configs = Configs::default();
    let near = configs
        .for_file(&env, &nested.join("x.genai"), catalog())
        .unwrap()
        .unwrap();
    assert!(near.settings.disabled.contains(&selector("scope-mismatch")));
    assert!(!near.settings.disabled.contains(&selector("no-model")));
    let far = configs
        .for_file(&env, &root.join("x.genai"), catalog())
        .unwrap()
        .unwrap();
    assert!(far.settings.disabled.contains(&selector("no-model")));

    let cached = CachedConfigs::default();
    let first = cached.for_dir(&env, &nested, catalog()).unwrap().unwrap();
    assert!(
        first
            .settings
            .disabled
            .contains(&selector("scope-mismatch"))
    );
    // A new modification time is noticed without clearing.
    env.write(root.join("a").join(FILE_NAME), "disabled = [\"invalid\"]\n");
    assert!(cached.for_dir(&env, &nested, catalog()).unwrap().is_err());
    cached.clear();
    assert!(cached.for_dir(&env, &nested, catalog()).unwrap().is_err());
}

#[test]
fn the_search_for_a_configuration_stops_at_the_repository_root() {
    let env = MemoryEnvironment::default();
    env.write("/tmp/genai-scope.toml", "disabled = [\"no-model\"]\n")
        .mkdir("/tmp/repo/.git")
        .mkdir("/tmp/repo/workloads");
    assert_eq!(find_from(&env, Path::new("/tmp/repo/workloads")), None);
    assert_eq!(
        find_from(&env, Path::new("/tmp/other")),
        Some(PathBuf::from("/tmp/genai-scope.toml"))
    );
    env.write("/tmp/repo/genai-scope.toml", "");
    assert_eq!(
        find_from(&env, Path::new("/tmp/repo/workloads")),
        Some(PathBuf::from("/tmp/repo/genai-scope.toml"))
    );
}

#[test]
fn the_search_says_where_it_ended_and_may_go_above_the_repository_when_asked() {
    let env = MemoryEnvironment::default();
    env.write("/tmp/genai-scope.toml", "disabled = [\"no-model\"]\n")
        .mkdir("/tmp/repo/.git")
        .mkdir("/tmp/repo/workloads");
    let within = search_from(
        &env,
        Path::new("/tmp/repo/workloads"),
        SearchBound::RepositoryRoot,
    );
    assert_eq!(within.found, None);
    assert_eq!(
        within.end,
        SearchEnd::RepositoryRoot(PathBuf::from("/tmp/repo"))
    );
    assert!(
        within
            .describe()
            .contains("up to the repository root /tmp/repo"),
        "{}",
        within.describe()
    );
    let above = search_from(
        &env,
        Path::new("/tmp/repo/workloads"),
        SearchBound::FileSystemRoot,
    );
    assert_eq!(above.found, Some(PathBuf::from("/tmp/genai-scope.toml")));
    assert_eq!(above.end, SearchEnd::Found);
    assert_eq!(above.describe(), "configuration /tmp/genai-scope.toml");
    // Outside any repository the search runs to the root either way.
    let nowhere = search_from(&env, Path::new("/srv/x"), SearchBound::RepositoryRoot);
    assert_eq!(nowhere.end, SearchEnd::FileSystemRoot);
    // `Configs` follows its bound.
    let configs = Configs::new(SearchBound::FileSystemRoot);
    let config = configs
        .for_file(&env, Path::new("/tmp/repo/workloads/a.genai"), catalog())
        .unwrap()
        .expect("the configuration above the repository");
    assert_eq!(config.path, PathBuf::from("/tmp/genai-scope.toml"));
    assert!(
        Configs::default()
            .for_file(&env, Path::new("/tmp/repo/workloads/a.genai"), catalog())
            .unwrap()
            .is_none()
    );
}

use genai_scope_test_support::{CUSTOM_CONTROLS_TOML as CUSTOM, RAG_WORKLOAD};

fn custom_options() -> AnalysisOptions {
    AnalysisOptions {
        settings: parse(CUSTOM).unwrap().settings,
        ..AnalysisOptions::default()
    }
}

#[test]
fn custom_controls_extend_a_copy_of_the_catalog() {
    let config = parse(CUSTOM).unwrap();
    let catalog = &config.settings.catalog;
    assert_ne!(*catalog, crate::catalog::SharedCatalog::default());
    let control = catalog.control("controls.prompt_logging").unwrap();
    assert!(control.custom);
    assert_eq!(
        control.scopes,
        [Scope::PRE_TRAINED, Scope::FINE_TUNED, Scope::SELF_TRAINED],
        "sorted, each once"
    );
    assert_eq!(control.when, [crate::catalog::Condition::UsesRag]);
    assert_eq!(control.severity, Severity::Warning);
    assert_eq!(control.sources.len(), 3);
    let urls: Vec<Option<&str>> = control
        .sources
        .iter()
        .map(|id| catalog.source(id).unwrap().url.as_deref())
        .collect();
    assert_eq!(
        urls,
        [
            Some("https://wiki.example.com/ai/logging"),
            Some("https://example.com/std#4.2"),
            None
        ]
    );
    assert_eq!(
        catalog.controls.len(),
        crate::catalog::catalog().controls.len() + 1
    );
    assert!(
        crate::catalog::catalog()
            .control("controls.prompt_logging")
            .is_none()
    );
    // Settings read as unchanged only while they share the same catalog.
    assert_eq!(config.settings.clone(), config.settings);
    assert_ne!(parse(CUSTOM).unwrap().settings, config.settings);
    assert_eq!(
        parse("").unwrap().settings.catalog,
        crate::catalog::SharedCatalog::default()
    );
}

#[test]
fn custom_controls_are_required_reported_and_fixed_like_built_in_ones() {
    let options = custom_options();
    let analysis = analyze(RAG_WORKLOAD, &options);
    let missing = analysis
        .diagnostics
        .iter()
        .find(|d| d.control.as_deref() == Some("controls.prompt_logging"))
        .expect("the custom control is missing");
    assert_eq!(missing.code, Code::MissingControl);
    // `[severity]` applies to custom controls too.
    assert_eq!(missing.severity, Severity::Error);
    assert!(
        missing.message().contains("Log prompts and completions"),
        "{}",
        missing.message()
    );
    let fix = &missing.fixes()[0];
    let fixed = crate::apply_edits(RAG_WORKLOAD, &fix.edits).unwrap();
    assert!(
        fixed.contains("control controls.prompt_logging {"),
        "{fixed}"
    );
    let again = analyze(&fixed, &options);
    assert!(
        !again
            .diagnostics
            .iter()
            .any(|d| d.control.as_deref() == Some("controls.prompt_logging")
                && d.code == Code::MissingControl),
        "{:?}",
        again.diagnostics
    );
    assert!(
        !again
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownControl),
        "a declared custom control is known"
    );
    // Its condition: without retrieval it is not required.
    let no_rag = RAG_WORKLOAD.replace("use            = rag", "use            = context");
    assert!(
        !analyze(&no_rag, &options)
            .diagnostics
            .iter()
            .any(|d| d.control.as_deref() == Some("controls.prompt_logging"))
    );
    // Without the configuration, the id is unknown.
    let plain = analyze(&fixed, &AnalysisOptions::default());
    assert!(
        plain
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownControl)
    );
}

#[test]
fn custom_controls_can_be_disabled_and_suppressed_by_id() {
    let mut options = custom_options();
    options
        .settings
        .disabled
        .insert(selector("controls.prompt_logging"));
    assert!(
        !analyze(RAG_WORKLOAD, &options)
            .diagnostics
            .iter()
            .any(|d| d.control.as_deref() == Some("controls.prompt_logging"))
    );
    let suppressed = RAG_WORKLOAD.replace(
        "workload \"kb-assistant\" {",
        "# genai-scope: ignore[controls.prompt_logging] reason=\"logged by the gateway\"\nworkload \"kb-assistant\" {",
    );
    let analysis = analyze(&suppressed, &custom_options());
    assert!(
        analysis
            .suppressed
            .iter()
            .any(|(d, _)| d.control.as_deref() == Some("controls.prompt_logging")),
        "{:?}",
        analysis.diagnostics
    );
}

#[test]
fn invalid_custom_controls_name_the_line_and_the_problem() {
    let control = |body: &str| {
        format!(
            "\n[[control]]\nid = \"controls.x\"\ntitle = \"T\"\nsummary = \"S\"\nscopes = [3]\nseverity = \"warning\"\n{body}"
        )
    };
    let cases: Vec<(String, usize, &str)> = vec![
        (
            control("").replace("controls.x", "security.x"),
            3,
            "a discipline among governance, legal, risk, controls, resilience",
        ),
        (
            control("").replace("controls.x", "controls.X-1"),
            3,
            "lowercase letters",
        ),
        (
            control("").replace("controls.x", "risk.threat_model"),
            3,
            "is a built-in control",
        ),
        (
            format!("{}{}", control(""), control("")),
            10,
            "is declared twice",
        ),
        (control("").replace("[3]", "[3, 6]"), 6, "6 is not a scope"),
        (control("").replace("[3]", "[]"), 6, "is empty"),
        (control("").replace("\"T\"", "\"  \""), 4, "`control.title`"),
        (
            control("owasp = [\"LLM99\"]\n"),
            8,
            "`LLM99` is not one of LLM01:2025",
        ),
        (control("atlas = [\"AML.T9999\"]\n"), 8, "`AML.T9999`"),
        (control("nist = [\"Vibes\"]\n"), 8, "`Vibes`"),
        (
            control("when = \"sometimes\"\n"),
            8,
            "unknown variant `sometimes`",
        ),
        (
            control("when = [\"uses_rag\", \"sometimes\"]\n"),
            8,
            "unknown variant `sometimes`",
        ),
        (
            control("when = 3\n"),
            8,
            "a condition name or a list of condition names",
        ),
        (
            control("").replace("\"warning\"", "\"fatal\""),
            7,
            "unknown variant `fatal`",
        ),
        (control("colour = \"red\"\n"), 8, "unknown field `colour`"),
        (
            control("").replace("summary = \"S\"\n", ""),
            2,
            "missing field `summary`",
        ),
    ];
    for (text, line, needle) in cases {
        let error = parse(&text).expect_err(&text);
        assert_eq!(error.line, Some(line), "{text}: {error}");
        assert!(error.message.contains(needle), "{text}: {error}");
        assert!(error.span.is_some(), "{text}: {error}");
    }
    // Settings may name custom controls, and only declared ones.
    let with_ids = control("").replace(
        "\n[[control]]",
        "disabled = [\"controls.x\"]\nrequire_evidence = [\"controls.x\"]\n\n[[control]]",
    );
    assert!(parse(&with_ids).is_ok(), "{with_ids}");
    assert!(parse("disabled = [\"controls.x\"]\n").is_err());
}

#[test]
fn custom_controls_may_declare_typed_parameters() {
    let text = format!(
        "{CUSTOM}\n[[control.parameter]]\nname = \"retention\"\ntype = \"duration\"\ndescription = \"How long the logs are kept.\"\n"
    );
    let options = AnalysisOptions {
        settings: parse(&text).unwrap().settings,
        ..AnalysisOptions::default()
    };
    let declared = |body: &str| -> Vec<Code> {
        let workload = RAG_WORKLOAD.replace(
            "  data \"kb\"",
            &format!("  control controls.prompt_logging {{\n    {body}\n  }}\n  data \"kb\""),
        );
        analyze(&workload, &options)
            .diagnostics
            .into_iter()
            .filter(|d| d.range.start > workload.find("control controls").unwrap())
            .filter(|d| d.range.start < workload.find("data \"kb\"").unwrap())
            .map(|d| d.code)
            .collect()
    };
    assert_eq!(declared("retention = 720h"), []);
    assert_eq!(declared("retention = \"a month\""), [Code::InvalidValue]);
    assert_eq!(declared("retenion = 720h"), [Code::UnknownAttribute]);

    for (parameter, needle) in [
        (
            "name = \"Retention\"\ntype = \"integer\"",
            "lowercase letters",
        ),
        (
            "name = \"status\"\ntype = \"integer\"",
            "already an attribute",
        ),
        (
            "name = \"days\"\ntype = \"float\"",
            "unknown variant `float`",
        ),
    ] {
        let text = format!("{CUSTOM}\n[[control.parameter]]\n{parameter}\ndescription = \"d\"\n");
        let error = parse(&text).expect_err(&text);
        assert!(error.message.contains(needle), "{text}: {error}");
        assert!(error.line.is_some_and(|l| l > 20), "{error}");
    }
}

/// The JSON Schema of genai-scope.toml is generated from the types that read it; the committed
/// copies (docs/ and the VS Code extension's, for TOML editors) must match. Regenerate with
/// `UPDATE_DOCS=1 cargo test -p genai-scope-analysis --lib config`.
#[test]
fn committed_schema_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let schema = schema_json();
    for copy in [
        "docs/genai-scope.schema.json",
        "editors/vscode/schemas/genai-scope.schema.json",
    ] {
        let path = root.join(copy);
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &schema).unwrap();
        } else {
            assert_eq!(
                std::fs::read_to_string(&path).ok().as_deref(),
                Some(schema.as_str()),
                "{copy} is stale: run `UPDATE_DOCS=1 cargo test -p genai-scope-analysis --lib config`"
            );
        }
    }
}

#[test]
fn iac_paths_are_relative_to_the_config() {
    let config = parse("iac = [\"infra/\", \"stacks/app.yaml\"]\n").unwrap();
    assert_eq!(
        config.iac,
        [
            PathBuf::from("proj/infra/"),
            PathBuf::from("proj/stacks/app.yaml")
        ]
    );
    assert!(parse("").unwrap().iac.is_empty());
    let error = parse("iac = [\"/etc/infra\"]\n").unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("relative"), "{}", error.message);
}

const AGENTIC_CUSTOM: &str = r#"
[[control]]
id = "perimeter.refund_ceiling"
title = "Cap each refund"
summary = "The refund tool refuses amounts above the policy's ceiling."
agency_scopes = [4, 3, 3]
agent_when = "tool_changes_things"
severity = "error"
"#;

/// An agent of agency scope `agency`: self-started at 4; a writing tool from 2 on (approved
/// at 2).
fn agent_workload(agency: u8, extra: &str) -> String {
    let (initiation, tool) = match agency {
        1 => ("", "tool \"t\" { effect = read }"),
        2 => (
            "",
            "tool \"t\" {\n      effect   = write\n      approval = required\n    }",
        ),
        3 => ("", "tool \"t\" { effect = write }"),
        _ => ("initiation = self\n    ", "tool \"t\" { effect = write }"),
    };
    format!(
        "workload \"w\" {{\n  owner = \"o@example.com\"\n  model \"m\" {{ hosting = managed_api }}\n  agent \"a\" {{\n    {initiation}{tool}\n{extra}  }}\n}}\n"
    )
}

fn custom_findings(options: &AnalysisOptions, text: &str) -> Vec<(Code, Option<String>)> {
    analyze(text, options)
        .diagnostics
        .into_iter()
        .filter(|d| d.control.as_deref() == Some("perimeter.refund_ceiling"))
        .map(|d| (d.code, d.agent.as_deref().map(str::to_string)))
        .collect()
}

#[test]
fn custom_agentic_controls_are_required_of_agents_by_agency_scope() {
    let config = parse(AGENTIC_CUSTOM).unwrap();
    let control = config
        .settings
        .catalog
        .control("perimeter.refund_ceiling")
        .unwrap();
    assert!(control.custom && control.is_agentic());
    assert_eq!(control.agency_scopes, [3, 4], "sorted, each once");
    assert!(control.scopes.is_empty());
    assert_eq!(
        control.agent_when,
        [crate::agency::AgentCondition::ToolChangesThings]
    );
    let options = AnalysisOptions {
        settings: config.settings,
        ..AnalysisOptions::default()
    };
    let missing = vec![(Code::MissingControl, Some("a".to_string()))];
    for agency in [3, 4] {
        let text = agent_workload(agency, "");
        assert_eq!(
            analyze(&text, &options).workloads[0]
                .agency_scope
                .map(|s| s.number()),
            Some(agency)
        );
        assert_eq!(custom_findings(&options, &text), missing, "{text}");
        let finding = analyze(&text, &options)
            .diagnostics
            .into_iter()
            .find(|d| d.control.as_deref() == Some("perimeter.refund_ceiling"))
            .unwrap();
        assert_eq!(finding.severity, Severity::Error);
        // Its fix lands in the agent, and the finding goes away; what is left, in production,
        // is the plan it inserted.
        let fixed = crate::apply_edits(&text, &finding.fixes()[0].edits).unwrap();
        assert_eq!(
            custom_findings(&options, &fixed),
            [(Code::ControlNotImplemented, Some("a".to_string()))],
            "{fixed}"
        );
    }
    // Not at agency scopes it does not list.
    for agency in [1, 2] {
        assert!(custom_findings(&options, &agent_workload(agency, "")).is_empty());
    }
    // Declared in the agent, or in the workload, it is covered.
    let declared =
        "    control perimeter.refund_ceiling { evidence = \"https://example.com/cap\" }\n";
    assert!(custom_findings(&options, &agent_workload(3, declared)).is_empty());
    let in_workload = agent_workload(3, "").replace(
        "  agent \"a\"",
        "  control perimeter.refund_ceiling { evidence = \"https://example.com/cap\" }\n  agent \"a\"",
    );
    assert!(
        custom_findings(&options, &in_workload).is_empty(),
        "{in_workload}"
    );
    // Without agents, no agentic control applies.
    assert!(custom_findings(&options, RAG_WORKLOAD).is_empty());
    // Its agentic condition must hold: required when some tool runs code, it is not required
    // of an agent whose tool only writes.
    let conditional = AGENTIC_CUSTOM.replace("tool_changes_things", "tool_executes_code");
    let options = AnalysisOptions {
        settings: parse(&conditional).unwrap().settings,
        ..AnalysisOptions::default()
    };
    assert!(custom_findings(&options, &agent_workload(3, "")).is_empty());
    let executes = agent_workload(3, "").replace("effect = write", "effect = execute");
    assert_eq!(custom_findings(&options, &executes), missing, "{executes}");
}

#[test]
fn invalid_custom_agentic_controls_name_the_line_and_the_problem() {
    let cases: Vec<(String, usize, &str)> = vec![
        (
            AGENTIC_CUSTOM.replace("agency_scopes = [4, 3, 3]", "scopes = [3]"),
            6,
            "whose controls name `agency_scopes`",
        ),
        (
            AGENTIC_CUSTOM.replace("agency_scopes = [4, 3, 3]\n", ""),
            3,
            "`control.agency_scopes` of `perimeter.refund_ceiling` is missing",
        ),
        (
            AGENTIC_CUSTOM.replace("[4, 3, 3]", "[3, 5]"),
            6,
            "5 is not an agency scope (1 to 4)",
        ),
        (AGENTIC_CUSTOM.replace("[4, 3, 3]", "[]"), 6, "is empty"),
        (
            AGENTIC_CUSTOM.replace("tool_changes_things", "uses_rag"),
            7,
            "unknown variant `uses_rag`",
        ),
        (
            AGENTIC_CUSTOM.replace(
                "agent_when = \"tool_changes_things\"",
                "when = \"uses_rag\"",
            ),
            3,
            "takes agentic conditions, under `agent_when`",
        ),
        (
            AGENTIC_CUSTOM
                .replace("perimeter.refund_ceiling", "controls.refund_ceiling")
                .replace("agency_scopes = [4, 3, 3]", "scopes = [3]"),
            7,
            "only controls of the agentic matrix take agentic conditions",
        ),
        (
            AGENTIC_CUSTOM.replace("perimeter.refund_ceiling", "controls.refund_ceiling"),
            6,
            "only controls of the agentic matrix (ids starting with a dimension",
        ),
        (
            AGENTIC_CUSTOM.replace("perimeter.refund_ceiling", "agent.kill_switch"),
            3,
            "is a built-in control",
        ),
        (
            AGENTIC_CUSTOM.replace("perimeter.refund_ceiling", "security.refund_ceiling"),
            3,
            "a dimension among identity, memory, audit, agent, perimeter, orchestration",
        ),
    ];
    for (text, line, needle) in cases {
        let error = parse(&text).expect_err(&text);
        assert_eq!(error.line, Some(line), "{text}: {error}");
        assert!(error.message.contains(needle), "{text}: {error}");
    }
}
