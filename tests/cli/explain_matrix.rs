//! `explain` (a diagnostic code, a control id, a scope, an unknown id) and `matrix`.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{command, genai_scope};

use super::catalog_facts;

#[test]
fn explain_every_diagnostic_code() {
    let facts = catalog_facts();
    assert!(!facts.codes.is_empty());
    for code in &facts.codes {
        let outcome = genai_scope(["explain", code]).run();
        outcome.expect_code(0);
        assert!(
            outcome.stdout.starts_with(&format!("### {code}\n")),
            "{code}: {}",
            outcome.stdout
        );
        assert_eq!(outcome.stderr, "");
    }
}

#[test]
fn explain_a_diagnostic_code() {
    let outcome = genai_scope(["explain", "scope-mismatch"]).run();
    outcome.expect_code(0);
    insta::assert_snapshot!("explain_scope_mismatch", outcome.stdout);
}

#[test]
fn explain_every_control() {
    let facts = catalog_facts();
    for control in &facts.controls {
        let outcome = genai_scope(["explain", control]).run();
        outcome.expect_code(0);
        assert!(
            outcome.stdout.starts_with(&format!("### {control}\n")),
            "{control}: {}",
            outcome.stdout
        );
        // The discipline the control belongs to is named.
        let discipline = control.split('.').next().unwrap();
        let name = &facts
            .disciplines
            .iter()
            .find(|(id, _)| id == discipline)
            .unwrap()
            .1;
        assert!(
            outcome.stdout.contains(name.as_str()),
            "{control} names {name}"
        );
    }
}

#[test]
fn explain_a_control() {
    let outcome = genai_scope(["explain", "risk.threat_model"]).run();
    outcome.expect_code(0);
    insta::assert_snapshot!("explain_risk_threat_model", outcome.stdout);
}

#[test]
fn explain_a_scope() {
    let facts = catalog_facts();
    for (number, name) in &facts.scopes {
        let bare = genai_scope(["explain", &number.to_string()]).run();
        bare.expect_code(0);
        assert!(
            bare.stdout
                .starts_with(&format!("### Scope {number}: {name}\n")),
            "{}",
            bare.stdout
        );
        // `explain scope 3` and `explain "scope 3"` say the same.
        let words = genai_scope(["explain", "scope", &number.to_string()]).run();
        words.expect_code(0);
        assert_eq!(words.stdout, bare.stdout);
        let quoted = genai_scope(["explain", &format!("scope {number}")]).run();
        quoted.expect_code(0);
        assert_eq!(quoted.stdout, bare.stdout);
    }
    let outcome = genai_scope(["explain", "3"]).run();
    insta::assert_snapshot!("explain_scope_3", outcome.stdout);
}

#[test]
fn explain_an_unknown_id_exits_2() {
    for id in ["no-such-code", "risk.no_such_control", "6", "scope 0", ""] {
        let outcome = genai_scope(["explain", id]).run();
        outcome.expect_code(2);
        assert_eq!(outcome.stdout, "", "{id:?}: nothing on stdout");
        assert!(
            outcome.stderr.contains("genai-scope"),
            "{id:?}: {}",
            outcome.stderr
        );
        assert!(
            outcome.stderr.contains(&format!("`{id}`")),
            "{id:?} is named: {}",
            outcome.stderr
        );
    }
}

#[test]
fn explain_an_unknown_id_says_where_to_look() {
    assert_cmd_snapshot!(command(["explain", "no-such-code"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: `no-such-code` is neither a diagnostic code, a control id nor a scope; `genai-scope matrix` lists the controls
    ");
    assert_cmd_snapshot!(command(["explain", "scope", "6"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: `scope 6` is neither a diagnostic code, a control id nor a scope; `genai-scope matrix` lists the controls
    ");
}

#[test]
fn explain_suggests_the_nearest_id_on_a_typo() {
    for (typo, meant) in [
        ("risk.prompt_injecton", "risk.prompt_injection"),
        ("missng-control", "missing-control"),
        ("threat_model", "risk.threat_model"),
        ("Scope-Mismatch", "scope-mismatch"),
    ] {
        let outcome = genai_scope(["explain", typo]).run();
        outcome.expect_code(2);
        assert_eq!(outcome.stdout, "", "{typo}");
        assert!(
            outcome.stderr.contains(&format!(
                "did you mean `{meant}`? (`genai-scope explain {meant}`)"
            )),
            "{typo}: {}",
            outcome.stderr
        );
    }
}

#[test]
fn explain_without_an_id_prints_its_usage() {
    let outcome = genai_scope(["explain"]).run();
    outcome.expect_code(2);
    assert_eq!(outcome.stdout, "");
    assert!(
        outcome
            .stderr
            .contains("Usage: genai-scope explain <ID>..."),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("is neither"), "{}", outcome.stderr);
}

#[test]
fn matrix_lists_all_scopes_and_controls() {
    let facts = catalog_facts();
    assert_eq!(facts.scopes.len(), 5, "five scopes in the catalog");
    assert_eq!(facts.controls.len(), 51, "51 controls in the catalog");
    let outcome = genai_scope(["matrix"]).run();
    outcome.expect_code(0);
    let matrix = &outcome.stdout;
    let header = matrix.lines().next().unwrap();
    for (number, name) in &facts.scopes {
        assert!(
            header.contains(&format!("{number} {name}")),
            "scope {number} in {header}"
        );
    }
    // Each control appears, by its short name, in the row of its discipline.
    for control in &facts.controls {
        let (discipline, short) = control.split_once('.').unwrap();
        let name = &facts
            .disciplines
            .iter()
            .find(|(id, _)| id == discipline)
            .unwrap()
            .1;
        let row = matrix
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("no row for {name}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let listed = cells
            .iter()
            .flat_map(|cell| cell.split(", "))
            .any(|entry| entry.trim_end_matches('*') == short);
        assert!(listed, "{control} is not in the matrix row {row}");
    }
    insta::assert_snapshot!("matrix", outcome.stdout);
}

/// `matrix` prints the agency scope × dimension table after the generative one, every
/// agentic control in its dimension's row; the README's matrix section shows both tables as
/// `matrix` prints them.
#[test]
fn matrix_prints_the_agentic_table_too_and_the_readme_shows_both() {
    let outcome = genai_scope(["matrix"]).run();
    outcome.expect_code(0);
    let matrix = &outcome.stdout;
    let agentic = &matrix[matrix
        .find("| dimension | 1 No agency | 2 Prescribed agency | 3 Supervised agency | 4 Full agency |")
        .expect("the agentic table")..];
    for (dimension, control) in [
        ("Identity context", "agent_attestation"),
        ("Agent and FM controls", "kill_switch"),
        ("Orchestration", "step_limits"),
    ] {
        let row = agentic
            .lines()
            .find(|l| l.starts_with(&format!("| {dimension} |")))
            .unwrap_or_else(|| panic!("no row for {dimension}"));
        assert!(row.contains(control), "{control} not in {row}");
    }
    // Generative rows do not list agentic controls.
    let generative = &matrix[..matrix.find("| dimension |").unwrap()];
    assert!(!generative.contains("kill_switch"), "{generative}");

    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let tables: Vec<&str> = matrix.lines().filter(|l| l.starts_with('|')).collect();
    assert!(tables.len() > 10, "{matrix}");
    for line in tables {
        assert!(
            readme.lines().any(|l| l == line),
            "README.md's matrix section lacks, or has a stale copy of:\n{line}"
        );
    }
}
