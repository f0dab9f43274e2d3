//! Drift in the editor: a project's `iac = [...]` holds the open declaration to its
//! infrastructure, and a changed `.tf` file re-checks it (watched files).

use serde_json::{Value, json};

use crate::client::{Client, apply, position};

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

/// A project whose `iac = ["infra"]` holds a custom model and a guardrail, with `text` open
/// as `w.genai`, and its first diagnostics.
fn project_with(
    text: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    String,
    Client,
    Vec<Value>,
) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("genai-scope.toml"), "iac = [\"infra\"]\n").unwrap();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::write(root.join("infra/main.tf"), format!("{TUNED}\n{GUARDRAIL}")).unwrap();
    let uri = format!("file://{}", root.join("w.genai").display());
    let mut client = Client::start(&[]);
    client.initialize(json!({}));
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, Some(1));
    (dir, root, uri, client, diagnostics)
}

const GUARDRAIL: &str = "resource \"aws_bedrock_guardrail\" \"notes\" {\n  name = \"notes\"\n}\n";

const WITH_EVIDENCE: &str = "workload \"w\" {\n  owner = \"o\"\n  model \"notes\" {\n    resource = \"aws_bedrock_custom_model.notes\"\n    hosting  = managed_api\n    training = fine_tuned\n  }\n  control controls.guardrails {\n    evidence = \"iac:aws_bedrock_guardrail.notes\"\n  }\n}\n";

#[test]
fn hover_on_a_resource_shows_what_was_read_from_it() {
    let (_dir, _root, uri, mut client, _) = project_with(WITH_EVIDENCE);
    let at = WITH_EVIDENCE.find("custom_model.notes").unwrap();
    let hover = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(WITH_EVIDENCE, at)}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        markdown.starts_with("**aws_bedrock_custom_model** `aws_bedrock_custom_model.notes`"),
        "{hover}"
    );
    assert!(markdown.contains("`infra/main.tf` line 1"), "{markdown}");
    assert!(
        markdown.contains("- `customization_type` = `\"FINE_TUNING\"`"),
        "{markdown}"
    );
    assert!(markdown.contains("training = fine_tuned"), "{markdown}");
    client.shutdown();
}

#[test]
fn definition_on_a_resource_and_on_iac_evidence_opens_the_infrastructure_file() {
    let (_dir, root, uri, mut client, _) = project_with(WITH_EVIDENCE);
    let tf_uri = format!("file://{}", root.join("infra/main.tf").display());
    for (needle, line) in [("custom_model.notes", 0), ("guardrail.notes", 5)] {
        let at = WITH_EVIDENCE.find(needle).unwrap();
        let definition = client.call(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": position(WITH_EVIDENCE, at)}),
        );
        assert_eq!(definition["uri"], tf_uri.as_str(), "{needle}: {definition}");
        assert_eq!(
            definition["range"]["start"],
            json!({"line": line, "character": 0}),
            "{needle}: {definition}"
        );
        assert!(
            definition["range"]["end"]["line"].as_u64().unwrap() > line,
            "the whole resource: {definition}"
        );
    }
    client.shutdown();
}

#[test]
fn completion_of_a_resource_offers_the_addresses_that_fit() {
    let text = "workload \"w\" {\n  owner = \"o\"\n  model \"notes\" {\n    resource = \"\"\n  }\n  control controls.guardrails {\n    evidence = \"iac:\"\n  }\n}\n";
    let (_dir, _root, uri, mut client, _) = project_with(text);
    let labels = |client: &mut Client, at: usize| -> Vec<String> {
        let result = client.call(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": position(text, at)}),
        );
        let items = result
            .as_array()
            .cloned()
            .or_else(|| result["items"].as_array().cloned())
            .unwrap_or_default();
        items
            .iter()
            .map(|i| i["label"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    // A model binds a custom model, not a guardrail.
    let at = text.find("resource = \"").unwrap() + "resource = \"".len();
    assert_eq!(labels(&mut client, at), ["aws_bedrock_custom_model.notes"]);
    // Evidence may name any resource.
    let at = text.find("iac:").unwrap() + "iac:".len();
    let mut offered = labels(&mut client, at);
    offered.sort();
    assert_eq!(
        offered,
        [
            "aws_bedrock_custom_model.notes",
            "aws_bedrock_guardrail.notes"
        ]
    );
    client.shutdown();
}

#[test]
fn an_undeclared_resource_has_a_quick_fix_with_the_drafted_block_but_not_in_fix_all() {
    let text = "workload \"w\" {\n  owner = \"o\"\n  model \"chat\" {\n    hosting = managed_api\n  }\n}\n";
    let (_dir, _root, uri, mut client, diagnostics) = project_with(text);
    let target = diagnostics
        .iter()
        .find(|d| d["code"] == "undeclared-resource")
        .expect("the custom model is undeclared")
        .clone();
    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": target["range"], "context": {"diagnostics": [target]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Declare `aws_bedrock_custom_model.notes`"))
        })
        .unwrap_or_else(|| panic!("the quick fix is offered: {actions:#}"))
        .clone();
    assert_eq!(action["kind"], "quickfix");
    let fixed = apply(text, action["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        fixed.contains(
            "  model \"notes\" {\n    resource       = \"aws_bedrock_custom_model.notes\"\n"
        ),
        "{fixed}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(&uri, Some(2));
    assert!(
        codes(&after, "undeclared-resource").is_empty(),
        "{after:#?}"
    );
    assert!(codes(&after, "syntax-error").is_empty(), "{after:#?}");

    // It states facts (some to review): never applied by fix-all.
    let fix_all = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert!(
        !fix_all
            .to_string()
            .contains("aws_bedrock_custom_model.notes"),
        "{fix_all:#}"
    );
    client.shutdown();
}
