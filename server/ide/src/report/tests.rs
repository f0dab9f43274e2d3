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

/// `base` (a workload ending with its closing `}` on the last line) with every control it
/// requires declared: implemented with evidence, except `planned` ones.
fn with_every_required_control(base: &str, planned: &[&str]) -> String {
    let analysis = analysed(base);
    let required: Vec<String> = analysis.workloads[0]
        .controls
        .iter()
        .filter(|c| c.required)
        .map(|c| c.id.as_str().to_string())
        .collect();
    let mut text = base.trim_end().trim_end_matches('}').to_string();
    for id in required {
        if planned.contains(&id.as_str()) {
            text.push_str(&format!("  control {id} {{\n    status = planned\n  }}\n"));
        } else {
            text.push_str(&format!(
                "  control {id} {{\n    evidence = \"https://example.com/{id}\"\n  }}\n"
            ));
        }
    }
    text.push_str("}\n");
    text
}

const SCOPE2: &str = "workload \"chat\" {\n  owner = \"o\"\n  scope = 2\n  model \"m\" {\n    hosting = enterprise_app\n  }\n}\n";

#[test]
fn every_required_control_implemented_is_covered_and_green() {
    let text = with_every_required_control(SCOPE2, &[]);
    let analysis = analysed(&text);
    let workload = &analysis.workloads[0];
    assert_eq!(standing(workload), Standing::Covered);
    let page = html(&[FileInput {
        path: "a.genai",
        text: &text,
        analysis: &analysis,
    }]);
    assert!(page.contains("data-standing=\"covered\""));
    assert!(page.contains("<h3>Planned controls (0)</h3>"));
    assert!(page.contains("style=\"background: hsl(130, 45%, 82%)\" data-scope=\"2\""));
}

#[test]
fn planned_controls_are_named_in_their_own_colour_and_not_covered_in_production() {
    let text = with_every_required_control(SCOPE2, &["governance.terms_compliance"]);
    let analysis = analysed(&text);
    let workload = &analysis.workloads[0];
    assert!(is_production(workload));
    assert_eq!(standing(workload), Standing::NotCovered);
    assert_eq!(
        standing_text(workload),
        format!(
            "not covered: of {} required controls, 1 planned but not implemented",
            required_counts(workload).required
        )
    );
    let page = html(&[FileInput {
        path: "a.genai",
        text: &text,
        analysis: &analysis,
    }]);
    assert!(page.contains("data-standing=\"not-covered\""), "{page}");
    // The governance cell at scope 2: nothing missing, one planned: violet, not green.
    let cell_start = page
        .find("data-scope=\"2\" data-discipline=\"governance\"")
        .expect("governance cell at scope 2");
    let cell_tag = &page[page[..cell_start].rfind("<td").unwrap_or(0)..cell_start];
    assert!(cell_tag.contains("hsl(265, 60%, 88%)"), "{cell_tag}");
    assert!(!cell_tag.contains("hsl(130"), "{cell_tag}");
    // Listed by name among the planned controls.
    assert!(page.contains("<h3>Planned controls (1)</h3>"));
    assert!(page.contains("<li data-control=\"governance.terms_compliance\" data-severity="));
    let markdown = markdown(&[FileInput {
        path: "a.genai",
        text: &text,
        analysis: &analysis,
    }]);
    assert!(
        markdown
            .contains("### Planned controls (1)\n\n- 🕒 planned: `governance.terms_compliance`")
    );
    assert!(markdown.contains("**Standing: not covered: "), "{markdown}");
}

#[test]
fn a_prototype_with_planned_controls_is_covered_for_now() {
    let base = SCOPE2.replacen('{', "{\n  stage = prototype", 1);
    let text = with_every_required_control(&base, &["governance.terms_compliance"]);
    let analysis = analysed(&text);
    let workload = &analysis.workloads[0];
    assert!(!is_production(workload));
    assert_eq!(standing(workload), Standing::Planned);
}

#[test]
fn only_the_workloads_own_scopes_are_painted() {
    let analysis = analysed(TWO);
    let workload = &analysis.workloads[0];
    assert_eq!(own_scopes(workload), [2]);
    let page = html(&[FileInput {
        path: "a.genai",
        text: TWO,
        analysis: &analysis,
    }]);
    let own = page.matches("<td class=\"cell own").count()
        + page.matches("<td class=\"cell none own").count();
    assert_eq!(own, catalog().disciplines.len());
    // Another scope's cell with required controls is not coloured.
    assert!(page.contains("<td class=\"cell other\" style=\"background: #ffffff\" data-scope=\"3\" data-discipline=\"governance\""), "{page}");
    assert!(!page.contains("class=\"cell other\" style=\"background: hsl"));
}

#[test]
fn several_workloads_get_an_overview_with_anchors() {
    let one = analysed(TWO);
    let two = analysed(EXAMPLE);
    let single = html(&[FileInput {
        path: "a.genai",
        text: TWO,
        analysis: &one,
    }]);
    assert!(!single.contains("id=\"overview\""));
    let page = html(&[
        FileInput {
            path: "a.genai",
            text: TWO,
            analysis: &one,
        },
        FileInput {
            path: "b.genai",
            text: EXAMPLE,
            analysis: &two,
        },
    ]);
    assert!(page.contains("<h2 id=\"overview\">Overview</h2>"));
    for n in 1..=2 {
        assert!(page.contains(&format!("<a href=\"#workload-{n}\">")), "{n}");
        assert_eq!(
            page.matches(&format!("id=\"workload-{n}\"")).count(),
            1,
            "{n}"
        );
    }
    assert!(page.contains("<a href=\"#workload-1\"><code>chat</code></a></td><td class=\"where\">a.genai:1</td><td>2</td>"));
}

#[test]
fn the_markdown_scope_table_has_rows() {
    let analysis = analysed(TWO);
    let text = markdown(&[FileInput {
        path: "a.genai",
        text: TWO,
        analysis: &analysis,
    }]);
    assert!(text.contains(
        "|---|---|---|---|---|---|\n| workload | | **▶ inferred**, declared | | | |\n| model `m` | | ● | | | |\n"
    ), "{text}");
}

#[test]
fn findings_are_read_syntax_then_schema_then_rules_then_missing_controls() {
    let text = "workload \"w\" {\n  owner = \"o\"\n  audience = martians\n  model \"m\" {\n    hosting = managed_api\n  }\n  data \"d\" {\n    use = rag\n";
    let analysis = analysed(text);
    let ordered = in_reading_order(&analysis.diagnostics);
    assert_eq!(ordered.len(), analysis.diagnostics.len());
    let kinds: Vec<FindingKind> = ordered.iter().map(|d| finding_kind(d)).collect();
    assert!(kinds.is_sorted(), "{kinds:?}");
    assert_eq!(kinds.first(), Some(&FindingKind::Syntax));
    assert_eq!(kinds.last(), Some(&FindingKind::Coverage));
    assert!(kinds.contains(&FindingKind::Schema));
    // Among missing controls, errors come first.
    let coverage: Vec<_> = ordered
        .iter()
        .filter(|d| finding_kind(d) == FindingKind::Coverage)
        .map(|d| d.severity)
        .collect();
    assert!(coverage.is_sorted_by(|a, b| a >= b), "{coverage:?}");
}
