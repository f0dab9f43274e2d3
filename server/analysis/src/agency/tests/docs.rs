//! `docs/agentic.md` says what the code and the catalog do: its example reasons are the
//! inference's, its control table is the catalog's, its advisory list and source keys too.

use std::collections::BTreeSet;

use super::catalog::{agentic_catalog, section, table_rows};
use super::examples::{EXAMPLES, hand_built};
use super::*;

const PAGE: &str = include_str!("../../../../../docs/agentic.md");

#[test]
fn the_page_quotes_the_inferences_reasons_for_every_example() {
    for (file, _) in EXAMPLES {
        assert!(PAGE.contains(&format!("`{file}`")), "{file} is not named");
        let workload = infer_agency(&hand_built(file));
        for agent in &workload.agents {
            for reason in &agent.reasons {
                assert!(
                    PAGE.contains(&format!("\n{reason}\n")),
                    "{file}: the page does not quote {reason:?}"
                );
            }
        }
    }
}

/// "1–4", "3–4", "4".
fn scopes_cell(scopes: &BTreeSet<u8>) -> String {
    let first = scopes.first().copied().unwrap_or_default();
    let last = scopes.last().copied().unwrap_or_default();
    if scopes.len() > 1 && scopes.len() == usize::from(last - first + 1) {
        format!("{first}–{last}")
    } else {
        scopes
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn conditions_cell(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

#[test]
fn the_control_table_is_the_catalogs() {
    let rows = table_rows(section(
        PAGE,
        "## The controls",
        "takes an integer parameter",
    ));
    let catalog = agentic_catalog();
    assert_eq!(rows.len(), catalog.controls.len());
    for (cells, control) in rows.iter().zip(&catalog.controls) {
        let mut parts = vec![];
        if !control.when.is_empty() {
            parts.push(conditions_cell(&control.when));
        }
        for scoped in &control.when_at {
            let scopes: BTreeSet<u8> = scoped.agency_scopes.iter().copied().collect();
            parts.push(format!(
                "at {}: {}",
                scopes_cell(&scopes),
                conditions_cell(&scoped.when)
            ));
        }
        let condition = if parts.is_empty() {
            "—".to_string()
        } else {
            parts.join("; ")
        };
        let severity = if control.advisory {
            format!("{} (advisory)", control.severity.as_str())
        } else {
            control.severity.as_str().to_string()
        };
        let expected = [
            format!("`{}`", control.id),
            scopes_cell(&control.agency_scopes.iter().copied().collect()),
            condition,
            severity,
            control.title.clone(),
        ];
        assert_eq!(cells.as_slice(), expected.as_slice());
    }
}

#[test]
fn the_advisory_list_and_the_source_keys_are_the_catalogs() {
    let catalog = agentic_catalog();
    let advisory: Vec<String> = catalog
        .controls
        .iter()
        .filter(|c| c.advisory)
        .map(|c| format!("`{}`", c.id))
        .collect();
    let listed = section(PAGE, "advisory. Five controls are: ", ".\n");
    let listed: Vec<String> = listed
        .split([',', '\n'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(listed, advisory);
    assert_eq!(advisory.len(), 5, "the page says five");

    let keys: Vec<String> = table_rows(section(PAGE, "The sources, by the keys", "\n\n\n"))
        .iter()
        .map(|cells| cells[0].trim_matches('`').to_string())
        .collect();
    let mut expected: Vec<String> = catalog.sources.iter().map(|s| s.id.clone()).collect();
    let mut keys_sorted = keys.clone();
    expected.sort();
    keys_sorted.sort();
    assert_eq!(keys_sorted, expected);
}

#[test]
fn the_conditions_table_lists_every_condition_the_catalog_uses() {
    let rows = table_rows(section(
        PAGE,
        "The conditions, all about one agent:",
        "Every agentic control also",
    ));
    let documented: BTreeSet<String> = rows
        .iter()
        .map(|cells| cells[0].trim_matches('`').to_string())
        .collect();
    let catalog = agentic_catalog();
    let used: BTreeSet<String> = catalog
        .controls
        .iter()
        .flat_map(|c| c.when.iter().chain(c.when_at.iter().flat_map(|a| &a.when)))
        .cloned()
        .collect();
    assert_eq!(documented, used);
    for name in &documented {
        assert!(AgentCondition::from_keyword(name).is_some(), "{name}");
    }
}
