//! `textDocument/formatting`: one edit replacing only the part of the text that changes (the
//! common prefix and suffix are left out, so the editor keeps cursors and marks there), or none.

use tower_lsp_server::ls_types as lsp;

use crate::session::Snapshot;
use genai_scope_syntax::text::TextRange;

pub fn handle(snapshot: &Snapshot) -> Option<Vec<lsp::TextEdit>> {
    let text = &snapshot.state.text;
    let formatted = genai_scope_ide::format::format(text)?;
    if formatted == *text {
        return Some(Vec::new());
    }
    let (range, new_text) = minimal_edit(text, &formatted);
    let converter = snapshot.converter();
    Some(vec![lsp::TextEdit {
        range: converter.range(range),
        new_text: new_text.to_string(),
    }])
}

/// The range of `old` and its replacement that turn `old` into `new`, without the prefix and
/// suffix they share (cut at character boundaries, and never between `\r` and `\n`).
fn minimal_edit<'a>(old: &str, new: &'a str) -> (TextRange, &'a str) {
    let boundary = |text: &str, at: usize| {
        text.is_char_boundary(at)
            && !(at > 0
                && text.as_bytes()[at - 1] == b'\r'
                && text.as_bytes().get(at) == Some(&b'\n'))
    };
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !(boundary(old, prefix) && boundary(new, prefix)) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !(boundary(old, old.len() - suffix) && boundary(new, new.len() - suffix)) {
        suffix -= 1;
    }
    (
        TextRange::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    )
}

#[cfg(test)]
mod tests {
    use super::minimal_edit;

    fn apply(old: &str, new: &str) -> String {
        let (range, text) = minimal_edit(old, new);
        format!("{}{text}{}", &old[..range.start], &old[range.end..])
    }

    #[test]
    fn only_the_changed_middle_is_replaced() {
        let (range, text) = minimal_edit("a {\n    b=1\n}\n", "a {\n  b = 1\n}\n");
        assert_eq!((range.start, range.end, text), (6, 10, "b = "));
    }

    #[test]
    fn edits_reproduce_the_new_text_at_every_boundary() {
        for (old, new) in [
            ("", "x"),
            ("x", ""),
            ("aaa", "aa"),
            ("aa", "aaa"),
            ("é=1", "è=1"),
            ("a\r\nb", "a\nb"),
            ("a\nb", "a\r\nb"),
            ("ab\u{1F600}cd", "ab\u{1F601}cd"),
        ] {
            assert_eq!(apply(old, new), new, "{old:?} -> {new:?}");
        }
    }
}
