//! Every diagnostic code fires on its documented bad example and not on its good one, and
//! every fix leaves a parseable document without the diagnostic it fixes.

use time::macros::date;

use super::*;
use crate::catalog::rules;
use crate::diagnostic::{Code, Severity};
use crate::rule_selector::{evidence, selector};

fn options() -> AnalysisOptions {
    let mut options = AnalysisOptions {
        today: Some(date!(2026 - 11 - 25)),
        // The default environment has no files: every relative evidence path is missing.
        base_dir: Some(std::path::PathBuf::from("/project")),
        ..AnalysisOptions::default()
    };
    // As a project's genai-scope.toml may, so that `missing-evidence` has an example.
    options
        .settings
        .require_evidence
        .insert(evidence("risk.threat_model"));
    options
}

/// [`options`] with infrastructure code, for the examples of the drift codes
/// (`environment::infrastructure::tests::EXAMPLES`).
fn example_options() -> AnalysisOptions {
    AnalysisOptions {
        infrastructure: Some(environment::infrastructure::tests::examples()),
        ..options()
    }
}

fn codes(text: &str) -> Vec<Code> {
    analyze(text, &options())
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn every_rule_fires_on_its_bad_example_and_not_on_its_good_one() {
    for rule in rules() {
        let code = Code::parse(&rule.code).unwrap();
        assert!(
            analyze(&rule.bad, &example_options())
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
                .contains(&code),
            "{} does not fire on:\n{}",
            rule.code,
            rule.bad
        );
        assert!(
            !analyze(&rule.good, &example_options())
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
                .contains(&code),
            "{} fires on its good example:\n{}\n{:#?}",
            rule.code,
            rule.good,
            analyze(&rule.good, &example_options()).diagnostics
        );
    }
}

/// Applies every fix of every diagnostic in the documented examples, one at a time.
#[test]
fn every_fix_parses_and_removes_its_diagnostic() {
    let mut fixes_tried = 0;
    for rule in rules() {
        let before = analyze(&rule.bad, &example_options());
        let syntax_errors_before = before
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::SyntaxError)
            .count();
        for diagnostic in &before.diagnostics {
            for fix in diagnostic.fixes().iter() {
                fixes_tried += 1;
                let fixed = apply_edits(&rule.bad, &fix.edits).expect("edits apply");
                let after = analyze(&fixed, &example_options());
                let syntax_errors: Vec<_> = after
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == Code::SyntaxError)
                    .collect();
                assert!(
                    syntax_errors.len() <= syntax_errors_before,
                    "{}: `{}` broke the syntax:\n{fixed}",
                    rule.code,
                    fix.title
                );
                let same =
                    |d: &&Diagnostic| d.code == diagnostic.code && d.control == diagnostic.control;
                assert!(
                    after.diagnostics.iter().filter(same).count()
                        < before.diagnostics.iter().filter(same).count(),
                    "{}: `{}` did not remove its diagnostic:\n{fixed}",
                    rule.code,
                    fix.title
                );
            }
        }
    }
    assert!(fixes_tried >= 8, "only {fixes_tried} fixes were exercised");
}

const SCOPE_3: &str = r#"# a support bot
workload "support-bot" {
  owner    = "team@example.com"
  audience = customers
  model "assistant" {
    hosting = managed_api
  }
  data "help-center" {
    classification = internal
    use            = rag
  }
}
"#;

#[test]
fn infers_scope_with_reasons() {
    let analysis = analyze(SCOPE_3, &options());
    let workload = &analysis.workloads[0];
    assert_eq!(workload.inferred_scope, Scope::new(3));
    assert_eq!(workload.declared_scope, None);
    assert_eq!(
        workload.reasons,
        [
            "model \"assistant\": hosting = managed_api, training = none → scope 3 (Pre-trained models)"
        ]
    );
}

