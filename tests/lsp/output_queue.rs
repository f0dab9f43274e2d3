//! Bounded output: a client that stops reading while edits keep arriving. Publications are
//! coalesced per document, so what waits for the client is one publication per document,
//! whatever the number of edits, and the client gets the newest diagnostics when it reads on.

use serde_json::{Value, json};

use super::client::Client;

const URI: &str = "file:///workspace/typing.genai";

/// A scope-3 workload without controls: many findings, so each publication is over a KB.
const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  description = \"\"\n  scope = 3\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

const EDITS: usize = 20_000;

fn publications(client: &mut Client) -> Vec<Value> {
    // Everything received before the newest, in order (the newest was taken out).
    let mut all: Vec<Value> = std::mem::take(&mut client.backlog);
    all.retain(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI);
    all
}

#[test]
fn a_client_that_stops_reading_gets_the_newest_diagnostics_and_the_queue_stays_bounded() {
    let mut client = Client::start(&[("GENAI_SCOPE_TEST_HOOKS", "1")]);
    client.timeout = std::time::Duration::from_secs(120);
    client.initialize(json!({}));
    client.open(URI, TEXT);
    let first = client
        .wait(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI);
    let publication_bytes = first.to_string().len();
    assert!(
        publication_bytes > 1_000,
        "{publication_bytes} bytes: {first}"
    );
    let (_, peak_before) = client.memory_kib();

    client.pause_reading();
    let quote = TEXT.find("description = \"").unwrap() + "description = \"".len();
    let column = quote - (TEXT[..quote].rfind('\n').unwrap() + 1);
    for i in 0..EDITS {
        let position = json!({"line": 2, "character": column + i});
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": i + 2},
                "contentChanges": [{"range": {"start": position, "end": position}, "text": "x"}],
            }),
        );
    }
    // A request behind the edits: its answer comes after they are all applied.
    let id = client.send_request("genaiScope/debugOutbox", Value::Null);
    client.resume_reading();
    let statistics = client.response(id)["result"].clone();
    let latest = client.diagnostics(URI, Some(EDITS as i64 + 1));
    let (_, peak_after) = client.memory_kib();
    let received = publications(&mut client);

    let most_messages = statistics["mostMessages"].as_u64().unwrap();
    let most_bytes = statistics["mostBytes"].as_u64().unwrap() as usize;
    let replaced = statistics["replacedPublications"].as_u64().unwrap();
    eprintln!(
        "{EDITS} edits while the client did not read: {} publications delivered before the \
         last, {replaced} replaced unsent; the queue held at most {most_messages} messages \
         ({most_bytes} bytes); peak resident memory {} MiB before, {} MiB after",
        received.len(),
        peak_before / 1024,
        peak_after / 1024,
    );
    assert!(!latest.is_empty());
    // The client stalled the server's output: some publications were replaced unsent...
    assert!(replaced > 0, "{statistics}");
    // ...so what waited was one publication (and one answer) at a time.
    assert!(most_messages <= 2, "{statistics}");
    assert!(most_bytes <= 2 * publication_bytes + 1024, "{statistics}");
    // Nothing is lost either: every publication delivered is one of this document's
    // versions, in order, and the newest comes last.
    let versions: Vec<i64> = received
        .iter()
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert!(versions.iter().all(|v| *v <= EDITS as i64), "{versions:?}");
    assert!(client.shutdown().success());
}
