//! The report as Markdown (GitHub-flavoured tables), its tables padded to display width so
//! that they also read as plain text (Neovim's `:GenaiScopeMatrix` shows it in a buffer).

use std::fmt::Write;

use super::{
    FileInput, MissingItem, Row, Standing, agent_missing_controls, agent_planned_controls,
    agentic_grid, findings, grid, missing_controls, missing_items, own_agency_scopes, own_scopes,
    planned_controls, standing, standing_text, unlisted,
};
use crate::markdown_table::{cell, table};
use genai_scope_analysis::WorkloadReport;
use genai_scope_analysis::agency::AgencyScope;
use genai_scope_analysis::catalog::{Catalog, Scope};
use genai_scope_syntax::text::{Encoding, LineIndex};

pub fn markdown(files: &[FileInput<'_>]) -> String {
    let mut out = String::from("# genai-scope report\n\n");
    let _ = writeln!(out, "{}.\n", super::summary(files));
    let workloads: usize = files.iter().map(|f| f.analysis.workloads.len()).sum();
    if workloads > 1 {
        overview(&mut out, files);
    }
    for file in files {
        let index = LineIndex::new(file.text);
        for workload in &file.analysis.workloads {
            write_workload(&mut out, file, &index, workload);
        }
        let outside = findings(file, &index, None);
        if !outside.is_empty() {
            let _ = writeln!(out, "## `{}`: outside any workload\n", file.path);
            let shown: Vec<&super::Finding<'_>> = outside.iter().collect();
            write_findings(&mut out, "Findings", file.path, &shown);
        }
    }
    out
}

fn write_workload(
    out: &mut String,
    file: &FileInput<'_>,
    index: &LineIndex,
    workload: &WorkloadReport,
) {
    let catalog = file.analysis.catalog();
    let name = workload.name.as_deref().unwrap_or("(unnamed)");
    let line = index.line_col(workload.range.start, Encoding::Utf8).line + 1;
    let _ = writeln!(out, "## Workload `{}`\n", cell(name));
    let _ = writeln!(out, "`{}:{line}`\n", file.path);

    // The five scopes, the inferred one in bold and marked; a row for the workload (inferred
    // and declared) and one per model (the scope it brings).
    let mut header = vec!["scope".to_string()];
    for scope in &catalog.scopes {
        let label = cell(&format!("{} {}", scope.number, scope.name));
        header.push(if workload.inferred_scope == Some(scope.number) {
            format!("**▶ {label}**")
        } else {
            label
        });
    }
    let mut rows = Vec::new();
    let mut row = vec!["workload".to_string()];
    for scope in &catalog.scopes {
        let inferred = workload.inferred_scope == Some(scope.number);
        let declared = workload.declared_scope == Some(scope.number);
        row.push(
            match (inferred, declared) {
                (true, true) => "**▶ inferred**, declared",
                (true, false) => "**▶ inferred**",
                (false, true) => "declared",
                (false, false) => "",
            }
            .to_string(),
        );
    }
    rows.push(row);
    for model in &workload.models {
        let name = model.name.as_deref().unwrap_or("(unnamed)");
        let mut row = vec![format!("model `{}`", cell(name))];
        for scope in &catalog.scopes {
            row.push(if model.scope == Some(scope.number) {
                "●".into()
            } else {
                String::new()
            });
        }
        rows.push(row);
    }
    out.push_str(&table(&header, &rows));
    match workload.inferred_scope {
        Some(scope) => {
            let declared = match workload.declared_scope {
                Some(d) if d != scope => format!(" (declared {d})"),
                Some(_) => " (as declared)".to_string(),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "\nInferred scope: **{scope} {}**{declared}.\n",
                catalog.scope_name(scope)
            );
        }
        None => out.push_str("\nInferred scope: unknown.\n\n"),
    }
    write_reasons(out, &workload.reasons);
    let _ = writeln!(out, "**Standing: {}.**\n", standing_text(workload));

    // The heat map as a table: required, then implemented / planned / n/a / missing.
    out.push_str("### Controls by scope and discipline\n\n");
    let _ = writeln!(
        out,
        "Each cell: required — ✅ implemented / 🕒 planned / ➖ not applicable / ❌ missing. The workload's own scopes: {}; the other columns (in parentheses) show what those scopes would require.\n",
        listed_or_none(&own_scopes(workload))
    );
    let columns: Vec<u8> = catalog.scopes.iter().map(|s| s.number.number()).collect();
    write_grid(
        out,
        "discipline",
        &columns,
        &grid(catalog, workload),
        &own_scopes(workload),
        workload.inferred_scope.map(Scope::number),
    );

    let found = findings(file, index, Some(workload));
    let missing = missing_items(missing_controls(catalog, workload), None, &found);
    let mut agent_lists = Vec::new();
    if !workload.agents.is_empty() {
        agent_lists = write_agents(out, catalog, workload, &found);
    }

    let _ = writeln!(out, "### Missing controls ({})\n", missing.len());
    write_missing(out, &missing);

    let planned = planned_controls(catalog, workload);
    let _ = writeln!(out, "### Planned controls ({})\n", planned.len());
    if planned.is_empty() {
        out.push_str("None.\n\n");
    } else {
        for (id, title, severity) in planned {
            let _ = writeln!(out, "- 🕒 planned: `{id}` ({}): {title}", severity.as_str());
        }
        out.push('\n');
    }

    let mut listed: Vec<&[MissingItem<'_>]> = vec![&missing];
    listed.extend(agent_lists.iter().map(Vec::as_slice));
    let others = unlisted(&found, &listed);
    let heading = if others.len() < found.len() {
        "Other findings"
    } else {
        "Findings"
    };
    write_findings(out, heading, file.path, &others);
}

/// The agentic grid and each agent with its agency scope and missing agentic controls; the
/// lists, so that the findings leave them out.
fn write_agents<'a>(
    out: &mut String,
    catalog: &'a Catalog,
    workload: &'a WorkloadReport,
    found: &'a [super::Finding<'a>],
) -> Vec<Vec<MissingItem<'a>>> {
    out.push_str("### Agentic controls by agency scope and dimension\n\n");
    let agency = workload.agency_scope.map_or("unknown".to_string(), |s| {
        format!(
            "{s} {}",
            catalog
                .agency_scope(s.number())
                .map_or("", |i| i.name.as_str())
        )
    });
    let _ = writeln!(
        out,
        "Agency scope of the workload: **{agency}** (the highest of its agents). Its agents' own agency scopes: {}; the other columns (in parentheses) show what those agency scopes would require.\n",
        listed_or_none(&own_agency_scopes(workload))
    );
    let columns: Vec<u8> = catalog.agency_scopes.iter().map(|s| s.number).collect();
    write_grid(
        out,
        "dimension",
        &columns,
        &agentic_grid(catalog, workload),
        &own_agency_scopes(workload),
        workload.agency_scope.map(AgencyScope::number),
    );
    let mut lists = Vec::new();
    for agent in &workload.agents {
        let name = agent.name.as_deref().unwrap_or("(unnamed)");
        let scope_name = catalog
            .agency_scope(agent.inferred_agency_scope.number())
            .map_or("", |s| s.name.as_str());
        let declared = match agent.declared_agency_scope {
            Some(d) if d == agent.inferred_agency_scope.number() => " (as declared)".to_string(),
            Some(d) => format!(" (declared {d})"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "#### Agent `{}`: agency scope **{} {scope_name}**{declared}\n",
            cell(name),
            agent.inferred_agency_scope
        );
        write_reasons(out, &agent.reasons);
        let items = missing_items(agent_missing_controls(catalog, agent), Some(name), found);
        let _ = writeln!(out, "Missing agentic controls ({}):\n", items.len());
        write_missing(out, &items);
        let planned = agent_planned_controls(catalog, agent);
        if !planned.is_empty() {
            let _ = writeln!(out, "Planned agentic controls ({}):\n", planned.len());
            for (id, title, severity) in planned {
                let _ = writeln!(out, "- 🕒 planned: `{id}` ({}): {title}", severity.as_str());
            }
            out.push('\n');
        }
        lists.push(items);
    }
    lists
}

