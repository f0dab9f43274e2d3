use super::*;

mod analysis;
mod catalog;
mod docs;
mod examples;

fn tool(name: &str, effect: Effect) -> ToolFacts {
    ToolFacts::new(name, effect)
}

fn approved(name: &str, effect: Effect) -> ToolFacts {
    ToolFacts {
        approval: Some(Approval::Required),
        ..ToolFacts::new(name, effect)
    }
}

fn unapproved(name: &str, effect: Effect) -> ToolFacts {
    ToolFacts {
        approval: Some(Approval::None),
        ..ToolFacts::new(name, effect)
    }
}

fn external(name: &str) -> ToolFacts {
    ToolFacts {
        audience: Audience::External,
        ..ToolFacts::new(name, Effect::Send)
    }
}

fn agent(name: &str, tools: Vec<ToolFacts>) -> AgentFacts {
    AgentFacts {
        tools,
        ..AgentFacts::new(name)
    }
}

fn delegating(name: &str, delegates: &[&str], tools: Vec<ToolFacts>) -> AgentFacts {
    AgentFacts {
        delegates_to: delegates.iter().map(|d| d.to_string()).collect(),
        ..agent(name, tools)
    }
}

fn self_started(name: &str, tools: Vec<ToolFacts>) -> AgentFacts {
    AgentFacts {
        initiation: Initiation::SelfStarted,
        ..agent(name, tools)
    }
}

fn scope_of(facts: &AgentFacts) -> AgencyScope {
    own_agency(facts).scope
}

fn scopes(workload: &WorkloadAgency) -> Vec<(&str, u8)> {
    workload
        .agents
        .iter()
        .map(|a| (a.name.as_str(), a.scope.number()))
        .collect()
}

// --- Values -------------------------------------------------------------------------------

#[test]
fn every_value_reads_back_from_its_keyword() {
    fn round_trip<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        keyword: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Vec<&'static str> {
        for &value in all {
            assert_eq!(parse(keyword(value)), Some(value));
        }
        assert_eq!(parse("unknown"), None);
        all.iter().map(|&v| keyword(v)).collect()
    }
    // The spellings of format.md v2, in its order.
    assert_eq!(
        round_trip(
            Initiation::ALL,
            Initiation::keyword,
            Initiation::from_keyword
        ),
        ["human", "self"]
    );
    assert_eq!(
        round_trip(Approval::ALL, Approval::keyword, Approval::from_keyword),
        ["required", "none"]
    );
    assert_eq!(
        round_trip(Memory::ALL, Memory::keyword, Memory::from_keyword),
        ["none", "session", "persistent"]
    );
    assert_eq!(
        round_trip(Effect::ALL, Effect::keyword, Effect::from_keyword),
        ["read", "write", "delete", "send", "execute", "pay"]
    );
    assert_eq!(
        round_trip(Audience::ALL, Audience::keyword, Audience::from_keyword),
        ["internal", "external"]
    );
    assert_eq!(
        round_trip(
            AgentCondition::ALL,
            AgentCondition::keyword,
            AgentCondition::from_keyword
        ),
        [
            "has_agents",
            "persistent_memory",
            "agent_memory",
            "agent_delegation",
            "tool_executes_code",
            "tool_changes_things",
            "approval_required",
            "untrusted_to_agent"
        ]
    );
}

#[test]
fn defaults_are_the_formats() {
    let facts = AgentFacts::new("a");
    assert_eq!(facts.initiation, Initiation::Human);
    assert_eq!(facts.approval, Approval::None);
    assert_eq!(facts.memory, Memory::None);
    assert!(facts.delegates_to.is_empty() && facts.tools.is_empty());
    let t = ToolFacts::new("t", Effect::Write);
    assert_eq!(t.approval, None);
    assert_eq!(t.audience, Audience::Internal);
}

