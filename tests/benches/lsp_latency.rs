//! Latency harness (not a test): change-to-diagnostics time of the real server over stdio on
//! 100-, 2,000- and 20,000-line documents (median and p99), and its peak resident memory
//! (`VmHWM` of the server process, from `/proc/PID/status`) with 100 open documents of 100
//! and of 2,000 lines, each opened and its diagnostics received in turn.
//!
//! `-- latency` or `-- memory` after the command runs one half only.
//!
//! Run against a release build:
//! `cargo build --release -p genai-scope && GENAI_SCOPE_BIN=$PWD/target/release/genai-scope cargo bench -p genai-scope --bench lsp_latency`

#[path = "../support/lib.rs"]
#[allow(dead_code)]
mod support;

#[path = "../lsp/client.rs"]
#[allow(dead_code)]
mod client;

use std::time::{Duration, Instant};

use client::{Client, position};
use serde_json::json;

/// A document of about `lines` lines: scope-3 workloads with comments.
fn document(lines: usize) -> String {
    let workload = include_str!("../../examples/scope3-support-assistant.genai");
    let per = workload.lines().count();
    let mut text = String::new();
    for i in 0..lines.div_ceil(per) {
        text.push_str(&workload.replace("\"support-assistant\"", &format!("\"support-{i}\"")));
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn measure(client: &mut Client, lines: usize, edits: usize) {
    let uri = format!("file:///bench/doc-{lines}.genai");
    let mut text = document(lines);
    client.open(&uri, &text);
    client.diagnostics(&uri, Some(1));
    let mut samples = Vec::with_capacity(edits);
    for i in 0..edits {
        let version = i as i64 + 2;
        // Type into the first comment line, as a person would.
        let at = text.find('\n').unwrap();
        let insert = if i % 2 == 0 { "x" } else { "y" };
        let change = json!({"range": {"start": position(&text, at), "end": position(&text, at)}, "text": insert});
        text.insert_str(at, insert);
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        // The clock stops when the notification has arrived and been parsed; copying its
        // diagnostics out (`Client::diagnostics`) and dropping them is the harness's cost.
        let published = client.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && m["params"]["version"] == json!(version)
        });
        samples.push(started.elapsed());
        drop(published);
        client.backlog.clear();
    }
    samples.sort();
    println!(
        "{:>6} lines ({:>8} bytes): change→diagnostics median {:>9.3?}  p90 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}  ({edits} edits)",
        text.lines().count(),
        text.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.9),
        percentile(&samples, 0.99),
        samples[samples.len() - 1],
    );
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for the list
    }
    // `-- latency` or `-- memory` runs one half only (handy under a profiler).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |part: &str| only.is_empty() || only.iter().any(|a| a == part);
    println!("server: {}", client::binary().display());
    if wants("latency") {
        let mut client = Client::start(&[]);
        client.initialize(json!({}));
        for (lines, edits) in [(100, 300), (2_000, 300), (20_000, 100)] {
            measure(&mut client, lines, edits);
        }
        client.shutdown();
    }
    if wants("memory") {
        for lines in [100, 2_000] {
            peak_memory_with_100_documents(lines);
        }
    }
}

fn peak_memory_with_100_documents(lines: usize) {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    let text = document(lines);
    for i in 0..100 {
        let uri = format!("file:///bench/open-{i}.genai");
        client.open(&uri, &text);
        client.diagnostics(&uri, Some(1));
        client.backlog.clear();
    }
    let pid = client.pid();
    match peak_rss_kib(pid) {
        Some(kib) => println!(
            "100 open documents of {:>5} lines ({:>6} bytes each): server peak resident memory (VmHWM) {:.1} MB",
            text.lines().count(),
            text.len(),
            kib as f64 / 1024.0
        ),
        None => println!("peak resident memory: /proc/{pid}/status not readable"),
    }
    client.shutdown();
}
