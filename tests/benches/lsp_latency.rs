//! Latency harness (not a test) for the real server over stdio, as an editor drives it.
//!
//! For documents of about 100, 2,000 and 20,000 lines (17-line scope-3 workloads with an agent), in
//! the default settings (a workload's missing controls grouped into one diagnostic) and with
//! per-control diagnostics (`groupMissingControls = false`), it types one character at a time
//! into the first workload's description and reports, per edit:
//! - **server**: from writing the `didChange` to the first byte of its `publishDiagnostics`
//!   arriving (the server's own time, plus a pipe hand-over each way);
//! - **end to end**: until the publication has been read whole and parsed by the client;
//! - the publication's size in bytes, and what each diagnostic field costs of it.
//!
//! Then, in a fresh server each, the peak resident memory (`VmHWM` of `/proc/PID/status`)
//! with 100 open documents of 100 and of 2,000 lines, and with the 2,000- and 20,000-line
//! documents and 100 small ones open.
//!
//! `-- latency` or `-- memory` after the command runs one half only; in the latency half,
//! `grouped` or `per-control` runs one setting only and a number (`2000`) one size only.
//!
//! Run against a release build:
//! `cargo build --release -p genai-scope && GENAI_SCOPE_BIN=$PWD/target/release/genai-scope cargo bench -p genai-scope --bench lsp_latency`

#[path = "../support/lib.rs"]
#[allow(dead_code)]
mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One scope-3 workload with an agent, with many findings of the v2 catalog and of the
/// agentic axis (the issue's dense case; the examples declare most of their controls).
const WORKLOAD: &str = r#"workload "support-assistant" {
  owner       = "support-platform@example.com"
  description = "Answers customer questions from the help-center articles"
  scope       = 3
  audience    = customers
  outputs     = [rendered, stored]
  model "assistant" { hosting = managed_api }
  data "customer-messages" {
    classification = confidential
    use            = prompt
    origin         = users
  }
  agent "helper" {
    model = "assistant"
    tool "refund" { effect = write }
  }
}
"#;

/// A document of about `lines` lines: [`WORKLOAD`] repeated, renamed apart.
fn document(lines: usize) -> String {
    let per = WORKLOAD.lines().count();
    let mut text = String::new();
    for i in 0..lines.div_ceil(per) {
        text.push_str(&WORKLOAD.replace("\"support-assistant\"", &format!("\"support-{i}\"")));
    }
    text
}

/// One message from the server, with when its first byte arrived and when it was parsed.
struct Received {
    first_byte: Instant,
    parsed: Instant,
    bytes: usize,
    message: Value,
}

/// A bare client: its reader thread timestamps each message's first byte.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Received>,
    next_id: i64,
}

