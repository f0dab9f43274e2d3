//! `textDocument/publishDiagnostics`, written as one frame whose cost follows the edit: the
//! JSON of each run of a workload's diagnostics is kept from the last publication and copied
//! again when neither the diagnostics nor where the workload stands changed.
//!
//! A run is a stretch of consecutive diagnostics (in published order) whose ranges, related
//! ones included, lie inside one workload. Its JSON depends only on those diagnostics, their
//! offsets from the workload's start, the workload's text (which fixes the line and column of
//! every offset inside it) and the protocol position of its start; a hash of all of these
//! names the run's JSON. Everything else (diagnostics outside every workload, the server's
//! own) is serialised anew each time.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use foldhash::fast::{FixedState, FoldHasher};

use genai_scope_analysis::WorkloadReport;
use genai_scope_analysis::diagnostic::Diagnostic;
use genai_scope_syntax::text::TextRange;
use tower_lsp_server::ls_types as lsp;

use crate::convert::ElementWriter;

/// The JSON of each run of the last publication of one document, by the hash of what it was
/// made from. Cleared when the document's settings change (the links of custom controls
/// come from the project's catalog).
#[derive(Default)]
pub struct SerialisedRuns {
    runs: HashMap<u64, Vec<u8>>,
    /// How many runs the last publication took from the one before.
    reused: usize,
}

impl SerialisedRuns {
    pub fn clear(&mut self) {
        self.runs = HashMap::new();
    }
}

/// What a publication is written from.
pub struct Source<'a> {
    pub uri: &'a lsp::Uri,
    pub version: i32,
    pub text: &'a str,
    pub workloads: &'a [WorkloadReport],
    /// In published order (sorted by position).
    pub diagnostics: &'a [Diagnostic],
    /// The server's own, after the analysis's.
    pub extra: &'a [lsp::Diagnostic],
}

enum Piece {
    Cached(u64),
    Fresh(Vec<u8>),
}

/// The whole frame (header and JSON body) of the `publishDiagnostics` notification of
/// `source`, reusing and refreshing `cache`.
pub fn frame<'a>(
    source: &Source<'a>,
    writer: &mut ElementWriter<'a>,
    cache: &mut SerialisedRuns,
) -> Vec<u8> {
    let mut previous = std::mem::take(&mut cache.runs);
    cache.reused = 0;
    let mut pieces: Vec<Piece> = Vec::new();
    let hasher = FixedState::with_seed(0x9e37_79b9);
    let mut at = 0;
    let mut workload = 0;
    while at < source.diagnostics.len() {
        let first = &source.diagnostics[at];
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
            let mut fresh = Vec::new();
            writer.write(first, &mut fresh);
            pieces.push(Piece::Fresh(fresh));
            at += 1;
            continue;
        };
        let run_end = at
            + source.diagnostics[at..]
                .iter()
                .take_while(|d| inside(d, range))
                .count();
        let run = &source.diagnostics[at..run_end];
        let key = run_key(&hasher, source.text, range, writer, run);
        let reused = previous.remove(&key);
        cache.reused += usize::from(reused.is_some());
        let bytes = reused.unwrap_or_else(|| {
            let mut fresh = Vec::new();
            for (i, diagnostic) in run.iter().enumerate() {
                if i > 0 {
                    fresh.push(b',');
                }
                writer.write(diagnostic, &mut fresh);
            }
            fresh
        });
        cache.runs.insert(key, bytes);
        pieces.push(Piece::Cached(key));
        at = run_end;
    }
    for extra in source.extra {
        if let Ok(bytes) = serde_json::to_vec(extra) {
            pieces.push(Piece::Fresh(bytes));
        }
    }

    let uri = serde_json::to_string(source.uri.as_str()).unwrap_or_else(|_| "\"\"".into());
    let head = format!(
        "{{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{{\"uri\":{uri},\"diagnostics\":["
    );
    let tail = format!("],\"version\":{}}}}}", source.version);
    let piece_bytes = |piece: &Piece| -> usize {
        match piece {
            Piece::Cached(key) => cache.runs.get(key).map_or(0, Vec::len),
            Piece::Fresh(bytes) => bytes.len(),
        }
    };
    let commas = pieces.len().saturating_sub(1);
    let body = head.len() + tail.len() + commas + pieces.iter().map(piece_bytes).sum::<usize>();
    let header = format!("Content-Length: {body}\r\n\r\n");
    let mut out = Vec::with_capacity(header.len() + body);
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(head.as_bytes());
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match piece {
            Piece::Cached(key) => {
                out.extend_from_slice(cache.runs.get(key).map_or(&[][..], Vec::as_slice))
            }
            Piece::Fresh(bytes) => out.extend_from_slice(bytes),
        }
    }
    out.extend_from_slice(tail.as_bytes());
    out
}

