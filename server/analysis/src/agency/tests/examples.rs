//! The draft examples of `examples/agents/`: one agent per agency scope. Their
//! facts are built here by hand and also read from the files (a small reader of `agent` and
//! `tool` blocks, until the lowering knows them), so the two must agree; the inferred scope
//! must be the one each file's comment expects and its agents declare, and each agent must
//! declare exactly the agentic controls the catalog requires of it.

use std::collections::BTreeSet;

use genai_scope_syntax::{Block, BlockKind, Item, ValueKind};

use super::catalog::agentic_catalog;
use super::*;

pub(super) const EXAMPLES: [(&str, &str); 4] = [
    (
        "agency1-lookup-assistant.genai",
        include_str!("../../../../../examples/agents/agency1-lookup-assistant.genai"),
    ),
    (
        "agency2-ticketing-agent.genai",
        include_str!("../../../../../examples/agents/agency2-ticketing-agent.genai"),
    ),
    (
        "agency3-refund-agent.genai",
        include_str!("../../../../../examples/agents/agency3-refund-agent.genai"),
    ),
    (
        "agency4-follow-up-scheduler.genai",
        include_str!("../../../../../examples/agents/agency4-follow-up-scheduler.genai"),
    ),
];

/// The facts of each example's agents, written out by hand.
pub(super) fn hand_built(file: &str) -> Vec<AgentFacts> {
    match file {
        "agency1-lookup-assistant.genai" => vec![AgentFacts {
            memory: Memory::Session,
            ..agent(
                "order-lookup",
                vec![
                    tool("order-status", Effect::Read),
                    tool("shipment-tracking", Effect::Read),
                ],
            )
        }],
        "agency2-ticketing-agent.genai" => vec![AgentFacts {
            approval: Approval::Required,
            ..agent(
                "ticket-triage",
                vec![
                    tool("search-tickets", Effect::Read),
                    tool("update-ticket", Effect::Write),
                    tool("reply-to-requester", Effect::Send),
                ],
            )
        }],
        "agency3-refund-agent.genai" => vec![
            delegating(
                "support-chat",
                &["refund-agent"],
                vec![tool("order-lookup", Effect::Read)],
            ),
            AgentFacts {
                memory: Memory::Session,
                ..agent(
                    "refund-agent",
                    vec![
                        tool("order-lookup", Effect::Read),
                        tool("issue-refund", Effect::Pay),
                    ],
                )
            },
        ],
        "agency4-follow-up-scheduler.genai" => vec![AgentFacts {
            memory: Memory::Persistent,
            ..self_started(
                "follow-up-scheduler",
                vec![
                    tool("read-meeting-notes", Effect::Read),
                    tool("find-free-slots", Effect::Read),
                    tool("book-meeting", Effect::Write),
                    tool("send-invitation", Effect::Send),
                ],
            )
        }],
        other => panic!("no facts for {other}"),
    }
}

/// What the reader takes from one agent block besides its facts.
struct AgentBlock {
    facts: AgentFacts,
    declared_scope: Option<u64>,
    controls: BTreeSet<String>,
    untrusted_reaches_model: bool,
}

fn identifier<'b>(block: &'b Block, key: &str) -> Option<&'b str> {
    match &block.attribute(key)?.value.as_ref()?.kind {
        ValueKind::Identifier(text) => Some(text),
        _ => None,
    }
}

fn string<'b>(block: &'b Block, key: &str) -> Option<&'b str> {
    match &block.attribute(key)?.value.as_ref()?.kind {
        ValueKind::String(text) => Some(text),
        _ => None,
    }
}

fn label(block: &Block) -> String {
    block
        .label
        .as_ref()
        .map(|l| l.text.clone())
        .unwrap_or_default()
}

/// Untrusted content: data used in prompts or retrieval whose origin is not `internal`.
fn untrusted_data_reaches(workload: &Block, model: Option<&str>) -> bool {
    workload
        .blocks()
        .filter(|b| b.is(BlockKind::Data))
        .filter(|data| matches!(identifier(data, "use"), Some("prompt" | "rag")))
        .filter(|data| identifier(data, "origin").is_some_and(|o| o != "internal"))
        .any(|data| match (string(data, "model"), model) {
            (Some(target), Some(model)) => target == model,
            _ => true,
        })
}

