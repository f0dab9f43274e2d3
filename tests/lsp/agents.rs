//! The agentic axis in the editor: an agent's missing controls are fixed inside its block,
//! and hover, inlay hints, code lenses and the outline know its agency scope.

use serde_json::{Value, json};

use crate::client::{Client, apply, position};

const URI: &str = "file:///workspace/agents.genai";

/// A workload with a supervised agent (it pays without approval) missing agentic controls,
/// followed by a workload control, so that an insertion at the workload's end is told apart.
const TEXT: &str = "workload \"desk\" {\n  owner = \"team@example.com\"\n  model \"assistant\" {\n    hosting = managed_api\n  }\n\n  agent \"refunds\" {\n    model = \"assistant\"\n    tool \"lookup\" { effect = read }\n    tool \"issue-refund\" {\n      effect   = pay\n      approval = required\n    }\n    control audit.action_log {}\n  }\n\n  control risk.threat_model {}\n}\n";

fn start(group: bool) -> Client {
    let mut client = Client::start(&[]);
    client.call(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"genaiScope": {"diagnostics": {"groupMissingControls": group}}}}),
    );
    client.notify("initialized", json!({}));
    client
}

/// Where the agent's name starts.
fn agent_label(text: &str) -> usize {
    text.find("\"refunds\"").unwrap()
}

/// The missing-control findings on the agent's name.
fn agent_findings(text: &str, diagnostics: &[Value]) -> Vec<Value> {
    let label = position(text, agent_label(text));
    diagnostics
        .iter()
        .filter(|d| d["code"] == "missing-control" && d["range"]["start"] == label)
        .cloned()
        .collect()
}

/// The agent's block, from its keyword to its closing brace.
fn agent_block(text: &str) -> &str {
    let start = text.find("  agent \"refunds\"").unwrap();
    let end = start + text[start..].find("\n  }\n").unwrap() + 4;
    &text[start..end]
}

fn change(client: &mut Client, text: &str, version: i64) -> Vec<Value> {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
    );
    client.diagnostics(URI, Some(version))
}

fn quick_fixes(client: &mut Client, diagnostic: &Value) -> Vec<Value> {
    client
        .call(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": diagnostic["range"],
                   "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}}),
        )
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_fix_of_a_missing_agentic_control_lands_inside_the_agent_and_resolves_it() {
    let mut client = start(false);
    client.open(URI, TEXT);
    let findings = agent_findings(TEXT, &client.diagnostics(URI, Some(1)));
    assert!(findings.len() > 3, "{findings:#?}");
    let enforcement = findings
        .iter()
        .find(|d| d["data"]["control"] == "agent.approval_enforcement")
        .expect("an agent with approvals needs them enforced");
    let actions = quick_fixes(&mut client, enforcement);
    let fix = actions
        .iter()
        .find(|a| {
            a["title"] == "Add missing control agent.approval_enforcement to agent \"refunds\""
        })
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let fixed = apply(TEXT, fix["edit"]["changes"][URI].as_array().unwrap());
    assert!(
        agent_block(&fixed).contains(
            "    control audit.action_log {}\n\n    control agent.approval_enforcement {\n      status = planned\n    }"
        ),
        "inside the agent, indented like its items:\n{fixed}"
    );
    let after = agent_findings(&fixed, &change(&mut client, &fixed, 2));
    assert_eq!(after.len(), findings.len() - 1, "{after:#?}");
    assert!(
        after
            .iter()
            .all(|d| d["data"]["control"] != "agent.approval_enforcement")
    );
    client.shutdown();
}

#[test]
fn the_grouped_agent_diagnostic_prefers_adding_all_its_controls_inside_the_agent() {
    let mut client = start(true);
    client.open(URI, TEXT);
    let groups = agent_findings(TEXT, &client.diagnostics(URI, Some(1)));
    assert_eq!(groups.len(), 1, "one diagnostic for the agent: {groups:#?}");
    let count = grouped_count(&groups[0]);
    let actions = quick_fixes(&mut client, &groups[0]);
    let preferred: Vec<&Value> = actions
        .iter()
        .filter(|a| a["isPreferred"] == true)
        .collect();
    assert_eq!(preferred.len(), 1, "{actions:#?}");
    assert_eq!(
        preferred[0]["title"],
        format!("Add all {count} missing controls to agent \"refunds\"")
    );
    let fixed = apply(
        TEXT,
        preferred[0]["edit"]["changes"][URI].as_array().unwrap(),
    );
    assert_eq!(
        agent_block(&fixed).matches("status = planned").count(),
        count,
        "{fixed}"
    );
    assert!(
        fixed.ends_with("  control risk.threat_model {}\n}\n"),
        "{fixed}"
    );
    assert!(agent_findings(&fixed, &change(&mut client, &fixed, 2)).is_empty());
    client.shutdown();
}

#[test]
fn source_actions_add_an_agents_controls_per_dimension() {
    let mut client = start(true);
    client.open(URI, TEXT);
    client.diagnostics(URI, Some(1));
    let at = position(TEXT, TEXT.find("tool \"lookup\"").unwrap());
    let actions = client.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at},
               "context": {"diagnostics": [], "only": ["source.addMissingControls.agent"]}}),
    );
    let actions = actions.as_array().unwrap();
    let agent: Vec<&Value> = actions
        .iter()
        .filter(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .ends_with("to agent \"refunds\"")
        })
        .collect();
    assert_eq!(agent.len(), 1, "{actions:#?}");
    assert!(
        agent[0]["title"]
            .as_str()
            .unwrap()
            .contains("of the Agent and FM controls dimension")
    );
    let fixed = apply(TEXT, agent[0]["edit"]["changes"][URI].as_array().unwrap());
    assert!(
        agent_block(&fixed).contains("control agent.input_validation {"),
        "{fixed}"
    );
    let after = agent_findings(&fixed, &change(&mut client, &fixed, 2));
    // What is still missing names no control of the Agent and FM controls dimension: each
    // grouped control is named in the message (no related information repeats it).
    assert!(
        !after.is_empty(),
        "the other dimensions' controls are still missing"
    );
    assert!(
        after
            .iter()
            .all(|d| !d["message"].as_str().unwrap().contains("agent.")),
        "{after:#?}"
    );
    client.shutdown();
}

