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

/// `text` for a quoted source line: each control character becomes one visible character (its
/// Unicode control picture, `␛` for ESC; `�` for the C1 range), so that columns counted in the
/// printed line are those of the file, and file content still cannot drive the terminal.
pub fn printable_in_place(text: &str) -> Cow<'_, str> {
    let is_unsafe = |c: char| c.is_control() && c != '\t';
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let picture = |c: char| match c as u32 {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    };
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe(c) { picture(c) } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::{printable, printable_in_place};

    #[test]
    fn control_characters_in_a_quoted_line_keep_their_column() {
        assert_eq!(printable_in_place("plain\ttext"), "plain\ttext");
        let shown = printable_in_place("a\u{1b}[31mb\u{7}\r\u{9b}\u{7f}");
        assert_eq!(shown, "a\u{241b}[31mb\u{2407}\u{240d}\u{fffd}\u{2421}");
        assert_eq!(
            shown.chars().count(),
            "a\u{1b}[31mb\u{7}\r\u{9b}\u{7f}".chars().count()
        );
        assert!(!shown.chars().any(|c| c.is_control()));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            printable("a\u{1b}[31mb\u{7}\r\u{9b}"),
            "a\\u{1b}[31mb\\u{7}\\u{d}\\u{9b}"
        );
    }
}
