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
    assert_eq!(workload.inferred_scope, Scope::new(2));
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
        "| workload  |                | **▶ inferred**, declared |                      |                     |                       |\n| model `m` |                | ●                        |                      |                     |                       |\n"
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

/// A workload with two agents: one that pays without approval (agency scope 3) and a
/// read-only one (1) that declares an agentic control in its block.
const AGENTS: &str = "workload \"desk\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n  agent \"refunder\" {\n    model = \"m\"\n    agency_scope = 2\n    tool \"refund\" {\n      effect = pay\n    }\n  }\n  agent \"lookup\" {\n    model = \"m\"\n    tool \"orders\" {\n      effect = read\n    }\n    control audit.action_log {\n      evidence = \"https://example.com/log\"\n    }\n  }\n}\n";

fn html_of(text: &str, analysis: &genai_scope_analysis::Analysis) -> String {
    html(&[FileInput {
        path: "a.genai",
        text,
        analysis,
    }])
}

fn markdown_of(text: &str, analysis: &genai_scope_analysis::Analysis) -> String {
    markdown(&[FileInput {
        path: "a.genai",
        text,
        analysis,
    }])
}

#[test]
fn the_agentic_grid_is_shown_only_for_workloads_with_agents() {
    let plain = analysed(TWO);
    assert!(agentic_grid(plain.catalog(), &plain.workloads[0]).is_empty());
    let page = html_of(TWO, &plain);
    assert!(!page.contains("heatmap agentic"));
    assert!(!page.contains("class=\"agent\""));
    assert!(!markdown_of(TWO, &plain).contains("Agentic controls by agency scope"));

    let analysis = analysed(AGENTS);
    let workload = &analysis.workloads[0];
    assert_eq!(
        workload.agency_scope,
        Some(genai_scope_analysis::agency::AgencyScope::Supervised),
        "{:?}",
        workload.agents
    );
    let catalog = analysis.catalog();
    let rows = agentic_grid(catalog, workload);
    assert_eq!(rows.len(), catalog.dimensions.len());
    assert!(rows.iter().all(|r| r.cells.len() == 4));
    // At the refunder's agency scope (3) the grid counts what it needs and lacks.
    let refunder = &workload.agents[0];
    let needed = refunder.controls.iter().filter(|c| c.required).count();
    let missing = agent_missing_controls(catalog, refunder).len();
    assert!(missing > 0);
    let at3 = |f: fn(&Cell) -> usize| rows.iter().map(|r| f(&r.cells[2])).sum::<usize>();
    assert!(at3(|c| c.required) >= needed);
    assert!(at3(|c| c.missing) >= missing);
    assert_eq!(own_agency_scopes(workload), [1, 3]);

    let page = html_of(AGENTS, &analysis);
    assert!(page.contains("data-agency-scope=\"3\""), "{page}");
    assert_eq!(page.matches("<table class=\"heatmap agentic\">").count(), 1);
    let agentic = &page[page.find("heatmap agentic").unwrap()..];
    let agentic = &agentic[..agentic.find("</table>").unwrap()];
    assert_eq!(
        agentic.matches("<td class=\"cell").count(),
        4 * catalog.dimensions.len()
    );
    // The workload's agency scope column is highlighted like the inferred scope.
    assert!(
        agentic.contains("<th class=\"inferred own\" data-scope=\"3\">"),
        "{agentic}"
    );
    assert!(
        agentic.contains("<th class=\"other\" data-scope=\"4\">"),
        "{agentic}"
    );
    // Each agent with its inferred and declared agency scope and missing controls.
    assert!(page.contains(&format!(
        "<div class=\"agent\" data-name=\"refunder\" data-inferred-agency-scope=\"3\" data-declared-agency-scope=\"2\" data-missing=\"{missing}\">"
    )), "{page}");
    assert!(page.contains(
        "data-name=\"lookup\" data-inferred-agency-scope=\"1\" data-declared-agency-scope=\"\""
    ));
    assert!(page.contains("(declared 2)"));

    let text = markdown_of(AGENTS, &analysis);
    assert!(
        text.contains("### Agentic controls by agency scope and dimension"),
        "{text}"
    );
    assert!(
        text.contains("#### Agent `refunder`: agency scope **3 Supervised agency** (declared 2)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Missing agentic controls ({missing}):")),
        "{text}"
    );
    assert!(text.contains("| dimension "), "{text}");
}

#[test]
fn a_missing_control_is_listed_once_not_again_among_the_findings() {
    for text in [TWO, AGENTS] {
        let analysis = analysed(text);
        let page = html_of(text, &analysis);
        let workload = &analysis.workloads[0];
        let catalog = analysis.catalog();
        let mut ids: Vec<&str> = missing_controls(catalog, workload)
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        for agent in &workload.agents {
            ids.extend(
                agent_missing_controls(catalog, agent)
                    .into_iter()
                    .map(|(id, _, _)| id),
            );
        }
        assert!(!ids.is_empty());
        // No finding row repeats a listed missing control: every missing-control finding of
        // these files is about a listed one.
        assert!(
            !page.contains("<tr data-code=\"missing-control\""),
            "{page}"
        );
        let missing_findings = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "missing-control")
            .count();
        assert_eq!(missing_findings, ids.len());
        let findings_heading = if missing_findings == analysis.diagnostics.len() {
            "Findings"
        } else {
            "Other findings"
        };
        assert!(
            page.contains(&format!(
                "<h3>{findings_heading} ({})</h3>",
                analysis.diagnostics.len() - missing_findings
            )),
            "{page}"
        );
        let markdown = markdown_of(text, &analysis);
        assert!(!markdown.contains("| `missing-control` |"), "{markdown}");
        assert!(!markdown.contains("`missing-control`"), "{markdown}");
    }
}