#[test]
fn agency_scopes_number_name_and_order() {
    let numbers: Vec<u8> = AgencyScope::ALL.iter().map(|s| s.number()).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    for scope in AgencyScope::ALL {
        assert_eq!(AgencyScope::from_number(scope.number().into()), Some(scope));
    }
    assert_eq!(AgencyScope::from_number(0), None);
    assert_eq!(AgencyScope::from_number(5), None);
    assert!(AgencyScope::NoAgency < AgencyScope::Prescribed);
    assert!(AgencyScope::Prescribed < AgencyScope::Supervised);
    assert!(AgencyScope::Supervised < AgencyScope::Full);
    assert_eq!(AgencyScope::Supervised.label(), "3 Supervised agency");
    assert_eq!(AgencyScope::NoAgency.label(), "1 No agency");
    assert_eq!(AgencyScope::Prescribed.label(), "2 Prescribed agency");
    assert_eq!(AgencyScope::Full.label(), "4 Full agency");
}

#[test]
fn agency_scopes_print_and_serialise_as_the_plain_number() {
    let printed: Vec<String> = AgencyScope::ALL.iter().map(|s| s.to_string()).collect();
    assert_eq!(printed, ["1", "2", "3", "4"]);
    assert_eq!(
        serde_json::to_string(&AgencyScope::ALL).ok().as_deref(),
        Some("[1,2,3,4]")
    );
    assert_eq!(
        serde_json::from_str::<AgencyScope>("3").ok(),
        Some(AgencyScope::Supervised)
    );
    assert_eq!(AgencyScope::from_number(256 + 3), None);
    for bad in ["0", "5", "259", "-1", "\"3\""] {
        let error = serde_json::from_str::<AgencyScope>(bad)
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some(), "{bad} read as an agency scope");
    }
    let error = serde_json::from_str::<AgencyScope>("5")
        .err()
        .map(|e| e.to_string());
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.contains("5 is not an agency scope")),
        "{error:?}"
    );
}

// --- Deciding question 1: does it start by itself? ----------------------------------------

#[test]
fn a_self_started_agent_is_full_agency_whatever_its_tools() {
    for tools in [
        vec![],
        vec![tool("notes", Effect::Read)],
        vec![approved("book", Effect::Write)],
        vec![tool("refund", Effect::Pay)],
    ] {
        let own = own_agency(&self_started("watcher", tools.clone()));
        assert_eq!(own.scope, AgencyScope::Full, "{tools:?}");
        assert_eq!(own.decisive, Decisive::SelfStarted);
        assert_eq!(
            own.reason,
            "agent \"watcher\" starts work by itself (initiation = self) → 4 Full agency"
        );
    }
    // Approval does not lower it: the agent still decides when to start.
    let gated = AgentFacts {
        approval: Approval::Required,
        ..self_started("gated", vec![tool("book", Effect::Write)])
    };
    assert_eq!(scope_of(&gated), AgencyScope::Full);
}

// --- Deciding question 2: can any tool change anything? -----------------------------------

#[test]
fn an_agent_without_tools_has_no_agency() {
    let own = own_agency(&agent("chat", vec![]));
    assert_eq!(own.scope, AgencyScope::NoAgency);
    assert_eq!(own.decisive, Decisive::NothingChanges);
    assert_eq!(
        own.reason,
        "agent \"chat\" has no tools, so it cannot change anything → 1 No agency"
    );
}

#[test]
fn an_agent_whose_tools_only_read_has_no_agency() {
    let facts = agent(
        "lookup",
        vec![
            tool("orders", Effect::Read),
            unapproved("faq", Effect::Read),
        ],
    );
    let own = own_agency(&facts);
    assert_eq!(own.scope, AgencyScope::NoAgency);
    assert_eq!(own.decisive, Decisive::NothingChanges);
    assert_eq!(
        own.reason,
        "no tool of agent \"lookup\" changes anything (every effect is read) → 1 No agency"
    );
    // Approval on reading tools changes nothing either.
    let gated = AgentFacts {
        approval: Approval::Required,
        ..facts
    };
    assert_eq!(scope_of(&gated), AgencyScope::NoAgency);
}