/// Whether a diagnostic and all its related places lie inside `range`.
fn inside(diagnostic: &Diagnostic, range: TextRange) -> bool {
    range.contains_range(diagnostic.range)
        && diagnostic
            .related
            .iter()
            .all(|r| range.contains_range(r.range))
}

/// A hash of everything a run's JSON is made from.
fn run_key(
    hasher: &FixedState,
    text: &str,
    workload: TextRange,
    writer: &ElementWriter<'_>,
    run: &[Diagnostic],
) -> u64 {
    let mut h = hasher.build_hasher();
    let start = workload.start;
    let position = writer.position(start);
    h.write_u32(position.line);
    h.write_u32(position.character);
    let body = text.get(workload.start..workload.end).unwrap_or_default();
    h.write_usize(body.len());
    h.write(body.as_bytes());
    let relative = |h: &mut FoldHasher, range: TextRange| {
        h.write_usize(range.start - start);
        h.write_usize(range.end - start);
    };
    for diagnostic in run {
        h.write(diagnostic.code.as_str().as_bytes());
        h.write(diagnostic.severity.as_str().as_bytes());
        relative(&mut h, diagnostic.range);
        h.write_usize(diagnostic.message.len());
        h.write(diagnostic.message.as_bytes());
        for name in [&diagnostic.control, &diagnostic.workload] {
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
            relative(&mut h, related.range);
            h.write_usize(related.message.len());
            h.write(related.message.as_bytes());
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::Converter;
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

    /// Publishes `text` through `cache` and checks it against the protocol values.
    fn publish_and_check(text: &str, version: i32, cache: &mut SerialisedRuns) {
        let uri: lsp::Uri = "file:///tmp/x.genai".parse().unwrap();
        let analysis = genai_scope_analysis::analyze(text, &Default::default());
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
            workloads: &analysis.workloads,
            diagnostics: &analysis.diagnostics,
            extra: &extra,
        };
        let mut writer = ElementWriter::new(converter, &uri, analysis.catalog());
        let published = body(&frame(&source, &mut writer, cache));
        let mut expected: Vec<lsp::Diagnostic> = analysis
            .diagnostics
            .iter()
            .map(|d| converter.diagnostic(&uri, analysis.catalog(), d, true))
            .collect();
        expected.extend(extra);
        let expected = json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": {"uri": uri, "diagnostics": expected, "version": version},
        });
        assert_eq!(published, expected, "version {version}");
    }

    #[test]
    fn each_publication_is_what_a_fresh_one_would_be_and_unchanged_workloads_are_reused() {
        let workload = "workload \"w\" {\n  owner = \"o\"\n  description = \"d\"\n  scope = 3\n  audience = customers\n  model \"m\" { hosting = managed_api }\n  data \"d\" {\n    use = prompt\n    origin = users\n  }\n}\n";
        let mut text: String = (0..6)
            .map(|i| workload.replace("\"w\"", &format!("\"w-{i}\"")))
            .collect();
        let mut cache = SerialisedRuns::default();
        publish_and_check(&text, 1, &mut cache);
        // Typing in the first workload's description: the others' JSON is reused.
        let at = text.find("\"d\"\n").unwrap() + 1;
        text.insert_str(at, "é😀");
        publish_and_check(&text, 2, &mut cache);
        assert!(cache.reused >= 5, "reused {}", cache.reused);
        // A new line above every workload moves them all: nothing is reused.
        text.insert_str(0, "# note\n");
        publish_and_check(&text, 3, &mut cache);
        assert_eq!(cache.reused, 0);
        // Edits that change findings, names, lines, or break the syntax.
        let edits: [(&str, &str); 6] = [
            ("scope = 3", "scope = 2"),
            ("\"w-3\"", "\"w-1\""),
            ("  owner = \"o\"\n", ""),
            ("audience = customers", "audience = customerz"),
            ("origin = users\n  }", "origin = users\n"),
            ("# note\n", ""),
        ];
        for (version, (from, to)) in (4..).zip(edits) {
            text = text.replacen(from, to, 1);
            publish_and_check(&text, version, &mut cache);
        }
        for (version, example) in (100..).zip(genai_scope_test_support::example_texts()) {
            publish_and_check(&example, version, &mut cache);
            publish_and_check(&example, version + 1000, &mut cache);
        }
    }
}
