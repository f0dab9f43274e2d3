//! The three presentations of `check`: text for people, JSON for tools, SARIF for code scanning.

pub mod json;
pub mod sarif;
pub mod text;

use std::borrow::Cow;

use genai_scope_analysis::Analysis;
use genai_scope_analysis::diagnostic::Severity;

/// A pretty-printed JSON document with one of its arrays written an element at a time: the
/// document is pretty-printed with that array empty (`marker`, its key and `[]`), and each
/// element, pretty-printed on its own, is indented to its place. The bytes are those of the
/// whole document pretty-printed at once.
pub(crate) struct StreamedArray<'a, W: std::io::Write> {
    out: &'a mut W,
    /// Before each line of an element: a line break and the element's indentation.
    element_indent: String,
    /// The indentation of the array's key, before its closing bracket.
    key_indent: &'a str,
    /// What follows the array in the document.
    rest: &'a str,
    empty: bool,
}

impl<'a, W: std::io::Write> StreamedArray<'a, W> {
    /// Writes `skeleton` up to the array's opening bracket.
    pub(crate) fn begin(skeleton: &'a str, marker: &str, out: &'a mut W) -> std::io::Result<Self> {
        let Some(at) = skeleton.find(marker) else {
            return Err(std::io::Error::other(
                "the streamed array is not in the document",
            ));
        };
        let key_indent = &skeleton[skeleton[..at].rfind('\n').map_or(0, |n| n + 1)..at];
        let opening = marker.len() - "]".len();
        out.write_all(&skeleton.as_bytes()[..at + opening])?;
        Ok(StreamedArray {
            out,
            element_indent: format!("\n{key_indent}  "),
            key_indent,
            rest: &skeleton[at + marker.len()..],
            empty: true,
        })
    }

    /// Writes one pretty-printed element.
    pub(crate) fn push(&mut self, element: &[u8]) -> std::io::Result<()> {
        if !self.empty {
            self.out.write_all(b",")?;
        }
        self.empty = false;
        // Pretty JSON has line breaks only between tokens (strings escape theirs), so
        // indenting after each one nests the element where it belongs.
        for line in element.split(|b| *b == b'\n') {
            self.out.write_all(self.element_indent.as_bytes())?;
            self.out.write_all(line)?;
        }
        Ok(())
    }

    /// Closes the array and writes the rest of the document, with a final line break.
    pub(crate) fn finish(self) -> std::io::Result<()> {
        if !self.empty {
            self.out.write_all(b"\n")?;
            self.out.write_all(self.key_indent.as_bytes())?;
        }
        self.out.write_all(b"]")?;
        self.out.write_all(self.rest.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

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

    /// A document with its array streamed in is the document pretty-printed whole, with the
    /// array empty, nested in objects and arrays, and holding strings with escaped breaks.
    #[test]
    fn a_streamed_array_is_the_whole_document_byte_for_byte() {
        use serde_json::json;
        let elements = [
            vec![],
            vec![json!(1)],
            vec![
                json!({"a": [1, {"b": []}], "text": "two\nlines"}),
                json!([]),
                json!({}),
            ],
        ];
        for items in elements {
            let whole = json!({"version": 1, "outer": {"items": items.clone()}, "after": [true]});
            let mut expected = serde_json::to_string_pretty(&whole).unwrap();
            expected.push('\n');
            let skeleton = serde_json::to_string_pretty(
                &json!({"version": 1, "outer": {"items": []}, "after": [true]}),
            )
            .unwrap();
            let mut out = Vec::new();
            let mut array =
                super::StreamedArray::begin(&skeleton, "\"items\": []", &mut out).unwrap();
            for item in &items {
                array
                    .push(&serde_json::to_vec_pretty(item).unwrap())
                    .unwrap();
            }
            array.finish().unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
        let mut out = Vec::new();
        assert!(super::StreamedArray::begin("{}", "\"items\": []", &mut out).is_err());
    }
}
