//! The report as one self-contained HTML page: inline CSS, no script, no external resource.
//! Elements carry `data-` attributes with their numbers so that tools (and tests) can read
//! them without parsing text. It fits a narrow side pane (the VS Code matrix view): grids and
//! tables take the width they are given and wrap.
//!
//! Links are anchors within the page. Those with a `data-command` (`reveal`, `quick-fix`,
//! `add-missing-controls`) carry the position or workload an editor needs: the VS Code view
//! turns them into command links; the `editor-only` ones are hidden in the plain page.

use std::fmt::Write;

use super::{
    Cell, FileInput, Finding, MissingItem, Row, Standing, agent_missing_controls,
    agent_planned_controls, agentic_grid, editor_position, findings, grid, missing_controls,
    missing_items, own_agency_scopes, own_scopes, planned_controls, standing, standing_text,
    unlisted,
};
use genai_scope_analysis::WorkloadReport;
use genai_scope_analysis::agency::AgencyScope;
use genai_scope_analysis::catalog::Scope;
use genai_scope_analysis::diagnostic::Severity;
use genai_scope_syntax::text::{Encoding, LineIndex};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; --ok: #2e7d32; --bad: #c62828; --planned: #6639ba; --ink: #1f2328; --muted: #59636e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 2rem auto; max-width: 72rem; padding: 0 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; } h4 { font-size: .95rem; margin: 1rem 0 .3rem; } .muted, .where { color: var(--muted); }
a { color: #0969da; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; padding: .1em .3em; border-radius: 4px; overflow-wrap: anywhere; }
table { border-collapse: collapse; max-width: 100%; } th, td { padding: .35rem .55rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.scopes { display: grid; grid-template-columns: repeat(auto-fit, minmax(6.5rem, 1fr)); gap: .5rem; margin: .8rem 0; }
.scope { border: 1px solid #d0d7de; border-radius: 8px; padding: .55rem .7rem; color: var(--muted); background: #fafbfc; }
.scope .number { font-size: 1.4rem; font-weight: 700; display: block; }
.scope.inferred { border: 3px solid #0969da; color: var(--ink); background: #ddf4ff; box-shadow: 0 1px 4px rgba(9,105,218,.3); }
.scope.inferred::after { content: "inferred"; display: block; font-size: .75rem; font-weight: 600; color: #0969da; text-transform: uppercase; letter-spacing: .05em; }
.scope.declared:not(.inferred) { border-style: dashed; border-color: var(--bad); }
.heatmap { width: 100%; table-layout: fixed; }
.heatmap th { background: #f6f8fa; border: 1px solid #d0d7de; font-weight: 600; }
.heatmap thead th:first-child { width: 8rem; } .heatmap tbody th { overflow-wrap: normal; }
.heatmap th.inferred { background: #0969da; color: #fff; }
.heatmap th.other { color: #8c959f; font-weight: 400; }
.heatmap td.cell { border: 1px solid #d0d7de; font-variant-numeric: tabular-nums; }
.heatmap td.cell.none { background: #f6f8fa; color: #8c959f; text-align: center; }
.heatmap td.cell.inferred { outline: 3px solid #0969da; outline-offset: -3px; }
.heatmap td.cell.other { color: #8c959f; }
.heatmap td.cell.other b { font-weight: 400; }
.heatmap .req { font-weight: 700; font-size: 1.05rem; display: block; }
.heatmap td.cell.other .req { font-weight: 400; }
.heatmap .parts { font-size: .78rem; }
.legend span { display: inline-block; margin-right: .9rem; font-size: .85rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 3px; vertical-align: -2px; margin-right: .3rem; border: 1px solid #d0d7de; }
.findings { width: 100%; } .findings td { border-top: 1px solid #d0d7de; } .findings th { border-bottom: 2px solid #d0d7de; }
.findings th, .findings td:not(.message) { white-space: nowrap; overflow-wrap: normal; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; padding: .1rem .4rem; border-radius: 4px; color: #fff; }
.sev.error { background: var(--bad); } .sev.warning { background: #9a6700; } .sev.info { background: #0969da; } .sev.hint { background: #6e7781; }
ul.missing li, ul.planned li { margin: .15rem 0; }
.tag { font-weight: 600; font-size: .75rem; padding: .1rem .4rem; border-radius: 4px; }
.tag.planned { color: #fff; background: var(--planned); }
.standing { font-weight: 600; padding: .4rem .7rem; border-radius: 6px; display: inline-block; }
.standing.covered { background: hsl(130, 45%, 88%); color: #1a4d1f; }
.standing.planned { background: hsl(265, 60%, 92%); color: var(--planned); }
.standing.not-covered { background: #ffebe9; color: var(--bad); }
.standing.unknown { background: #f6f8fa; color: var(--muted); }
.overview { width: 100%; } .overview td, .overview th { border-bottom: 1px solid #d0d7de; }
.agent { border-left: 3px solid #d0d7de; padding-left: .8rem; margin: .8rem 0; }
.editor-only { display: none; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; padding: 0 .5rem; }
  th, td { padding: .25rem .3rem; }
  .heatmap th, .heatmap td.cell { font-size: .8rem; }
  .heatmap thead th:first-child { width: 6.5rem; }
  .heatmap .req { font-size: .9rem; }
  .heatmap .parts { font-size: .7rem; }
  .findings thead { display: none; }
  .findings tr { display: block; border-top: 1px solid #d0d7de; padding: .3rem 0; }
  .findings td { display: inline; border: 0; padding: 0 .3rem 0 0; }
  .findings td:not(.message) { white-space: normal; overflow-wrap: anywhere; }
  .findings td.message { display: block; }
}
"#;

/// The background of planned controls: never the green of what is in place.
const PLANNED_COLOUR: &str = "hsl(265, 60%, 88%)";
/// The background of a column outside the workload's own scopes.
const OTHER_SCOPE_COLOUR: &str = "#ffffff";

/// The background of a heat-map cell in one of the workload's own scopes: green when every
/// required control is implemented or not applicable, violet when nothing is missing but some
/// are only planned, towards red as the share of missing controls grows; grey when nothing is
/// required.
fn heat(cell: &Cell) -> String {
    if cell.required == 0 {
        return "#f6f8fa".into();
    }
    let ratio = cell.missing_ratio();
    if ratio == 0.0 && cell.planned > 0 {
        return PLANNED_COLOUR.into();
    }
    if ratio == 0.0 {
        return "hsl(130, 45%, 82%)".into();
    }
    // Hue from amber (45) to red (0); lightness from 85% to 62%.
    let hue = 45.0 * (1.0 - ratio);
    let lightness = 85.0 - 23.0 * ratio;
    format!("hsl({hue:.0}, 85%, {lightness:.0}%)")
}

pub fn html(files: &[FileInput<'_>]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>genai-scope report</title>\n<style>",
    );
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>genai-scope report</h1>\n");
    let workloads: usize = files.iter().map(|f| f.analysis.workloads.len()).sum();
    let _ = writeln!(
        out,
        "<p class=\"muted summary\" data-files=\"{}\" data-workloads=\"{workloads}\">{}.</p>",
        files.len(),
        escape(&super::summary(files))
    );
    let _ = writeln!(
        out,
        "<p class=\"legend\"><span><i class=\"swatch\" style=\"background: hsl(130, 45%, 82%)\"></i>all implemented or not applicable</span><span><i class=\"swatch\" style=\"background: {PLANNED_COLOUR}\"></i>nothing missing, some only planned</span><span><i class=\"swatch\" style=\"background: hsl(22, 85%, 74%)\"></i>some missing</span><span><i class=\"swatch\" style=\"background: hsl(0, 85%, 62%)\"></i>all missing</span><span><i class=\"swatch\" style=\"background: #f6f8fa\"></i>nothing required</span><span>Only the columns of a workload's own scopes are coloured; the others are muted.</span></p>",
    );
    if workloads > 1 {
        overview(&mut out, files);
    }
    let mut number = 0usize;
    for file in files {
        let index = LineIndex::new(file.text);
        for (workload_index, workload) in file.analysis.workloads.iter().enumerate() {
            number += 1;
            write_workload(&mut out, file, &index, (workload_index, workload), number);
        }
        let outside = findings(file, &index, None);
        if !outside.is_empty() {
            let _ = writeln!(
                out,
                "<section class=\"outside\"><h2><code>{}</code>: outside any workload</h2>",
                escape(file.path)
            );
            let shown: Vec<&Finding<'_>> = outside.iter().collect();
            write_findings(&mut out, "Findings", file.path, &index, "", &shown);
            out.push_str("</section>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A link to a place of the file: an anchor in the page, which the VS Code view turns into
/// "reveal this position" (`data-command="reveal"`, 0-based line and UTF-16 column).
fn reveal_link(index: &LineIndex, offset: usize, anchor: &str, text: &str) -> String {
    let (line, character) = editor_position(index, offset);
    format!(
        "<a class=\"reveal\" data-command=\"reveal\" data-line=\"{line}\" data-character=\"{character}\" href=\"#{anchor}\">{text}</a>"
    )
}

/// A link that only an editor can follow (hidden in the plain page): open the quick fixes of
/// the finding at `offset`.
fn fix_link(index: &LineIndex, offset: usize, anchor: &str) -> String {
    let (line, character) = editor_position(index, offset);
    format!(
        " <a class=\"editor-only fix\" data-command=\"quick-fix\" data-line=\"{line}\" data-character=\"{character}\" href=\"#{anchor}\">fix…</a>"
    )
}

fn write_workload(
    out: &mut String,
    file: &FileInput<'_>,
    index: &LineIndex,
    (workload_index, workload): (usize, &WorkloadReport),
    number: usize,
) {
    let catalog = file.analysis.catalog();
    let name = workload.name.as_deref().unwrap_or("(unnamed)");
    let anchor = format!("workload-{number}");
    let line = index.line_col(workload.range.start, Encoding::Utf8).line + 1;
    let own = own_scopes(workload);
    let standing = standing(workload);
    let _ = writeln!(
        out,
        "<section class=\"workload\" id=\"{anchor}\" data-name=\"{}\" data-inferred-scope=\"{}\" data-own-scopes=\"{}\" data-standing=\"{}\"{}>",
        escape(name),
        workload
            .inferred_scope
            .map_or(String::new(), |s| s.to_string()),
        join(&own),
        standing.as_str(),
        match workload.agency_scope {
            Some(scope) => format!(" data-agency-scope=\"{scope}\""),
            None => String::new(),
        }
    );
    let found = findings(file, index, Some(workload));
    let missing = missing_items(missing_controls(catalog, workload), None, &found);
    let _ = write!(
        out,
        "<h2>Workload <code>{}</code></h2>\n<p class=\"where\">{}",
        escape(name),
        reveal_link(
            index,
            workload.name_range.start,
            &anchor,
            &format!("{}:{line}", escape(file.path))
        )
    );
    if !missing.is_empty() {
        let _ = write!(
            out,
            "<span class=\"editor-only\"> · <a class=\"add-all\" data-command=\"add-missing-controls\" data-workload-index=\"{workload_index}\" href=\"#{anchor}\">add all {} missing controls</a></span>",
            missing.len()
        );
    }
    out.push_str("</p>\n");

    out.push_str("<div class=\"scopes\">\n");
    for scope in &catalog.scopes {
        let mut class = String::from("scope");
        if workload.inferred_scope == Some(scope.number) {
            class.push_str(" inferred");
        }
        if workload.declared_scope == Some(scope.number) {
            class.push_str(" declared");
        }
        let declared = if workload.declared_scope == Some(scope.number) {
            " <small>(declared)</small>"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<div class=\"{class}\" data-scope=\"{}\"><span class=\"number\">{}</span>{}{declared}</div>",
            scope.number,
            scope.number,
            escape(&scope.name)
        );
    }
    out.push_str("</div>\n");
    let _ = writeln!(
        out,
        "<p class=\"standing {}\">{}</p>",
        standing.as_str(),
        escape(&standing_text(workload))
    );
    write_reasons(out, &workload.reasons);

    out.push_str("<h3>Controls by scope and discipline</h3>\n");
    let columns: Vec<(u8, &str)> = catalog
        .scopes
        .iter()
        .map(|s| (s.number.number(), s.name.as_str()))
        .collect();
    write_grid(
        out,
        "heatmap",
        "discipline",
        &columns,
        &grid(catalog, workload),
        &own,
        workload.inferred_scope.map(Scope::number),
    );
    out.push_str("<p class=\"muted\">Each cell counts the controls of a discipline that a scope requires for this workload's facts, and how the workload declares them; the inferred scope is outlined, and only the workload's own scopes are coloured (the muted columns show what those scopes would require).</p>\n");

    let mut agent_lists = Vec::new();
    if !workload.agents.is_empty() {
        let own_agency = own_agency_scopes(workload);
        let _ = writeln!(
            out,
            "<h3>Agentic controls by agency scope and dimension</h3>\n<p>Agency scope of the workload: <b>{}</b> (the highest of its agents).</p>",
            workload
                .agency_scope
                .map_or("unknown".to_string(), |s| format!(
                    "{s} {}",
                    escape(
                        catalog
                            .agency_scope(s.number())
                            .map_or("", |i| i.name.as_str())
                    )
                ))
        );
        let columns: Vec<(u8, &str)> = catalog
            .agency_scopes
            .iter()
            .map(|s| (s.number, s.name.as_str()))
            .collect();
        write_grid(
            out,
            "heatmap agentic",
            "dimension",
            &columns,
            &agentic_grid(catalog, workload),
            &own_agency,
            workload.agency_scope.map(AgencyScope::number),
        );
        out.push_str("<p class=\"muted\">Each cell counts the agentic controls of a dimension that an agency scope requires for the facts of this workload's agents, and how they declare them (a control shared by several agents counts as its least covered); the workload's agency scope is outlined, and only its agents' own agency scopes are coloured.</p>\n");
        for agent in &workload.agents {
            let agent_name = agent.name.as_deref().unwrap_or("(unnamed)");
            let items = missing_items(
                agent_missing_controls(catalog, agent),
                Some(agent_name),
                &found,
            );
            let scope_name = catalog
                .agency_scope(agent.inferred_agency_scope.number())
                .map_or("", |s| s.name.as_str());
            let declared = match agent.declared_agency_scope {
                Some(d) if d == agent.inferred_agency_scope.number() => {
                    " (as declared)".to_string()
                }
                Some(d) => format!(" <span class=\"declared-differs\">(declared {d})</span>"),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "<div class=\"agent\" data-name=\"{}\" data-inferred-agency-scope=\"{}\" data-declared-agency-scope=\"{}\" data-missing=\"{}\">\n<h4>Agent <code>{}</code> · {}: agency scope {} {}{declared}</h4>",
                escape(agent_name),
                agent.inferred_agency_scope,
                agent
                    .declared_agency_scope
                    .map_or(String::new(), |s| s.to_string()),
                items.len(),
                escape(agent_name),
                reveal_link(
                    index,
                    agent.range.start,
                    &anchor,
                    &format!(
                        "line {}",
                        index.line_col(agent.range.start, Encoding::Utf8).line + 1
                    )
                ),
                agent.inferred_agency_scope,
                escape(scope_name),
            );
            write_reasons(out, &agent.reasons);
            let _ = writeln!(
                out,
                "<p class=\"list-title\"><b>Missing agentic controls ({})</b></p>",
                items.len()
            );
            write_missing(out, index, &anchor, &items);
            write_planned(out, &agent_planned_controls(catalog, agent), true);
            out.push_str("</div>\n");
            agent_lists.push(items);
        }
    }

    let _ = writeln!(out, "<h3>Missing controls ({})</h3>", missing.len());
    write_missing(out, index, &anchor, &missing);
    let planned = planned_controls(catalog, workload);
    let _ = writeln!(out, "<h3>Planned controls ({})</h3>", planned.len());
    write_planned(out, &planned, false);
    let mut listed: Vec<&[MissingItem<'_>]> = vec![&missing];
    listed.extend(agent_lists.iter().map(Vec::as_slice));
    let others = unlisted(&found, &listed);
    let heading = if others.len() < found.len() {
        "Other findings"
    } else {
        "Findings"
    };
    write_findings(out, heading, file.path, index, &anchor, &others);
    out.push_str("</section>\n");
}

/// "1 2 3".
fn join(numbers: &[u8]) -> String {
    numbers
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_reasons(out: &mut String, reasons: &[String]) {
    if reasons.is_empty() {
        return;
    }
    out.push_str("<ul class=\"reasons\">\n");
    for reason in reasons {
        let _ = writeln!(out, "<li>{}</li>", escape(reason));
    }
    out.push_str("</ul>\n");
}

/// A list of missing controls, each with its severity and, when it has a finding, where that
/// is (a link) and, in an editor, its quick fixes.
fn write_missing(out: &mut String, index: &LineIndex, anchor: &str, items: &[MissingItem<'_>]) {
    if items.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>\n");
        return;
    }
    let _ = writeln!(out, "<ul class=\"missing\" data-count=\"{}\">", items.len());
    for item in items {
        let _ = write!(
            out,
            "<li data-control=\"{}\" data-severity=\"{}\"><span class=\"sev {}\">{}</span> <code>{}</code> {}",
            escape(item.id),
            item.severity.as_str(),
            item.severity.as_str(),
            item.severity.as_str(),
            escape(item.id),
            escape(item.title)
        );
        if let Some(finding) = item.finding {
            let offset = finding.diagnostic.range.start;
            let _ = write!(
                out,
                " <span class=\"where\">({})</span>{}",
                reveal_link(
                    index,
                    offset,
                    anchor,
                    &format!("{}:{}", finding.line, finding.column)
                ),
                fix_link(index, offset, anchor)
            );
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// Required controls only planned, tagged in their colour; for an agent (`of_agent`) only when
/// there are some, under their own title.
fn write_planned(out: &mut String, planned: &[(&str, &str, Severity)], of_agent: bool) {
    if planned.is_empty() {
        if !of_agent {
            out.push_str("<p class=\"muted\">None.</p>\n");
        }
        return;
    }
    if of_agent {
        let _ = writeln!(
            out,
            "<p class=\"list-title\"><b>Planned agentic controls ({})</b></p>",
            planned.len()
        );
    }
    out.push_str("<ul class=\"planned\">\n");
    for (id, title, severity) in planned {
        let _ = writeln!(
            out,
            "<li data-control=\"{}\" data-severity=\"{}\"><span class=\"tag planned\">planned</span> <code>{}</code> {}</li>",
            escape(id),
            severity.as_str(),
            escape(id),
            escape(title)
        );
    }
    out.push_str("</ul>\n");
}

/// A heat map: a row per discipline (or dimension), a column per scope; only the `own`
/// columns are coloured, the others muted; the `highlighted` column is outlined.
fn write_grid(
    out: &mut String,
    class: &str,
    corner: &str,
    columns: &[(u8, &str)],
    rows: &[Row],
    own: &[u8],
    highlighted: Option<u8>,
) {
    let _ = write!(
        out,
        "<table class=\"{class}\">\n<thead><tr><th>{corner}</th>"
    );
    for (number, name) in columns {
        let mut classes = Vec::new();
        if highlighted == Some(*number) {
            classes.push("inferred");
        }
        classes.push(if own.contains(number) { "own" } else { "other" });
        let _ = write!(
            out,
            "<th class=\"{}\" data-scope=\"{number}\">{number} {}</th>",
            classes.join(" "),
            escape(name)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let _ = write!(out, "<tr><th>{}</th>", escape(&row.discipline));
        for ((scope, _), cell) in columns.iter().zip(&row.cells) {
            let is_own = own.contains(scope);
            let mut class = String::from("cell");
            if cell.required == 0 {
                class.push_str(" none");
            }
            class.push_str(if is_own { " own" } else { " other" });
            let background = if is_own || cell.required == 0 {
                heat(cell)
            } else {
                OTHER_SCOPE_COLOUR.to_string()
            };
            if highlighted == Some(*scope) {
                class.push_str(" inferred");
            }
            let _ = write!(
                out,
                "<td class=\"{class}\" style=\"background: {background}\" data-scope=\"{scope}\" data-discipline=\"{}\" data-required=\"{}\" data-implemented=\"{}\" data-planned=\"{}\" data-not-applicable=\"{}\" data-missing=\"{}\" title=\"{} required: {} implemented, {} planned, {} not applicable, {} missing\">",
                escape(&row.discipline_id),
                cell.required,
                cell.implemented,
                cell.planned,
                cell.not_applicable,
                cell.missing,
                cell.required,
                cell.implemented,
                cell.planned,
                cell.not_applicable,
                cell.missing,
            );
            if cell.required == 0 {
                out.push('–');
            } else {
                let _ = write!(
                    out,
                    "<span class=\"req\">{} required</span><span class=\"parts\">{} implemented · {} planned · {} n/a · <b>{} missing</b></span>",
                    cell.required,
                    cell.implemented,
                    cell.planned,
                    cell.not_applicable,
                    cell.missing
                );
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A table of every workload with a link to its section, for reports of several.
fn overview(out: &mut String, files: &[FileInput<'_>]) {
    out.push_str("<h2 id=\"overview\">Overview</h2>\n<table class=\"overview\"><thead><tr><th>workload</th><th>where</th><th>scope</th><th>standing</th><th>missing</th><th>planned</th></tr></thead><tbody>\n");
    let mut number = 0usize;
    for file in files {
        let index = LineIndex::new(file.text);
        for workload in &file.analysis.workloads {
            number += 1;
            let name = workload.name.as_deref().unwrap_or("(unnamed)");
            let line = index.line_col(workload.range.start, Encoding::Utf8).line + 1;
            let counts = super::required_counts(workload);
            let standing = standing(workload);
            let scope = workload
                .inferred_scope
                .map_or("unknown".to_string(), |s| s.to_string());
            let _ = writeln!(
                out,
                "<tr data-standing=\"{}\"><td><a href=\"#workload-{number}\"><code>{}</code></a></td><td class=\"where\">{}:{line}</td><td>{scope}</td><td><span class=\"standing {}\">{}</span></td><td>{}</td><td>{}</td></tr>",
                standing.as_str(),
                escape(name),
                escape(file.path),
                standing.as_str(),
                match standing {
                    Standing::Unknown => "unknown",
                    Standing::Covered => "covered",
                    Standing::Planned => "planned",
                    Standing::NotCovered => "not covered",
                },
                counts.missing,
                counts.planned
            );
        }
    }
    out.push_str("</tbody></table>\n");
}

/// The findings as a table; each position links to `anchor` (in the VS Code view: to the
/// position in the document).
fn write_findings(
    out: &mut String,
    heading: &str,
    path: &str,
    index: &LineIndex,
    anchor: &str,
    found: &[&Finding<'_>],
) {
    let _ = writeln!(out, "<h3>{heading} ({})</h3>", found.len());
    if found.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>\n");
        return;
    }
    out.push_str("<table class=\"findings\"><thead><tr><th>where</th><th>severity</th><th>code</th><th>message</th></tr></thead><tbody>\n");
    for finding in found {
        let severity = finding.diagnostic.severity;
        let where_ = format!("{}:{}:{}", escape(path), finding.line, finding.column);
        let (line, character) = editor_position(index, finding.diagnostic.range.start);
        let _ = writeln!(
            out,
            "<tr data-code=\"{}\" data-severity=\"{}\"><td class=\"where\"><a class=\"reveal\" data-command=\"reveal\" data-line=\"{line}\" data-character=\"{character}\" href=\"#{anchor}\">{where_}</a></td><td><span class=\"sev {}\">{}</span></td><td><code>{}</code></td><td class=\"message\">{}</td></tr>",
            finding.diagnostic.code,
            severity.as_str(),
            severity.as_str(),
            severity.as_str(),
            finding.diagnostic.code,
            escape(&finding.diagnostic.message())
        );
    }
    out.push_str("</tbody></table>\n");
}