impl Client {
    fn start(initialization_options: Value) -> Client {
        let mut child = Command::new(support::binary())
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start genai-scope lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 16, stdout);
            loop {
                // Blocks until something arrives (or is already buffered).
                if reader.fill_buf().map_or(true, |b| b.is_empty()) {
                    return;
                }
                let first_byte = Instant::now();
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                let received = Received {
                    first_byte,
                    parsed: Instant::now(),
                    bytes: length,
                    message,
                };
                if sender.send(received).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            next_id: 0,
        };
        client.next_id += 1;
        // Declares, as VS Code and Neovim do, that it shows related information (the server
        // sends it only then).
        client.send(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": null, "workspaceFolders": null,
            "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": true}}},
            "initializationOptions": initialization_options}}),
        );
        client.wait(|m| m["id"] == 1);
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Received {
        loop {
            let received = self
                .incoming
                .recv_timeout(Duration::from_secs(60))
                .expect("a message from the server");
            if pred(&received.message) {
                return received;
            }
        }
    }

    fn publication(&mut self, uri: &str, version: i64) -> Received {
        self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        })
    }

    fn open(&mut self, uri: &str, text: &str) -> Received {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "genai", "version": 1, "text": text}}),
        );
        self.publication(uri, 1)
    }

    fn shutdown(mut self) {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
        self.wait(|m| m["id"] == id);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

/// The LSP position of byte `offset` (UTF-16; the documents are ASCII).
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": character})
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn summary(samples: &mut [Duration]) -> String {
    samples.sort();
    format!(
        "median {:>9.3?}  p90 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
        percentile(samples, 0.5),
        percentile(samples, 0.9),
        percentile(samples, 0.99),
        samples[samples.len() - 1],
    )
}

fn measure(client: &mut Client, lines: usize, edits: usize) {
    let uri = format!("file:///bench/doc-{lines}.genai");
    let mut text = document(lines);
    client.open(&uri, &text);
    let mut server = Vec::with_capacity(edits);
    let mut end_to_end = Vec::with_capacity(edits);
    let mut last = None;
    // Type into the first workload's description, as a person would.
    let at = text.find("description = \"").expect("a description") + "description = \"".len();
    for i in 0..edits {
        let version = i as i64 + 2;
        let insert = if i % 2 == 0 { "x" } else { "y" };
        let change = json!({"range": {"start": position(&text, at), "end": position(&text, at)}, "text": insert});
        text.insert_str(at, insert);
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        let published = client.publication(&uri, version);
        server.push(published.first_byte - started);
        end_to_end.push(published.parsed - started);
        last = Some(published);
    }
    let last = last.expect("at least one edit");
    let diagnostics = last.message["params"]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    println!(
        "{:>6} lines ({:>7} bytes), {diagnostics:>5} diagnostics, publication {:>8} bytes ({} per diagnostic), {edits} edits",
        text.lines().count(),
        text.len(),
        last.bytes,
        last.bytes / diagnostics.max(1),
    );
    println!("    server (to first byte)  {}", summary(&mut server));
    println!("    end to end (parsed)     {}", summary(&mut end_to_end));
    if lines >= 2_000 {
        field_costs(&last.message["params"]["diagnostics"]);
    }
}

/// The bytes each field of the diagnostics takes in the publication (`"key":value,`), with
/// `data`'s own keys apart.
fn field_costs(diagnostics: &Value) {
    let mut costs: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = |prefix: &str, object: &serde_json::Map<String, Value>| {
        for (key, value) in object {
            let bytes = key.len() + 4 + serde_json::to_string(value).unwrap().len();
            *costs.entry(format!("{prefix}{key}")).or_default() += bytes;
        }
    };
    for diagnostic in diagnostics.as_array().into_iter().flatten() {
        if let Some(object) = diagnostic.as_object() {
            count("", object);
            if let Some(data) = diagnostic["data"].as_object() {
                count("data.", data);
            }
        }
    }
    let fields: Vec<String> = costs
        .iter()
        .map(|(key, bytes)| format!("{key} {bytes}"))
        .collect();
    println!("    bytes per field: {}", fields.join(", "));
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

const PER_CONTROL: &str = "per-control diagnostics";

fn settings(name: &str) -> Value {
    if name == PER_CONTROL {
        json!({"genaiScope": {"diagnostics": {"groupMissingControls": false}}})
    } else {
        json!({})
    }
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
    let halves = ["latency", "memory"];
    let wants = |part: &str| {
        !only.iter().any(|a| halves.contains(&a.as_str())) || only.iter().any(|a| a == part)
    };
    let sizes: Vec<usize> = only.iter().filter_map(|a| a.parse().ok()).collect();
    let settings_asked: Vec<&str> = only
        .iter()
        .map(String::as_str)
        .filter(|a| ["grouped", "per-control"].contains(a))
        .collect();
    println!("server: {}", support::binary().display());
    if wants("latency") {
        for (short, name) in [
            ("grouped", "default (grouped missing controls)"),
            ("per-control", PER_CONTROL),
        ] {
            if !settings_asked.is_empty() && !settings_asked.contains(&short) {
                continue;
            }
            println!("{name}:");
            let mut client = Client::start(settings(name));
            for (lines, edits) in [(100, 300), (2_000, 300), (20_000, 60)] {
                if sizes.is_empty() || sizes.contains(&lines) {
                    measure(&mut client, lines, edits);
                }
            }
            client.shutdown();
        }
    }
    if wants("memory") {
        for lines in [100, 2_000] {
            let text = document(lines);
            let documents: Vec<&str> = vec![&text; 100];
            peak_memory(
                &format!(
                    "100 open documents of {} lines ({} bytes each)",
                    text.lines().count(),
                    text.len()
                ),
                &documents,
            );
        }
        let (small, large, larger) = (document(100), document(2_000), document(20_000));
        let mut documents: Vec<&str> = vec![&large, &larger];
        documents.extend(std::iter::repeat_n(small.as_str(), 100));
        peak_memory(
            &format!(
                "documents of {} and {} lines and 100 of {} lines",
                large.lines().count(),
                larger.lines().count(),
                small.lines().count()
            ),
            &documents,
        );
    }
}

fn peak_memory(what: &str, documents: &[&str]) {
    let mut client = Client::start(json!({}));
    for (i, text) in documents.iter().enumerate() {
        client.open(&format!("file:///bench/open-{i}.genai"), text);
    }
    let pid = client.child.id();
    match peak_rss_kib(pid) {
        Some(kib) => println!(
            "{what}: server peak resident memory (VmHWM) {:.1} MB",
            kib as f64 / 1024.0
        ),
        None => println!("peak resident memory: /proc/{pid}/status not readable"),
    }
    client.shutdown();
}