#[test]
fn every_effect_but_read_changes_things() {
    for &effect in Effect::ALL {
        let facts = agent("a", vec![tool("t", effect)]);
        let expected = if effect == Effect::Read {
            AgencyScope::NoAgency
        } else {
            AgencyScope::Supervised
        };
        assert_eq!(scope_of(&facts), expected, "{effect:?}");
        assert_eq!(effect.changes_things(), effect != Effect::Read);
        // The same tool behind approval is prescribed agency.
        let gated = agent("a", vec![approved("t", effect)]);
        let expected = if effect == Effect::Read {
            AgencyScope::NoAgency
        } else {
            AgencyScope::Prescribed
        };
        assert_eq!(scope_of(&gated), expected, "{effect:?} approved");
    }
}

// --- Deciding question 3: is every change approved first? ---------------------------------

#[test]
fn approval_on_every_changing_tool_is_prescribed_agency() {
    let facts = agent(
        "tickets",
        vec![
            tool("search", Effect::Read),
            approved("update", Effect::Write),
            approved("refund", Effect::Pay),
        ],
    );
    let own = own_agency(&facts);
    assert_eq!(own.scope, AgencyScope::Prescribed);
    assert_eq!(
        own.decisive,
        Decisive::EveryChangeApproved {
            tools: vec!["update".into(), "refund".into()]
        }
    );
    assert_eq!(
        own.reason,
        "every tool of agent \"tickets\" that changes things waits for a person's approval: \
         tool \"update\" writes (approval = required), tool \"refund\" pays (approval = required) \
         → 2 Prescribed agency"
    );
}

#[test]
fn the_agents_default_approval_makes_it_prescribed() {
    let facts = AgentFacts {
        approval: Approval::Required,
        ..agent(
            "tickets",
            vec![tool("search", Effect::Read), tool("update", Effect::Write)],
        )
    };
    let own = own_agency(&facts);
    assert_eq!(own.scope, AgencyScope::Prescribed);
    assert!(
        own.reason
            .contains("tool \"update\" writes (approval = required by the agent's default)"),
        "{}",
        own.reason
    );
}

// --- Deciding question 4: otherwise supervised ---------------------------------------------

#[test]
fn a_changing_tool_without_approval_is_supervised_agency() {
    let facts = agent(
        "refunds",
        vec![
            tool("orders", Effect::Read),
            tool("issue-refund", Effect::Pay),
        ],
    );
    let own = own_agency(&facts);
    assert_eq!(own.scope, AgencyScope::Supervised);
    assert_eq!(
        own.decisive,
        Decisive::UnapprovedChanges {
            tools: vec!["issue-refund".into()]
        }
    );
    assert_eq!(
        own.reason,
        "tool \"issue-refund\" pays without approval → 3 Supervised agency"
    );
}

#[test]
fn one_unapproved_changing_tool_among_approved_ones_is_enough() {
    let facts = agent(
        "mixed",
        vec![
            approved("refund", Effect::Pay),
            tool("note", Effect::Write),
            approved("delete", Effect::Delete),
            external("mail"),
            tool("run", Effect::Execute),
        ],
    );
    let own = own_agency(&facts);
    assert_eq!(own.scope, AgencyScope::Supervised);
    assert_eq!(
        own.decisive,
        Decisive::UnapprovedChanges {
            tools: vec!["note".into(), "mail".into(), "run".into()]
        }
    );
    assert_eq!(
        own.reason,
        "tool \"note\" writes without approval (and 2 more tools) → 3 Supervised agency"
    );
    let two = agent("two", vec![external("mail"), tool("run", Effect::Execute)]);
    assert_eq!(
        own_agency(&two).reason,
        "tool \"mail\" sends outside the organisation without approval (and 1 more tool) → 3 Supervised agency"
    );
}

// --- A tool's approval overrides its agent's, both ways -------------------------------------