#[test]
fn the_highest_model_scope_wins() {
    let text = r#"workload "w" {
  owner = "o"
  model "chat" { hosting = enterprise_app }
  model "tuned" {
    hosting        = managed_api
    training       = fine_tuned
    classification = internal
  }
  data "d" {
    classification = internal
    use            = fine_tuning
    model          = "tuned"
  }
}"#;
    let workload = &analyze(text, &options()).workloads[0];
    assert_eq!(workload.inferred_scope, Scope::new(4));
    assert!(
        workload
            .reasons
            .last()
            .unwrap()
            .contains("from model \"tuned\"")
    );
    assert_eq!(
        workload.models.iter().map(|m| m.scope).collect::<Vec<_>>(),
        [Scope::new(2), Scope::new(4)]
    );
}

#[test]
fn conditional_controls_follow_the_facts() {
    let analysis = analyze(SCOPE_3, &options());
    let missing: Vec<&str> = analysis.workloads[0]
        .missing_controls()
        .map(|c| c.id.as_str())
        .collect();
    // RAG data makes retrieval authorization and vector store HA required.
    assert!(missing.contains(&"controls.retrieval_authorization"));
    assert!(missing.contains(&"resilience.vector_store_ha_dr"));
    // One region, medium criticality, scope 3: these are not required.
    assert!(!missing.contains(&"resilience.region_parity"));
    assert!(!missing.contains(&"resilience.reserved_capacity"));
    assert!(!missing.contains(&"legal.own_terms_of_service"));
    // Scope 1-2 controls are not required at scope 3.
    assert!(!missing.contains(&"risk.provider_assessment"));
    let without_rag = SCOPE_3.replace("use            = rag", "use            = prompt");
    let analysis = analyze(&without_rag, &options());
    assert!(
        !analysis.workloads[0]
            .missing_controls()
            .any(|c| c.id == "controls.retrieval_authorization")
    );
}

#[test]
fn missing_controls_are_reported_on_the_workload_name_with_the_catalog_severity() {
    let analysis = analyze(SCOPE_3, &options());
    let threat_model = analysis
        .diagnostics
        .iter()
        .find(|d| d.control.as_deref() == Some("risk.threat_model"))
        .unwrap();
    assert_eq!(threat_model.code, Code::MissingControl);
    assert_eq!(threat_model.severity, Severity::Error);
    assert_eq!(
        &SCOPE_3[threat_model.range.start..threat_model.range.end],
        "\"support-bot\""
    );
    assert_eq!(threat_model.workload.as_deref(), Some("support-bot"));
    assert!(
        threat_model
            .message()
            .starts_with("missing control risk.threat_model (Risk management)")
    );
}

#[test]
fn adding_all_missing_controls_leaves_none_missing() {
    let analysis = analyze(SCOPE_3, &options());
    let ids: Vec<&str> = analysis.workloads[0]
        .missing_controls()
        .map(|c| c.id.as_str())
        .collect();
    let file = syntax::parse(SCOPE_3);
    let edit = insert_controls_into_workload(SCOPE_3, &file, 0, &ids).unwrap();
    let fixed = apply_edits(SCOPE_3, &[edit]).unwrap();
    let after = analyze(&fixed, &options());
    assert!(
        after
            .diagnostics
            .iter()
            .all(|d| d.code != Code::MissingControl),
        "{fixed}\n{:?}",
        after.diagnostics
    );
    assert!(
        after
            .diagnostics
            .iter()
            .all(|d| d.code != Code::SyntaxError),
        "{fixed}"
    );
    assert!(
        fixed.contains("\n  control risk.threat_model {\n    status = planned\n  }\n"),
        "{fixed}"
    );
    assert!(
        fixed.ends_with(
            "    use            = rag\n  }\n  control governance.data_classification {\n"
        ) || fixed.ends_with("  }\n}\n"),
        "{fixed}"
    );
}

