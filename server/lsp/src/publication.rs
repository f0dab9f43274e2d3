//! `textDocument/publishDiagnostics`, written as one frame whose cost follows the edit: the
//! JSON of each workload's diagnostics is kept from the last publication and sent again, shared
//! rather than copied, when neither its findings nor where the workload stands changed.
//!
//! The analysis keeps each workload's findings apart ([`Findings::workloads`]), with an id
//! that stays the same while an edit elsewhere leaves them as they were. A run is one
//! workload's findings with the file's own findings inside its lines; its JSON depends only
//! on those, the protocol position of the workload's start (its text is the same while the
//! id is) and whether missing controls are grouped, so a hash of these names it and an
//! unchanged workload costs a hash. Everything else (the file's findings outside
//! every workload, the server's own) is serialised anew each time.
//!
//! An analysis kept whole (suppression comments in the file) has no pieces: its runs are
//! then stretches of the sorted diagnostics inside one workload's range, named by a hash of
//! the diagnostics and the workload's text.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use bytes::Bytes;
use foldhash::fast::{FixedState, FoldHasher};

use genai_scope_analysis::WorkloadReport;
use genai_scope_analysis::catalog::Catalog;
use genai_scope_analysis::diagnostic::Diagnostic;
use genai_scope_analysis::findings::{self, Findings, Placed};
use genai_scope_ide::grouping::published;
use genai_scope_syntax::text::TextRange;
use tower_lsp_server::ls_types as lsp;

use crate::convert::ElementWriter;
use crate::outbox::Message;

/// The JSON of each run of the last publication of one document, by the hash of what it was
/// made from. Cleared when the document's settings change (the links of custom controls
/// come from the project's catalog).
#[derive(Default)]
pub struct SerialisedRuns {
    runs: RunsByKey,
    /// How many runs the last publication took from the one before.
    reused: usize,
}

impl SerialisedRuns {
    pub fn clear(&mut self) {
        self.runs = RunsByKey::default();
    }
}

/// Runs by their key, itself a hash: a fast hash over it is enough.
type RunsByKey = HashMap<u64, Bytes, FixedState>;

/// What a publication is written from.
pub struct Source<'a> {
    pub uri: &'a lsp::Uri,
    pub version: i32,
    pub text: &'a str,
    pub catalog: &'a Catalog,
    pub workloads: &'a [WorkloadReport],
    pub findings: &'a Findings,
    /// Whether a name's missing controls are published as one diagnostic.
    pub group: bool,
    /// The server's own, after the analysis's.
    pub extra: &'a [lsp::Diagnostic],
}

/// The whole frame (header and JSON body) of the `publishDiagnostics` notification of
/// `source`, reusing and refreshing `cache`.
pub fn frame(
    source: &Source<'_>,
    writer: &mut ElementWriter<'_>,
    cache: &mut SerialisedRuns,
) -> Message {
    let mut previous = std::mem::take(&mut cache.runs);
    // As many runs as last time, most often: grown once, not doubled up to it.
    cache.runs.reserve(previous.len());
    cache.reused = 0;
    let mut runs = Runs {
        previous: &mut previous,
        cache,
        pieces: Vec::new(),
        hasher: FixedState::with_seed(0x9e37_79b9),
    };
    if pieces_stand_alone(source.findings) {
        runs.by_piece(source, writer);
    } else {
        runs.by_range(source, writer);
    }
    let mut pieces = runs.pieces;
    for extra in source.extra {
        if let Ok(bytes) = serde_json::to_vec(extra) {
            pieces.push(Bytes::from(bytes));
        }
    }
    assemble(source, pieces)
}

struct Runs<'c> {
    previous: &'c mut RunsByKey,
    cache: &'c mut SerialisedRuns,
    pieces: Vec<Bytes>,
    hasher: FixedState,
}

