//! Markdown pipe tables padded so that they also read as plain text: Neovim shows hovers and
//! the matrix as the Markdown the server sends, in a terminal, where an unaligned table is
//! hard to read. Widths are display columns (an emoji or a CJK character takes two), so the
//! pipes line up in a monospaced terminal; a renderer of Markdown ignores the padding.

use unicode_width::UnicodeWidthStr;

/// Text for a cell: no line breaks, `|` and `\` escaped (a cell cannot hold them raw).
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// The width of `text` in a monospaced terminal.
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// A table with `header` and `rows` (cells already Markdown; see [`cell`]), each column as
/// wide as its widest cell, ending with a line break. Rows shorter than the header are
/// completed with empty cells; extra cells are dropped (a pipe table cannot hold them).
pub fn table<H, R, C>(header: &[H], rows: &[R]) -> String
where
    H: AsRef<str>,
    R: AsRef<[C]>,
    C: AsRef<str>,
{
    let columns = header.len();
    // The separator needs three dashes for some renderers.
    let mut widths: Vec<usize> = header
        .iter()
        .map(|h| display_width(h.as_ref()).max(3))
        .collect();
    for row in rows {
        for (width, text) in widths.iter_mut().zip(row.as_ref()) {
            *width = (*width).max(display_width(text.as_ref()));
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        out.push('|');
        for width in &widths {
            let text = cells.next().unwrap_or("");
            out.push(' ');
            out.push_str(text);
            out.push_str(&" ".repeat(width.saturating_sub(display_width(text))));
            out.push_str(" |");
        }
        out.push('\n');
    };
    line(&mut out, &mut header.iter().map(|h| h.as_ref()));
    out.push('|');
    for width in &widths {
        out.push_str(&"-".repeat(width + 2));
        out.push('|');
    }
    out.push('\n');
    for row in rows {
        let row = row.as_ref();
        line(&mut out, &mut row.iter().take(columns).map(|c| c.as_ref()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `table` as wide as the first, in display columns, with its pipes at the
    /// same columns.
    fn assert_aligned(table: &str) {
        let pipes = |line: &str| -> Vec<usize> {
            let mut at = Vec::new();
            let mut column = 0;
            let mut previous = ' ';
            for c in line.chars() {
                if c == '|' && previous != '\\' {
                    at.push(column);
                }
                column += display_width(c.encode_utf8(&mut [0; 4]));
                previous = c;
            }
            at
        };
        let mut lines = table.lines();
        let first = pipes(lines.next().expect("a header"));
        for line in lines {
            assert_eq!(pipes(line), first, "{line:?} in\n{table}");
        }
    }

    #[test]
    fn columns_line_up_in_display_width_with_emoji_and_cjk() {
        let rows = [
            vec!["✅ implemented", "2"],
            vec!["漢字の説明", "❌12"],
            vec!["plain", "🕒 1"],
        ];
        let text = table(&["what", "n"], &rows);
        assert_aligned(&text);
        assert_eq!(
            text.lines().next(),
            Some("| what           | n    |"),
            "{text}"
        );
        // "漢字の説明" is five characters but ten columns wide.
        assert!(text.contains("| 漢字の説明     | ❌12 |"), "{text}");
    }

    #[test]
    fn short_rows_are_completed_and_escaped_pipes_kept() {
        let rows = [
            vec![cell("a|b")],
            vec!["c".to_string(), "d".into(), "e".into()],
        ];
        let text = table(&["x", "y"], &rows);
        assert_aligned(&text);
        assert!(text.contains("| a\\|b | "), "{text}");
        assert!(!text.contains('e'), "{text}");
        assert_eq!(text.lines().count(), 4);
    }
}