#[test]
fn the_columns_of_other_scopes_are_muted_not_painted() {
    let analysis = analysed(TWO);
    let page = html_of(TWO, &analysis);
    let heatmap = &page[page.find("<table class=\"heatmap\">").unwrap()..];
    let heatmap = &heatmap[..heatmap.find("</table>").unwrap()];
    assert!(heatmap.contains("<th class=\"inferred own\" data-scope=\"2\">"));
    for scope in [1, 3, 4, 5] {
        assert!(
            heatmap.contains(&format!("<th class=\"other\" data-scope=\"{scope}\">")),
            "{scope}"
        );
    }
    // No cell of another scope carries a heat colour, however much it would be missing.
    for tag in heatmap.split("<td ").skip(1) {
        if tag.starts_with("class=\"cell other\"") {
            assert!(tag.contains("background: #ffffff"), "{tag}");
            assert!(!tag.contains("background: hsl"), "{tag}");
        }
    }
    assert!(
        STYLE_MUTES_OTHER_COLUMNS
            .iter()
            .all(|rule| page.contains(rule))
    );
}

/// The style rules that mute the other scopes' columns.
const STYLE_MUTES_OTHER_COLUMNS: [&str; 2] = [
    ".heatmap th.other { color: #8c959f; font-weight: 400; }",
    ".heatmap td.cell.other { color: #8c959f; }",
];

#[test]
fn links_are_anchors_with_what_an_editor_needs() {
    let analysis = analysed(AGENTS);
    let page = html_of(AGENTS, &analysis);
    // The workload's position, 0-based with a UTF-16 column, as VS Code counts.
    assert!(page.contains("<a class=\"reveal\" data-command=\"reveal\" data-line=\"0\" data-character=\"9\" href=\"#workload-1\">a.genai:1</a>"), "{page}");
    assert!(page.contains("<span class=\"editor-only\"> · <a class=\"add-all\" data-command=\"add-missing-controls\" data-workload-index=\"0\" href=\"#workload-1\">"), "{page}");
    assert!(page.contains("data-command=\"quick-fix\""));
    // Editor-only links are hidden in the plain page.
    assert!(page.contains(".editor-only { display: none; }"));
    // Every link stays inside the page.
    for link in page.split("href=\"").skip(1) {
        assert!(link.starts_with('#'), "{}", &link[..link.len().min(40)]);
    }
}

/// The display columns of the unescaped pipes of a line.
fn pipe_columns(line: &str) -> Vec<usize> {
    let mut columns = Vec::new();
    let mut column = 0;
    let mut previous = ' ';
    for c in line.chars() {
        if c == '|' && previous != '\\' {
            columns.push(column);
        }
        column += crate::markdown_table::display_width(c.encode_utf8(&mut [0; 4]));
        previous = c;
    }
    columns
}

#[test]
fn markdown_tables_line_up_as_plain_text_with_emoji_and_cjk() {
    let cjk = TWO.replacen("workload \"chat\"", "workload \"顧客チャット\"", 1);
    let one = analysed(&cjk);
    let two = analysed(AGENTS);
    let text = markdown(&[
        FileInput {
            path: "チャット.genai",
            text: &cjk,
            analysis: &one,
        },
        FileInput {
            path: "desk.genai",
            text: AGENTS,
            analysis: &two,
        },
    ]);
    assert!(text.contains("`顧客チャット`"), "{text}");
    assert!(text.contains("✅"), "{text}");
    let mut tables = 0;
    let mut previous: Option<Vec<usize>> = None;
    for line in text.lines() {
        if line.starts_with('|') {
            let columns = pipe_columns(line);
            if let Some(first) = &previous {
                assert_eq!(&columns, first, "{line}\n{text}");
            } else {
                tables += 1;
                previous = Some(columns);
            }
        } else {
            previous = None;
        }
    }
    // Overview, and per workload: scopes, heat map, findings; plus the agentic grid.
    assert!(tables >= 8, "{tables}\n{text}");
}

#[test]
fn an_agents_planned_agentic_controls_are_named_not_counted_as_covered() {
    // The refund example with the refund agent's fallback only planned.
    let example = include_str!("../../../../examples/agents/agency3-refund-agent.genai");
    let implemented = "control orchestration.graceful_degradation {";
    let at = example
        .rfind(implemented)
        .expect("the refund agent's fallback control");
    let end = at + example[at..].find('}').expect("its closing brace") + 1;
    let text = &format!(
        "{}control orchestration.graceful_degradation {{ status = planned }}{}",
        &example[..at],
        &example[end..]
    );
    let analysis = analysed(text);
    let workload = &analysis.workloads[0];
    let catalog = analysis.catalog();
    let refund = workload
        .agents
        .iter()
        .find(|a| a.name.as_deref() == Some("refund-agent"))
        .expect("the refund agent");
    let planned = agent_planned_controls(catalog, refund);
    assert_eq!(
        planned.iter().map(|(id, _, _)| *id).collect::<Vec<_>>(),
        ["orchestration.graceful_degradation"]
    );
    let rows = agentic_grid(catalog, workload);
    let orchestration = rows
        .iter()
        .find(|r| r.discipline_id == "orchestration")
        .expect("the orchestration dimension");
    assert_eq!(orchestration.cells[2].planned, 1);
    let page = html_of(text, &analysis);
    assert!(
        page.contains("<b>Planned agentic controls (1)</b>"),
        "{page}"
    );
    let markdown = markdown_of(text, &analysis);
    assert!(
        markdown.contains(
            "Planned agentic controls (1):\n\n- 🕒 planned: `orchestration.graceful_degradation`"
        ),
        "{markdown}"
    );
}
