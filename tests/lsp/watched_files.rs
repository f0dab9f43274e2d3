//! Evidence re-checked when files are created or deleted: the server watches every file's
//! creation and deletion, and `evidence-not-found` follows the file system.

use serde_json::{Value, json};

use crate::client::Client;

const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n  control risk.threat_model {\n    status   = implemented\n    evidence = \"docs/tm.md\"\n  }\n}\n";

fn not_found(diagnostics: &[Value]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "evidence-not-found")
        .count()
}

#[test]
fn evidence_not_found_clears_when_the_evidence_is_created_and_returns_when_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let uri = format!("file://{}", root.join("w.genai").display());
    let evidence = root.join("docs/tm.md");
    let evidence_uri = format!("file://{}", evidence.display());

    let mut client = Client::start(&[]);
    client.call(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    client.notify("initialized", json!({}));
    let registration = client.wait(|m| m["method"] == "client/registerCapability");
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert!(
        watchers
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["globPattern"] == "**/*" && w["kind"] == 5),
        "creations and deletions of any file are watched: {watchers}"
    );
    client.reply(&registration, Value::Null);

    client.open(&uri, TEXT);
    assert_eq!(not_found(&client.diagnostics(&uri, Some(1))), 1);

    std::fs::create_dir_all(evidence.parent().unwrap()).unwrap();
    std::fs::write(&evidence, "# threat model\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": evidence_uri, "type": 1}]}),
    );
    let after = client.diagnostics(&uri, Some(1));
    assert_eq!(not_found(&after), 0, "{after:#?}");

    std::fs::remove_file(&evidence).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": evidence_uri, "type": 3}]}),
    );
    assert_eq!(not_found(&client.diagnostics(&uri, Some(1))), 1);
    client.shutdown();
}
