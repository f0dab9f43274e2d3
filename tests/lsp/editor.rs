//! What an editor shows of a workload with several missing controls: one diagnostic (or one
//! per control, with `genaiScope.diagnostics.groupMissingControls = false`), focused quick
//! fixes, the workload-wide additions as source actions, and a code lens.

use serde_json::{Value, json};

use crate::client::{Client, apply, position};

const URI: &str = "file:///workspace/editor.genai";

/// A scope-3 workload missing many controls, with a line that has no finding.
const TEXT: &str = "workload \"support\" {\n  owner = \"team@example.com\"\n  model \"assistant\" {\n    hosting = managed_api\n  }\n  control risk.threat_model {\n    status = implemented\n  }\n}\n";

fn start(group: Option<bool>) -> Client {
    let mut client = Client::start(&[]);
    let options = match group {
        Some(group) => json!({"genaiScope": {"diagnostics": {"groupMissingControls": group}}}),
        None => Value::Null,
    };
    client.call(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options}),
    );
    client.notify("initialized", json!({}));
    client
}

fn missing(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "missing-control")
        .cloned()
        .collect()
}

fn code_actions(client: &mut Client, range: &Value, context: Value) -> Vec<Value> {
    client
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range, "context": context}),
        )
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// How many controls a grouped missing-control diagnostic stands for ("… is missing N
/// controls (…):").
fn grouped_count(diagnostic: &Value) -> usize {
    let message = diagnostic["message"].as_str().unwrap();
    message
        .split_once(" is missing ")
        .and_then(|(_, rest)| rest.split_once(' '))
        .and_then(|(count, _)| count.parse().ok())
        .unwrap_or_else(|| panic!("no count in {message:?}"))
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect()
}

#[test]
fn a_workloads_missing_controls_are_one_diagnostic_unless_the_setting_says_otherwise() {
    let mut per_control = start(Some(false));
    per_control.open(URI, TEXT);
    let singles = missing(&per_control.diagnostics(URI, Some(1)));
    assert!(singles.len() > 3, "{singles:#?}");
    assert!(singles.iter().all(|d| d["data"]["control"].is_string()));
    let prompt_injection = singles
        .iter()
        .find(|d| d["data"]["control"] == "risk.prompt_injection")
        .unwrap();
    assert!(
        prompt_injection["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/controls/risk.prompt_injection.md")
    );
    per_control.shutdown();

    let mut client = start(None);
    client.open(URI, TEXT);
    let diagnostics = client.diagnostics(URI, Some(1));
    let grouped = missing(&diagnostics);
    assert_eq!(grouped.len(), 1, "{grouped:#?}");
    let group = &grouped[0];
    // The highest severity among them (an error), on the workload's name.
    let highest = singles
        .iter()
        .map(|d| d["severity"].as_i64().unwrap())
        .min()
        .unwrap();
    assert_eq!(group["severity"], json!(highest));
    assert_eq!(group["severity"], 1);
    assert_eq!(group["range"], singles[0]["range"]);
    let label = TEXT.find("\"support\"").unwrap();
    assert_eq!(group["range"]["start"], position(TEXT, label));
    // Its message groups them by discipline; each control is related information.
    let message = group["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "workload \"support\" is missing {} controls (",
            singles.len()
        )),
        "{message}"
    );
    assert!(
        message
            .lines()
            .any(|l| l.starts_with("Risk management: ") && l.contains("risk.prompt_injection")),
        "{message}"
    );
    // Every control is named in the message; none is repeated as related information (each
    // is found where the group is, so a location would add nothing).
    for single in &singles {
        assert_eq!(single["range"], group["range"]);
        let control = single["data"]["control"].as_str().unwrap();
        assert!(message.contains(control), "{control} in {message}");
    }
    assert!(group.get("relatedInformation").is_none(), "{group:#?}");
    assert!(group["data"]["control"].is_null());
    assert_eq!(group["data"]["workload"], "support");

    // The setting changes at run time too.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"genaiScope": {"diagnostics": {"groupMissingControls": false}}}}),
    );
    let again = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == URI
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| missing(d).len() > 1)
    });
    assert_eq!(
        missing(again["params"]["diagnostics"].as_array().unwrap()).len(),
        singles.len()
    );
    client.shutdown();
}