#[test]
fn hover_and_inlay_hints_give_the_agency_scope() {
    let mut client = start(true);
    client.open(URI, TEXT);
    client.diagnostics(URI, Some(1));
    let hover = client.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": position(TEXT, agent_label(TEXT) + 2)}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.starts_with("### agent \"refunds\""), "{markdown}");
    assert!(
        markdown.contains("**Inferred agency scope 2: Prescribed agency**"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| dimension | required | present | missing |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Audit and logging | 2 | 1 | `audit.approval_trail` |"),
        "{markdown}"
    );

    let hints = client.call(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}),
    );
    let agency: Vec<&Value> = hints
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["label"] == "agency 2")
        .collect();
    assert_eq!(agency.len(), 1, "{hints:#?}");
    assert_eq!(
        agency[0]["position"],
        position(TEXT, agent_label(TEXT) + "\"refunds\"".len())
    );
    assert!(
        agency[0]["tooltip"]
            .as_str()
            .unwrap()
            .contains("waits for a person's approval"),
        "{agency:#?}"
    );
    client.shutdown();
}

#[test]
fn a_code_lens_above_the_agent_adds_its_controls_through_the_server() {
    let mut client = start(true);
    client.open(URI, TEXT);
    let groups = agent_findings(TEXT, &client.diagnostics(URI, Some(1)));
    let count = grouped_count(&groups[0]);
    let lenses = client.call(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    let on_agent: Vec<&Value> = lenses
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["range"]["start"] == position(TEXT, agent_label(TEXT)))
        .collect();
    let titles: Vec<&str> = on_agent
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [format!("Agency 2 · {count} missing").as_str(), "Add all"]
    );
    let command = &on_agent[1]["command"];
    assert_eq!(command["arguments"][2], 0, "the agent's index");
    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let request = client.wait(|m| m["method"] == "workspace/applyEdit");
    let fixed = apply(
        TEXT,
        request["params"]["edit"]["changes"][URI]
            .as_array()
            .unwrap(),
    );
    client.reply(&request, json!({"applied": true}));
    assert!(client.response(id)["error"].is_null());
    assert_eq!(
        agent_block(&fixed).matches("status = planned").count(),
        count,
        "{fixed}"
    );
    assert!(agent_findings(&fixed, &change(&mut client, &fixed, 2)).is_empty());
    let lenses = client.call(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(
        lenses
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["command"]["title"] == "Agency 2 · nothing missing"),
        "{lenses:#?}"
    );
    client.shutdown();
}

#[test]
fn the_outline_puts_tools_under_their_agent_under_its_workload() {
    let mut client = start(true);
    client.open(URI, TEXT);
    client.diagnostics(URI, Some(1));
    let symbols = client.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let workload = &symbols[0];
    assert_eq!(workload["name"], "desk");
    let agent = workload["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "refunds")
        .expect("the agent under its workload");
    assert_eq!(agent["detail"], "agency 2");
    let children: Vec<(&str, &str)> = agent["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["detail"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(children[0], ("lookup", "effect read"));
    assert_eq!(children[1], ("issue-refund", "effect pay"));
    assert_eq!(children[2].0, "audit.action_log");
    client.shutdown();
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
