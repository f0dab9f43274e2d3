//! Offsets ↔ positions (`text::LineIndex`, `position_of`, `offset_of`) on arbitrary text,
//! compared with a naive reference: byte offsets (inside characters, around line breaks and
//! past the end too), columns of lines (past the end of the line and of the text too, up to
//! `u32::MAX` as a protocol position can be), the round trip offset → position → offset at
//! character boundaries except between `\r` and `\n`, and the text of lines.
#![no_main]

use genai_scope_fuzz::text;
use genai_scope_syntax::text::{Encoding, LineCol, LineIndex, offset_of, position_of};
use libfuzzer_sys::fuzz_target;

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

fn units(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
        Encoding::Utf32 => text.chars().count(),
    }
}

/// Lines under LSP's rules (`\n`, `\r\n`, `\r`): (start, end of content).
fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                lines.push((start, i));
                i += 2;
                start = i;
            }
            b'\r' | b'\n' => {
                lines.push((start, i));
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    lines.push((start, bytes.len()));
    lines
}

/// The expected position of every byte offset `0..=text.len()` (inside a character: that
/// character's), computed in one pass.
fn reference_positions(text: &str, lines: &[(usize, usize)], encoding: Encoding) -> Vec<LineCol> {
    let mut positions = vec![LineCol::default(); text.len() + 1];
    for (line, &(start, _)) in lines.iter().enumerate() {
        let next = lines.get(line + 1).map_or(text.len() + 1, |l| l.0);
        let mut col = 0;
        let mut offset = start;
        for c in text[start..next.min(text.len())].chars() {
            for slot in &mut positions[offset..offset + c.len_utf8()] {
                *slot = LineCol { line, col };
            }
            offset += c.len_utf8();
            col += units(c.encode_utf8(&mut [0; 4]), encoding);
        }
        if next > text.len() {
            positions[text.len()] = LineCol { line, col };
        }
    }
    positions
}

/// The columns at which each character of a line starts, with the byte offsets, and the end.
fn column_starts(
    text: &str,
    (start, end): (usize, usize),
    encoding: Encoding,
) -> Vec<(usize, usize)> {
    let mut starts = Vec::new();
    let mut col = 0;
    for (i, c) in text[start..end].char_indices() {
        starts.push((col, start + i));
        col += units(c.encode_utf8(&mut [0; 4]), encoding);
    }
    starts.push((col, end));
    starts
}

/// At most about `n` of `items`, evenly spread, the first and last included.
fn spread<T: Copy>(items: &[T], n: usize) -> impl Iterator<Item = T> + '_ {
    let step = items.len().div_ceil(n).max(1);
    items
        .iter()
        .enumerate()
        .filter(move |(i, _)| i % step == 0 || i + 1 == items.len())
        .map(|(_, item)| *item)
}

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let index = LineIndex::new(&text);
    let rope = index.rope();
    let lines = lines(&text);
    assert_eq!(rope.len_lines(), lines.len(), "line count of {text:?}");
    assert_eq!(index.len_bytes(), text.len());
    // The instrumented conversions are slow: one encoding per input (chosen by its first byte),
    // and a bounded sample of offsets and positions (all of them in a short text).
    let encoding = ENCODINGS[usize::from(data.first().copied().unwrap_or(0)) % 3];
    let expected = reference_positions(&text, &lines, encoding);

    // Offsets: a spread sample, every offset around a sample of the line breaks and non-ASCII
    // characters (where conversions go wrong), and past the end.
    let all: Vec<usize> = (0..=text.len() + 2).collect();
    let special: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'\r' | b'\n') || *b >= 0xC0)
        .map(|(i, _)| i)
        .collect();
    let mut offsets: Vec<usize> = spread(&all, 64).collect();
    for i in spread(&special, 48) {
        offsets.extend(i.saturating_sub(1)..=i + 2);
    }
    offsets.extend(text.len()..=text.len() + 2);
    for offset in offsets {
        let at = index.line_col(offset, encoding);
        assert_eq!(
            at,
            expected[offset.min(text.len())],
            "position of offset {offset} ({encoding:?}) in {text:?}"
        );
        let back = offset_of(rope, at, encoding);
        let between_cr_lf = offset > 0
            && text.as_bytes().get(offset - 1) == Some(&b'\r')
            && text.as_bytes().get(offset) == Some(&b'\n');
        if offset <= text.len() && text.is_char_boundary(offset) && !between_cr_lf {
            assert_eq!(
                back, offset,
                "round trip of offset {offset} ({encoding:?}) in {text:?}"
            );
        }
    }

    // Positions: columns of a sample of lines and of the line past the end, each past its end
    // too, and the largest positions the protocol can send (`u32::MAX`).
    let max = u32::MAX as usize;
    let line_numbers: Vec<usize> = (0..=lines.len()).collect();
    for line in spread(&line_numbers, 16) {
        let starts = lines
            .get(line)
            .map(|&l| column_starts(&text, l, encoding))
            .unwrap_or_default();
        let width = starts.last().map_or(0, |s| s.0);
        let columns: Vec<usize> = (0..=width + 2).collect();
        let edges = [
            0,
            1,
            2,
            width.saturating_sub(1),
            width,
            width + 1,
            width + 2,
            max,
        ];
        for col in spread(&columns, 8).chain(edges) {
            let at = LineCol { line, col };
            let offset = index.offset(at, encoding);
            assert_eq!(
                offset,
                match starts.partition_point(|s| s.0 <= col) {
                    0 => text.len(), // a line past the end
                    n => starts[n - 1].1,
                },
                "offset of {at:?} ({encoding:?}) in {text:?}"
            );
            // Clamped to the line: the position of the result is on that line, not after the
            // column asked for.
            let back = position_of(rope, offset, encoding);
            if line < lines.len() {
                assert_eq!(back.line, line, "{at:?} ({encoding:?}) in {text:?}");
                assert!(back.col <= col, "{at:?} ({encoding:?}) in {text:?}");
            }
        }
    }
    let end = index.offset(
        LineCol {
            line: max,
            col: max,
        },
        encoding,
    );
    assert_eq!(end, text.len());
    for line in spread(&line_numbers, 16) {
        let expected = lines
            .get(line)
            .map_or("", |&(start, end)| &text[start..end]);
        assert_eq!(index.line_text(line), expected, "line {line} of {text:?}");
    }
});