#[test]
fn the_grouped_diagnostic_offers_add_all_first_then_each_control_and_one_suppression() {
    let mut client = start(None);
    client.open(URI, TEXT);
    let diagnostics = client.diagnostics(URI, Some(1));
    let group = missing(&diagnostics)[0].clone();
    let count = grouped_count(&group);
    let actions = code_actions(
        &mut client,
        &group["range"],
        json!({"diagnostics": [group], "only": ["quickfix"], "triggerKind": 2}),
    );
    let titles = titles(&actions);
    assert_eq!(
        titles[0],
        format!("Add all {count} missing controls"),
        "{titles:#?}"
    );
    assert!(
        actions.iter().all(|a| a["kind"] == "quickfix"),
        "{actions:#?}"
    );
    let preferred: Vec<&Value> = actions
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "one preferred fix: {titles:#?}");
    assert_eq!(preferred[0]["title"], titles[0]);
    assert!(titles.contains(&"Add missing control risk.prompt_injection"));
    let suppressions: Vec<&&str> = titles
        .iter()
        .filter(|t| t.starts_with("Suppress"))
        .collect();
    assert_eq!(
        suppressions,
        [&"Suppress missing-control on this line (needs a reason)"]
    );
    assert_eq!(
        *titles.last().unwrap(),
        *suppressions[0],
        "last, as a way out"
    );
    assert!(titles.iter().all(|t| !t.contains('`')), "{titles:#?}");
    // Rows: add all, one per control, one suppression.
    assert_eq!(titles.len(), count + 2, "{titles:#?}");

    // Applying "add all" leaves nothing missing; the inserted blocks start after a blank line.
    let fixed = apply(TEXT, actions[0]["edit"]["changes"][URI].as_array().unwrap());
    assert!(
        fixed.contains("  }\n\n  control "),
        "a blank line before the inserted blocks:\n{fixed}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(URI, Some(2));
    assert!(missing(&after).is_empty(), "{after:#?}");
    client.shutdown();
}

#[test]
fn a_plain_attribute_line_has_no_quick_fix_and_workload_wide_additions_are_source_actions() {
    let mut client = start(None);
    client.open(URI, TEXT);
    client.diagnostics(URI, Some(1));
    let at = TEXT.find("hosting").unwrap();
    let here = json!({"start": position(TEXT, at), "end": position(TEXT, at)});
    // The light bulb's request: nothing.
    let automatic = code_actions(
        &mut client,
        &here,
        json!({"diagnostics": [], "triggerKind": 2}),
    );
    assert!(automatic.is_empty(), "{automatic:#?}");
    let quick = code_actions(
        &mut client,
        &here,
        json!({"diagnostics": [], "only": ["quickfix"]}),
    );
    assert!(quick.is_empty(), "{quick:#?}");

    // "Source Action…": all missing controls, then one discipline's at a time.
    let source = code_actions(
        &mut client,
        &here,
        json!({"diagnostics": [], "only": ["source"]}),
    );
    let kinds: Vec<&str> = source.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[0], "source.addMissingControls", "{source:#?}");
    assert!(
        kinds.contains(&"source.addMissingControls.resilience"),
        "{kinds:?}"
    );
    assert!(source.iter().all(|a| a["diagnostics"].is_null()));
    let titles = titles(&source);
    assert!(
        titles[0].starts_with("Add ") && titles[0].ends_with(" missing controls to support"),
        "{titles:#?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.ends_with(" of the Resilience discipline to support")),
        "{titles:#?}"
    );
    // Asked for one kind, only that kind.
    let resilience = code_actions(
        &mut client,
        &here,
        json!({"diagnostics": [], "only": ["source.addMissingControls.resilience"]}),
    );
    assert_eq!(resilience.len(), 1, "{resilience:#?}");
    let fixed = apply(
        TEXT,
        resilience[0]["edit"]["changes"][URI].as_array().unwrap(),
    );
    assert!(fixed.contains("control resilience.timeouts {"), "{fixed}");
    assert!(
        !fixed.contains("control risk.prompt_injection {"),
        "{fixed}"
    );
    client.shutdown();
}

#[test]
fn a_code_lens_summarises_the_workload_and_adds_all_through_the_server() {
    let mut client = start(None);
    client.open(URI, TEXT);
    let diagnostics = client.diagnostics(URI, Some(1));
    let count = grouped_count(&missing(&diagnostics)[0]);
    let lenses = client.call(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    let lenses = lenses.as_array().unwrap();
    let titles: Vec<&str> = lenses
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            format!("Scope 3 · {count} missing").as_str(),
            "Add all",
            "Show matrix"
        ]
    );
    let label = TEXT.find("\"support\"").unwrap();
    assert!(
        lenses
            .iter()
            .all(|l| l["range"]["start"] == position(TEXT, label))
    );
    assert_eq!(
        lenses[2]["command"]["command"],
        "genaiScope.showScopingMatrix"
    );

    // "Add all" runs the server's command, which asks the editor to apply the edit.
    let command = &lenses[1]["command"];
    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let request = client.wait(|m| m["method"] == "workspace/applyEdit");
    let edits = request["params"]["edit"]["changes"][URI]
        .as_array()
        .unwrap();
    let fixed = apply(TEXT, edits);
    client.reply(&request, json!({"applied": true}));
    assert!(client.response(id)["error"].is_null());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert!(missing(&client.diagnostics(URI, Some(2))).is_empty());
    let lenses = client.call(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Scope 3 · nothing missing", "Show matrix"]);

    // Bad arguments are an error, and the server goes on.
    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": ["not a uri", "x"]}),
    );
    assert!(client.response(id)["error"].is_object());
    client.shutdown();
}

