use super::*;
use genai_scope_analysis::catalog::catalog;
use genai_scope_analysis::{AnalysisOptions, analyze};

const EXAMPLE: &str = include_str!("../../../../examples/scope3-support-assistant.genai");

/// A scope-2 workload with implemented, planned and not-applicable controls, and markup in
/// a justification (shared with the browser test of the HTML report).
const TWO: &str = include_str!("../../../../tests/fixtures/scope2-chat.genai");

fn analysed(text: &str) -> genai_scope_analysis::Analysis {
    analyze(text, &AnalysisOptions::default())
}

#[test]
fn the_grid_counts_what_the_inferred_scope_requires() {
    let analysis = analysed(TWO);
    let workload = &analysis.workloads[0];
    assert_eq!(workload.inferred_scope, Some(2));
    let rows = grid(analysis.catalog(), workload);
    assert_eq!(rows.len(), catalog().disciplines.len());
    let governance = &rows[0];
    assert_eq!(governance.discipline_id, "governance");
    // Scope 2: terms_compliance, data_usage_policy, training_opt_out,
    // acceptable_use_training.
    assert_eq!(
        governance.cells[1],
        Cell {
            required: 4,
            implemented: 1,
            planned: 1,
            not_applicable: 0,
            missing: 2
        }
    );
    let legal = &rows[1];
    assert_eq!(legal.cells[1].not_applicable, 1);
    // At the inferred scope, the grid agrees with the report's own coverage.
    let required: usize = rows.iter().map(|r| r.cells[1].required).sum();
    let missing: usize = rows.iter().map(|r| r.cells[1].missing).sum();
    assert_eq!(
        required,
        workload.controls.iter().filter(|c| c.required).count()
    );
    assert_eq!(missing, workload.missing_controls().count());
}

#[test]
fn conditional_controls_count_only_when_their_condition_holds() {
    let analysis = analysed(EXAMPLE);
    let workload = &analysis.workloads[0];
    let rows = grid(analysis.catalog(), workload);
    let required: usize = rows.iter().map(|r| r.cells[2].required).sum();
    assert_eq!(
        required,
        workload.controls.iter().filter(|c| c.required).count()
    );
    // Scope 5 requires training_checkpoints and more; scope 1 requires its own controls.
    let at = |scope: usize| {
        rows.iter()
            .map(|r| r.cells[scope - 1].required)
            .sum::<usize>()
    };
    assert!(at(5) > at(3), "{} vs {}", at(5), at(3));
    assert!(at(1) > 0);
}

#[test]
fn html_is_self_contained_and_escapes_text() {
    let analysis = analysed(TWO);
    let page = html(&[FileInput {
        path: "a <b>.genai",
        text: TWO,
        analysis: &analysis,
    }]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("a &lt;b&gt;.genai"));
    assert!(!page.contains("a <b>.genai"));
    for external in ["<link", "<script", "src=", "@import", "url("] {
        assert!(!page.contains(external), "{external}");
    }
    assert_eq!(page.matches("class=\"scope inferred declared\"").count(), 1);
    assert_eq!(
        page.matches("<td class=\"cell").count(),
        5 * catalog().disciplines.len()
    );
    assert!(page.contains("data-scope=\"2\" data-discipline=\"governance\" data-required=\"4\" data-implemented=\"1\" data-planned=\"1\" data-not-applicable=\"0\" data-missing=\"2\""));
}

#[test]
fn markdown_report_of_an_example() {
    let analysis = analysed(EXAMPLE);
    let two = analysed(TWO);
    let text = markdown(&[
        FileInput {
            path: "examples/scope3-support-assistant.genai",
            text: EXAMPLE,
            analysis: &analysis,
        },
        FileInput {
            path: "chat.genai",
            text: TWO,
            analysis: &two,
        },
    ]);
    insta::assert_snapshot!(text);
}