#[test]
fn inserted_controls_follow_the_file_indentation() {
    let text = "workload \"w\" {\n\towner = \"o\" # me\n\tmodel \"m\" {\n\t\thosting = managed_api\n\t}\n}\n";
    let analysis = analyze(text, &options());
    let fix = &analysis
        .diagnostics
        .iter()
        .find(|d| d.control.as_deref() == Some("risk.threat_model"))
        .unwrap()
        .fixes()[0];
    let fixed = apply_edits(text, &fix.edits).unwrap();
    assert!(
        fixed.contains("\t}\n\n\tcontrol risk.threat_model {\n\t\tstatus = planned\n\t}\n}\n"),
        "{fixed:?}"
    );
}

#[test]
fn inserting_into_a_one_line_workload_keeps_the_closing_brace_on_its_own_line() {
    let text = "workload \"w\" { owner = \"o\" model \"m\" { hosting = managed_api } }";
    let analysis = analyze(text, &options());
    let fix = &analysis
        .diagnostics
        .iter()
        .find(|d| d.code == Code::MissingControl)
        .unwrap()
        .fixes()[0];
    let fixed = apply_edits(text, &fix.edits).unwrap();
    assert!(fixed.ends_with("    status = planned\n  }\n}"), "{fixed}");
    assert!(codes(&fixed).iter().all(|c| *c != Code::SyntaxError));
}

#[test]
fn a_broken_workload_does_not_hide_the_next_one() {
    let text = "workload \"a\" {\n  owner = \"x\" ) ;\n  model \"m\" { hosting = managed_api }\n}\nworkload \"b\" {\n  owner = \"y\"\n  model \"n\" { hosting = consumer_app }\n}\n";
    let analysis = analyze(text, &options());
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == Code::SyntaxError)
    );
    let scopes: Vec<Option<Scope>> = analysis
        .workloads
        .iter()
        .map(|w| w.inferred_scope)
        .collect();
    assert_eq!(scopes, [Scope::new(3), Scope::new(1)]);
}

#[test]
fn settings_override_severity_and_disable_rules() {
    let mut options = options();
    options
        .settings
        .severity_overrides
        .insert(selector("risk.threat_model"), Level::Hint);
    options
        .settings
        .severity_overrides
        .insert(selector("resilience.timeouts"), Level::Off);
    options
        .settings
        .disabled
        .insert(selector("control-not-applicable"));
    let analysis = analyze(SCOPE_3, &options);
    let find = |id: &str| {
        analysis
            .diagnostics
            .iter()
            .find(|d| d.control.as_deref() == Some(id))
    };
    assert_eq!(find("risk.threat_model").unwrap().severity, Severity::Hint);
    assert!(find("resilience.timeouts").is_none());
    assert!(find("risk.prompt_injection").is_some());
}

#[test]
fn planned_controls_past_their_due_date_are_overdue() {
    let text = SCOPE_3.replace(
        "  data",
        "  control risk.threat_model {\n    status = planned\n    due    = \"2026-11-24\"\n  }\n  data",
    );
    assert!(codes(&text).contains(&Code::OverdueControl));
    let not_yet = text.replace("2026-11-24", "2026-11-25");
    assert!(!codes(&not_yet).contains(&Code::OverdueControl));
}