impl Runs<'_> {
    /// The run named `key`: from the last publication, or written by `write` (nothing when it
    /// writes nothing).
    fn run(&mut self, key: u64, write: impl FnOnce() -> Vec<u8>) {
        let reused = self.previous.remove(&key);
        self.cache.reused += usize::from(reused.is_some());
        let bytes = reused.unwrap_or_else(|| Bytes::from(write()));
        if !bytes.is_empty() {
            self.cache.runs.insert(key, bytes.clone());
            self.pieces.push(bytes);
        }
    }

    fn fresh(&mut self, writer: &mut ElementWriter<'_>, diagnostic: &Diagnostic) {
        let mut bytes = Vec::new();
        writer.write(diagnostic, &mut bytes);
        self.pieces.push(Bytes::from(bytes));
    }

    /// One run per workload piece, with the file's findings inside its lines.
    fn by_piece(&mut self, source: &Source<'_>, writer: &mut ElementWriter<'_>) {
        let file = source.findings.file_level();
        let mut next = 0;
        let mut lines_before = LineCounter::new(source.text);
        for piece in source.findings.workloads() {
            let lines = piece.lines();
            while let Some(diagnostic) = file.get(next).filter(|d| d.range.start < lines.start) {
                self.fresh(writer, diagnostic);
                next += 1;
            }
            let inner_start = next;
            while file.get(next).is_some_and(|d| d.range.start < lines.end) {
                next += 1;
            }
            let inner = &file[inner_start..next];
            if piece.is_empty() && inner.is_empty() {
                continue;
            }
            let key = self.piece_key(source, writer, &mut lines_before, piece, inner);
            self.run(key, || {
                if inner.is_empty() {
                    // Written from the analysis's own findings, not from moved copies.
                    let (diagnostics, delta) = piece.unmoved();
                    return write_run(writer, source, diagnostics, delta);
                }
                let run = findings::merge(inner, std::slice::from_ref(piece));
                write_run(writer, source, &run, 0)
            });
        }
        for diagnostic in &file[next..] {
            self.fresh(writer, diagnostic);
        }
    }

    /// A hash of everything a piece's run is made from.
    fn piece_key(
        &self,
        source: &Source<'_>,
        writer: &ElementWriter<'_>,
        lines_before: &mut LineCounter<'_>,
        piece: &Placed,
        inner: &[Diagnostic],
    ) -> u64 {
        let mut h = self.hasher.build_hasher();
        let start = piece.lines().start;
        h.write_u8(1);
        h.write_u64(piece.id());
        h.write_u8(u8::from(source.group));
        let position = match lines_before.line_starting_at(start) {
            Some(line) => lsp::Position::new(line, 0),
            None => writer.position(start),
        };
        h.write_u32(position.line);
        h.write_u32(position.character);
        for diagnostic in inner {
            hash_diagnostic(&mut h, start, diagnostic);
        }
        h.finish()
    }

    /// Runs of the sorted diagnostics that lie inside one workload's range.
    fn by_range(&mut self, source: &Source<'_>, writer: &mut ElementWriter<'_>) {
        let shown;
        let diagnostics: &[Diagnostic] = if source.group {
            shown = published(source.catalog, source.findings);
            &shown
        } else {
            source.findings
        };
        let mut at = 0;
        let mut workload = 0;
        while at < diagnostics.len() {
            let first = &diagnostics[at];
            // Workloads are in file order and do not overlap, as the diagnostics are sorted.
            while workload < source.workloads.len()
                && source.workloads[workload].range.end < first.range.start
            {
                workload += 1;
            }
            let around = source
                .workloads
                .get(workload)
                .map(|w| w.range)
                .filter(|range| inside(first, *range));
            let Some(range) = around else {
                self.fresh(writer, first);
                at += 1;
                continue;
            };
            let run_end = at
                + diagnostics[at..]
                    .iter()
                    .take_while(|d| inside(d, range))
                    .count();
            let run = &diagnostics[at..run_end];
            let key = range_key(&self.hasher, source, range, writer, run);
            self.run(key, || write_all(writer, run, 0));
            at = run_end;
        }
    }
}

/// The line numbers of offsets in increasing order, counted as the rope counts line breaks
/// (`\n`, `\r\n`, a lone `\r`) over the text between one and the next: a document's
/// pieces cost one pass over its bytes, not a rope lookup each.
struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 0,
        }
    }

    /// The line that `offset` starts; `None` when it starts none (or lies before the last
    /// offset asked for, or past the end).
    fn line_starting_at(&mut self, offset: usize) -> Option<u32> {
        let text = self.text;
        let starts_line = match offset.checked_sub(1).map(|i| text.get(i)) {
            None => true,
            Some(Some(b'\n')) => true,
            Some(Some(b'\r')) => text.get(offset) != Some(&b'\n'),
            Some(_) => false,
        };
        if !starts_line || offset < self.offset || offset > text.len() {
            return None;
        }
        let between = &text[self.offset..offset];
        let (mut breaks, returns) = count_line_ends(between);
        if returns > 0 {
            breaks += (self.offset..offset)
                .filter(|i| text[*i] == b'\r' && text.get(i + 1) != Some(&b'\n'))
                .count();
        }
        self.offset = offset;
        self.line += breaks;
        u32::try_from(self.line).ok()
    }
}

