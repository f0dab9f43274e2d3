use std::collections::HashSet;

use super::*;

/// The control ids of `shared/spec/matrix.md`: version 1, then the new controls of version 2,
/// each in the order of its table.
const MATRIX_CONTROL_IDS: [&str; 51] = [
    "governance.terms_compliance",
    "governance.data_usage_policy",
    "governance.training_opt_out",
    "governance.data_classification",
    "governance.model_classification",
    "legal.provider_terms_review",
    "legal.model_terms_review",
    "legal.own_terms_of_service",
    "legal.right_to_erasure",
    "risk.provider_assessment",
    "risk.threat_model",
    "risk.prompt_injection",
    "controls.model_access_policy",
    "controls.user_authentication",
    "controls.retrieval_authorization",
    "controls.model_selection_by_entitlement",
    "controls.data_flow_protection",
    "resilience.provider_availability",
    "resilience.quota_and_cost",
    "resilience.timeouts",
    "resilience.input_size_limit",
    "resilience.retry_backoff",
    "resilience.circuit_breaker",
    "resilience.vector_store_ha_dr",
    "resilience.reserved_capacity",
    "resilience.region_parity",
    "resilience.training_data_replication",
    "resilience.training_checkpoints",
    // Version 2.
    "governance.acceptable_use_training",
    "controls.egress_dlp",
    "controls.enterprise_identity",
    "controls.acl_aware_index",
    "legal.provider_data_handling",
    "legal.inference_data_residency",
    "legal.rag_personal_data",
    "legal.conversation_retention",
    "risk.untrusted_content",
    "risk.model_provenance",
    "risk.dataset_provenance",
    "risk.pre_deployment_evaluation",
    "risk.incident_response",
    "controls.invocation_logging",
    "controls.guardrails",
    "controls.output_validation",
    "controls.output_encoding",
    "governance.output_reuse_validation",
    "controls.rate_limiting",
    "controls.public_endpoint_protection",
    "governance.ai_transparency_notice",
    "controls.model_artifact_protection",
    "controls.training_environment_isolation",
];

#[test]
fn every_matrix_control_is_in_the_catalog_in_order() {
    let ids: Vec<&str> = catalog()
        .controls
        .iter()
        .filter(|c| !c.is_agentic())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, MATRIX_CONTROL_IDS);
}

/// The contract, when it is checked out beside the repository (as in CI) or named by
/// `GENAI_SCOPE_SPEC_DIR` (as in a worktree elsewhere).
fn spec_matrix() -> Option<String> {
    let dir = std::env::var("GENAI_SCOPE_SPEC_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/spec").into());
    let path = format!("{dir}/matrix.md");
    let text = std::fs::read_to_string(&path).ok();
    if text.is_none() {
        eprintln!("{path} not found; compared with the built-in id list only");
    }
    text
}

/// The rows of the tables of `text` whose first cell is a control id.
fn control_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|line| line.starts_with("| ") && !line.contains("---"))
        .map(|line| {
            let cells: Vec<String> = line.split('|').map(|c| c.trim().to_string()).collect();
            cells[1..cells.len() - 1].to_vec()
        })
        .filter(|cells| cells.len() >= 5 && cells[0].contains('.') && !cells[0].contains(' '))
        .collect()
}

fn scopes(cell: &str) -> Vec<u8> {
    cell.split(',').map(|s| s.trim().parse().unwrap()).collect()
}

/// The facts of one control as the spec's tables give them.
#[derive(Debug, Default, PartialEq)]
struct Facts {
    scopes: Vec<u8>,
    /// Conditions at every scope.
    when: Vec<Condition>,
    /// Conditions at some scopes only.
    when_at: Vec<(Vec<u8>, Vec<Condition>)>,
    severity: String,
    owasp: Vec<String>,
    atlas: Vec<String>,
    nist: Vec<String>,
}

