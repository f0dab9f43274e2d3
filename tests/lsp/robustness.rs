//! The server answers, and stays up, whatever the client sends.

use std::time::Instant;

use serde_json::json;

use super::client::Client;

const URI: &str = "file:///workspace/r.genai";

fn alive(client: &mut Client) {
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert!(hover.get("result").is_some() || hover.get("error").is_some());
    assert!(client.is_running());
}

#[test]
fn requests_before_initialize_and_after_shutdown_are_refused() {
    let mut client = Client::start(&[]);
    let early = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.initialize(json!({}));
    client.call("shutdown", json!(null));
    let late = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert!(late["error"]["code"].is_i64(), "{late}");
}

#[test]
fn unknown_documents_methods_and_out_of_range_positions() {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    let unknown = client.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nope.genai"}, "position": {"line": 0, "character": 0}}));
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
    let method = client.request("genaiScope/noSuchMethod", json!({}));
    assert_eq!(method["error"]["code"], -32601, "{method}");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": "file:///never-opened.genai", "version": 2}, "contentChanges": [{"text": "x"}]}));
    client.open(URI, "workload \"w\" { owner = \"o\" }\n");
    client.diagnostics(URI, Some(1));
    for position in [
        json!({"line": 9999, "character": 9999}),
        json!({"line": 0, "character": 4_000_000_000u64}),
    ] {
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
            "textDocument/prepareRename",
        ] {
            let response = client.request(
                method,
                json!({"textDocument": {"uri": URI}, "position": position}),
            );
            assert!(response.get("error").is_none(), "{method}: {response}");
        }
    }
    let reversed = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 50, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    assert!(reversed.get("error").is_none(), "{reversed}");
    // Past-the-end incremental change: clamped, not a crash.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": {"start": {"line": 99, "character": 0}, "end": {"line": 120, "character": 5}}, "text": "# tail"}]}),
    );
    client.diagnostics(URI, Some(2));
    alive(&mut client);
    client.shutdown();
}

#[test]
fn malformed_json_rpc_does_not_stop_the_server() {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    client.open(URI, "");
    client.diagnostics(URI, Some(1));
    // A body that is not JSON, then one that is JSON but not JSON-RPC.
    for body in ["{not json", "[1, 2, 3]"] {
        client.send_raw(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    }
    alive(&mut client);
    client.shutdown();
}

#[test]
fn a_panic_in_a_handler_is_an_error_and_the_server_keeps_serving() {
    let mut client = Client::start(&[("GENAI_SCOPE_TEST_HOOKS", "1")]);
    client.initialize(json!({}));
    client.open(URI, "workload \"w\" { owner = \"o\" }\n");
    client.diagnostics(URI, Some(1));
    let response = client.request(
        "genaiScope/debugPanic",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(response["error"]["code"], -32603, "{response}");
    assert!(
        response["error"]["message"]
            .as_str()
            .unwrap()
            .contains("deliberate panic")
    );
    let symbols = client.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(symbols[0]["name"], "w");
    client.shutdown();
}

#[test]
fn huge_garbage_and_deeply_nested_documents_are_answered() {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    let workload = include_str!("../../examples/scope3-support-assistant.genai");
    let big = workload.repeat(10 * 1024 * 1024 / workload.len() + 1);
    client.timeout = std::time::Duration::from_secs(300);
    let started = Instant::now();
    client.open("file:///workspace/big.genai", &big);
    let diagnostics = client.diagnostics("file:///workspace/big.genai", Some(1));
    eprintln!(
        "a {} MB document was analysed in {:?}",
        big.len() / 1_000_000,
        started.elapsed()
    );
    assert!(!diagnostics.is_empty());
    let garbage: String = (0..50_000u32)
        .map(|i| char::from_u32((i * 7919) % 0x2FFF).unwrap_or('?'))
        .collect();
    client.open("file:///workspace/garbage.genai", &garbage);
    assert!(
        !client
            .diagnostics("file:///workspace/garbage.genai", Some(1))
            .is_empty()
    );
    let deep = format!("{}{}", "x {".repeat(10_000), "}".repeat(10_000));
    client.open("file:///workspace/deep.genai", &deep);
    client.diagnostics("file:///workspace/deep.genai", Some(1));
    let format = client.request("textDocument/formatting", json!({"textDocument": {"uri": "file:///workspace/deep.genai"}, "options": {"tabSize": 2, "insertSpaces": true}}));
    assert!(format.get("error").is_none());
    alive(&mut client);
    client.shutdown();
}

#[test]
fn documents_over_the_size_limit_get_one_diagnostic() {
    let mut client = Client::start(&[]);
    client.call(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": {"genaiScope": {"maxDocumentSize": 1000}}}),
    );
    client.notify("initialized", json!({}));
    client.open(URI, &"# padding\n".repeat(200));
    let diagnostics = client.diagnostics(URI, Some(1));
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("not analysed")
    );
    client.shutdown();
}

/// After a frame with a bad `Content-Length` (not a number, negative, overflowing, too large)
/// or a body longer than its header says, the server answers that frame once and reads every
/// later message as sent.
#[test]
fn the_transport_resynchronises_after_a_bad_frame() {
    let body = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    let bad_frames = [
        format!("Content-Length: twelve\r\n\r\n{body}"),
        format!("Content-Length: -5\r\n\r\n{body}"),
        format!("Content-Length: 99999999999999999999999\r\n\r\n{body}"),
        format!("Content-Length: 999999999999\r\n\r\n{body}"),
        format!("Content-Length: 10\r\n\r\n{body}"),
        format!("Content-Length: 5\r\n\r\n{{}}   {body}\n\n{body}"),
    ];
    for bad in bad_frames {
        let mut client = Client::start(&[]);
        client.initialize(json!({}));
        client.open(URI, "workload \"w\" { owner = \"o\" }\n");
        client.diagnostics(URI, Some(1));
        client.send_raw(&bad);
        // Several messages after the bad one: each is answered.
        for _ in 0..3 {
            let symbols = client.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            );
            assert_eq!(
                symbols["result"][0]["name"], "w",
                "after {bad:?}: {symbols}"
            );
        }
        let errors: Vec<_> = client
            .backlog
            .iter()
            .filter(|m| m["id"].is_null() && m.get("error").is_some())
            .collect();
        assert_eq!(errors.len(), 1, "after {bad:?}, one error: {errors:#?}");
        client.shutdown();
    }
}

/// `exit` without `shutdown` is exit code 1; after `shutdown` it is 0 (the LSP specification).
#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    assert_eq!(client.exit_without_shutdown().code(), Some(1));
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    assert_eq!(client.shutdown().code(), Some(0));
}
