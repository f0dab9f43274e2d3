//! The settings index: one `workspace/configuration` item per workspace folder, and each
//! document takes the settings of the innermost folder that contains it.

use serde_json::{Value, json};

use super::client::Client;

/// A scope-2 workload: `scope-mismatch` and missing controls.
const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  scope = 2\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

fn has(diagnostics: &[Value], code: &str) -> bool {
    diagnostics.iter().any(|d| d["code"] == code)
}

/// Answers the next `workspace/configuration` request with a value per item, by scope.
fn answer_configuration(client: &mut Client, by_scope: impl Fn(&Value) -> Value) -> Vec<Value> {
    let request = client.wait(|m| m["method"] == "workspace/configuration");
    let items = request["params"]["items"].as_array().unwrap().clone();
    let answers: Vec<Value> = items
        .iter()
        .map(|item| by_scope(&item["scopeUri"]))
        .collect();
    client.reply(&request, Value::Array(answers));
    items
}

#[test]
fn each_workspace_folder_has_its_own_settings() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let outer = format!("file://{}", root.display());
    let inner = format!("file://{}", root.join("team").display());
    let added = format!("file://{}", root.join("other").display());

    let mut client = Client::start(&[]);
    let result = client.call(
        "initialize",
        json!({"processId": null, "rootUri": outer,
               "workspaceFolders": [{"uri": outer, "name": "outer"}, {"uri": inner, "name": "team"}],
               "capabilities": {"workspace": {"configuration": true, "workspaceFolders": true}}}),
    );
    assert_eq!(
        result["capabilities"]["workspace"]["workspaceFolders"],
        json!({"supported": true, "changeNotifications": true})
    );
    client.notify("initialized", json!({}));
    let (outer_scope, inner_scope) = (json!(outer), json!(inner));
    let items = answer_configuration(&mut client, |scope| {
        if *scope == inner_scope {
            json!({"severityOverrides": {"scope-mismatch": "off"}})
        } else if *scope == outer_scope {
            json!({"disabledRules": ["missing-control"]})
        } else {
            json!({})
        }
    });
    let scopes: Vec<&Value> = items.iter().map(|i| &i["scopeUri"]).collect();
    assert_eq!(
        scopes,
        [&Value::Null, &outer_scope, &inner_scope],
        "{items:#?}"
    );

    let in_outer = format!("{outer}/w.genai");
    let in_inner = format!("{inner}/sub/w.genai");
    let outside = "file:///elsewhere/w.genai";
    client.open(&in_outer, TEXT);
    client.open(&in_inner, TEXT);
    client.open(outside, TEXT);
    let outer_diagnostics = client.diagnostics(&in_outer, Some(1));
    let inner_diagnostics = client.diagnostics(&in_inner, Some(1));
    let outside_diagnostics = client.diagnostics(outside, Some(1));
    assert!(
        has(&outer_diagnostics, "scope-mismatch") && !has(&outer_diagnostics, "missing-control")
    );
    assert!(
        !has(&inner_diagnostics, "scope-mismatch") && has(&inner_diagnostics, "missing-control")
    );
    assert!(
        has(&outside_diagnostics, "scope-mismatch") && has(&outside_diagnostics, "missing-control")
    );

    // A folder is added and the inner one removed: the settings are asked for again, and
    // the inner folder's documents take the outer folder's.
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": added, "name": "other"}], "removed": [{"uri": inner, "name": "team"}]}}),
    );
    let added_scope = json!(added);
    let items = answer_configuration(&mut client, |scope| {
        if *scope == outer_scope {
            json!({"disabledRules": ["missing-control"]})
        } else if *scope == added_scope {
            json!({"severityOverrides": {"scope-mismatch": "off"}})
        } else {
            Value::Null
        }
    });
    let scopes: Vec<&Value> = items.iter().map(|i| &i["scopeUri"]).collect();
    assert_eq!(
        scopes,
        [&Value::Null, &outer_scope, &added_scope],
        "{items:#?}"
    );
    let republished = client.diagnostics(&in_inner, Some(1));
    assert!(
        has(&republished, "scope-mismatch") && !has(&republished, "missing-control"),
        "{republished:#?}"
    );
    assert!(client.shutdown().success());
}
