//! `--format json`: the stable machine-readable contract (version 1; fields are only ever
//! added). Lines and columns are 1-based; columns count Unicode scalar values.

use rayon::prelude::*;
use serde::Serialize;

use super::super::check::Checked;
use super::{Counts, StreamedArray};
use genai_scope_analysis::agency::AgencyScope;
use genai_scope_analysis::catalog::Scope;
use genai_scope_syntax::text::{Encoding, LineIndex, TextRange};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    workloads: Vec<Workload<'a>>,
    diagnostics: Vec<Diagnostic<'a>>,
}

#[derive(Serialize)]
struct Workload<'a> {
    name: Option<&'a str>,
    declared_scope: Option<Scope>,
    inferred_scope: Option<Scope>,
    /// `prototype` or `production`.
    stage: &'static str,
    reasons: &'a [String],
    /// The highest agency scope of its agents (a number, 1–4), or `null` without agents.
    agency_scope: Option<AgencyScope>,
    agents: Vec<Agent<'a>>,
}

#[derive(Serialize)]
struct Agent<'a> {
    name: Option<&'a str>,
    /// As written, valid or not.
    declared_agency_scope: Option<u8>,
    /// A number, 1–4.
    inferred_agency_scope: AgencyScope,
    reasons: &'a [String],
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: std::borrow::Cow<'a, str>,
    range: Range,
    workload: Option<&'a str>,
    control: Option<&'a str>,
    /// The model whose scope brings the requirement, or `null`.
    model: Option<&'a str>,
    /// The agent the finding is about, or `null`.
    agent: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
}

/// A byte range as 1-based lines and character columns.
pub fn one_based(index: &LineIndex, range: TextRange) -> Range {
    let position = |offset| {
        let at = index.line_col(offset, Encoding::Utf32);
        Position {
            line: at.line + 1,
            column: at.col + 1,
        }
    };
    Range {
        start: position(range.start),
        end: position(range.end),
    }
}

/// The key of the files in the pretty-printed report, where they are written in.
const FILES_MARKER: &str = "\"files\": []";

/// Writes the report to standard output (errors, such as a closed pipe, end the output
/// quietly, as for the other formats).
pub fn print(files: &[Checked]) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = write(files, &mut out);
}

/// Writes the report to `out`: each file's entry is serialised on every core (one after
/// another, 10,000 files' entries were the run's longest step on one core), then written in
/// order. The bytes are those of the whole report pretty-printed at once.
pub fn write(files: &[Checked], out: &mut impl std::io::Write) -> std::io::Result<()> {
    let entries: Vec<Vec<u8>> = files
        .par_iter()
        .map(|file| serde_json::to_vec_pretty(&entry(file)))
        .collect::<Result<_, _>>()
        .map_err(std::io::Error::other)?;
    let counts = Counts::of(files.iter().map(|f| &f.analysis));
    let skeleton = serde_json::to_string_pretty(&Report {
        version: 1,
        files: Vec::new(),
        summary: Summary {
            files: files.len(),
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            hints: counts.hints,
        },
    })
    .map_err(std::io::Error::other)?;
    let mut array = StreamedArray::begin(&skeleton, FILES_MARKER, out)?;
    for entry in &entries {
        array.push(entry)?;
    }
    array.finish()
}

/// One file's entry in the report.
fn entry(file: &Checked) -> File<'_> {
    let index = LineIndex::new(&file.text);
    File {
        path: &file.path,
        workloads: file
            .analysis
            .workloads
            .iter()
            .map(|w| Workload {
                name: w.name.as_deref(),
                declared_scope: w.declared_scope,
                inferred_scope: w.inferred_scope,
                stage: w.stage.name(),
                reasons: &w.reasons,
                agency_scope: w.agency_scope,
                agents: w
                    .agents
                    .iter()
                    .map(|a| Agent {
                        name: a.name.as_deref(),
                        declared_agency_scope: a.declared_agency_scope,
                        inferred_agency_scope: a.inferred_agency_scope,
                        reasons: &a.reasons,
                    })
                    .collect(),
            })
            .collect(),
        diagnostics: file
            .analysis
            .diagnostics
            .iter()
            .map(|d| Diagnostic {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                message: d.message(),
                range: one_based(&index, d.range),
                workload: d.workload.as_deref(),
                control: d.control.as_deref(),
                model: d.model.as_deref(),
                agent: d.agent.as_deref(),
            })
            .collect(),
    }
}
