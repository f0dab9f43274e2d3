//! Drift in the editor: a project's `iac = [...]` holds the open declaration to its
//! infrastructure, and a changed `.tf` file re-checks it (watched files).

use serde_json::{Value, json};

use crate::client::Client;

const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  model \"notes\" {\n    resource = \"aws_bedrock_custom_model.notes\"\n    hosting  = managed_api\n    training = fine_tuned\n  }\n}\n";

const TUNED: &str = "resource \"aws_bedrock_custom_model\" \"notes\" {\n  base_model_identifier = \"amazon.titan-text-express-v1\"\n  customization_type    = \"FINE_TUNING\"\n}\n";

fn codes(diagnostics: &[Value], code: &str) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_changed_tf_file_re_checks_the_open_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("genai-scope.toml"), "iac = [\"infra\"]\n").unwrap();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    let tf = root.join("infra/main.tf");
    std::fs::write(&tf, TUNED).unwrap();
    let uri = format!("file://{}", root.join("w.genai").display());
    let tf_uri = format!("file://{}", tf.display());

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
        watchers.as_array().unwrap().iter().any(|w| w["globPattern"]
            .as_str()
            .is_some_and(|g| g.contains("tf"))
            && w.get("kind").is_none()),
        "changes of infrastructure files are watched: {watchers}"
    );
    client.reply(&registration, Value::Null);

    client.open(&uri, TEXT);
    let before = client.diagnostics(&uri, Some(1));
    assert!(codes(&before, "iac-mismatch").is_empty(), "{before:#?}");
    assert!(codes(&before, "unbound-resource").is_empty(), "{before:#?}");

    // The infrastructure changes: the custom model is renamed.
    std::fs::write(&tf, TUNED.replace("\"notes\"", "\"notes_v2\"")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": tf_uri, "type": 2}]}),
    );
    let after = client.diagnostics(&uri, Some(1));
    let unbound = codes(&after, "unbound-resource");
    assert_eq!(unbound.len(), 1, "{after:#?}");
    assert!(
        unbound[0].contains("aws_bedrock_custom_model.notes_v2"),
        "{unbound:?}"
    );

    // And back: the binding holds again.
    std::fs::write(&tf, TUNED).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": tf_uri, "type": 2}]}),
    );
    let restored = client.diagnostics(&uri, Some(1));
    assert!(
        codes(&restored, "unbound-resource").is_empty(),
        "{restored:#?}"
    );
    client.shutdown();
}

#[test]
fn a_contradicted_fact_is_a_mismatch_in_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("genai-scope.toml"), "iac = [\"infra\"]\n").unwrap();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::write(root.join("infra/main.tf"), TUNED).unwrap();
    let uri = format!("file://{}", root.join("w.genai").display());
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    client.open(&uri, &TEXT.replace("fine_tuned", "none"));
    let found = client.diagnostics(&uri, Some(1));
    let mismatches = codes(&found, "iac-mismatch");
    assert_eq!(mismatches.len(), 1, "{found:#?}");
    assert!(mismatches[0].contains("infra/main.tf:1"), "{mismatches:?}");
    client.shutdown();
}