#[test]
fn a_tools_approval_overrides_the_agents_default_both_ways() {
    // The agent requires approval, but one changing tool opts out: supervised.
    let opted_out = AgentFacts {
        approval: Approval::Required,
        ..agent(
            "a",
            vec![
                tool("update", Effect::Write),
                unapproved("close", Effect::Write),
            ],
        )
    };
    let own = own_agency(&opted_out);
    assert_eq!(own.scope, AgencyScope::Supervised);
    assert_eq!(
        own.decisive,
        Decisive::UnapprovedChanges {
            tools: vec!["close".into()]
        }
    );
    // The agent requires none, but its only changing tool requires approval: prescribed.
    let opted_in = agent(
        "b",
        vec![
            tool("search", Effect::Read),
            approved("update", Effect::Write),
        ],
    );
    assert_eq!(scope_of(&opted_in), AgencyScope::Prescribed);
    // Explicit `none` on the tool equals the agent's default `none`.
    assert_eq!(
        scope_of(&agent("c", vec![unapproved("update", Effect::Write)])),
        AgencyScope::Supervised
    );
    // And the effective approval, per tool.
    assert_eq!(
        opted_out.tool_approval(&opted_out.tools[0]),
        Approval::Required
    );
    assert_eq!(opted_out.tool_approval(&opted_out.tools[1]), Approval::None);
    assert_eq!(
        opted_in.tool_approval(&opted_in.tools[1]),
        Approval::Required
    );
    assert_eq!(opted_in.tool_approval(&opted_in.tools[0]), Approval::None);
}

// --- Delegation ------------------------------------------------------------------------------

#[test]
fn an_agent_reaches_its_delegates_scope() {
    let agents = vec![
        delegating("front", &["refunds"], vec![tool("orders", Effect::Read)]),
        agent("refunds", vec![tool("issue-refund", Effect::Pay)]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("front", 3), ("refunds", 3)]);
    let front = &workload.agents[0];
    assert_eq!(front.own.scope, AgencyScope::NoAgency);
    assert_eq!(front.raised_through, ["refunds"]);
    assert_eq!(
        front.reasons,
        [
            "no tool of agent \"front\" changes anything (every effect is read) → 1 No agency",
            "agent \"front\" hands work to \"refunds\", which reaches 3 Supervised agency \
             (tool \"issue-refund\" pays without approval), so it reaches 3 Supervised agency too"
        ]
    );
    // The delegate itself is not raised by being delegated to.
    let refunds = &workload.agents[1];
    assert!(refunds.raised_through.is_empty());
    assert_eq!(refunds.reasons, std::slice::from_ref(&refunds.own.reason));
}

#[test]
fn a_delegate_never_lowers_an_agent() {
    let agents = vec![
        delegating("boss", &["reader"], vec![tool("pay", Effect::Pay)]),
        agent("reader", vec![tool("read", Effect::Read)]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("boss", 3), ("reader", 1)]);
    assert!(workload.agents[0].raised_through.is_empty());
    assert_eq!(workload.agents[0].reasons.len(), 1);
}

#[test]
fn an_equal_delegate_does_not_claim_the_decision() {
    let agents = vec![
        delegating("a", &["b"], vec![tool("write", Effect::Write)]),
        agent("b", vec![tool("pay", Effect::Pay)]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("a", 3), ("b", 3)]);
    assert!(workload.agents[0].raised_through.is_empty());
}

#[test]
fn delegation_chains_are_followed_to_the_end() {
    let agents = vec![
        delegating("a", &["b"], vec![]),
        delegating("b", &["c"], vec![approved("w", Effect::Write)]),
        delegating("c", &["d"], vec![tool("r", Effect::Read)]),
        self_started("d", vec![]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("a", 4), ("b", 4), ("c", 4), ("d", 4)]);
    assert_eq!(workload.agents[0].raised_through, ["b", "c", "d"]);
    assert_eq!(workload.agents[1].raised_through, ["c", "d"]);
    assert_eq!(workload.agents[2].raised_through, ["d"]);
    assert_eq!(
        workload.agents[0].reasons[1],
        "agent \"a\" hands work to \"b\" → \"c\" → \"d\", which reaches 4 Full agency \
         (agent \"d\" starts work by itself (initiation = self)), so it reaches 4 Full agency too"
    );
}