fn listed_or_none(scopes: &[u8]) -> String {
    if scopes.is_empty() {
        "none".to_string()
    } else {
        scopes
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn write_reasons(out: &mut String, reasons: &[String]) {
    for reason in reasons {
        let _ = writeln!(out, "- {}", cell(reason));
    }
    if !reasons.is_empty() {
        out.push('\n');
    }
}

/// A grid as a table: the `highlighted` column bold and marked, the columns outside `own` in
/// parentheses (muted, as far as plain text can).
fn write_grid(
    out: &mut String,
    corner: &str,
    columns: &[u8],
    rows: &[Row],
    own: &[u8],
    highlighted: Option<u8>,
) {
    let mut header = vec![corner.to_string()];
    for number in columns {
        header.push(if highlighted == Some(*number) {
            format!("**▶ {number}**")
        } else if own.contains(number) {
            number.to_string()
        } else {
            format!("({number})")
        });
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut cells = vec![cell(&row.discipline)];
            for (number, c) in columns.iter().zip(&row.cells) {
                cells.push(if c.required == 0 {
                    "–".to_string()
                } else {
                    let text = format!(
                        "{} — ✅{} 🕒{} ➖{} ❌{}",
                        c.required, c.implemented, c.planned, c.not_applicable, c.missing
                    );
                    if own.contains(number) {
                        text
                    } else {
                        format!("({text})")
                    }
                });
            }
            cells
        })
        .collect();
    out.push_str(&table(&header, &body));
    out.push('\n');
}

/// A list of missing controls, each with the severity of its finding (or the catalog's when
/// none reports it). Their findings all sit on the workload's or agent's label, so no position.
fn write_missing(out: &mut String, items: &[MissingItem<'_>]) {
    if items.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    for item in items {
        let _ = writeln!(
            out,
            "- `{}` ({}): {}",
            item.id,
            item.severity.as_str(),
            item.title
        );
    }
    out.push('\n');
}

/// A table of every workload, for reports of several.
fn overview(out: &mut String, files: &[FileInput<'_>]) {
    out.push_str("## Overview\n\n");
    let mut rows = Vec::new();
    for file in files {
        let index = LineIndex::new(file.text);
        for workload in &file.analysis.workloads {
            let name = workload.name.as_deref().unwrap_or("(unnamed)");
            let line = index.line_col(workload.range.start, Encoding::Utf8).line + 1;
            let counts = super::required_counts(workload);
            let standing = match standing(workload) {
                Standing::Unknown => "unknown",
                Standing::Covered => "✅ covered",
                Standing::Planned => "🕒 planned",
                Standing::NotCovered => "❌ not covered",
            };
            rows.push([
                format!("`{}`", cell(name)),
                format!("`{}:{line}`", cell(file.path)),
                workload
                    .inferred_scope
                    .map_or("unknown".to_string(), |s| s.to_string()),
                standing.to_string(),
                counts.missing.to_string(),
                counts.planned.to_string(),
            ]);
        }
    }
    out.push_str(&table(
        &[
            "workload", "where", "scope", "standing", "missing", "planned",
        ],
        &rows,
    ));
    out.push('\n');
}

fn write_findings(out: &mut String, heading: &str, path: &str, found: &[&super::Finding<'_>]) {
    let _ = writeln!(out, "### {heading} ({})\n", found.len());
    if found.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    let rows: Vec<[String; 4]> = found
        .iter()
        .map(|finding| {
            [
                format!("`{}:{}:{}`", cell(path), finding.line, finding.column),
                finding.diagnostic.severity.as_str().to_string(),
                format!("`{}`", finding.diagnostic.code),
                cell(&finding.diagnostic.message()),
            ]
        })
        .collect();
    out.push_str(&table(&["where", "severity", "code", "message"], &rows));
    out.push('\n');
}