#[test]
fn evidence_outside_the_workspace_is_reported_and_not_read() {
    let env = environment::memory::MemoryEnvironment::default();
    env.write("/repo/w/tm.md", "x")
        .write("/etc/passwd", "root")
        .link("/repo/w/etc", "/etc");
    let mut options = options();
    options.base_dir = Some(PathBuf::from("/repo/w"));
    options.environment = environment::SharedEnvironment::new(env);
    let with = |evidence: &str| {
        SCOPE_3.replace(
            "  data",
            &format!("  control risk.threat_model {{\n    evidence = \"{evidence}\"\n  }}\n  data"),
        )
    };
    let evidence_findings = |text: &str| {
        analyze(text, &options)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == Code::EvidenceNotFound)
            .map(|d| d.message().into_owned())
            .collect::<Vec<_>>()
    };
    assert!(evidence_findings(&with("tm.md")).is_empty());
    assert!(evidence_findings(&with("https://wiki.example.com/tm")).is_empty());
    assert!(evidence_findings(&with("missing.md"))[0].contains("does not exist"));
    assert!(evidence_findings(&with("../../etc/passwd"))[0].contains("outside the workspace"));
    // Through a link out of the workspace: outside, whether the target exists or not.
    assert!(evidence_findings(&with("etc/passwd"))[0].contains("outside the workspace"));
    assert!(evidence_findings(&with("etc/nope"))[0].contains("outside the workspace"));
}

#[test]
fn the_evidence_workspace_is_the_nearest_project_or_repository_root() {
    let env =
        environment::SharedEnvironment::new(environment::memory::MemoryEnvironment::default());
    let memory = || {
        let env = environment::memory::MemoryEnvironment::default();
        env.mkdir("/repo/.git")
            .write("/repo/docs/tm.md", "x")
            .mkdir("/repo/workloads/sub");
        env
    };
    let file = Path::new("/repo/workloads/sub/x.genai");
    let in_repo = environment::SharedEnvironment::new(memory());
    let options = AnalysisOptions::for_file(&in_repo, file, None);
    assert_eq!(options.workspace_root.as_deref(), Some(Path::new("/repo")));
    let project = memory();
    project.write("/repo/workloads/genai-scope.toml", "");
    let options =
        AnalysisOptions::for_file(&environment::SharedEnvironment::new(project), file, None);
    assert_eq!(
        options.workspace_root.as_deref(),
        Some(Path::new("/repo/workloads"))
    );
    let options = AnalysisOptions::for_file(&in_repo, file, Some(Path::new("/repo/workloads")));
    assert_eq!(
        options.workspace_root.as_deref(),
        Some(Path::new("/repo/workloads"))
    );
    // Neither: the file's own directory, as before.
    let options = AnalysisOptions::for_file(&env, file, None);
    assert_eq!(
        options.workspace_root.as_deref(),
        Some(Path::new("/repo/workloads/sub"))
    );
}

#[test]
fn non_ascii_text_keeps_ranges_on_character_boundaries() {
    let text = "workload \"😀 日本\" { owner = \"é\" model \"🚀\" { hosting = managed_apii } }";
    let analysis = analyze(text, &options());
    for diagnostic in &analysis.diagnostics {
        assert!(
            text.is_char_boundary(diagnostic.range.start)
                && text.is_char_boundary(diagnostic.range.end)
        );
    }
    let invalid = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == Code::InvalidValue)
        .unwrap();
    assert_eq!(
        &text[invalid.range.start..invalid.range.end],
        "managed_apii"
    );
    assert_eq!(invalid.fixes()[0].edits[0].new_text, "managed_api");
}

#[test]
fn never_panics_on_garbage() {
    for text in [
        "",
        "}",
        "{{{{",
        "\0\u{1}\u{fffd}",
        "workload",
        "workload \"",
        "a = [",
        "control . {",
        "= = =",
    ] {
        let _ = analyze(text, &options());
    }
}