/// "LLM02:2025, LLM08:2025; AML.T0085; Data Privacy": OWASP ids, ATLAS ids and NIST risks,
/// whose names may hold commas themselves ("Dangerous, Violent, or Hateful Content"), so
/// they are read as the longest known names.
fn references(cell: &str, facts: &mut Facts) {
    let known: Vec<&str> = catalog().nist.iter().map(|n| n.name.as_str()).collect();
    for group in cell.split(';').map(str::trim).filter(|g| !g.is_empty()) {
        if group.starts_with("LLM") || group.starts_with("AML.") {
            for id in group.split(',').map(str::trim) {
                let list = if id.starts_with("LLM") {
                    &mut facts.owasp
                } else {
                    &mut facts.atlas
                };
                list.push(id.into());
            }
            continue;
        }
        let parts: Vec<&str> = group.split(", ").collect();
        let mut start = 0;
        while start < parts.len() {
            let end = (start + 1..=parts.len())
                .rev()
                .find(|end| known.contains(&parts[start..*end].join(", ").as_str()))
                .unwrap_or_else(|| panic!("`{group}` names an unknown NIST risk"));
            facts.nist.push(parts[start..end].join(", "));
            start = end;
        }
    }
}

/// The source keys in the last parentheses of a "fact (sources)" cell, as the catalog writes
/// them (`ATLAS-G` is `atlas_guide`).
fn source_keys(cell: &str) -> Vec<String> {
    let inner = cell
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map_or("", |(inner, _)| inner);
    inner
        .split([',', ';'])
        .filter_map(|key| key.split_whitespace().next())
        // Keys are upper case (`SRA-INF`); notes such as "the split is …" are not keys.
        .filter(|key| {
            key.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        })
        .map(|key| match key {
            "ATLAS-G" => "atlas_guide".to_string(),
            key => key.to_lowercase().replace('-', "_"),
        })
        .collect()
}

fn catalog_facts(control: &Control) -> Facts {
    Facts {
        scopes: control.scopes.iter().map(|s| s.number()).collect(),
        when: control.when.clone(),
        when_at: control
            .when_at
            .iter()
            .map(|s| {
                (
                    s.scopes.iter().map(|s| s.number()).collect(),
                    s.when.clone(),
                )
            })
            .collect(),
        severity: control.severity.as_str().into(),
        owasp: control.owasp.clone(),
        atlas: control.atlas.clone(),
        nist: control.nist.clone(),
    }
}

