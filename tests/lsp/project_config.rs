//! The project's `genai-scope.toml` in a real session: custom controls in diagnostics,
//! quick fixes, hover and completion; an invalid file diagnosed in the file itself; changes
//! picked up through `workspace/didChangeWatchedFiles`.

use serde_json::{Value, json};

use crate::support::{CUSTOM_CONTROLS_TOML as CONFIG, RAG_WORKLOAD as TEXT};

use crate::client::{Client, apply, position};

fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn custom(diagnostics: &[Value]) -> Vec<&Value> {
    diagnostics
        .iter()
        .filter(|d| d["data"]["control"] == "controls.prompt_logging")
        .collect()
}

#[test]
fn custom_controls_and_configuration_problems_in_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let config_path = root.join("genai-scope.toml");
    std::fs::write(&config_path, CONFIG).unwrap();
    let config_uri = file_uri(&config_path);
    let uri = file_uri(&root.join("kb.genai"));

    let mut client = Client::start(&[]);
    client.call(
        "initialize",
        // Per-control diagnostics, to follow one control.
        json!({"processId": null, "rootUri": file_uri(&root), "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
            "initializationOptions": {"genaiScope": {"diagnostics": {"groupMissingControls": false}}}}),
    );
    client.notify("initialized", json!({}));
    // The server asks to be told when a configuration changes.
    let registration = client.wait(|m| m["method"] == "client/registerCapability");
    let watcher = &registration["params"]["registrations"][0];
    assert_eq!(watcher["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        watcher["registerOptions"]["watchers"][0]["globPattern"],
        "**/genai-scope.toml"
    );
    client.reply(&registration, Value::Null);

    // The custom control is required, with the project's severity.
    client.open(&uri, TEXT);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let missing = custom(&diagnostics);
    assert_eq!(missing.len(), 1, "{diagnostics:#?}");
    assert_eq!(missing[0]["code"], "missing-control");
    assert_eq!(missing[0]["severity"], 1);
    // Its documentation link is its first reference that is a link.
    assert_eq!(
        missing[0]["codeDescription"]["href"],
        "https://wiki.example.com/ai/logging"
    );

    // Its quick fix inserts it; then it is satisfied.
    let target = missing[0].clone();
    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": target["range"], "context": {"diagnostics": [target]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Add missing control controls.prompt_logging")
        .expect("the quick fix is offered")
        .clone();
    let fixed = apply(TEXT, action["edit"]["changes"][&uri].as_array().unwrap());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(&uri, Some(2));
    // Inserted as planned: in production it is not implemented yet, but no longer missing.
    let codes: Vec<&Value> = custom(&after).iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, [&json!("control-not-implemented")], "{after:#?}");
    assert!(
        !after.iter().any(|d| d["code"] == "unknown-control"),
        "{after:#?}"
    );

    // Hover documents it; completion offers it.
    let at = fixed.find("control controls.prompt_logging").unwrap() + "control controls.".len();
    let hover = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&fixed, at)}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.contains("Log prompts and completions")
            && markdown.contains("custom control (genai-scope.toml)"),
        "{markdown}"
    );

    // A broken configuration: diagnosed in the file itself, where it is wrong (UTF-16
    // columns after the emoji), and no longer applied to the workload.
    let broken = CONFIG.replace("scopes = [5, 3, 4, 3]", "scopes = [3, 9]");
    std::fs::write(&config_path, &broken).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let problems = client.diagnostics(&config_uri, None);
    let shown = client.wait(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1, "an error: {shown}");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("genai-scope.toml:10:14: `control.scopes`")
            && shown["params"]["message"]
                .as_str()
                .unwrap()
                .contains("not applied"),
        "{shown}"
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["code"], "invalid-configuration");
    assert_eq!(problems[0]["severity"], 1);
    let nine = broken.find("9]").unwrap();
    assert_eq!(problems[0]["range"]["start"], position(&broken, nine));
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("9 is not a scope"),
        "{problems:#?}"
    );
    let republished = client.diagnostics(&uri, Some(2));
    assert!(
        republished.iter().any(|d| d["code"] == "unknown-control"),
        "without the configuration the custom id is unknown: {republished:#?}"
    );

    // Fixed: its diagnostics are cleared and the workload is checked with it again.
    std::fs::write(&config_path, CONFIG).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&config_uri, None), Vec::<Value>::new());
    let republished = client.diagnostics(&uri, Some(2));
    assert!(!republished.iter().any(|d| d["code"] == "unknown-control"));

    // Completion offers the custom control where a control id goes.
    let typing = fixed.replace(
        "  control controls.prompt_logging",
        "  control controls.prompt_loggin",
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": typing}]}),
    );
    let at = typing.find("control controls.prompt_loggin").unwrap()
        + "control controls.prompt_loggin".len();
    let completion = client.call(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(&typing, at)}),
    );
    let items = completion
        .as_array()
        .or_else(|| completion["items"].as_array())
        .expect("completion items");
    assert!(
        items
            .iter()
            .any(|i| i["label"] == "controls.prompt_logging"),
        "{completion:#}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn suppressions_and_policy_in_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        root.join("genai-scope.toml"),
        "require_evidence = [\"risk.threat_model\"]\nno_inline_suppressions = [\"risk.prompt_injection\"]\n",
    )
    .unwrap();
    let uri = file_uri(&root.join("w.genai"));
    let text = "# genai-scope: ignore[no-model] reason=\"nothing to see\"\nworkload \"w\" {\n  owner = \"o\"\n  scope = 2 # genai-scope: ignore[scope-mismatch] reason=\"moving, 日本 😀\"\n  model \"m\" {\n    hosting = managed_api\n  }\n  # genai-scope: ignore[control-not-applicable] reason=\"old\" until=2020-01-01\n  control governance.terms_compliance {}\n  control risk.threat_model {\n    status = implemented\n  }\n}\n";
    let mut client = Client::start(&[]);
    // Per-control diagnostics, to suppress one control.
    client.call(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"genaiScope": {"diagnostics": {"groupMissingControls": false}}}}),
    );
    client.notify("initialized", json!({}));
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"scope-mismatch"), "suppressed: {codes:?}");
    assert!(codes.contains(&"unused-suppression"), "{codes:?}");
    assert!(codes.contains(&"expired-suppression"), "{codes:?}");
    assert!(
        codes.contains(&"control-not-applicable"),
        "expired, so reported: {codes:?}"
    );
    assert!(
        codes.contains(&"missing-evidence"),
        "require_evidence: {codes:?}"
    );

    // "Suppress" is offered for a finding the project allows to be suppressed, not for one it
    // forbids; the comment needs its reason before it silences anything.
    let finding = |diagnostics: &[Value], control: &str| -> Value {
        diagnostics
            .iter()
            .find(|d| d["code"] == "missing-control" && d["data"]["control"] == control)
            .cloned()
            .unwrap_or_else(|| panic!("missing-control {control}: {diagnostics:#?}"))
    };
    let titles = |client: &mut Client, target: &Value| -> Vec<(String, Value)> {
        let actions = client.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": target["range"], "context": {"diagnostics": [target]}}),
        );
        actions
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["title"].as_str().unwrap().to_string(), a.clone()))
            .collect()
    };
    let offered = titles(&mut client, &finding(&diagnostics, "risk.prompt_injection"));
    assert!(
        !offered
            .iter()
            .any(|(t, _)| t.starts_with("Suppress risk.prompt_injection")),
        "{offered:?}"
    );
    let offered = titles(&mut client, &finding(&diagnostics, "resilience.timeouts"));
    let (_, action) = offered
        .iter()
        .find(|(t, _)| t == "Suppress resilience.timeouts on this line (needs a reason)")
        .expect("offered");
    let inserted = apply(text, action["edit"]["changes"][&uri].as_array().unwrap());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": inserted}]}),
    );
    let pending = client.diagnostics(&uri, Some(2));
    assert!(
        pending.iter().any(|d| d["code"] == "invalid-suppression"),
        "{pending:#?}"
    );
    finding(&pending, "resilience.timeouts");
    let reasoned = inserted.replace(
        "ignore[resilience.timeouts] reason=\"\"",
        "ignore[resilience.timeouts] reason=\"the gateway times out, SRE-9\"",
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": reasoned}]}),
    );
    let done = client.diagnostics(&uri, Some(3));
    assert!(
        !done.iter().any(|d| d["code"] == "invalid-suppression"),
        "{done:#?}"
    );
    assert!(
        !done
            .iter()
            .any(|d| d["data"]["control"] == "resilience.timeouts"),
        "{done:#?}"
    );
    assert!(client.shutdown().success());
}
