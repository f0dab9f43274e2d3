//! Text positions: byte ranges inside the analyzer, and the one place where they are
//! converted to and from line/column positions in UTF-8, UTF-16 or Unicode scalar units.
//!
//! Line breaks are `\n`, `\r\n` and `\r`, as in LSP (ropey is built with `cr_lines` and
//! without `unicode_lines`). Every conversion clamps: a position past the end of a line
//! maps to the end of that line, a line past the end of the text to the end of the text.

use ropey::Rope;
use serde::Serialize;

/// A half-open byte range `start..end` in a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }

    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` lies inside the range or touches its end (the cursor after a word).
    pub const fn touches(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub const fn contains_range(&self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<std::ops::Range<usize>> for TextRange {
    fn from(range: std::ops::Range<usize>) -> Self {
        Self::new(range.start, range.end)
    }
}

/// The unit in which a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Unicode scalar values (what the CLI reports as "columns").
    Utf32,
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Converts between byte offsets and line/column positions of one text.
pub struct LineIndex {
    rope: Rope,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self {
            rope: Rope::from_str(text),
        }
    }

    pub fn from_rope(rope: Rope) -> Self {
        Self { rope }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    /// The line/column of a byte offset; offsets inside a multi-byte character count from
    /// that character's start, offsets past the end clamp to the end.
    pub fn line_col(&self, offset: usize, encoding: Encoding) -> LineCol {
        position_of(&self.rope, offset, encoding)
    }

    /// The byte offset of a line/column, clamped to the line and to the text.
    pub fn offset(&self, position: LineCol, encoding: Encoding) -> usize {
        offset_of(&self.rope, position, encoding)
    }

    /// Text of one line without its line break (empty past the end).
    pub fn line_text(&self, line: usize) -> String {
        if line >= self.rope.len_lines() {
            return String::new();
        }
        let text = self.rope.line(line).to_string();
        text.trim_end_matches(['\n', '\r']).to_string()
    }
}

/// The byte offset where the line holding `offset` starts (after a `\n` or a lone `\r`): for
/// the few places that look at one line of a plain string without building a [`LineIndex`].
pub fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .rposition(|b| matches!(b, b'\n' | b'\r'))
        .map_or(0, |i| i + 1)
}

/// Byte offset to position in a rope; see [`LineIndex::line_col`].
pub fn position_of(rope: &Rope, offset: usize, encoding: Encoding) -> LineCol {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_start_char = rope.line_to_char(line);
    let col = match encoding {
        Encoding::Utf32 => char_idx - line_start_char,
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start_char),
    };
    LineCol { line, col }
}

/// Position to byte offset in a rope; see [`LineIndex::offset`].
pub fn offset_of(rope: &Rope, position: LineCol, encoding: Encoding) -> usize {
    let len_lines = rope.len_lines();
    if position.line >= len_lines {
        return rope.len_bytes();
    }
    let line = rope.line(position.line);
    // The column may not run into the line break.
    let mut content_chars = line.len_chars();
    while content_chars > 0 && matches!(line.char(content_chars - 1), '\n' | '\r') {
        content_chars -= 1;
    }
    let line_start_byte = rope.line_to_byte(position.line);
    let char_in_line = match encoding {
        Encoding::Utf32 => position.col.min(content_chars),
        Encoding::Utf8 => {
            let content_bytes = line.char_to_byte(content_chars);
            let byte = position.col.min(content_bytes);
            // Round down to a character boundary.
            line.byte_to_char(byte)
        }
        Encoding::Utf16 => {
            let content_units = line.char_to_utf16_cu(content_chars);
            let unit = position.col.min(content_units);
            line.utf16_cu_to_char(unit)
        }
    };
    line_start_byte + line.char_to_byte(char_in_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_start_finds_the_start_of_the_line_after_any_break() {
        let text = "ab\r\ncd\ref\n😀x";
        assert_eq!(line_start(text, 1), 0);
        assert_eq!(line_start(text, 5), 4);
        assert_eq!(line_start(text, 8), 7);
        assert_eq!(line_start(text, text.len()), 10);
        assert_eq!(line_start(text, 999), 10);
    }

    fn roundtrip(text: &str, encoding: Encoding) {
        let index = LineIndex::new(text);
        for (offset, c) in text.char_indices() {
            // Between `\r` and `\n` is no position of its own.
            if c == '\n' && text[..offset].ends_with('\r') {
                continue;
            }
            let pos = index.line_col(offset, encoding);
            assert_eq!(
                index.offset(pos, encoding),
                offset,
                "offset {offset} in {text:?}"
            );
        }
    }

    #[test]
    fn roundtrips_on_mixed_text() {
        let text = "a = \"😀\" # 日本\r\nb = 1\rc\n\n🚀x";
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            roundtrip(text, encoding);
        }
    }

    #[test]
    fn columns_count_in_the_requested_unit() {
        let text = "x😀日y";
        let index = LineIndex::new(text);
        let y = text.find('y').unwrap();
        assert_eq!(index.line_col(y, Encoding::Utf8).col, 8);
        assert_eq!(index.line_col(y, Encoding::Utf16).col, 4);
        assert_eq!(index.line_col(y, Encoding::Utf32).col, 3);
    }

    #[test]
    fn crlf_and_cr_are_line_breaks_but_unicode_separators_are_not() {
        let text = "a\r\nb\rc\u{2028}d";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_col(text.find('b').unwrap(), Encoding::Utf16),
            LineCol { line: 1, col: 0 }
        );
        assert_eq!(
            index.line_col(text.find('c').unwrap(), Encoding::Utf16),
            LineCol { line: 2, col: 0 }
        );
        assert_eq!(
            index.line_col(text.find('d').unwrap(), Encoding::Utf16),
            LineCol { line: 2, col: 2 }
        );
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(LineCol { line: 0, col: 99 }, Encoding::Utf16),
            2
        );
        assert_eq!(
            index.offset(LineCol { line: 9, col: 0 }, Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            index.line_col(999, Encoding::Utf8),
            LineCol { line: 1, col: 2 }
        );
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_or_multibyte_char_rounds_down() {
        let text = "😀z";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(LineCol { line: 0, col: 1 }, Encoding::Utf16),
            0
        );
        assert_eq!(index.offset(LineCol { line: 0, col: 2 }, Encoding::Utf8), 0);
        assert_eq!(index.line_col(2, Encoding::Utf16).col, 0);
    }
}
