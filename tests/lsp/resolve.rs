//! Lazy code actions: a client that resolves `edit` (`codeAction/resolve`) gets the list
//! without edits and each edit on resolve, the same edit an eager client gets at once; a
//! resolve for a changed document is refused, never answered with an edit for other text.
//! Also what `relatedInformation` a client gets, by its capability.

use serde_json::{Value, json};

use crate::client::{Client, apply};

const URI: &str = "file:///workspace/resolve.genai";

/// A scope-3 workload missing several controls.
const TEXT: &str = "workload \"support\" {\n  owner = \"team@example.com\"\n  model \"assistant\" {\n    hosting = managed_api\n  }\n  control risk.threat_model {\n    status = implemented\n  }\n}\n";

const LAZY: &str =
    r#"{"textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}}"#;

fn start(capabilities: &str) -> Client {
    let mut client = Client::start(&[]);
    client.initialize(serde_json::from_str(capabilities).unwrap());
    client
}

/// The grouped diagnostic's quick fixes and, explicitly asked for, the source actions and
/// fix-all (on the whole document).
fn actions(client: &mut Client) -> Vec<Value> {
    let group = client
        .diagnostics(URI, None)
        .into_iter()
        .find(|d| d["code"] == "missing-control")
        .expect("the grouped missing controls");
    let mut out = Vec::new();
    for only in [json!(["quickfix"]), json!(["source"])] {
        let actions = client.call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": group["range"],
                   "context": {"diagnostics": [group], "only": only}}),
        );
        out.extend(actions.as_array().cloned().unwrap_or_default());
    }
    out
}

fn titled<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with(title)))
        .unwrap_or_else(|| panic!("no {title:?} in {actions:#?}"))
}

#[test]
fn a_lazy_client_gets_actions_without_edits_and_each_edit_on_resolve_as_an_eager_one_would() {
    let mut eager = start("{}");
    eager.open(URI, TEXT);
    let eager_actions = actions(&mut eager);
    eager.shutdown();
    assert!(eager_actions.iter().all(|a| a["edit"].is_object()));

    let mut lazy = Client::start(&[]);
    let initialized = lazy.initialize(serde_json::from_str(LAZY).unwrap());
    assert_eq!(
        initialized["capabilities"]["codeActionProvider"]["resolveProvider"],
        true
    );
    lazy.open(URI, TEXT);
    let lazy_actions = actions(&mut lazy);
    assert_eq!(lazy_actions.len(), eager_actions.len());
    let wanted = [
        "Add all ",
        "Add missing control risk.prompt_injection",
        "Suppress ",
        "Fix all safe",
    ];
    let mut resolved_any = 0;
    for (listed, eager_action) in lazy_actions.iter().zip(&eager_actions) {
        assert_eq!(listed["title"], eager_action["title"]);
        assert!(listed["edit"].is_null(), "{listed:#?}");
        assert_eq!(listed["data"]["uri"], URI);
        assert_eq!(listed["data"]["version"], 1);
        let title = listed["title"].as_str().unwrap();
        if !wanted.iter().any(|w| title.starts_with(w)) {
            continue;
        }
        let resolved = lazy.call("codeAction/resolve", listed.clone());
        assert_eq!(resolved["title"], listed["title"]);
        assert_eq!(resolved["edit"], eager_action["edit"], "{title}");
        resolved_any += 1;
    }
    assert!(resolved_any >= 3, "{lazy_actions:#?}");
    // What the resolved "add all" does: the controls are in the workload.
    let add_all = titled(&lazy_actions, "Add all ");
    let resolved = lazy.call("codeAction/resolve", add_all.clone());
    let fixed = apply(TEXT, resolved["edit"]["changes"][URI].as_array().unwrap());
    assert!(fixed.contains("control risk.prompt_injection {"), "{fixed}");
    lazy.shutdown();
}

#[test]
fn resolving_after_the_document_changed_is_refused_not_answered_with_a_stale_edit() {
    let mut client = start(LAZY);
    client.open(URI, TEXT);
    let listed = actions(&mut client);
    let add = titled(&listed, "Add missing control risk.prompt_injection").clone();
    // The user adds a line above the workload: the listed edit's range is now wrong.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2},
               "contentChanges": [{"text": format!("# a comment\n{TEXT}")}]}),
    );
    client.diagnostics(URI, Some(2));
    let response = client.request("codeAction/resolve", add);
    assert_eq!(response["error"]["code"], -32801, "{response}");
    assert!(
        response.get("result").is_none_or(Value::is_null),
        "{response}"
    );
    // Data that names no action of ours is an error too.
    let response = client.request(
        "codeAction/resolve",
        json!({"title": "x", "data": {"something": "else"}}),
    );
    assert!(response["error"].is_object(), "{response}");
    client.shutdown();
}

#[test]
fn a_client_taking_snippet_edits_gets_them_in_the_list_even_if_it_resolves() {
    // The VS Code extension rebuilds snippet edits from the list's response; a resolved action
    // would reach it as plain text with the snippet's `$1` in it.
    let mut client = start(
        r#"{"experimental": {"snippetTextEdit": true}, "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}}"#,
    );
    client.open(URI, TEXT);
    let listed = actions(&mut client);
    let add = titled(&listed, "Add missing control risk.prompt_injection");
    assert!(add["data"].is_null(), "{add:#?}");
    let edit = &add["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["insertTextFormat"], 2, "{add:#?}");
    client.shutdown();
}

#[test]
fn related_information_goes_only_to_clients_that_declare_it() {
    // A consumer app's model declared as trained: the finding on `training` points at the
    // `hosting` that contradicts it.
    let mut declaring =
        start(r#"{"textDocument": {"publishDiagnostics": {"relatedInformation": true}}}"#);
    let mut plain = start("{}");
    let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting  = consumer_app\n    training = fine_tuned\n  }\n}\n";
    declaring.open(URI, text);
    plain.open(URI, text);
    let with = declaring.diagnostics(URI, Some(1));
    let without = plain.diagnostics(URI, Some(1));
    assert_eq!(with.len(), without.len());
    assert!(
        with.iter().any(|d| d["relatedInformation"].is_array()),
        "{with:#?}"
    );
    assert!(
        without
            .iter()
            .all(|d| d.get("relatedInformation").is_none()),
        "{without:#?}"
    );
    // The grouped missing controls carry none either way: each one is on the group's own
    // name, and its message names them.
    for d in with.iter().filter(|d| d["code"] == "missing-control") {
        assert!(d.get("relatedInformation").is_none(), "{d:#?}");
    }
    declaring.shutdown();
    plain.shutdown();
}