/// How many `\n` and `\r` bytes `bytes` holds, in one pass. Counted in blocks of 255 into
/// byte-sized counters, which the compiler turns into wide vector compares: this runs over
/// the whole document on every publication.
fn count_line_ends(bytes: &[u8]) -> (usize, usize) {
    let mut newlines = 0;
    let mut returns = 0;
    for block in bytes.chunks(255) {
        let (n, r) = block.iter().fold((0u8, 0u8), |(n, r), b| {
            (n + u8::from(*b == b'\n'), r + u8::from(*b == b'\r'))
        });
        newlines += usize::from(n);
        returns += usize::from(r);
    }
    (newlines, returns)
}

/// Whether the analysis's pieces can each be published as one run: the file's findings that
/// start inside a piece's lines lie wholly inside them, and no piece's finding starts where
/// its lines end (where the next lines' findings would sort with it).
fn pieces_stand_alone(findings: &Findings) -> bool {
    let pieces = findings.workloads();
    if pieces.is_empty() {
        return false;
    }
    let file = findings.file_level();
    pieces.iter().all(|piece| {
        let lines = piece.lines();
        let first = file.partition_point(|d| d.range.start < lines.start);
        let last = file.partition_point(|d| d.range.start < lines.end);
        file[first..last].iter().all(|d| inside(d, lines)) && piece.ends_before(lines.end)
    })
}

/// The JSON of `run`'s diagnostics moved by `delta`, grouped when `source` asks for it.
fn write_run(
    writer: &mut ElementWriter<'_>,
    source: &Source<'_>,
    run: &[Diagnostic],
    delta: isize,
) -> Vec<u8> {
    let shown;
    let run = if source.group {
        shown = published(source.catalog, run);
        &shown
    } else {
        run
    };
    write_all(writer, run, delta)
}

/// The JSON of `run`'s diagnostics moved by `delta`, separated by commas.
fn write_all(writer: &mut ElementWriter<'_>, run: &[Diagnostic], delta: isize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (i, diagnostic) in run.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        writer.write_moved(diagnostic, delta, &mut bytes);
    }
    bytes
}

/// The frame: header, then the pieces in order inside the notification, separated by commas
/// (the pieces themselves are shared, not copied).
fn assemble(source: &Source<'_>, pieces: Vec<Bytes>) -> Message {
    let uri = serde_json::to_string(source.uri.as_str()).unwrap_or_else(|_| "\"\"".into());
    let head = format!(
        "{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{{\"uri\":{uri},\"diagnostics\":["
    );
    let tail = format!("],\"version\":{}}}}}", source.version);
    let commas = pieces.len().saturating_sub(1);
    let body = head.len() + tail.len() + commas + pieces.iter().map(Bytes::len).sum::<usize>();
    let mut out = Vec::with_capacity(2 * pieces.len() + 2);
    out.push(Bytes::from(format!("Content-Length: {body}\r\n\r\n{head}")));
    let comma = Bytes::from_static(b",");
    for (i, piece) in pieces.into_iter().enumerate() {
        if i > 0 {
            out.push(comma.clone());
        }
        out.push(piece);
    }
    out.push(Bytes::from(tail));
    Message::new(out)
}

/// Whether a diagnostic and all its related places lie inside `range`.
fn inside(diagnostic: &Diagnostic, range: TextRange) -> bool {
    range.contains_range(diagnostic.range)
        && diagnostic
            .related
            .iter()
            .all(|r| range.contains_range(r.range))
}

/// A hash of everything a run of a whole analysis is made from.
fn range_key(
    hasher: &FixedState,
    source: &Source<'_>,
    workload: TextRange,
    writer: &ElementWriter<'_>,
    run: &[Diagnostic],
) -> u64 {
    let mut h = hasher.build_hasher();
    let start = workload.start;
    h.write_u8(2);
    let position = writer.position(start);
    h.write_u32(position.line);
    h.write_u32(position.character);
    let body = source
        .text
        .get(workload.start..workload.end)
        .unwrap_or_default();
    h.write_usize(body.len());
    h.write(body.as_bytes());
    for diagnostic in run {
        hash_diagnostic(&mut h, start, diagnostic);
    }
    h.finish()
}

