//! End-to-end tests of `genai-scope lsp`: the real binary, JSON-RPC over stdio.

mod abuse;
mod agents;
mod client;
mod drift;
mod editor;
mod folders;
mod incremental;
mod not_files;
mod output_queue;
mod project_config;
mod report;
mod resolve;
mod robustness;
#[path = "../support/lib.rs"]
#[allow(dead_code)]
mod support;
mod watched_files;

use client::{Client, apply, position};
use genai_scope_lsp::protocol;
use serde_json::{Value, json};
use tower_lsp_server::ls_types as lsp;

const URI: &str = "file:///workspace/support.genai";

/// A scope-3 workload missing controls, with emoji and CJK before a finding on one line.
const TEXT: &str = "workload \"support\" {\n  owner = \"team@example.com\"\n  description = \"日本語 😀\" ; audience = customerz\n  model \"assistant\" {\n    hosting = managed_api\n  }\n  control risk.threat_model {\n    status = implemented\n  }\n}\n";

fn utf16_client() -> Client {
    let mut client = Client::start(&[]);
    let result = client.initialize(json!({}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    client
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == code).collect()
}

#[test]
fn initialize_negotiates_utf8_when_offered() {
    let mut client = Client::start(&[]);
    let result = client.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["serverInfo"]["name"], "genai-scope");
    // The same finding after emoji and CJK: columns in bytes.
    let text = "workload \"w\" { owner = \"日本😀\" audience = customerz model \"m\" { hosting = managed_api } }";
    client.open(URI, text);
    let diagnostics = client.diagnostics(URI, Some(1));
    let invalid = find(&diagnostics, "syntax-error");
    assert!(invalid.is_empty());
    let invalid = find(&diagnostics, "invalid-value");
    let start = &invalid[0]["range"]["start"];
    assert_eq!(start["character"], json!(text.find("customerz").unwrap()));
    assert!(client.shutdown().success());
}

#[test]
fn diagnostics_in_utf16_with_codes_links_and_version() {
    let mut client = utf16_client();
    client.open(URI, TEXT);
    let diagnostics = client.diagnostics(URI, Some(1));
    // `; audience = customerz` is a syntax error after the emoji; columns count UTF-16 units.
    let syntax = find(&diagnostics, "syntax-error");
    assert_eq!(syntax.len(), 1, "{diagnostics:#?}");
    let line = TEXT.lines().nth(2).unwrap();
    let column: usize = line[..line.find(';').unwrap()]
        .chars()
        .map(char::len_utf16)
        .sum();
    assert_eq!(
        syntax[0]["range"]["start"],
        json!({"line": 2, "character": column})
    );
    // The workload's missing controls are one diagnostic whose message names each control
    // (see tests/lsp/editor.rs for the per-control view).
    let missing = find(&diagnostics, "missing-control");
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert!(
        missing[0]["message"]
            .as_str()
            .unwrap()
            .lines()
            .any(|l| l.starts_with("Risk management: ") && l.contains("risk.prompt_injection")),
        "{missing:#?}"
    );
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["source"], "genai-scope");
        assert!(
            diagnostic["codeDescription"]["href"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
    }
    // The fixes do not travel in `data`: the code actions at the diagnostic rebuild them.
    assert!(missing[0]["data"].get("fixes").is_none(), "{missing:#?}");
    assert_eq!(missing[0]["data"]["workload"], "support");
    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": missing[0]["range"], "context": {"diagnostics": [missing[0]]}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Add all ")),
        "{titles:#?}"
    );
    assert!(
        titles.contains(&"Add missing control risk.prompt_injection"),
        "{titles:#?}"
    );
    client.shutdown();
}

#[test]
fn hover_on_a_control_and_on_the_workload() {
    let mut client = utf16_client();
    client.open(URI, TEXT);
    client.diagnostics(URI, None);
    let at = TEXT.find("threat_model").unwrap();
    let hover = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": position(TEXT, at)}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.starts_with("### risk.threat_model"), "{markdown}");
    assert!(markdown.contains("Required in scopes 3, 4 and 5"));
    let at = TEXT.find("support").unwrap();
    let hover = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": position(TEXT, at)}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    // The table is padded so that it reads as plain text (Neovim); its cells are what counts.
    assert!(
        markdown
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")
                == "| Risk management | 4 | 1 | 0 | 0 | 3 |"),
        "{markdown}"
    );
    client.shutdown();
}

