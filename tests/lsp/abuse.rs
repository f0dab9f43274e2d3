//! Abuse over the protocol: a 50 MB document (over the default size limit) with the server's
//! memory watched, a flood of small changes, and requests cancelled while in flight.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::client::Client;

const BIG: &str = "file:///workspace/fifty-megabytes.genai";
const SMALL: &str = "file:///workspace/small.genai";

/// Peak resident memory allowed while a 50 MB document is open. Measured (debug build): 15 MiB
/// idle, 171 MiB with the document open, a peak of 210 MiB (the frame, the parsed message, the
/// rope and the kept text); the bound leaves room for allocator differences.
const MAX_PEAK_MIB: u64 = 400;

const SMALL_TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  description = \"\"\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

fn mib(kib: u64) -> u64 {
    kib / 1024
}

/// The diagnostics as a comparable list: code, message and range.
fn summary(diagnostics: &[Value]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].to_string(),
                d["message"].to_string(),
                d["range"].to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_50_mb_document_gets_one_diagnostic_quickly_and_memory_stays_bounded() {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    let (rss_idle, _) = client.memory_kib();

    let workload = include_str!("../../examples/scope3-support-assistant.genai");
    let big = workload.repeat(50 * 1000 * 1000 / workload.len() + 1);
    assert!(big.len() > 50_000_000);
    let started = Instant::now();
    client.open(BIG, &big);
    let diagnostics = client.diagnostics(BIG, Some(1));
    let answered = started.elapsed();
    let (rss_open, peak_open) = client.memory_kib();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.contains("not analysed") && message.contains(&big.len().to_string()),
        "{message}"
    );
    // The only diagnostic sits on the first line.
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert_eq!(diagnostics[0]["range"]["end"]["line"], 0);
    // Requests on it are answered (from the unanalysed state) rather than analysing it.
    let symbols = client.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": BIG}}),
    );
    assert!(symbols.as_array().is_none_or(Vec::is_empty), "{symbols}");
    drop(big);

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": BIG}}),
    );
    assert!(client.diagnostics(BIG, None).is_empty());
    let (rss_closed, _) = client.memory_kib();

    // A flood of small changes to another document, each typing one character.
    client.open(SMALL, SMALL_TEXT);
    client.diagnostics(SMALL, Some(1));
    let mut text = SMALL_TEXT.to_string();
    let quote = SMALL_TEXT.find("description = \"").unwrap() + "description = \"".len();
    let line_start = SMALL_TEXT[..quote].rfind('\n').unwrap() + 1;
    let flood = Instant::now();
    for i in 0..2_000usize {
        let c = char::from(b'a' + (i % 26) as u8);
        let at = quote + i;
        let position = json!({"line": 2, "character": at - line_start});
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": SMALL, "version": i + 2},
                "contentChanges": [{
                    "range": {"start": position, "end": position},
                    "text": c.to_string(),
                }],
            }),
        );
        text.insert(at, c);
    }
    let after_flood = client.diagnostics(SMALL, Some(2_001));
    let flooded = flood.elapsed();
    // The edited document means what the same text opened afresh means.
    client.open("file:///workspace/fresh.genai", &text);
    let fresh = client.diagnostics("file:///workspace/fresh.genai", Some(1));
    assert_eq!(summary(&after_flood), summary(&fresh));
    let symbols = client.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": SMALL}}),
    );
    assert_eq!(symbols[0]["name"], "w", "{symbols}");
    let (rss_end, peak) = client.memory_kib();

    eprintln!(
        "50 MB document: one diagnostic after {answered:?}; resident memory idle {} MiB, \
         with the document open {} MiB (peak {} MiB), after closing it {} MiB; \
         2,000 changes answered in {flooded:?}; at the end {} MiB (peak {} MiB)",
        mib(rss_idle),
        mib(rss_open),
        mib(peak_open),
        mib(rss_closed),
        mib(rss_end),
        mib(peak),
    );
    assert!(
        answered < Duration::from_secs(10),
        "the size limit answered after {answered:?}"
    );
    assert!(
        mib(peak) < MAX_PEAK_MIB,
        "peak resident memory {} MiB",
        mib(peak)
    );
    assert!(client.shutdown().success());
}

#[test]
fn cancelled_requests_are_answered_or_cancelled_and_the_server_keeps_serving() {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    // Large enough that analysing it and answering takes a while (debug build): about 20,000
    // lines (the v2 example is some 130 lines long).
    let workload = include_str!("../../examples/scope3-support-assistant.genai");
    let copies = 20_000 / workload.lines().count();
    let text = workload.repeat(copies);
    // Formatting it takes tens of seconds in a debug build on a busy machine; the test is
    // about what is answered, not how fast.
    client.timeout = Duration::from_secs(120);
    client.open(BIG, &text);
    client.diagnostics(BIG, Some(1));

    let requests = [
        (
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": BIG}}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": {"uri": BIG}, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": BIG}}),
        ),
        (
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": BIG}}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": BIG}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9999, "character": 0}}, "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": BIG}, "position": {"line": 3, "character": 4}}),
        ),
    ];
    let (mut answered, mut cancelled) = (0, 0);
    for round in 0..4 {
        // A change first, so that the request has to analyse the document again.
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": BIG, "version": round + 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# edited\n"}]}),
        );
        let ids: Vec<i64> = requests
            .iter()
            .map(|(method, params)| client.send_request(method, params.clone()))
            .collect();
        for id in &ids {
            client.notify("$/cancelRequest", json!({"id": id}));
        }
        for id in ids {
            let response = client.response(id);
            if response.get("result").is_some() {
                answered += 1;
            } else {
                assert_eq!(response["error"]["code"], -32800, "{response}");
                cancelled += 1;
            }
        }
    }
    // Cancelling what was already answered, or what never was, changes nothing.
    client.notify("$/cancelRequest", json!({"id": 1}));
    client.notify("$/cancelRequest", json!({"id": 987_654}));
    client.notify("$/cancelRequest", json!({"id": "no-such-request"}));
    eprintln!("cancelled requests: {answered} answered anyway, {cancelled} cancelled");

    let symbols = client.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": BIG}}),
    );
    assert_eq!(symbols.as_array().unwrap().len(), copies);
    assert!(client.is_running());
    assert!(client.shutdown().success());
}
