//! `genaiScope/report`: the editor's matrix view shows the report that `genai-scope report`
//! writes, byte for byte, for the document as it is in the editor.

use serde_json::{Value, json};

use crate::client::Client;

#[test]
fn the_report_request_renders_like_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let text = include_str!("../../examples/scope3-support-assistant.genai");
    let path = root.join("support.genai");
    std::fs::write(&path, text).unwrap();
    let uri = format!("file://{}", path.display());

    let mut client = Client::start(&[]);
    client.call(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    client.open(&uri, text);
    client.diagnostics(&uri, Some(1));

    let report = client.call("genaiScope/report", json!({"textDocument": {"uri": uri}}));
    assert_eq!(report["format"], "html");
    let html = report["content"].as_str().unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains("data-name=\"support-assistant\" data-inferred-scope=\"3\""),
        "{html}"
    );

    // The same rendering as the CLI's for the same file.
    let cli = std::process::Command::new(crate::client::binary())
        .args(["report", "support.genai"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(html, String::from_utf8(cli.stdout).unwrap());

    // Unsaved edits are reported: the view follows the editor, not the disk.
    let edited = text.replace("\"support-assistant\"", "\"renamed-in-editor\"");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let markdown = client.call(
        "genaiScope/report",
        json!({"textDocument": {"uri": uri}, "format": "markdown"}),
    );
    assert_eq!(markdown["format"], "markdown");
    assert!(
        markdown["content"]
            .as_str()
            .unwrap()
            .contains("## Workload `renamed-in-editor`"),
        "{markdown}"
    );

    // A bad format and an unknown document are errors; the server goes on.
    let id = client.send_request(
        "genaiScope/report",
        json!({"textDocument": {"uri": uri}, "format": "pdf"}),
    );
    let response: Value = client.response(id);
    assert_eq!(response["error"]["code"], -32602, "{response}");
    let id = client.send_request(
        "genaiScope/report",
        json!({"textDocument": {"uri": "file:///nowhere.genai"}}),
    );
    assert!(client.response(id)["error"].is_object());
    assert!(client.shutdown().success());
}