#[test]
fn the_highest_reachable_agent_decides_and_the_shortest_chain_names_it() {
    // a → b (2) → c (3), and a → d (3) directly: d is reached first.
    let agents = vec![
        delegating("a", &["b", "d"], vec![]),
        delegating("b", &["c"], vec![approved("w", Effect::Write)]),
        agent("c", vec![tool("pay", Effect::Pay)]),
        agent("d", vec![tool("del", Effect::Delete)]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("a", 3), ("b", 3), ("c", 3), ("d", 3)]);
    assert_eq!(workload.agents[0].raised_through, ["d"]);
    assert_eq!(workload.agents[1].raised_through, ["c"]);
}

#[test]
fn a_two_cycle_terminates_and_shares_the_higher_scope() {
    let agents = vec![
        delegating("ping", &["pong"], vec![tool("read", Effect::Read)]),
        delegating("pong", &["ping"], vec![tool("pay", Effect::Pay)]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("ping", 3), ("pong", 3)]);
    assert_eq!(workload.agents[0].raised_through, ["pong"]);
    assert!(workload.agents[1].raised_through.is_empty());
}

#[test]
fn a_self_loop_terminates_with_its_own_scope() {
    let agents = vec![delegating(
        "narcissus",
        &["narcissus"],
        vec![approved("w", Effect::Write)],
    )];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("narcissus", 2)]);
    assert!(workload.agents[0].raised_through.is_empty());
    assert_eq!(workload.agents[0].reasons.len(), 1);
}

#[test]
fn a_long_chain_and_a_long_cycle_terminate() {
    const LENGTH: usize = 300;
    let name = |i: usize| format!("agent-{i}");
    // A chain whose last agent starts by itself.
    let mut chain: Vec<AgentFacts> = (0..LENGTH)
        .map(|i| delegating(&name(i), &[name(i + 1).as_str()], vec![]))
        .collect();
    chain[LENGTH - 1] = self_started(&name(LENGTH - 1), vec![]);
    let workload = infer_agency(&chain);
    assert!(workload.agents.iter().all(|a| a.scope == AgencyScope::Full));
    assert_eq!(workload.agents[0].raised_through.len(), LENGTH - 1);
    assert_eq!(
        workload.agents[0].raised_through.last(),
        Some(&name(LENGTH - 1))
    );
    // The same agents in a ring, the deciding agent in the middle.
    let mut ring: Vec<AgentFacts> = (0..LENGTH)
        .map(|i| delegating(&name(i), &[name((i + 1) % LENGTH).as_str()], vec![]))
        .collect();
    ring[LENGTH / 2].tools = vec![tool("pay", Effect::Pay)];
    let workload = infer_agency(&ring);
    assert!(
        workload
            .agents
            .iter()
            .all(|a| a.scope == AgencyScope::Supervised)
    );
    // The agent just after the decider goes all the way round.
    assert_eq!(
        workload.agents[LENGTH / 2 + 1].raised_through.len(),
        LENGTH - 1
    );
}

#[test]
fn unknown_delegates_are_ignored_here() {
    let agents = vec![delegating(
        "lonely",
        &["nobody", "", "lonely-2"],
        vec![tool("r", Effect::Read)],
    )];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("lonely", 1)]);
    assert!(workload.agents[0].raised_through.is_empty());
    // But the agent still delegates, as far as the conditions go.
    assert!(agents[0].agent_delegation());
}

