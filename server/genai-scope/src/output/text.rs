//! `--format text`: compiler-style findings with the source line and a caret, and the scope of
//! every workload. A file's findings come in reading order (`ide::report::in_reading_order`):
//! syntax errors, then schema errors, then the other rules, then missing controls; within
//! each, errors first, then by position. A workload's (or an agent's) missing controls are one
//! finding, grouped by discipline as the editors show them (`ide::grouping`); JSON and SARIF
//! keep one per control.

use std::fmt::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use rayon::prelude::*;

use super::super::check::Checked;
use super::{Counts, printable, printable_in_place};
use genai_scope_analysis::WorkloadReport;
use genai_scope_analysis::catalog::catalog;
use genai_scope_analysis::diagnostic::{Diagnostic, Severity};
use genai_scope_ide::grouping::shown_findings;
use genai_scope_ide::report::{in_reading_order, required_counts};
use genai_scope_syntax::SourceFile;
use genai_scope_syntax::text::{Encoding, LineIndex};

fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// The report of `files`: each file's part as [`render_file`] wrote it (written now, from a
/// syntax tree parsed again, for a file that has none), then the summary.
pub fn render(files: &[Checked], color: bool) -> String {
    // Files are rendered on every core (rendering snippets costs about as much as the
    // analysis), then joined in order.
    let parts: Vec<std::borrow::Cow<'_, str>> = files
        .par_iter()
        .map(|file| match &file.rendered {
            Some(rendered) => rendered.as_str().into(),
            None => {
                let syntax = genai_scope_syntax::parse(&file.text);
                render_file(file, &syntax, color).into()
            }
        })
        .collect();
    let mut out = parts.concat();
    out.push_str(&summary(files));
    out
}

/// One file's part of the report, from its syntax tree (the grouped "add all" fix needs it).
pub fn render_file(file: &Checked, syntax: &SourceFile, color: bool) -> String {
    let renderer = renderer(color);
    let mut out = String::new();
    let index = LineIndex::new(&file.text);
    for workload in &file.analysis.workloads {
        let _ = writeln!(out, "{}", workload_line(&file.path, &index, workload));
    }
    let shown = shown_findings(&file.text, syntax, &file.analysis, true);
    for diagnostic in in_reading_order(shown.iter().map(|s| &s.diagnostic)) {
        out.push_str(&render_diagnostic(&renderer, file, &index, diagnostic));
        out.push_str("\n\n");
    }
    out
}

/// `path:line: workload "name" is scope 3 (Pre-trained models); 12 required controls: 9 in
/// place, 1 planned, 2 missing` ("in place": implemented or justified as not applicable; a
/// planned control is not).
fn workload_line(path: &str, index: &LineIndex, workload: &WorkloadReport) -> String {
    let line = index.line_col(workload.range.start, Encoding::Utf32).line + 1;
    let name = printable(workload.name.as_deref().unwrap_or("(unnamed)"));
    let path = printable(path);
    let Some(scope) = workload.inferred_scope else {
        return format!("{path}:{line}: workload \"{name}\": scope unknown");
    };
    let counts = required_counts(workload);
    let declared_scope = match workload.declared_scope {
        Some(declared) if declared != scope => format!(", declared {declared}"),
        _ => String::new(),
    };
    format!(
        "{path}:{line}: workload \"{name}\" is scope {scope} ({}){declared_scope}; {} required control{}: {} in place, {} planned, {} missing",
        catalog().scope_name(scope),
        counts.required,
        if counts.required == 1 { "" } else { "s" },
        counts.implemented + counts.not_applicable,
        counts.planned,
        counts.missing
    )
}

fn render_diagnostic(
    renderer: &Renderer,
    file: &Checked,
    index: &LineIndex,
    diagnostic: &Diagnostic,
) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::NOTE,
    };
    // Only the first line of the range, so huge files are never copied per finding.
    let start = index.line_col(diagnostic.range.start, Encoding::Utf8);
    let line_start = diagnostic.range.start - start.col;
    let line_end = file.text[line_start..]
        .find(['\n', '\r'])
        .map_or(file.text.len(), |i| line_start + i);
    let raw_source = &file.text[line_start..line_end];
    let span_start = diagnostic.range.start - line_start;
    let span_end = diagnostic.range.end.clamp(diagnostic.range.start, line_end) - line_start;
    // Control characters are shown one character each, so the reported column is the
    // file's; their pictures are longer in bytes, so the span moves by what its prefix grew.
    let source = printable_in_place(raw_source);
    let shifted = |at: usize| printable_in_place(&raw_source[..at]).len();
    let (span_start, span_end) = (shifted(span_start), shifted(span_end));
    let code = diagnostic.code.as_str();
    // A grouped finding's first line is its title; the others (one per discipline) are notes.
    let message = diagnostic.message();
    let mut lines = message.lines();
    let message = printable(lines.next().unwrap_or(""));
    let mut group = Group::with_title(level.primary_title(message.as_ref()).id(code)).element(
        Snippet::source(source.as_ref())
            .line_start(start.line + 1)
            .path(printable(&file.path))
            .annotation(AnnotationKind::Primary.span(span_start..span_end)),
    );
    for line in lines {
        group = group.element(Level::NOTE.message(printable(line).into_owned()));
    }
    if let Some(title) = diagnostic.first_fix_title() {
        group = group.element(Level::HELP.message(format!("quick fix: {}", printable(&title))));
    }
    renderer.render(&[group])
}

fn summary(files: &[Checked]) -> String {
    let counts = Counts::of(files.iter().map(|f| &f.analysis));
    let workloads: usize = files.iter().map(|f| f.analysis.workloads.len()).sum();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![
        plural(counts.errors, "error", "errors"),
        plural(counts.warnings, "warning", "warnings"),
        plural(counts.infos, "info", "infos"),
        plural(counts.hints, "hint", "hints"),
    ];
    let suppressed: usize = files.iter().map(|f| f.analysis.suppressed.len()).sum();
    if suppressed > 0 {
        parts.push(format!("{suppressed} suppressed"));
    }
    if files.is_empty() {
        return "No .genai files found.\n".into();
    }
    format!(
        "Checked {} and {}: {}.\n",
        plural(files.len(), "file", "files"),
        plural(workloads, "workload", "workloads"),
        parts.join(", ")
    )
}