/// The catalog's facts equal the spec's: the version-1 table with the v2 changes applied,
/// and the table of new controls (ids, scopes, conditions, severities, references and, for
/// the new controls, every source key).
#[test]
fn catalog_facts_match_the_spec_tables_when_present() {
    let Some(spec) = spec_matrix() else { return };
    let (v1, v2) = spec
        .split_once("## Control catalog v2")
        .expect("matrix.md has a v2 section");
    // v1 conditions are written as their "holds when" text; the v2 vocabulary maps them.
    let vocabulary: Vec<(String, String)> = v2
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = cells.get(1)?;
            let holds = cells.get(2)?.strip_suffix(" (v1)")?;
            Some((holds.to_string(), name.to_string()))
        })
        .collect();
    assert_eq!(vocabulary.len(), 5, "the five v1 conditions");
    let condition = |name: &str| {
        Condition::from_name(name).unwrap_or_else(|| panic!("`{name}` is not a condition"))
    };
    let mut expected: Vec<(String, Facts)> = Vec::new();
    for cells in control_rows(v1) {
        let mut facts = Facts {
            scopes: scopes(&cells[1]),
            severity: cells[3].clone(),
            ..Facts::default()
        };
        if !cells[2].is_empty() {
            let (_, name) = vocabulary
                .iter()
                .find(|(holds, _)| *holds == cells[2])
                .unwrap_or_else(|| panic!("v1 condition `{}`", cells[2]));
            facts.when.push(condition(name));
        }
        references(&cells[5], &mut facts);
        expected.push((cells[0].clone(), facts));
    }

    // The changes: "| control, control | change | why (sources) |".
    let changes = &v2[v2.find("### Changes to version-1 controls").unwrap()..];
    let changes = &changes[..changes.find("### New controls").unwrap()];
    let mut changed_sources: Vec<(String, Vec<String>)> = Vec::new();
    for line in changes
        .lines()
        .filter(|l| l.starts_with("| ") && !l.contains("---"))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (ids, change, why) = (cells[1], cells[2], cells[3]);
        if ids == "control" || !ids.contains('.') {
            continue; // the header, and the rule that is not a control
        }
        // "same": the sources of the row above.
        let keys = match why {
            "same" => changed_sources
                .last()
                .map(|(_, k)| k.clone())
                .unwrap_or_default(),
            why => source_keys(why),
        };
        for id in ids.split(',').map(str::trim) {
            changed_sources.push((id.to_string(), keys.clone()));
            let facts = &mut expected
                .iter_mut()
                .find(|(known, _)| known == id)
                .unwrap_or_else(|| panic!("the change names {id}"))
                .1;
            let serves = Condition::ServesInference;
            if let Some(rest) = change.strip_prefix("scopes ") {
                let list: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == ' ' || *c == '–')
                    .collect();
                facts.scopes = match list.trim().trim_end_matches(',').split_once('–') {
                    Some((from, to)) => {
                        (from.trim().parse().unwrap()..=to.trim().parse().unwrap()).collect()
                    }
                    None => scopes(list.trim().trim_end_matches(',')),
                };
            }
            if change.contains("(3–5 with serves_inference)")
                || change.starts_with("at scopes 3–5 add condition serves_inference")
            {
                facts.when_at.push((vec![3, 4, 5], vec![serves]));
            } else if change == "add condition serves_inference" {
                facts.when.insert(0, serves);
            } else if change.starts_with("not required when access = anonymous") {
                // Expressed with the project's `authenticated_access` condition.
                facts.when.push(Condition::AuthenticatedAccess);
            }
            if let Some((_, severity)) = change.split_once("severity ") {
                facts.severity = severity.trim().to_string();
            }
        }
    }

    // The new controls.
    let new = &v2[v2.find("### New controls").unwrap()..];
    let mut new_sources: Vec<(String, Vec<String>)> = Vec::new();
    for cells in control_rows(new) {
        let mut facts = Facts {
            scopes: scopes(&cells[1]),
            when: cells[2]
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(condition)
                .collect(),
            severity: cells[3].clone(),
            ..Facts::default()
        };
        references(&cells[5], &mut facts);
        new_sources.push((cells[0].clone(), source_keys(&cells[4])));
        expected.push((cells[0].clone(), facts));
    }

    let spec_ids: Vec<&str> = expected.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(spec_ids, MATRIX_CONTROL_IDS);
    for (id, facts) in &expected {
        let control = catalog().control(id).unwrap();
        assert_eq!(&catalog_facts(control), facts, "facts of {id}");
    }
    for (id, keys) in new_sources.iter().chain(&changed_sources) {
        let control = catalog().control(id).unwrap();
        assert!(!keys.is_empty(), "{id} cites no source in matrix.md");
        for key in keys {
            assert!(
                control.sources.contains(key),
                "{id} does not cite {key} (it has {:?})",
                control.sources
            );
        }
    }
}