#[test]
fn a_repeated_agent_name_refers_to_its_first_agent() {
    let agents = vec![
        delegating("front", &["twin"], vec![]),
        agent("twin", vec![tool("r", Effect::Read)]),
        agent("twin", vec![tool("pay", Effect::Pay)]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(scopes(&workload), [("front", 1), ("twin", 1), ("twin", 3)]);
}

// --- The workload ----------------------------------------------------------------------------

#[test]
fn a_workload_without_agents_has_no_agency_scope() {
    let workload = infer_agency(&[]);
    assert_eq!(workload.scope, None);
    assert!(workload.agents.is_empty());
    assert!(workload.reason.contains("no agent is declared"));
    assert!(!has_agents(&[]));
}

#[test]
fn a_single_agent_gives_the_workload_its_scope() {
    let workload = infer_agency(&[agent("only", vec![approved("w", Effect::Write)])]);
    assert_eq!(workload.scope, Some(AgencyScope::Prescribed));
    assert_eq!(
        workload.reason,
        "the workload takes the agency scope of its only agent \"only\": 2 Prescribed agency"
    );
}

#[test]
fn the_workload_takes_the_highest_agent_and_names_the_first_of_them() {
    let agents = vec![
        agent("reader", vec![tool("r", Effect::Read)]),
        agent("refunds", vec![tool("pay", Effect::Pay)]),
        agent("prescribed", vec![approved("w", Effect::Write)]),
        agent("deleter", vec![tool("d", Effect::Delete)]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(workload.scope, Some(AgencyScope::Supervised));
    assert_eq!(
        workload.reason,
        "the workload takes its highest agency scope: 3 Supervised agency, from agent \"refunds\""
    );
    assert!(has_agents(&agents));
    // Raised by delegation counts for the workload too.
    let agents = vec![
        delegating("front", &["back"], vec![]),
        self_started("back", vec![]),
    ];
    let workload = infer_agency(&agents);
    assert_eq!(workload.scope, Some(AgencyScope::Full));
    assert!(workload.reason.ends_with("from agent \"front\""));
}

// --- Conditions ------------------------------------------------------------------------------

#[test]
fn memory_conditions() {
    for (memory, persistent, any) in [
        (Memory::None, false, false),
        (Memory::Session, false, true),
        (Memory::Persistent, true, true),
    ] {
        let facts = AgentFacts {
            memory,
            ..AgentFacts::new("a")
        };
        assert_eq!(facts.persistent_memory(), persistent, "{memory:?}");
        assert_eq!(facts.agent_memory(), any, "{memory:?}");
        assert_eq!(
            AgentCondition::PersistentMemory.holds(&facts, false),
            persistent
        );
        assert_eq!(AgentCondition::AgentMemory.holds(&facts, false), any);
    }
}

#[test]
fn delegation_condition() {
    assert!(!AgentFacts::new("a").agent_delegation());
    let facts = delegating("a", &["b"], vec![]);
    assert!(facts.agent_delegation());
    assert!(AgentCondition::AgentDelegation.holds(&facts, false));
}

#[test]
fn tool_conditions() {
    let reader = agent("r", vec![tool("read", Effect::Read)]);
    assert!(!reader.tool_executes_code());
    assert!(!reader.tool_changes_things());
    assert!(!AgentFacts::new("none").tool_changes_things());
    let runner = agent(
        "x",
        vec![tool("read", Effect::Read), tool("run", Effect::Execute)],
    );
    assert!(runner.tool_executes_code());
    assert!(runner.tool_changes_things());
    assert!(AgentCondition::ToolExecutesCode.holds(&runner, false));
    assert!(AgentCondition::ToolChangesThings.holds(&runner, false));
    for &effect in Effect::ALL {
        let facts = agent("e", vec![tool("t", effect)]);
        assert_eq!(facts.tool_executes_code(), effect == Effect::Execute);
        assert_eq!(facts.tool_changes_things(), effect != Effect::Read);
    }
}

#[test]
fn approval_condition_follows_the_effective_approval() {
    assert!(!agent("a", vec![tool("w", Effect::Write)]).approval_required());
    assert!(agent("a", vec![approved("w", Effect::Write)]).approval_required());
    // The agent's default counts for the tools that say nothing …
    let by_default = AgentFacts {
        approval: Approval::Required,
        ..agent("a", vec![tool("w", Effect::Write)])
    };
    assert!(by_default.approval_required());
    assert!(AgentCondition::ApprovalRequired.holds(&by_default, false));
    // … but not for a tool that opts out, nor without tools.
    let opted_out = AgentFacts {
        approval: Approval::Required,
        ..agent("a", vec![unapproved("w", Effect::Write)])
    };
    assert!(!opted_out.approval_required());
    let no_tools = AgentFacts {
        approval: Approval::Required,
        ..AgentFacts::new("a")
    };
    assert!(!no_tools.approval_required());
}

#[test]
fn untrusted_to_agent_needs_untrusted_content_and_a_changing_tool() {
    let writer = agent("w", vec![tool("w", Effect::Write)]);
    let reader = agent("r", vec![tool("r", Effect::Read)]);
    assert!(writer.untrusted_to_agent(true));
    assert!(!writer.untrusted_to_agent(false));
    assert!(!reader.untrusted_to_agent(true));
    assert!(!reader.untrusted_to_agent(false));
    assert!(AgentCondition::UntrustedToAgent.holds(&writer, true));
    assert!(!AgentCondition::UntrustedToAgent.holds(&writer, false));
}

#[test]
fn has_agents_holds_for_every_agent() {
    assert!(AgentCondition::HasAgents.holds(&AgentFacts::new("a"), false));
}

#[test]
fn every_condition_is_described() {
    for &condition in AgentCondition::ALL {
        assert!(!condition.describe().is_empty(), "{condition:?}");
    }
}

#[test]
fn a_requirement_needs_the_scope_and_every_condition() {
    let facts = AgentFacts {
        memory: Memory::Session,
        ..agent("a", vec![tool("pay", Effect::Pay)])
    };
    let memory = [AgentCondition::AgentMemory];
    assert!(required_at(
        &[3, 4],
        &memory,
        AgencyScope::Supervised,
        &facts,
        false
    ));
    assert!(!required_at(
        &[3, 4],
        &memory,
        AgencyScope::Prescribed,
        &facts,
        false
    ));
    assert!(required_at(
        &[1, 2, 3, 4],
        &[],
        AgencyScope::NoAgency,
        &facts,
        false
    ));
    let both = [
        AgentCondition::AgentMemory,
        AgentCondition::PersistentMemory,
    ];
    assert!(!required_at(
        &[1, 2, 3, 4],
        &both,
        AgencyScope::Supervised,
        &facts,
        false
    ));
    let untrusted = [AgentCondition::UntrustedToAgent];
    assert!(required_at(
        &[3],
        &untrusted,
        AgencyScope::Supervised,
        &facts,
        true
    ));
    assert!(!required_at(
        &[3],
        &untrusted,
        AgencyScope::Supervised,
        &facts,
        false
    ));
}

// --- High-impact actions ---------------------------------------------------------------------

#[test]
fn high_impact_effects() {
    let cases = [
        (tool("r", Effect::Read), false),
        (tool("w", Effect::Write), false),
        (tool("x", Effect::Execute), false),
        (tool("d", Effect::Delete), true),
        (tool("p", Effect::Pay), true),
        (tool("internal-mail", Effect::Send), false),
        (external("external-mail"), true),
        // The audience only matters for sending.
        (
            ToolFacts {
                audience: Audience::External,
                ..tool("w", Effect::Write)
            },
            false,
        ),
    ];
    for (t, high) in cases {
        assert_eq!(t.has_high_impact_effect(), high, "{t:?}");
        assert_eq!(is_high_impact(&t, Approval::None), high, "{t:?}");
        // Approval by the agent's default makes none of them unapproved …
        assert!(!is_high_impact(&t, Approval::Required), "{t:?}");
        // … nor approval on the tool itself, whatever the agent says.
        let gated = ToolFacts {
            approval: Some(Approval::Required),
            ..t.clone()
        };
        assert!(!is_high_impact(&gated, Approval::None), "{t:?}");
        // A tool that opts out of the agent's approval is unapproved again.
        let opted_out = ToolFacts {
            approval: Some(Approval::None),
            ..t.clone()
        };
        assert_eq!(
            is_high_impact(&opted_out, Approval::Required),
            high,
            "{t:?}"
        );
    }
}

#[test]
fn an_agents_unapproved_high_impact_tools_in_order() {
    let facts = AgentFacts {
        approval: Approval::Required,
        ..agent(
            "ops",
            vec![
                unapproved("drop-table", Effect::Delete),
                tool("refund", Effect::Pay),
                ToolFacts {
                    approval: Some(Approval::None),
                    ..external("newsletter")
                },
                unapproved("note", Effect::Write),
            ],
        )
    };
    let names: Vec<&str> = facts
        .unapproved_high_impact_tools()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["drop-table", "newsletter"]);
}