/// A generative-matrix control in an agent is flagged where it stands and covers nothing:
/// the workload still misses it, in the findings and in the report's coverage.
#[test]
fn generative_control_in_an_agent_does_not_cover_the_workload() {
    let text = r#"workload "w" {
  owner = "team@example.com"
  model "m" { hosting = managed_api }
  agent "a" {
    tool "lookup" { effect = read }
    control risk.threat_model { evidence = "https://example.com/tm" }
  }
}"#;
    let analysis = analyze(text, &options());
    let misplaced: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::ControlNotApplicable)
        .collect();
    assert_eq!(misplaced.len(), 1, "{misplaced:#?}");
    assert_eq!(misplaced[0].severity, Severity::Warning);
    assert_eq!(misplaced[0].agent.as_deref(), Some("a"));
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == Code::MissingControl
                && d.control.as_deref() == Some("risk.threat_model")
                && d.agent.is_none())
    );
    let coverage = analysis.workloads[0]
        .controls
        .iter()
        .find(|c| c.id.as_str() == "risk.threat_model")
        .unwrap();
    assert_eq!(coverage.coverage, crate::Coverage::Missing);

    // Declared in the workload instead, it covers it and nothing is flagged.
    let moved = text.replace(
        "  }\n}",
        "  }\n  control risk.threat_model { evidence = \"https://example.com/tm\" }\n}",
    );
    let moved = moved.replacen(
        "    control risk.threat_model { evidence = \"https://example.com/tm\" }\n",
        "",
        1,
    );
    let analysis = analyze(&moved, &options());
    assert!(
        !analysis
            .diagnostics
            .iter()
            .any(|d| d.code == Code::ControlNotApplicable
                || d.control.as_deref() == Some("risk.threat_model")
                    && d.code == Code::MissingControl)
    );
}

#[test]
fn agency_scope_sets_hold_exactly_the_scopes_collected() {
    let set: crate::AgencyScopes = [2, 4, 0, 9].into_iter().collect();
    let held: Vec<u8> = (0..=9).filter(|n| set.contains(*n)).collect();
    assert_eq!(held, [2, 4]);
    let all: crate::AgencyScopes = (1..=4).collect();
    assert!((1..=4).all(|n| all.contains(n)) && !all.contains(5));
    assert!(!crate::AgencyScopes::default().contains(1));
}

#[test]
fn a_missing_controls_message_and_fix_are_written_when_read() {
    let text =
        "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";
    let analysis = analyze(text, &options());
    let file = genai_scope_syntax::parse(text);
    let finding = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == Code::MissingControl)
        .unwrap();
    let control = finding.control.as_deref().unwrap();
    assert!(matches!(
        finding.fixes,
        crate::diagnostic::Fixes::AddControl(_)
    ));
    // Its message is written when read, as the rule words it.
    assert!(matches!(
        finding.message,
        crate::diagnostic::Message::MissingControl { .. }
    ));
    assert_eq!(
        finding.message(),
        format!(
            "missing control {control} ({}): {}; required at scope 3 (Pre-trained models) for model \"m\"",
            analysis
                .catalog()
                .discipline(analysis.catalog().control(control).unwrap().discipline_id())
                .unwrap()
                .name,
            analysis.catalog().control(control).unwrap().title,
        )
    );
    let fixes = finding.fixes();
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].title, format!("Add missing control {control}"));
    assert_eq!(
        finding.first_fix_title().as_deref(),
        Some(fixes[0].title.as_str())
    );
    assert!(!fixes[0].safe);
    assert_eq!(
        fixes[0].edits,
        vec![crate::edits::insert_controls_into_workload(text, &file, 0, &[control]).unwrap()]
    );

    // Moved with its block (as the incremental analysis moves kept findings), it inserts at
    // the block's new end.
    let mut moved = finding.clone();
    crate::findings::shift_diagnostic(&mut moved, 7);
    let moved_text = format!("# six\n\n{text}");
    let moved_fixes = moved.fixes();
    assert_eq!(
        moved_fixes[0].edits[0].range.start,
        fixes[0].edits[0].range.start + 7
    );
    let fixed = apply_edits(&moved_text, &moved_fixes[0].edits).unwrap();
    assert!(!codes(&fixed).contains(&Code::SyntaxError), "{fixed}");
    assert!(fixed.contains(&format!("control {control} {{")), "{fixed}");
    // A kept fix and the one it builds are the same finding's.
    let mut built = finding.clone();
    built.set_fixes(finding.fixes().into_owned());
    assert_eq!(&built, finding);
}
