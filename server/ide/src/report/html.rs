//! The report as one self-contained HTML page: inline CSS, no script, no external resource.
//! Elements carry `data-` attributes with their numbers so that tools (and tests) can read
//! them without parsing text.

use std::fmt::Write;

use super::{
    Cell, FileInput, Standing, findings, grid, missing_controls, own_scopes, planned_controls,
    standing, standing_text,
};
use genai_scope_syntax::text::LineIndex;

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
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; } .muted, .where { color: var(--muted); }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; padding: .1em .3em; border-radius: 4px; }
table { border-collapse: collapse; } th, td { padding: .35rem .55rem; text-align: left; vertical-align: top; }
.scopes { display: grid; grid-template-columns: repeat(5, 1fr); gap: .5rem; margin: .8rem 0; }
.scope { border: 1px solid #d0d7de; border-radius: 8px; padding: .55rem .7rem; color: var(--muted); background: #fafbfc; }
.scope .number { font-size: 1.4rem; font-weight: 700; display: block; }
.scope.inferred { border: 3px solid #0969da; color: var(--ink); background: #ddf4ff; box-shadow: 0 1px 4px rgba(9,105,218,.3); }
.scope.inferred::after { content: "inferred"; display: block; font-size: .75rem; font-weight: 600; color: #0969da; text-transform: uppercase; letter-spacing: .05em; }
.scope.declared:not(.inferred) { border-style: dashed; border-color: var(--bad); }
.heatmap th { background: #f6f8fa; border: 1px solid #d0d7de; font-weight: 600; }
.heatmap th.inferred { background: #0969da; color: #fff; }
.heatmap td.cell { border: 1px solid #d0d7de; min-width: 8.5rem; font-variant-numeric: tabular-nums; }
.heatmap td.cell.none { background: #f6f8fa; color: #8c959f; text-align: center; }
.heatmap td.cell.inferred { outline: 3px solid #0969da; outline-offset: -3px; }
.heatmap td.cell.other { color: var(--muted); }
.heatmap .req { font-weight: 700; font-size: 1.05rem; display: block; }
.heatmap .parts { font-size: .78rem; white-space: nowrap; }
.findings code { white-space: nowrap; }
.legend span { display: inline-block; margin-right: .9rem; font-size: .85rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 3px; vertical-align: -2px; margin-right: .3rem; border: 1px solid #d0d7de; }
.findings td { border-top: 1px solid #d0d7de; } .findings th { border-bottom: 2px solid #d0d7de; }
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
.overview td, .overview th { border-bottom: 1px solid #d0d7de; }
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
        "<p class=\"legend\"><span><i class=\"swatch\" style=\"background: hsl(130, 45%, 82%)\"></i>all implemented or not applicable</span><span><i class=\"swatch\" style=\"background: {PLANNED_COLOUR}\"></i>nothing missing, some only planned</span><span><i class=\"swatch\" style=\"background: hsl(22, 85%, 74%)\"></i>some missing</span><span><i class=\"swatch\" style=\"background: hsl(0, 85%, 62%)\"></i>all missing</span><span><i class=\"swatch\" style=\"background: #f6f8fa\"></i>nothing required</span><span>Only the columns of a workload's own scopes are coloured.</span></p>",
    );
    if workloads > 1 {
        overview(&mut out, files);
    }
    let mut number = 0usize;
    for file in files {
        let catalog = file.analysis.catalog();
        let index = LineIndex::new(file.text);
        for workload in &file.analysis.workloads {
            let name = workload.name.as_deref().unwrap_or("(unnamed)");
            let line = index
                .line_col(
                    workload.range.start,
                    genai_scope_syntax::text::Encoding::Utf8,
                )
                .line
                + 1;
            number += 1;
            let own = own_scopes(workload);
            let standing = standing(workload);
            let _ = writeln!(
                out,
                "<section class=\"workload\" id=\"workload-{number}\" data-name=\"{}\" data-inferred-scope=\"{}\" data-own-scopes=\"{}\" data-standing=\"{}\">",
                escape(name),
                workload
                    .inferred_scope
                    .map_or(String::new(), |s| s.to_string()),
                own.iter().map(u8::to_string).collect::<Vec<_>>().join(" "),
                standing.as_str()
            );
            let _ = writeln!(
                out,
                "<h2>Workload <code>{}</code></h2>\n<p class=\"where\">{}:{line}</p>",
                escape(name),
                escape(file.path)
            );

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
            if !workload.reasons.is_empty() {
                out.push_str("<ul class=\"reasons\">\n");
                for reason in &workload.reasons {
                    let _ = writeln!(out, "<li>{}</li>", escape(reason));
                }
                out.push_str("</ul>\n");
            }

            out.push_str("<h3>Controls by scope and discipline</h3>\n<table class=\"heatmap\">\n<thead><tr><th>discipline</th>");
            for scope in &catalog.scopes {
                let class = if workload.inferred_scope == Some(scope.number) {
                    " class=\"inferred\""
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "<th{class} data-scope=\"{}\">{} {}</th>",
                    scope.number,
                    scope.number,
                    escape(&scope.name)
                );
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in grid(catalog, workload) {
                let _ = write!(out, "<tr><th>{}</th>", escape(&row.discipline));
                for (i, cell) in row.cells.iter().enumerate() {
                    let scope = i + 1;
                    let is_own = own.contains(&(scope as u8));
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
                    if workload.inferred_scope == Some(scope as u8) {
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
                            "<span class=\"req\">{} required</span><span class=\"parts\">{} implemented · {} planned<br>{} n/a · <b>{} missing</b></span>",
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
            out.push_str("</tbody>\n</table>\n<p class=\"muted\">Each cell counts the controls of a discipline that a scope requires for this workload's facts, and how the workload declares them; the inferred scope is outlined, and only the workload's own scopes are coloured (the other columns show what those scopes would require).</p>\n");

            let missing = missing_controls(catalog, workload);
            let _ = writeln!(out, "<h3>Missing controls ({})</h3>", missing.len());
            if missing.is_empty() {
                out.push_str("<p class=\"muted\">None.</p>\n");
            } else {
                out.push_str("<ul class=\"missing\">\n");
                for (id, title, severity) in missing {
                    let _ = writeln!(
                        out,
                        "<li data-control=\"{}\"><span class=\"sev {}\">{}</span> <code>{}</code> {}</li>",
                        escape(id),
                        severity.as_str(),
                        severity.as_str(),
                        escape(id),
                        escape(title)
                    );
                }
                out.push_str("</ul>\n");
            }
            let planned = planned_controls(catalog, workload);
            let _ = writeln!(out, "<h3>Planned controls ({})</h3>", planned.len());
            if planned.is_empty() {
                out.push_str("<p class=\"muted\">None.</p>\n");
            } else {
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
            write_findings(&mut out, file.path, &findings(file, &index, Some(workload)));
            out.push_str("</section>\n");
        }
        let outside = findings(file, &index, None);
        if !outside.is_empty() {
            let _ = writeln!(
                out,
                "<section class=\"outside\"><h2><code>{}</code>: outside any workload</h2>",
                escape(file.path)
            );
            write_findings(&mut out, file.path, &outside);
            out.push_str("</section>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
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
            let line = index
                .line_col(
                    workload.range.start,
                    genai_scope_syntax::text::Encoding::Utf8,
                )
                .line
                + 1;
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

fn write_findings(out: &mut String, path: &str, found: &[super::Finding<'_>]) {
    let _ = writeln!(out, "<h3>Findings ({})</h3>", found.len());
    if found.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>\n");
        return;
    }
    out.push_str("<table class=\"findings\"><thead><tr><th>where</th><th>severity</th><th>code</th><th>message</th></tr></thead><tbody>\n");
    for finding in found {
        let severity = finding.diagnostic.severity;
        let _ = writeln!(
            out,
            "<tr data-code=\"{}\" data-severity=\"{}\"><td class=\"where\">{}:{}:{}</td><td><span class=\"sev {}\">{}</span></td><td><code>{}</code></td><td>{}</td></tr>",
            finding.diagnostic.code,
            severity.as_str(),
            escape(path),
            finding.line,
            finding.column,
            severity.as_str(),
            severity.as_str(),
            finding.diagnostic.code,
            escape(&finding.diagnostic.message)
        );
    }
    out.push_str("</tbody></table>\n");
}
