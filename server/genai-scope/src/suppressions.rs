//! `check --list-suppressions`: every finding an inline suppression silences, with where it
//! is, the rule, the reason and the date it holds until.

use serde::Serialize;

use super::check::Checked;
use super::output::json::one_based;
use genai_scope_syntax::text::LineIndex;

#[derive(Serialize)]
struct Listing<'a> {
    version: u32,
    suppressions: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    code: &'static str,
    control: Option<&'a str>,
    workload: Option<&'a str>,
    message: std::borrow::Cow<'a, str>,
    reason: &'a str,
    until: Option<String>,
    /// The line of the suppression comment (1-based).
    suppression_line: usize,
}

fn entries(files: &[Checked]) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for file in files {
        if file.analysis.suppressed.is_empty() {
            continue;
        }
        let index = LineIndex::new(&file.text);
        for (diagnostic, suppression) in &file.analysis.suppressed {
            let at = one_based(&index, diagnostic.range).start;
            out.push(Entry {
                path: &file.path,
                line: at.line,
                column: at.column,
                code: diagnostic.code.as_str(),
                control: diagnostic.control.as_deref(),
                workload: diagnostic.workload.as_deref(),
                message: diagnostic.message(),
                reason: &suppression.reason,
                until: suppression.until.map(|d| d.to_string()),
                suppression_line: one_based(&index, suppression.range).start.line,
            });
        }
    }
    out
}

pub fn render_text(files: &[Checked]) -> String {
    let entries = entries(files);
    let mut out = String::new();
    for entry in &entries {
        let rule = match entry.control {
            Some(control) => format!("{} {control}", entry.code),
            None => entry.code.to_string(),
        };
        let until = entry
            .until
            .as_deref()
            .map(|d| format!(" (until {d})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}:{}:{}: {rule}: {}{until}\n",
            entry.path, entry.line, entry.column, entry.reason
        ));
    }
    out.push_str(&format!(
        "{} suppressed finding{}.\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" }
    ));
    out
}

pub fn render_json(files: &[Checked]) -> String {
    let listing = Listing {
        version: 1,
        suppressions: entries(files),
    };
    let mut out = serde_json::to_string_pretty(&listing).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