fn start_with(capabilities: Value) -> Client {
    let mut client = Client::start(&[]);
    client.initialize(capabilities);
    client
}

/// The quick fixes on the workload's grouped diagnostic.
fn group_fixes(client: &mut Client) -> Vec<Value> {
    client.open(URI, TEXT);
    let group = missing(&client.diagnostics(URI, Some(1)))[0].clone();
    code_actions(
        client,
        &group["range"],
        json!({"diagnostics": [group], "only": ["quickfix"]}),
    )
}

fn titled<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with(title)))
        .unwrap_or_else(|| panic!("no {title:?} in {:#?}", titles(actions)))
}

#[test]
fn a_client_that_applies_snippet_edits_gets_the_cursor_in_the_new_block_or_the_reason() {
    let mut client = start_with(json!({"experimental": {"snippetTextEdit": true}}));
    let actions = group_fixes(&mut client);
    let add = titled(&actions, "Add missing control risk.prompt_injection");
    assert!(add["data"].is_null(), "the mark does not leave the server");
    assert!(add["edit"]["changes"].is_null());
    let document = &add["edit"]["documentChanges"][0];
    assert_eq!(document["textDocument"], json!({"uri": URI, "version": 1}));
    let edit = &document["edits"][0];
    assert_eq!(edit["insertTextFormat"], 2, "{edit:#?}");
    let new_text = edit["newText"].as_str().unwrap();
    assert!(
        new_text.ends_with(
            "\n\n  control risk.prompt_injection {\n    status = planned\n    due    = \"${1:YYYY-MM-DD}\"\n    owner  = \"$2\"\n  \\}"
        ),
        "the block's `}}` escaped: {new_text:?}"
    );
    let suppress = titled(&actions, "Suppress ");
    let edit = &suppress["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["insertTextFormat"], 2);
    assert!(
        edit["newText"]
            .as_str()
            .unwrap()
            .ends_with("reason=\"$1\"\n"),
        "{edit:#?}"
    );
    // Several blocks at once have no single place to go: a plain edit.
    let add_all = titled(&actions, "Add all ");
    assert!(add_all["edit"]["changes"][URI].is_array(), "{add_all:#?}");
    client.shutdown();
}

#[test]
fn a_client_without_snippet_edits_gets_plain_edits() {
    let mut client = start_with(json!({}));
    let actions = group_fixes(&mut client);
    for title in ["Add missing control risk.prompt_injection", "Suppress "] {
        let action = titled(&actions, title);
        assert!(action["edit"]["documentChanges"].is_null(), "{action:#?}");
        let edits = action["edit"]["changes"][URI].as_array().unwrap();
        assert!(edits.iter().all(|e| e["insertTextFormat"].is_null()));
        let fixed = apply(TEXT, edits);
        assert!(!fixed.contains('$'), "{fixed}");
    }
    let add = titled(&actions, "Add missing control risk.prompt_injection");
    let fixed = apply(TEXT, add["edit"]["changes"][URI].as_array().unwrap());
    assert!(
        fixed.contains("  control risk.prompt_injection {\n    status = planned\n  }\n"),
        "{fixed}"
    );
    client.shutdown();
}

#[test]
fn typing_a_control_mid_workload_reports_one_error_and_keeps_the_other_findings() {
    let mut client = start(None);
    client.open(URI, TEXT);
    let before = missing(&client.diagnostics(URI, Some(1)));
    assert_eq!(before.len(), 1);
    // The user starts a control above the model block and has typed its id, no `{` yet.
    let model = TEXT.find("  model").unwrap();
    let at = position(TEXT, model);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [{"range": {"start": at, "end": at}, "text": "  control gov\n"}]
        }),
    );
    let typed = format!("{}  control gov\n{}", &TEXT[..model], &TEXT[model..]);
    let after = client.diagnostics(URI, Some(2));
    let syntax: Vec<&Value> = after
        .iter()
        .filter(|d| d["code"] == "syntax-error")
        .collect();
    assert_eq!(syntax.len(), 1, "{after:#?}");
    assert_eq!(syntax[0]["message"], "expected `{` after the control id");
    let typed_at = typed.find("control gov").unwrap();
    assert_eq!(
        syntax[0]["range"],
        json!({"start": position(&typed, typed_at), "end": position(&typed, typed_at + "control gov".len())})
    );
    // The rest of the workload is still analysed: its scope and its missing controls.
    let still = missing(&after);
    assert_eq!(still.len(), 1, "{after:#?}");
    assert_eq!(still[0]["message"], before[0]["message"]);
    assert!(
        after
            .iter()
            .all(|d| d["code"] == "syntax-error" || d["code"] == "missing-control"),
        "{after:#?}"
    );
    client.shutdown();
}