fn read_agents(text: &str) -> Vec<AgentBlock> {
    let file = genai_scope_syntax::parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let mut agents = vec![];
    for workload in file.items.iter().filter_map(|item| match item {
        Item::Block(block) if block.is(BlockKind::Workload) => Some(block),
        _ => None,
    }) {
        for block in workload.blocks().filter(|b| b.is(BlockKind::Agent)) {
            let tools = block
                .blocks()
                .filter(|b| b.is(BlockKind::Tool))
                .map(|t| ToolFacts {
                    name: label(t),
                    effect: identifier(t, "effect")
                        .and_then(Effect::from_keyword)
                        .expect("every example tool has an effect"),
                    approval: identifier(t, "approval").and_then(Approval::from_keyword),
                    audience: identifier(t, "audience")
                        .and_then(Audience::from_keyword)
                        .unwrap_or_default(),
                })
                .collect();
            let delegates_to = match block
                .attribute("delegates_to")
                .and_then(|a| a.value.as_ref())
                .map(|v| &v.kind)
            {
                Some(ValueKind::List(items)) => items
                    .iter()
                    .filter_map(|v| match &v.kind {
                        ValueKind::String(name) => Some(name.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => vec![],
            };
            let facts = AgentFacts {
                name: label(block),
                initiation: identifier(block, "initiation")
                    .and_then(Initiation::from_keyword)
                    .unwrap_or_default(),
                approval: identifier(block, "approval")
                    .and_then(Approval::from_keyword)
                    .unwrap_or_default(),
                memory: identifier(block, "memory")
                    .and_then(Memory::from_keyword)
                    .unwrap_or_default(),
                delegates_to,
                tools,
            };
            let declared_scope = match block
                .attribute("agency_scope")
                .and_then(|a| a.value.as_ref())
            {
                Some(value) => match value.kind {
                    ValueKind::Integer(number) => number,
                    _ => None,
                },
                None => None,
            };
            agents.push(AgentBlock {
                untrusted_reaches_model: untrusted_data_reaches(workload, string(block, "model")),
                facts,
                declared_scope,
                controls: block
                    .blocks()
                    .filter(|b| b.is(BlockKind::Control))
                    .map(label)
                    .collect(),
            });
        }
    }
    agents
}

/// The number after "Expected agency scope: " in the file's comments.
fn expected_scope(text: &str) -> AgencyScope {
    let (_, rest) = text
        .split_once("# Expected agency scope: ")
        .expect("the file states its expected agency scope");
    let digit = rest.chars().next().and_then(|c| c.to_digit(10));
    digit
        .and_then(|d| AgencyScope::from_number(d.into()))
        .expect("a scope number")
}

#[test]
fn there_is_one_example_per_agency_scope() {
    let scopes: Vec<AgencyScope> = EXAMPLES
        .iter()
        .map(|(_, text)| expected_scope(text))
        .collect();
    assert_eq!(scopes, AgencyScope::ALL);
}

#[test]
fn hand_built_facts_infer_the_expected_scopes() {
    for (file, text) in EXAMPLES {
        let expected = expected_scope(text);
        let workload = infer_agency(&hand_built(file));
        assert_eq!(workload.scope, Some(expected), "{file}");
        for agent in &workload.agents {
            assert_eq!(agent.scope, expected, "{file}: {}", agent.name);
        }
    }
}

#[test]
fn the_refund_example_gives_the_documented_reasons() {
    let workload = infer_agency(&hand_built("agency3-refund-agent.genai"));
    let refund = &workload.agents[1];
    assert_eq!(
        refund.reasons,
        ["tool \"issue-refund\" pays without approval → 3 Supervised agency"]
    );
    let chat = &workload.agents[0];
    assert_eq!(chat.own.scope, AgencyScope::NoAgency);
    assert_eq!(chat.raised_through, ["refund-agent"]);
    // The refund tool is the high-impact action the example suppresses with a reason.
    let facts = hand_built("agency3-refund-agent.genai");
    let high: Vec<&str> = facts[1]
        .unapproved_high_impact_tools()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(high, ["issue-refund"]);
    assert!(
        text_of("agency3-refund-agent.genai")
            .contains("# genai-scope: ignore[unapproved-high-impact-action] reason=")
    );
}

fn text_of(file: &str) -> &'static str {
    EXAMPLES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, text)| *text)
        .expect("an example")
}

#[test]
fn the_files_declare_the_hand_built_facts_and_scopes() {
    for (file, text) in EXAMPLES {
        let blocks = read_agents(text);
        let facts: Vec<AgentFacts> = blocks.iter().map(|b| b.facts.clone()).collect();
        assert_eq!(facts, hand_built(file), "{file}");
        let expected = expected_scope(text);
        for block in &blocks {
            assert_eq!(
                block.declared_scope,
                Some(u64::from(expected.number())),
                "{file}: agency_scope of {}",
                block.facts.name
            );
        }
    }
}

#[test]
fn every_agent_declares_exactly_the_agentic_controls_it_needs() {
    let catalog = agentic_catalog();
    for (file, text) in EXAMPLES {
        let blocks = read_agents(text);
        let facts: Vec<AgentFacts> = blocks.iter().map(|b| b.facts.clone()).collect();
        let workload = infer_agency(&facts);
        for (block, agency) in blocks.iter().zip(&workload.agents) {
            let required: BTreeSet<String> = catalog
                .controls
                .iter()
                .filter(|c| {
                    c.required_for(agency.scope, &block.facts, block.untrusted_reaches_model)
                })
                .map(|c| c.id.to_string())
                .collect();
            assert_eq!(
                block.controls, required,
                "{file}: agent {}",
                block.facts.name
            );
        }
    }
}

#[test]
fn the_ticketing_example_gates_tools_on_untrusted_tickets() {
    let blocks = read_agents(text_of("agency2-ticketing-agent.genai"));
    assert!(blocks[0].untrusted_reaches_model);
    assert!(blocks[0].facts.untrusted_to_agent(true));
    assert!(blocks[0].controls.contains("agent.untrusted_input_gate"));
    // The lookup assistant's data is internal: no gate needed.
    let lookup = read_agents(text_of("agency1-lookup-assistant.genai"));
    assert!(!lookup[0].untrusted_reaches_model);
}
