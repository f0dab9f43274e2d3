//! What the fuzz targets share: the analysis options they use and the invariants they check.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use genai_scope_analysis::diagnostic::Code;
use genai_scope_analysis::{Analysis, AnalysisOptions, analyze};
use genai_scope_syntax::text::TextRange;

/// A fixed date (so `overdue-control` runs and results do not depend on the day) and an empty
/// workspace directory (so evidence paths are resolved, and must stay inside it).
pub fn options() -> &'static AnalysisOptions {
    static OPTIONS: OnceLock<AnalysisOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let root: PathBuf = std::env::temp_dir().join("genai-scope-fuzz-workspace");
        let _ = std::fs::create_dir_all(root.join("docs"));
        AnalysisOptions {
            today: Some(
                time::Date::from_calendar_date(2026, time::Month::June, 1).expect("a valid date"),
            ),
            base_dir: Some(root.clone()),
            workspace_root: Some(root),
            settings: Default::default(),
            environment: genai_scope_environment::shared(),
            // Drift needs infrastructure files; the declaration readers are fuzzed without it.
            infrastructure: None,
        }
    })
}

pub fn analyse(text: &str) -> Analysis {
    analyze(text, options())
}

/// Bytes as the editor would hold them: invalid UTF-8 replaced.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// A range lies inside `text`, in order, on character boundaries.
pub fn assert_range(text: &str, range: TextRange, what: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what}: range {range:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: range {range:?} splits a character"
    );
}

/// Every range an analysis reports (diagnostics, related places, fix edits, workloads) is
/// valid in `text`, and the diagnostics are sorted by position.
pub fn assert_ranges(text: &str, analysis: &Analysis) {
    for diagnostic in &analysis.diagnostics {
        let what = format!("{} \"{}\"", diagnostic.code, diagnostic.message());
        assert_range(text, diagnostic.range, &what);
        for related in &diagnostic.related {
            assert_range(text, related.range, &format!("{what}, related"));
        }
        for fix in diagnostic.fixes().iter() {
            for edit in &fix.edits {
                assert_range(text, edit.range, &format!("{what}, fix \"{}\"", fix.title));
            }
        }
    }
    assert!(
        analysis
            .diagnostics
            .windows(2)
            .all(|w| w[0].range.start <= w[1].range.start),
        "diagnostics are not sorted by position"
    );
    for workload in &analysis.workloads {
        assert_range(text, workload.range, "workload");
        assert_range(text, workload.name_range, "workload name");
        for model in &workload.models {
            assert_range(text, model.range, "model");
        }
    }
}

pub fn has_syntax_error(analysis: &Analysis) -> bool {
    analysis
        .diagnostics
        .iter()
        .any(|d| d.code == Code::SyntaxError)
}

/// A finding's identity: code, control, workload and message. The message is part of it
/// because a fix may uncover findings of the same code that the broken text hid (renaming an
/// unknown block to `workload` makes its contents checked), and those are other findings.
pub type FindingKey = (Code, Option<String>, Option<String>, String);

pub fn finding_key(d: &genai_scope_analysis::diagnostic::Diagnostic) -> FindingKey {
    (
        d.code,
        d.control.as_deref().map(str::to_string),
        d.workload.as_deref().map(str::to_string),
        without_line_numbers(&d.message()),
    )
}

/// How many findings there are of each identity.
pub fn finding_counts(analysis: &Analysis) -> BTreeMap<FindingKey, usize> {
    let mut counts = BTreeMap::new();
    for d in &analysis.diagnostics {
        *counts.entry(finding_key(d)).or_default() += 1;
    }
    counts
}

/// The findings as a multiset of (code, message): what a file means to the analyzer,
/// independent of where things are (line numbers in messages, as in `unused-suppression`'s
/// "nothing on line 3 …", are positions too).
pub fn meaning(analysis: &Analysis) -> BTreeMap<(Code, String), usize> {
    let mut counts = BTreeMap::new();
    for d in &analysis.diagnostics {
        *counts
            .entry((d.code, without_line_numbers(&d.message())))
            .or_default() += 1;
    }
    counts
}

/// The findings an inline suppression silences, as a multiset of (code, message): formatting
/// must neither hide a finding nor bring one back.
pub fn suppressed_meaning(analysis: &Analysis) -> BTreeMap<(Code, String), usize> {
    let mut counts = BTreeMap::new();
    for (d, _) in &analysis.suppressed {
        *counts
            .entry((d.code, without_line_numbers(&d.message())))
            .or_default() += 1;
    }
    counts
}

/// Suppressed findings of each identity.
pub fn suppressed_counts(analysis: &Analysis) -> BTreeMap<FindingKey, usize> {
    let mut counts = BTreeMap::new();
    for (d, _) in &analysis.suppressed {
        *counts.entry(finding_key(d)).or_default() += 1;
    }
    counts
}

fn without_line_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        out.push_str(&rest[..at + "line ".len()]);
        rest = rest[at + "line ".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('N');
    }
    out.push_str(rest);
    out
}