/// Hashes what `diagnostic`'s JSON is made from, its places relative to `start`.
fn hash_diagnostic(h: &mut FoldHasher, start: usize, diagnostic: &Diagnostic) {
    let relative = |h: &mut FoldHasher, range: TextRange| {
        h.write_usize(range.start.wrapping_sub(start));
        h.write_usize(range.end.wrapping_sub(start));
    };
    h.write(diagnostic.code.as_str().as_bytes());
    h.write(diagnostic.severity.as_str().as_bytes());
    relative(h, diagnostic.range);
    // What the message is written from, not the message: a missing control's is written
    // only when read (from its control, its scope and the model or agent named below).
    diagnostic.message.hash_inputs(h);
    let names = [
        diagnostic.control.as_deref(),
        diagnostic.workload.as_deref(),
        diagnostic.agent.as_deref(),
        diagnostic.model.as_deref(),
    ];
    for name in names {
        match name {
            Some(name) => {
                h.write_usize(name.len() + 1);
                h.write(name.as_bytes());
            }
            None => h.write_usize(0),
        }
    }
    h.write_usize(diagnostic.related.len());
    for related in &diagnostic.related {
        relative(h, related.range);
        h.write_usize(related.message.len());
        h.write(related.message.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::Converter;
    use genai_scope_analysis::AnalysisOptions;
    use genai_scope_analysis::incremental::{AnalysisCache, Previous, analyze_incremental};
    use genai_scope_syntax::text::Encoding;
    use ropey::Rope;
    use serde_json::{Value, json};

    /// The body of a frame, checking its header.
    fn body(frame: &[u8]) -> Value {
        let text = std::str::from_utf8(frame).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        serde_json::from_str(body).unwrap()
    }

    /// Publishes `text` (analysed reusing `previous`, as the server does) through `cache`
    /// and checks it against the protocol values of the diagnostics as shown; returns the
    /// file's state for the next edit.
    fn publish_and_check(
        text: &str,
        version: i32,
        previous: Option<Analysed>,
        group: bool,
        cache: &mut SerialisedRuns,
    ) -> Analysed {
        let uri: lsp::Uri = "file:///tmp/x.genai".parse().unwrap();
        // One set of options for the whole session, as a document keeps (a new environment
        // would analyse everything again).
        static OPTIONS: std::sync::LazyLock<AnalysisOptions> =
            std::sync::LazyLock::new(AnalysisOptions::default);
        let options = &*OPTIONS;
        let syntax = genai_scope_syntax::parse(text);
        let (analysis, analysis_cache) = match previous {
            Some(mut previous) => {
                let reuse = Previous {
                    text: &previous.text,
                    cache: &mut previous.cache,
                    reports: &mut previous.analysis.workloads,
                };
                analyze_incremental(Some(reuse), text, &syntax, options)
            }
            None => analyze_incremental(None, text, &syntax, options),
        };
        let rope = Rope::from_str(text);
        let converter = Converter {
            rope: &rope,
            encoding: Encoding::Utf16,
        };
        let extra = [lsp::Diagnostic {
            message: "the server's own".into(),
            ..Default::default()
        }];
        let source = Source {
            uri: &uri,
            version,
            text,
            catalog: analysis.catalog(),
            workloads: &analysis.workloads,
            findings: &analysis.diagnostics,
            group,
            extra: &extra,
        };
        let mut writer = ElementWriter::new(converter, &uri, analysis.catalog());
        let published = body(&frame(&source, &mut writer, cache).to_vec());
        let shown = match group {
            true => published_fresh(&analysis),
            false => analysis.diagnostics.to_vec(),
        };
        let mut expected: Vec<lsp::Diagnostic> = shown
            .iter()
            .map(|d| converter.diagnostic(&uri, analysis.catalog(), d, true))
            .collect();
        expected.extend(extra);
        let expected = json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": {"uri": uri, "diagnostics": expected, "version": version},
        });
        assert_eq!(published, expected, "version {version}, grouped {group}");
        Analysed {
            text: text.to_string(),
            analysis,
            cache: analysis_cache,
        }
    }

    /// A text with its analysis and the cache the next edit's analysis reuses.
    struct Analysed {
        text: String,
        analysis: genai_scope_analysis::Analysis,
        cache: AnalysisCache,
    }

    /// The grouped diagnostics of the whole analysis, grouped at once.
    fn published_fresh(analysis: &genai_scope_analysis::Analysis) -> Vec<Diagnostic> {
        published(analysis.catalog(), &analysis.diagnostics)
    }

    #[test]
    fn lines_are_counted_as_the_rope_counts_them() {
        let text = "a\nb\r\n😀 c\rd\r\r\n\n漢字\re\n";
        let rope = Rope::from_str(text);
        let mut counter = LineCounter::new(text);
        let mut starts = 0;
        for offset in 0..=text.len() {
            let Some(line) = counter.line_starting_at(offset) else {
                continue;
            };
            starts += 1;
            assert_eq!(line as usize, rope.byte_to_line(offset), "at {offset}");
            assert_eq!(rope.line_to_byte(line as usize), offset, "at {offset}");
        }
        assert_eq!(starts, rope.len_lines(), "every line start is found");
        // Offsets inside a line, or back before the last one, are not counted.
        let mut counter = LineCounter::new(text);
        assert_eq!(counter.line_starting_at(1), None);
        assert_eq!(counter.line_starting_at(4), None, "between \\r and \\n");
        assert_eq!(counter.line_starting_at(5), Some(2));
        assert_eq!(counter.line_starting_at(2), None);
        assert_eq!(counter.line_starting_at(text.len() + 1), None);
    }

    #[test]
    fn line_ends_are_counted_across_blocks() {
        // Longer than one block of the counter, with every kind of line end around its edges.
        let text = "ab\n😀\r\n漢\r".repeat(97);
        for end in [0, 1, 254, 255, 256, 511, text.len()] {
            let bytes = &text.as_bytes()[..end];
            let expected = (
                bytes.iter().filter(|b| **b == b'\n').count(),
                bytes.iter().filter(|b| **b == b'\r').count(),
            );
            assert_eq!(count_line_ends(bytes), expected, "first {end} bytes");
        }
    }

    #[test]
    fn each_publication_is_what_a_fresh_one_would_be_and_unchanged_workloads_are_reused() {
        for group in [true, false] {
            publications_through_edits(group);
        }
    }

    fn publications_through_edits(group: bool) {
        let workload = "workload \"w\" {\n  owner = \"o\"\n  description = \"d\"\n  scope = 3\n  audience = customers\n  model \"m\" { hosting = managed_api }\n  data \"d\" {\n    use = prompt\n    origin = users\n  }\n}\n";
        let mut text: String = (0..6)
            .map(|i| workload.replace("\"w\"", &format!("\"w-{i}\"")))
            .collect();
        let mut cache = SerialisedRuns::default();
        let mut state = publish_and_check(&text, 1, None, group, &mut cache);
        assert!(
            !state.analysis.diagnostics.workloads().is_empty(),
            "kept apart"
        );
        // Typing in the first workload's description: the others' JSON is reused.
        let at = text.find("\"d\"\n").unwrap() + 1;
        text.insert_str(at, "é😀");
        state = publish_and_check(&text, 2, Some(state), group, &mut cache);
        assert_eq!(cache.reused, 5);
        // A new line above every workload moves them all: nothing is reused.
        text.insert_str(0, "# note\n");
        state = publish_and_check(&text, 3, Some(state), group, &mut cache);
        assert_eq!(cache.reused, 0);
        // Edits that change findings, names, lines, or break the syntax; a suppression
        // comment keeps the analysis whole, and removing it splits it again.
        let edits: [(&str, &str); 8] = [
            ("scope = 3", "scope = 2"),
            ("\"w-3\"", "\"w-1\""),
            ("  owner = \"o\"\n", ""),
            ("audience = customers", "audience = customerz"),
            ("origin = users\n  }", "origin = users\n"),
            ("# note\n", "# genai-scope: ignore[missing-control]\n"),
            ("# genai-scope: ignore[missing-control]\n", "# note\n"),
            ("# note\n", ""),
        ];
        for (version, (from, to)) in (4..).zip(edits) {
            text = text.replacen(from, to, 1);
            state = publish_and_check(&text, version, Some(state), group, &mut cache);
        }
        for (version, example) in (100..).zip(genai_scope_test_support::example_texts()) {
            state = publish_and_check(&example, version, Some(state), group, &mut cache);
            state = publish_and_check(&example, version + 1000, Some(state), group, &mut cache);
            assert!(cache.reused > 0 || state.analysis.diagnostics.is_empty());
        }
    }
}
