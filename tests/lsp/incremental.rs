//! Incremental sync: random edit scripts sent as incremental changes leave the server with
//! the same syntax tree and diagnostics as a fresh open of the final text.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use super::client::{Client, position};

const PIECES: &[&str] = &[
    "",
    "x",
    " ",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "日本",
    "{",
    "}",
    "\"",
    "=",
    "#",
    "[",
    "]",
    ",",
    "control risk.threat_model {}",
    "model \"m\" { hosting = managed_api }",
    "training = fine_tuned",
    "workload \"w\" {",
    "owner = \"o\"",
];

const START: &str = include_str!("../../examples/scope3-support-assistant.genai");

/// A comparable view of diagnostics (the URI of related information differs).
fn comparable(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .map(|d| json!([d["range"], d["severity"], d["code"], d["message"]]))
        .collect()
}

fn syntax_tree(client: &mut Client, uri: &str) -> Value {
    client.call(
        "genaiScope/debugSyntaxTree",
        json!({"textDocument": {"uri": uri}}),
    )
}

/// Applies one edit at fractions of the text; returns the LSP change sent for it.
fn edit(text: &mut String, start: f64, delete: usize, insert: &str) -> Value {
    let mut from = ((text.len() as f64) * start) as usize;
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (from + delete).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    // Between `\r` and `\n` is no position an editor can send.
    let inside_crlf =
        |at: usize| at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n');
    if inside_crlf(from) {
        from -= 1;
    }
    if inside_crlf(to) {
        to += 1;
    }
    let change = json!({
        "range": {"start": position(text, from), "end": position(text, to)},
        "text": insert,
    });
    text.replace_range(from..to, insert);
    change
}

#[test]
fn random_incremental_edits_match_a_fresh_open() {
    let client = std::cell::RefCell::new(Client::start(&[("GENAI_SCOPE_TEST_HOOKS", "1")]));
    client.borrow_mut().initialize(json!({}));
    let case = std::cell::Cell::new(0);
    let script = prop::collection::vec(
        (
            0.0f64..=1.0,
            0usize..24,
            prop::sample::select(PIECES),
            1usize..4,
        ),
        1..24,
    );
    let mut runner = TestRunner::new(Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&script, |edits| {
            case.set(case.get() + 1);
            let uri = format!("file:///workspace/edited-{}.genai", case.get());
            let fresh = format!("file:///workspace/fresh-{}.genai", case.get());
            let mut client = client.borrow_mut();
            let mut text = START.to_string();
            client.open(&uri, &text);
            let mut version = 1;
            // Several changes per notification, as editors batch them.
            let mut pending = Vec::new();
            for (start, delete, insert, batch) in edits {
                pending.push(edit(&mut text, start, delete, insert));
                if pending.len() >= batch {
                    version += 1;
                    client.notify(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": pending}),
                    );
                    pending = Vec::new();
                }
            }
            if !pending.is_empty() {
                version += 1;
                client.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": pending}),
                );
            }
            let edited = client.diagnostics(&uri, Some(version));
            client.open(&fresh, &text);
            let opened = client.diagnostics(&fresh, Some(1));
            prop_assert_eq!(comparable(&edited), comparable(&opened), "text: {:?}", text);
            prop_assert_eq!(syntax_tree(&mut client, &uri), syntax_tree(&mut client, &fresh));
            for closing in [&uri, &fresh] {
                client.notify("textDocument/didClose", json!({"textDocument": {"uri": closing}}));
            }
            client.backlog.clear();
            Ok(())
        })
        .unwrap();
    client.into_inner().shutdown();
}

#[test]
fn a_flood_of_one_thousand_changes() {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    let uri = "file:///workspace/flood.genai";
    let mut text = String::new();
    client.open(uri, &text);
    let typed = "workload \"😀\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n}\n"
        .repeat(20);
    let mut version = 1;
    for c in typed.chars().take(1000) {
        version += 1;
        let at = position(&text, text.len());
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": c.to_string()}]}),
        );
        text.push(c);
    }
    let edited = client.diagnostics(uri, Some(version));
    client.open("file:///workspace/flood-fresh.genai", &text);
    let fresh = client.diagnostics("file:///workspace/flood-fresh.genai", Some(1));
    assert_eq!(comparable(&edited), comparable(&fresh));
    client.shutdown();
}
