use std::collections::HashSet;

use super::*;

/// The control ids of `shared/spec/matrix.md` (v1), in its order.
const MATRIX_CONTROL_IDS: [&str; 28] = [
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
];

#[test]
fn every_matrix_control_is_in_the_catalog_in_order() {
    let ids: Vec<&str> = catalog().controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, MATRIX_CONTROL_IDS);
}

/// When the contract is checked out beside the repository (as in CI), the catalog's facts
/// must equal its table: ids, scopes, condition presence and severity.
#[test]
fn catalog_facts_match_the_spec_table_when_present() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/spec/matrix.md"
    );
    let Ok(spec) = std::fs::read_to_string(path) else {
        eprintln!("{path} not found; compared with the built-in id list only");
        return;
    };
    // The version-1 table; the v2 section lists changes and additions in tables of its own.
    let v1 = spec
        .split("## Control catalog v2")
        .next()
        .unwrap_or_default();
    let rows: Vec<Vec<String>> = v1
        .lines()
        .filter(|line| line.starts_with("| ") && line.contains('.') && !line.contains("---"))
        .map(|line| {
            line.split('|')
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .filter(|cells: &Vec<String>| {
            cells.len() > 5 && cells[1].contains('.') && !cells[1].contains(' ')
        })
        .collect();
    let spec_ids: Vec<&str> = rows.iter().map(|cells| cells[1].as_str()).collect();
    assert_eq!(spec_ids, MATRIX_CONTROL_IDS);
    for cells in &rows {
        let control = catalog().control(&cells[1]).unwrap();
        let scopes: Vec<u8> = cells[2]
            .split(',')
            .map(|s| s.trim().parse().unwrap())
            .collect();
        assert_eq!(control.scopes, scopes, "scopes of {}", control.id);
        assert_eq!(
            control.is_conditional(),
            !cells[3].is_empty(),
            "condition of {}",
            control.id
        );
        assert_eq!(
            control.severity.as_str(),
            cells[4],
            "severity of {}",
            control.id
        );
    }
}

#[test]
fn every_control_is_well_formed() {
    let catalog = catalog();
    let disciplines: HashSet<&str> = catalog.disciplines.iter().map(|d| d.id.as_str()).collect();
    let mut seen = HashSet::new();
    for control in &catalog.controls {
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
            control.scopes.iter().all(|s| (1..=5).contains(s)),
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
    let numbers: Vec<u8> = catalog.scopes.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    for scope in &catalog.scopes {
        let expected = if scope.number <= 2 {
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
    assert_eq!(catalog.owasp.len(), 10);
    assert_eq!(catalog.atlas.len(), 11);
    assert_eq!(catalog.nist.len(), 12);
}

#[test]
fn parameters_are_the_documented_ones() {
    let catalog = catalog();
    let with_parameters: Vec<(&str, &str)> = catalog
        .controls
        .iter()
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
