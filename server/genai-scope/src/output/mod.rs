//! The three presentations of `check`: text for people, JSON for tools, SARIF for code scanning.

pub mod json;
pub mod sarif;
pub mod text;

use std::borrow::Cow;

use genai_scope_analysis::Analysis;
use genai_scope_analysis::diagnostic::Severity;

/// Counts of findings by severity.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

impl Counts {
    pub fn of<'a>(analyses: impl IntoIterator<Item = &'a Analysis>) -> Self {
        let mut counts = Counts::default();
        for diagnostic in analyses.into_iter().flat_map(|a| &a.diagnostics) {
            match diagnostic.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
                Severity::Hint => counts.hints += 1,
            }
        }
        counts
    }
}

/// `text` safe to print on a terminal: every control character but tab and line feed is
/// written as an escape (`\u{1b}`), so file content cannot move the cursor, recolour or
/// retitle the terminal, with `--color always` too.
pub fn printable(text: &str) -> Cow<'_, str> {
    let is_unsafe = |c: char| c.is_control() && c != '\t' && c != '\n';
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            printable("a\u{1b}[31mb\u{7}\r\u{9b}"),
            "a\\u{1b}[31mb\\u{7}\\u{d}\\u{9b}"
        );
    }
}
