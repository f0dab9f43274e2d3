//! The report as Markdown (GitHub-flavoured tables).

use std::fmt::Write;

use super::{
    FileInput, Standing, findings, grid, missing_controls, own_scopes, planned_controls, standing,
    standing_text,
};
use genai_scope_syntax::text::LineIndex;

/// Text for a table cell: no line breaks, `|` escaped.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

pub fn markdown(files: &[FileInput<'_>]) -> String {
    let mut out = String::from("# genai-scope report\n\n");
    let _ = writeln!(
        out,
        "{}.
",
        super::summary(files)
    );
    let workloads: usize = files.iter().map(|f| f.analysis.workloads.len()).sum();
    if workloads > 1 {
        overview(&mut out, files);
    }
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
            let _ = writeln!(out, "## Workload `{}`\n", cell(name));
            let _ = writeln!(out, "`{}:{line}`\n", file.path);

            // The five scopes, the inferred one in bold and marked; a row for the workload
            // (inferred and declared) and one per model (the scope it brings).
            out.push_str("| scope |");
            for scope in &catalog.scopes {
                let label = format!("{} {}", scope.number, scope.name);
                if workload.inferred_scope == Some(scope.number) {
                    let _ = write!(out, " **▶ {label}** |");
                } else {
                    let _ = write!(out, " {label} |");
                }
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(catalog.scopes.len()));
            out.push('\n');
            out.push_str("| workload |");
            for scope in &catalog.scopes {
                let inferred = workload.inferred_scope == Some(scope.number);
                let declared = workload.declared_scope == Some(scope.number);
                let mark = match (inferred, declared) {
                    (true, true) => " **▶ inferred**, declared |",
                    (true, false) => " **▶ inferred** |",
                    (false, true) => " declared |",
                    (false, false) => " |",
                };
                out.push_str(mark);
            }
            out.push('\n');
            for model in &workload.models {
                let name = model.name.as_deref().unwrap_or("(unnamed)");
                let _ = write!(out, "| model `{}` |", cell(name));
                for scope in &catalog.scopes {
                    out.push_str(if model.scope == Some(scope.number) {
                        " ● |"
                    } else {
                        " |"
                    });
                }
                out.push('\n');
            }
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
            for reason in &workload.reasons {
                let _ = writeln!(out, "- {}", cell(reason));
            }
            if !workload.reasons.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "**Standing: {}.**\n", standing_text(workload));

            // The heat map as a table: required, then implemented / planned / n/a / missing.
            out.push_str("### Controls by scope and discipline\n\n");
            let own: Vec<String> = own_scopes(workload).iter().map(u8::to_string).collect();
            let _ = writeln!(
                out,
                "Each cell: required — ✅ implemented / 🕒 planned / ➖ not applicable / ❌ missing. The workload's own scopes: {}; the other columns show what those scopes would require.\n",
                if own.is_empty() {
                    "none".to_string()
                } else {
                    own.join(", ")
                }
            );
            out.push_str("| discipline |");
            for scope in &catalog.scopes {
                if workload.inferred_scope == Some(scope.number) {
                    let _ = write!(out, " **▶ {}** |", scope.number);
                } else {
                    let _ = write!(out, " {} |", scope.number);
                }
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(catalog.scopes.len()));
            out.push('\n');
            for row in grid(catalog, workload) {
                let _ = write!(out, "| {} |", row.discipline);
                for c in &row.cells {
                    if c.required == 0 {
                        out.push_str(" – |");
                    } else {
                        let _ = write!(
                            out,
                            " {} — ✅{} 🕒{} ➖{} ❌{} |",
                            c.required, c.implemented, c.planned, c.not_applicable, c.missing
                        );
                    }
                }
                out.push('\n');
            }
            out.push('\n');

            let missing = missing_controls(catalog, workload);
            let _ = writeln!(out, "### Missing controls ({})\n", missing.len());
            if missing.is_empty() {
                out.push_str("None.\n\n");
            } else {
                for (id, title, severity) in missing {
                    let _ = writeln!(out, "- `{id}` ({}): {title}", severity.as_str());
                }
                out.push('\n');
            }

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

            let found = findings(file, &index, Some(workload));
            write_findings(&mut out, file.path, &found);
        }
        let outside = findings(file, &index, None);
        if !outside.is_empty() {
            let _ = writeln!(out, "## `{}`: outside any workload\n", file.path);
            write_findings(&mut out, file.path, &outside);
        }
    }
    out
}

/// A table of every workload, for reports of several.
fn overview(out: &mut String, files: &[FileInput<'_>]) {
    out.push_str("## Overview\n\n| workload | where | scope | standing | missing | planned |\n|---|---|---|---|---|---|\n");
    for file in files {
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
            let counts = super::required_counts(workload);
            let standing = match standing(workload) {
                Standing::Unknown => "unknown",
                Standing::Covered => "✅ covered",
                Standing::Planned => "🕒 planned",
                Standing::NotCovered => "❌ not covered",
            };
            let _ = writeln!(
                out,
                "| `{}` | `{}:{line}` | {} | {standing} | {} | {} |",
                cell(name),
                cell(file.path),
                workload
                    .inferred_scope
                    .map_or("unknown".to_string(), |s| s.to_string()),
                counts.missing,
                counts.planned
            );
        }
    }
    out.push('\n');
}

fn write_findings(out: &mut String, path: &str, found: &[super::Finding<'_>]) {
    let _ = writeln!(out, "### Findings ({})\n", found.len());
    if found.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    out.push_str("| where | severity | code | message |\n|---|---|---|---|\n");
    for finding in found {
        let _ = writeln!(
            out,
            "| `{path}:{}:{}` | {} | `{}` | {} |",
            finding.line,
            finding.column,
            finding.diagnostic.severity.as_str(),
            finding.diagnostic.code,
            cell(&finding.diagnostic.message)
        );
    }
    out.push('\n');
}