#[test]
fn a_control_opened_above_a_model_leaves_the_model_in_the_workload() {
    let mut client = start(None);
    client.open(URI, TEXT);
    let before = missing(&client.diagnostics(URI, Some(1)));
    assert_eq!(before.len(), 1);
    // `{` typed too: the parser gives the workload's `}` to the control, and the model below
    // would be inside it; the indentation gives it back to the workload.
    let model = TEXT.find("  model").unwrap();
    let at = position(TEXT, model);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": URI, "version": 2},
            "contentChanges": [{"range": {"start": at, "end": at}, "text": "  control gov {\n"}]
        }),
    );
    let after = client.diagnostics(URI, Some(2));
    let unclosed: Vec<&Value> = after
        .iter()
        .filter(|d| {
            d["code"] == "syntax-error"
                && d["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("is not closed")
        })
        .collect();
    assert_eq!(unclosed.len(), 1, "{after:#?}");
    assert!(
        unclosed[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`control"),
        "{after:#?}"
    );
    // The model still counts: no `no-model`, the same missing controls as before.
    assert!(after.iter().all(|d| d["code"] != "no-model"), "{after:#?}");
    let still = missing(&after);
    assert_eq!(still.len(), 1, "{after:#?}");
    assert_eq!(still[0]["message"], before[0]["message"]);
    client.shutdown();
}

/// The completion items at the end of `control ` typed in the workload, in the editor's order.
fn control_completions(client: &mut Client) -> Vec<Value> {
    let text = TEXT.replace("  model", "  control \n  model");
    client.open(URI, &text);
    client.diagnostics(URI, Some(1));
    let at = text.find("control \n").unwrap() + "control ".len();
    let result = client.call(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": position(&text, at)}),
    );
    let mut items = result.as_array().cloned().unwrap_or_default();
    items.sort_by_key(|i| i["sortText"].as_str().unwrap_or_default().to_string());
    items
}

#[test]
fn control_completion_puts_the_missing_errors_first_labelled_and_inserts_the_block() {
    let snippet_client =
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}});
    let mut client = start_with(snippet_client);
    let items = control_completions(&mut client);
    let details: Vec<&str> = items
        .iter()
        .map(|i| i["detail"].as_str().unwrap())
        .collect();
    assert!(
        details[0].starts_with("missing · required at scope 3 · error"),
        "{details:#?}"
    );
    let last_error = details
        .iter()
        .rposition(|d| d.starts_with("missing · required at scope 3 · error"))
        .unwrap();
    let first_warning = details
        .iter()
        .position(|d| d.starts_with("missing · required at scope 3 · warning"))
        .expect("a missing warning-level control");
    let first_unrequired = details
        .iter()
        .position(|d| !d.starts_with("missing ·"))
        .expect("controls nothing requires are offered too");
    assert!(last_error < first_warning && first_warning < first_unrequired);
    assert!(
        !items.iter().any(|i| i["label"] == "risk.threat_model"),
        "declared already"
    );
    let first = &items[0];
    assert_eq!(first["insertTextFormat"], 2);
    let label = first["label"].as_str().unwrap();
    assert_eq!(
        first["textEdit"]["newText"],
        format!("{label} {{\n    status = ${{1|implemented,planned,not_applicable|}}$0\n  }}")
    );
    client.shutdown();

    // Without snippets: the id alone, in the same order.
    let mut plain = start_with(json!({}));
    let plain_items = control_completions(&mut plain);
    assert_eq!(plain_items[0]["label"], first["label"]);
    assert_eq!(plain_items[0]["insertTextFormat"], 1);
    assert_eq!(plain_items[0]["textEdit"]["newText"], first["label"]);
    plain.shutdown();
}