#[test]
fn every_control_is_well_formed() {
    let catalog = catalog();
    let disciplines: HashSet<&str> = catalog.disciplines.iter().map(|d| d.id.as_str()).collect();
    let mut seen = HashSet::new();
    // The agentic controls are checked against their own contract (agency/tests/catalog.rs).
    for control in catalog.controls.iter().filter(|c| !c.is_agentic()) {
        assert!(seen.insert(control.id.as_str()), "duplicate {}", control.id);
        assert!(
            disciplines.contains(control.discipline_id()),
            "{}",
            control.id
        );
        assert!(
            !control.title.is_empty() && control.title.len() <= 60,
            "{}",
            control.id
        );
        assert!(!control.summary.is_empty() && !control.rationale.is_empty());
        assert!(!control.scopes.is_empty(), "{}", control.id);
        assert!(
            control.scopes.iter().all(|s| (1..=5).contains(&s.number())),
            "{}",
            control.id
        );
        assert!(!control.sources.is_empty(), "{}", control.id);
        for source in &control.sources {
            assert!(
                catalog.source(source).is_some(),
                "{}: source {source}",
                control.id
            );
        }
        for id in &control.owasp {
            assert!(
                id.ends_with(":2025"),
                "{}: {id} without the year",
                control.id
            );
            assert!(
                catalog.owasp_name(id).is_some(),
                "{}: unknown {id}",
                control.id
            );
        }
        for id in &control.atlas {
            assert!(
                catalog.atlas_name(id).is_some(),
                "{}: unknown {id}",
                control.id
            );
        }
        for risk in &control.nist {
            assert!(
                catalog.nist.iter().any(|n| &n.name == risk),
                "{}: {risk}",
                control.id
            );
        }
        let example = genai_scope_syntax::parse(&control.example);
        assert!(
            example.errors.is_empty(),
            "example of {} does not parse",
            control.id
        );
        assert!(
            control.example.contains(&format!("control {}", control.id)),
            "example of {} declares another control",
            control.id
        );
    }
}

#[test]
fn scopes_and_disciplines_are_complete() {
    let catalog = catalog();
    let numbers: Vec<u8> = catalog.scopes.iter().map(|s| s.number.number()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    for scope in &catalog.scopes {
        let expected = if scope.number <= Scope::ENTERPRISE_APP {
            Side::Buy
        } else {
            Side::Build
        };
        assert_eq!(scope.side, expected);
    }
    let ids: Vec<&str> = catalog.disciplines.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        ["governance", "legal", "risk", "controls", "resilience"]
    );
    // The generative file's own lists (the agentic catalog adds its references to them).
    let generative = Catalog::from_toml(super::CATALOG_TOML).expect("catalog.toml");
    assert_eq!(generative.owasp.len(), 10);
    assert_eq!(generative.atlas.len(), 24);
    assert_eq!(catalog.nist.len(), 12);
    // ATLAS mitigations (`AML.M…`) are marked as such; techniques are the rest.
    for entry in &catalog.atlas {
        let expected = if entry.id.starts_with("AML.M") {
            ReferenceKind::Mitigation
        } else {
            ReferenceKind::Technique
        };
        assert_eq!(entry.kind, expected, "{}", entry.id);
    }
}

#[test]
fn parameters_are_the_documented_ones() {
    let catalog = catalog();
    let with_parameters: Vec<(&str, &str)> = catalog
        .controls
        .iter()
        .filter(|c| !c.is_agentic())
        .flat_map(|c| {
            c.parameters
                .iter()
                .map(move |p| (c.id.as_str(), p.name.as_str()))
        })
        .collect();
    assert_eq!(
        with_parameters,
        [
            ("resilience.timeouts", "timeout"),
            ("resilience.input_size_limit", "max_input_tokens"),
            ("resilience.retry_backoff", "max_attempts"),
        ]
    );
}

#[test]
fn every_diagnostic_code_is_documented_with_examples_that_parse() {
    let documented: Vec<&str> = rules().iter().map(|r| r.code.as_str()).collect();
    let codes: Vec<&str> = crate::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(documented, codes);
    for rule in rules() {
        let score: f32 = rule.security_severity.parse().expect("a number");
        assert!((0.0..=10.0).contains(&score), "{}", rule.code);
        if rule.code != "syntax-error" {
            assert!(
                genai_scope_syntax::parse(&rule.bad).errors.is_empty(),
                "{}",
                rule.code
            );
        }
        assert!(
            genai_scope_syntax::parse(&rule.good).errors.is_empty(),
            "{}",
            rule.code
        );
    }
}