#[test]
fn completion_offers_missing_controls_first() {
    let mut client = utf16_client();
    let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  control \n}\n";
    client.open(URI, text);
    client.diagnostics(URI, None);
    let at = text.find("control ").unwrap() + "control ".len();
    let result = client.call(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": position(text, at)}),
    );
    let mut items: Vec<&Value> = result.as_array().unwrap().iter().collect();
    items.sort_by_key(|i| i["sortText"].as_str().unwrap().to_string());
    assert_eq!(items[0]["label"], "governance.data_classification");
    assert!(
        items[0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("missing · required at scope 3 · error")
    );
    client.shutdown();
}

#[test]
fn a_quick_fix_removes_its_diagnostic() {
    let mut client = utf16_client();
    let text = TEXT.replace(" ; audience = customerz", "");
    client.open(URI, &text);
    let diagnostics = client.diagnostics(URI, Some(1));
    let target = find(&diagnostics, "missing-control")[0].clone();
    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": target["range"], "context": {"diagnostics": [target]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Add missing control risk.prompt_injection")
        .expect("the quick fix is offered")
        .clone();
    assert_eq!(action["kind"], "quickfix");
    let edits = action["edit"]["changes"][URI].as_array().unwrap();
    let fixed = apply(&text, edits);
    assert!(
        fixed.contains("  control risk.prompt_injection {\n    status = planned\n  }\n}"),
        "{fixed}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(URI, Some(2));
    // Inserted as planned: no longer missing; in production (the default) it is reported as
    // not implemented instead, in its place.
    let about: Vec<&Value> = after
        .iter()
        .filter(|d| d["data"]["control"] == "risk.prompt_injection")
        .collect();
    assert_eq!(about.len(), 1, "{about:#?}");
    assert_eq!(about[0]["code"], "control-not-implemented");
    // The workload's other missing controls are still one diagnostic.
    assert_eq!(find(&after, "missing-control").len(), 1);
    assert_eq!(after.len(), diagnostics.len() + 1);
    client.shutdown();
}

#[test]
fn fix_all_is_offered_when_asked_for_and_applies_only_safe_fixes() {
    let mut client = utf16_client();
    // A quoted enum value is a safe fix; the missing controls are not (they would be stated
    // as planned).
    let text = TEXT.replace(" ; audience = customerz", "\n  audience = \"customers\"");
    client.open(URI, &text);
    client.diagnostics(URI, None);
    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let fixed = apply(
        &text,
        actions[0]["edit"]["changes"][URI].as_array().unwrap(),
    );
    assert!(fixed.contains("audience = customers\n"), "{fixed}");
    assert!(!fixed.contains("planned"), "{fixed}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(URI, Some(2));
    assert!(find(&after, "invalid-value").is_empty(), "{after:#?}");
    assert!(!find(&after, "missing-control").is_empty(), "{after:#?}");
    client.shutdown();
}

#[test]
fn formatting_twice_gives_the_same_text() {
    let mut client = utf16_client();
    let text = "workload \"w\" {\nowner = \"o\"\n      model \"m\" { hosting=managed_api }\n}";
    client.open(URI, text);
    client.diagnostics(URI, None);
    let edits = client.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    // Only the part that changes is replaced: the first line, already formatted, is kept.
    let edits_list = edits.as_array().unwrap();
    assert_eq!(edits_list.len(), 1, "{edits:#?}");
    assert_eq!(
        edits_list[0]["range"]["start"],
        json!({"line": 1, "character": 0}),
        "{edits:#?}"
    );
    let once = apply(text, edits_list);
    assert_eq!(
        once,
        "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": once}]}),
    );
    let edits = client.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]));
    client.shutdown();
}

#[test]
fn rename_a_model_everywhere() {
    let mut client = utf16_client();
    let text = "workload \"w\" {\n  owner = \"o\"\n  model \"tuned\" {\n    hosting = managed_api\n    training = fine_tuned\n    classification = internal\n  }\n  data \"d\" {\n    classification = internal\n    use = fine_tuning\n    model = \"tuned\"\n  }\n}\n";
    client.open(URI, text);
    client.diagnostics(URI, None);
    let at = text.find("tuned").unwrap() + 1;
    let prepared = client.call(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": URI}, "position": position(text, at)}),
    );
    assert_eq!(
        prepared["start"],
        position(text, text.find("tuned").unwrap())
    );
    let edit = client.call(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": position(text, at), "newName": "copywriter"}),
    );
    let renamed = apply(text, edit["changes"][URI].as_array().unwrap());
    assert_eq!(renamed.matches("\"copywriter\"").count(), 2);
    // Names that cannot be a string's content are refused, and the refusal quotes a bounded
    // prefix of the name.
    let long = format!("a\"{}", "b".repeat(100_000));
    for bad in ["nul\u{0}name", "tab\tname", "esc\u{1b}[31m", long.as_str()] {
        let response = client.request(
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": position(text, at), "newName": bad}),
        );
        let message = response["error"]["message"].as_str().unwrap_or_default();
        assert_eq!(response["error"]["code"], -32602, "{bad:?}: {response}");
        assert!(message.len() < 300, "{} bytes", message.len());
    }
    let definition = client.call(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": position(text, text.rfind("tuned").unwrap())}),
    );
    assert_eq!(
        definition["range"]["start"],
        position(text, text.find("\"tuned\"").unwrap())
    );
    client.shutdown();
}

#[test]
fn closing_clears_diagnostics_and_other_features_answer() {
    let mut client = utf16_client();
    client.open(URI, TEXT);
    client.diagnostics(URI, Some(1));
    let id = json!({"textDocument": {"uri": URI}});
    let symbols = client.call("textDocument/documentSymbol", id.clone());
    assert_eq!(symbols[0]["name"], "support");
    assert_eq!(symbols[0]["children"][0]["name"], "assistant");
    let folds = client.call("textDocument/foldingRange", id.clone());
    assert!(!folds.as_array().unwrap().is_empty());
    let tokens = client.call("textDocument/semanticTokens/full", id.clone());
    assert_eq!(tokens["data"].as_array().unwrap().len() % 5, 0);
    let hints = client.call(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}),
    );
    assert!(
        hints
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["label"] == "scope 3")
    );
    let selection = client.call(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": URI}, "positions": [{"line": 4, "character": 16}]}),
    );
    assert!(selection[0]["parent"].is_object());
    let workloads = client.call_typed::<protocol::Workloads>(protocol::DocumentParams {
        text_document: lsp::TextDocumentIdentifier {
            uri: URI.parse().unwrap(),
        },
    });
    assert_eq!(
        workloads.workloads[0].inferred_scope.map(|s| s.number()),
        Some(3)
    );
    assert_eq!(workloads.workloads[0].disciplines.len(), 5);
    client.notify("textDocument/didClose", id);
    let cleared = client.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([])
    });
    assert_eq!(cleared["params"]["uri"], URI);
    assert!(client.shutdown().success());
}

#[test]
fn pull_diagnostics_when_the_client_supports_them() {
    let mut client = Client::start(&[]);
    let result =
        client.initialize(json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}));
    assert_eq!(
        result["capabilities"]["diagnosticProvider"]["identifier"],
        "genai-scope"
    );
    client.open(URI, TEXT);
    let report = client.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(report["kind"], "full");
    assert!(!find(report["items"].as_array().unwrap(), "missing-control").is_empty());
    assert!(
        !client
            .backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "no push when pulling"
    );
    client.shutdown();
}

#[test]
fn settings_from_workspace_configuration_change_severities() {
    let mut client = Client::start(&[]);
    client.call(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {"workspace": {"configuration": true}}}),
    );
    client.notify("initialized", json!({}));
    let request = client.wait(|m| m["method"] == "workspace/configuration");
    client.reply(
        &request,
        json!([{"severityOverrides": {"risk.prompt_injection": "hint", "resilience.timeouts": "off"}, "disabledRules": ["control-not-applicable"],
                "diagnostics": {"groupMissingControls": false}}]),
    );
    client.open(URI, TEXT);
    let diagnostics = client.diagnostics(URI, Some(1));
    let prompt = diagnostics
        .iter()
        .find(|d| d["data"]["control"] == "risk.prompt_injection")
        .unwrap();
    assert_eq!(prompt["severity"], 4);
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["data"]["control"] == "resilience.timeouts")
    );
    client.shutdown();
}
