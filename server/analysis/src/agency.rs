//! Agency: what a workload's agents and their tools may do, as plain facts independent of the
//! syntax tree, and the inference of each agent's agency scope in AWS's Agentic AI Security
//! Scoping Matrix (1 No agency … 4 Full agency), each with the reasons a person can check.
//! Also the agentic conditions that the agentic catalog's controls name, as pure functions of
//! these facts. Spellings of values are the format's (`shared/spec/format.md`, version 2).

use std::collections::{HashMap, VecDeque};
use std::fmt;

/// The spellings of a closed set of values, as written in a `.genai` file.
macro_rules! keywords {
    ($ty:ident { $($variant:ident => $keyword:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the format's order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The value as written in a `.genai` file.
            pub fn keyword(self) -> &'static str {
                match self {
                    $($ty::$variant => $keyword),+
                }
            }

            /// The value spelled `keyword`, if it is one.
            pub fn from_keyword(keyword: &str) -> Option<Self> {
                match keyword {
                    $($keyword => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// Who starts an agent's work (`initiation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Initiation {
    /// A person asks (the default).
    #[default]
    Human,
    /// It starts on its own: events, schedules, conditions it watches (`self`).
    SelfStarted,
}
keywords!(Initiation { Human => "human", SelfStarted => "self" });

/// Whether a person approves each action before it runs (`approval`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Approval {
    Required,
    /// The default of an agent.
    #[default]
    None,
}
keywords!(Approval { Required => "required", None => "none" });

/// What an agent remembers (`memory`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Memory {
    /// Nothing (the default).
    #[default]
    None,
    /// Within one session.
    Session,
    /// Across sessions.
    Persistent,
}
keywords!(Memory { None => "none", Session => "session", Persistent => "persistent" });

/// The most a tool can do (`effect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Read,
    Write,
    Delete,
    Send,
    Execute,
    Pay,
}
keywords!(Effect {
    Read => "read",
    Write => "write",
    Delete => "delete",
    Send => "send",
    Execute => "execute",
    Pay => "pay",
});

impl Effect {
    /// Every effect but `read` changes something.
    pub fn changes_things(self) -> bool {
        self != Effect::Read
    }

    /// What a tool with this effect does, for reasons ("pays").
    fn verb(self) -> &'static str {
        match self {
            Effect::Read => "reads",
            Effect::Write => "writes",
            Effect::Delete => "deletes",
            Effect::Send => "sends",
            Effect::Execute => "executes code",
            Effect::Pay => "pays",
        }
    }
}

/// Whom a tool sends to (`audience`; meaningful with `effect = send`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Audience {
    /// Inside the organisation (the default).
    #[default]
    Internal,
    External,
}
keywords!(Audience { Internal => "internal", External => "external" });

/// A tool of an agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolFacts {
    pub name: String,
    pub effect: Effect,
    /// Its own `approval`; `None` takes the agent's.
    pub approval: Option<Approval>,
    pub audience: Audience,
}

impl ToolFacts {
    /// A tool with the format's defaults: the agent's approval, an internal audience.
    pub fn new(name: impl Into<String>, effect: Effect) -> Self {
        Self {
            name: name.into(),
            effect,
            approval: None,
            audience: Audience::Internal,
        }
    }

    /// The approval that holds for it: its own, else the agent's default.
    pub fn approval_in(&self, agent_default: Approval) -> Approval {
        self.approval.unwrap_or(agent_default)
    }

    /// Deletes, pays, or sends outside the organisation: the actions OWASP LLM06:2025 wants a
    /// person to approve.
    pub fn has_high_impact_effect(&self) -> bool {
        match self.effect {
            Effect::Delete | Effect::Pay => true,
            Effect::Send => self.audience == Audience::External,
            Effect::Read | Effect::Write | Effect::Execute => false,
        }
    }

    /// What it does, for reasons ("pays", "sends outside the organisation").
    fn action(&self) -> &'static str {
        if self.effect == Effect::Send && self.audience == Audience::External {
            "sends outside the organisation"
        } else {
            self.effect.verb()
        }
    }
}

/// Whether `tool`, in an agent whose default approval is `agent_default`, is a high-impact
/// action that runs without a person's approval (`unapproved-high-impact-action`): its effect
/// is `delete` or `pay`, or `send` with `audience = external`, and neither the tool nor (when
/// the tool says nothing) its agent requires approval.
pub fn is_high_impact(tool: &ToolFacts, agent_default: Approval) -> bool {
    tool.has_high_impact_effect() && tool.approval_in(agent_default) != Approval::Required
}

/// An agent of a workload, with its tools.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentFacts {
    pub name: String,
    pub initiation: Initiation,
    /// The default approval of its tools.
    pub approval: Approval,
    pub memory: Memory,
    /// Names of agents of the same workload it hands work to, as written.
    pub delegates_to: Vec<String>,
    pub tools: Vec<ToolFacts>,
}

impl AgentFacts {
    /// An agent with the format's defaults: started by a person, no approval, no memory, no
    /// delegates, no tools.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// The approval that holds for `tool` in this agent.
    pub fn tool_approval(&self, tool: &ToolFacts) -> Approval {
        tool.approval_in(self.approval)
    }

    /// Its tools that are high-impact actions without approval, in declaration order.
    pub fn unapproved_high_impact_tools(&self) -> impl Iterator<Item = &ToolFacts> {
        self.tools
            .iter()
            .filter(|tool| is_high_impact(tool, self.approval))
    }

    /// `persistent_memory`: it remembers across sessions.
    pub fn persistent_memory(&self) -> bool {
        self.memory == Memory::Persistent
    }

    /// `agent_memory`: it remembers anything at all (session or persistent memory).
    pub fn agent_memory(&self) -> bool {
        self.memory != Memory::None
    }

    /// `agent_delegation`: it hands work to other agents.
    pub fn agent_delegation(&self) -> bool {
        !self.delegates_to.is_empty()
    }

    /// `tool_executes_code`: some tool has `effect = execute`.
    pub fn tool_executes_code(&self) -> bool {
        self.tools.iter().any(|tool| tool.effect == Effect::Execute)
    }

    /// `tool_changes_things`: some tool's effect is other than `read`.
    pub fn tool_changes_things(&self) -> bool {
        self.tools.iter().any(|tool| tool.effect.changes_things())
    }

    /// `approval_required`: some tool requires approval, by itself or by the agent's default.
    pub fn approval_required(&self) -> bool {
        self.tools
            .iter()
            .any(|tool| self.tool_approval(tool) == Approval::Required)
    }

    /// `untrusted_to_agent`: untrusted content reaches the agent's model (worked out from the
    /// workload's data by the caller) and one of its tools changes things.
    pub fn untrusted_to_agent(&self, untrusted_reaches_model: bool) -> bool {
        untrusted_reaches_model && self.tool_changes_things()
    }
}

/// `has_agents`: the workload declares at least one agent.
pub fn has_agents(agents: &[AgentFacts]) -> bool {
    !agents.is_empty()
}

/// The agentic conditions a control of the agentic catalog may name (`when`), all of them
/// about one agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgentCondition {
    HasAgents,
    PersistentMemory,
    AgentMemory,
    AgentDelegation,
    ToolExecutesCode,
    ToolChangesThings,
    ApprovalRequired,
    UntrustedToAgent,
}
keywords!(AgentCondition {
    HasAgents => "has_agents",
    PersistentMemory => "persistent_memory",
    AgentMemory => "agent_memory",
    AgentDelegation => "agent_delegation",
    ToolExecutesCode => "tool_executes_code",
    ToolChangesThings => "tool_changes_things",
    ApprovalRequired => "approval_required",
    UntrustedToAgent => "untrusted_to_agent",
});

impl AgentCondition {
    /// Whether it holds for `agent`; `untrusted_reaches_model` says whether untrusted content
    /// reaches the agent's model.
    pub fn holds(self, agent: &AgentFacts, untrusted_reaches_model: bool) -> bool {
        match self {
            // The agent exists, so its workload has agents.
            AgentCondition::HasAgents => true,
            AgentCondition::PersistentMemory => agent.persistent_memory(),
            AgentCondition::AgentMemory => agent.agent_memory(),
            AgentCondition::AgentDelegation => agent.agent_delegation(),
            AgentCondition::ToolExecutesCode => agent.tool_executes_code(),
            AgentCondition::ToolChangesThings => agent.tool_changes_things(),
            AgentCondition::ApprovalRequired => agent.approval_required(),
            AgentCondition::UntrustedToAgent => agent.untrusted_to_agent(untrusted_reaches_model),
        }
    }

    /// Completes "required only when …".
    pub fn describe(self) -> &'static str {
        match self {
            AgentCondition::HasAgents => "the workload declares an agent",
            AgentCondition::PersistentMemory => {
                "the agent remembers across sessions (`memory = persistent`)"
            }
            AgentCondition::AgentMemory => {
                "the agent remembers anything (`memory` is `session` or `persistent`)"
            }
            AgentCondition::AgentDelegation => {
                "the agent hands work to other agents (`delegates_to`)"
            }
            AgentCondition::ToolExecutesCode => {
                "some tool runs code or commands (`effect = execute`)"
            }
            AgentCondition::ToolChangesThings => {
                "some tool can change things (an effect other than `read`)"
            }
            AgentCondition::ApprovalRequired => {
                "some tool needs a person's approval (`approval = required`)"
            }
            AgentCondition::UntrustedToAgent => {
                "untrusted content reaches the agent's model and some tool can change things"
            }
        }
    }
}

/// Whether an agentic control is required of an agent at `scope`: the scope is one of the
/// control's `agency_scopes` and every condition that applies there holds (the control's
/// `when`, plus those of its `when_at` entries that list `scope`).
pub fn required_at(
    agency_scopes: &[u8],
    conditions_at_scope: &[AgentCondition],
    scope: AgencyScope,
    agent: &AgentFacts,
    untrusted_reaches_model: bool,
) -> bool {
    agency_scopes.contains(&scope.number())
        && conditions_at_scope
            .iter()
            .all(|condition| condition.holds(agent, untrusted_reaches_model))
}

/// The four agency scopes, ordered from least to most agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgencyScope {
    NoAgency,
    Prescribed,
    Supervised,
    Full,
}

impl AgencyScope {
    pub const ALL: [AgencyScope; 4] = [
        AgencyScope::NoAgency,
        AgencyScope::Prescribed,
        AgencyScope::Supervised,
        AgencyScope::Full,
    ];

    /// 1–4.
    pub fn number(self) -> u8 {
        match self {
            AgencyScope::NoAgency => 1,
            AgencyScope::Prescribed => 2,
            AgencyScope::Supervised => 3,
            AgencyScope::Full => 4,
        }
    }

    pub fn from_number(number: u64) -> Option<Self> {
        match number {
            1 => Some(AgencyScope::NoAgency),
            2 => Some(AgencyScope::Prescribed),
            3 => Some(AgencyScope::Supervised),
            4 => Some(AgencyScope::Full),
            _ => None,
        }
    }

    /// AWS's name, e.g. "Supervised agency".
    pub fn name(self) -> &'static str {
        match self {
            AgencyScope::NoAgency => "No agency",
            AgencyScope::Prescribed => "Prescribed agency",
            AgencyScope::Supervised => "Supervised agency",
            AgencyScope::Full => "Full agency",
        }
    }

    /// Its number and AWS's name, e.g. "3 Supervised agency", for reasons and reports.
    pub fn label(self) -> String {
        format!("{} {}", self.number(), self.name())
    }
}

/// The plain number, "3", as reports and configuration files write it; `label` gives the name too.
impl fmt::Display for AgencyScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.number().fmt(f)
    }
}

/// Serialised as its plain number, so JSON reports keep writing `3`.
impl serde::Serialize for AgencyScope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.number())
    }
}

impl<'de> serde::Deserialize<'de> for AgencyScope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = u64::deserialize(deserializer)?;
        AgencyScope::from_number(number).ok_or_else(|| {
            serde::de::Error::custom(format!("{number} is not an agency scope (1 to 4)"))
        })
    }
}

/// The deciding question that settled an agent's own agency scope, with its facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decisive {
    /// It starts work by itself (`initiation = self`): 4.
    SelfStarted,
    /// None of its tools changes anything, or it has none: 1.
    NothingChanges,
    /// Every tool that changes things needs approval; those tools, in order: 2.
    EveryChangeApproved { tools: Vec<String> },
    /// These tools change things without approval, in order: 3.
    UnapprovedChanges { tools: Vec<String> },
}

/// An agent's agency scope from its own facts alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnAgency {
    pub scope: AgencyScope,
    pub decisive: Decisive,
    /// Names the decisive facts, e.g. `tool "issue-refund" pays without approval → 3
    /// Supervised agency`.
    pub reason: String,
}

/// The deciding questions of `agentic.md`, in order, over the agent's own facts.
pub fn own_agency(agent: &AgentFacts) -> OwnAgency {
    let name = &agent.name;
    // 1. Does it start work by itself?
    if agent.initiation == Initiation::SelfStarted {
        let scope = AgencyScope::Full;
        let label = scope.label();
        return OwnAgency {
            scope,
            decisive: Decisive::SelfStarted,
            reason: format!("agent \"{name}\" starts work by itself (initiation = self) → {label}"),
        };
    }
    // 2. Can any of its tools change anything?
    let changing: Vec<&ToolFacts> = agent
        .tools
        .iter()
        .filter(|tool| tool.effect.changes_things())
        .collect();
    if changing.is_empty() {
        let scope = AgencyScope::NoAgency;
        let label = scope.label();
        let reason = if agent.tools.is_empty() {
            format!("agent \"{name}\" has no tools, so it cannot change anything → {label}")
        } else {
            format!("no tool of agent \"{name}\" changes anything (every effect is read) → {label}")
        };
        return OwnAgency {
            scope,
            decisive: Decisive::NothingChanges,
            reason,
        };
    }
    // 3. Does a person approve every action of every changing tool before it runs?
    let unapproved: Vec<&ToolFacts> = changing
        .iter()
        .copied()
        .filter(|tool| agent.tool_approval(tool) != Approval::Required)
        .collect();
    if unapproved.is_empty() {
        let scope = AgencyScope::Prescribed;
        let label = scope.label();
        let tools: Vec<String> = changing
            .iter()
            .map(|tool| {
                let from = if tool.approval.is_some() {
                    "approval = required"
                } else {
                    "approval = required by the agent's default"
                };
                format!("tool \"{}\" {} ({from})", tool.name, tool.action())
            })
            .collect();
        return OwnAgency {
            scope,
            decisive: Decisive::EveryChangeApproved {
                tools: changing.iter().map(|tool| tool.name.clone()).collect(),
            },
            reason: format!(
                "every tool of agent \"{name}\" that changes things waits for a person's approval: {} → {label}",
                tools.join(", ")
            ),
        };
    }
    // 4. Otherwise: it changes things on its own once a person has started it.
    let scope = AgencyScope::Supervised;
    let label = scope.label();
    let first = unapproved[0];
    let more = match unapproved.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more tool)".to_string(),
        n => format!(" (and {n} more tools)"),
    };
    OwnAgency {
        scope,
        decisive: Decisive::UnapprovedChanges {
            tools: unapproved.iter().map(|tool| tool.name.clone()).collect(),
        },
        reason: format!(
            "tool \"{}\" {} without approval{more} → {label}",
            first.name,
            first.action()
        ),
    }
}

/// An agent's agency scope with its delegates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentAgency {
    pub name: String,
    /// From its own facts.
    pub own: OwnAgency,
    /// The highest of its own and of every agent it reaches through `delegates_to`.
    pub scope: AgencyScope,
    /// When a delegate raises it: the chain of delegates from its first delegate to the agent
    /// whose own facts decide (empty when its own facts decide).
    pub raised_through: Vec<String>,
    /// Its own reason, then, if a delegate raises it, the delegation that does.
    pub reasons: Vec<String>,
}

/// The agency of a workload's agents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadAgency {
    /// The highest of its agents'; `None` without agents.
    pub scope: Option<AgencyScope>,
    /// One per agent, in declaration order.
    pub agents: Vec<AgentAgency>,
    pub reason: String,
}

/// Infers every agent's agency scope and the workload's.
///
/// An agent reaches at least what its delegates reach, transitively: a breadth-first walk
/// over `delegates_to` visits each agent once, so cycles end, and the first agent found with
/// the highest own scope decides (the agent itself on a tie, else the shortest chain).
/// Delegate names that are no agent of `agents`, or repeat a name already seen, are skipped
/// here (`unknown-reference` and `duplicate-name` report them); a repeated agent name
/// refers to its first agent.
pub fn infer_agency(agents: &[AgentFacts]) -> WorkloadAgency {
    let own: Vec<OwnAgency> = agents.iter().map(own_agency).collect();
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(agents.len());
    for (i, agent) in agents.iter().enumerate() {
        index.entry(agent.name.as_str()).or_insert(i);
    }
    let mut walk = Walk::new(agents.len());
    let results: Vec<AgentAgency> = (0..agents.len())
        .map(|start| with_delegates(agents, &own, &index, start, &mut walk))
        .collect();

    let deciding = results
        .iter()
        .enumerate()
        // The first agent among those with the highest scope decides.
        .max_by(|a, b| a.1.scope.cmp(&b.1.scope).then(b.0.cmp(&a.0)));
    let (scope, reason) = match deciding {
        None => (
            None,
            "no agent is declared, so the workload has no agency scope and no agentic control applies"
                .to_string(),
        ),
        Some((_, agent)) if results.len() == 1 => (
            Some(agent.scope),
            format!(
                "the workload takes the agency scope of its only agent \"{}\": {}",
                agent.name,
                agent.scope.label()
            ),
        ),
        Some((_, agent)) => (
            Some(agent.scope),
            format!(
                "the workload takes its highest agency scope: {}, from agent \"{}\"",
                agent.scope.label(),
                agent.name
            ),
        ),
    };
    WorkloadAgency {
        scope,
        agents: results,
        reason,
    }
}

/// Scratch space of the breadth-first walks, shared by all agents of a workload.
struct Walk {
    /// `seen[i] == stamp` when agent `i` was reached in the current walk.
    seen: Vec<usize>,
    stamp: usize,
    /// How each reached agent was reached.
    parent: Vec<usize>,
    queue: VecDeque<usize>,
}

impl Walk {
    fn new(agents: usize) -> Self {
        Self {
            seen: vec![0; agents],
            stamp: 0,
            parent: vec![0; agents],
            queue: VecDeque::new(),
        }
    }
}

fn with_delegates(
    agents: &[AgentFacts],
    own: &[OwnAgency],
    index: &HashMap<&str, usize>,
    start: usize,
    walk: &mut Walk,
) -> AgentAgency {
    // Breadth-first from `start`: the first agent reached with the highest own scope decides,
    // so on a tie the agent's own facts do (it comes first), and nothing beats full agency.
    walk.stamp += 1;
    walk.queue.clear();
    walk.queue.push_back(start);
    walk.seen[start] = walk.stamp;
    let mut deciding = start;
    while let Some(current) = walk.queue.pop_front() {
        if own[current].scope > own[deciding].scope {
            deciding = current;
        }
        if own[deciding].scope == AgencyScope::Full {
            break;
        }
        for delegate in &agents[current].delegates_to {
            if let Some(&next) = index.get(delegate.as_str())
                && walk.seen[next] != walk.stamp
            {
                walk.seen[next] = walk.stamp;
                walk.parent[next] = current;
                walk.queue.push_back(next);
            }
        }
    }

    let agent = &agents[start];
    let mut reasons = vec![own[start].reason.clone()];
    let mut raised_through = Vec::new();
    if deciding != start {
        let mut at = deciding;
        while at != start {
            raised_through.push(agents[at].name.clone());
            at = walk.parent[at];
        }
        raised_through.reverse();
        let chain = raised_through
            .iter()
            .map(|name| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(" → ");
        let deciding_own = &own[deciding];
        reasons.push(format!(
            "agent \"{}\" hands work to {chain}, which reaches {} ({}), so it reaches {} too",
            agent.name,
            deciding_own.scope.label(),
            strip_conclusion(&deciding_own.reason),
            deciding_own.scope.label()
        ));
    }
    AgentAgency {
        name: agent.name.clone(),
        scope: own[deciding].scope,
        own: own[start].clone(),
        raised_through,
        reasons,
    }
}

/// A reason without its "→ scope" conclusion, to quote it inside another.
fn strip_conclusion(reason: &str) -> &str {
    reason.rsplit_once(" → ").map_or(reason, |(facts, _)| facts)
}

#[cfg(test)]
mod tests;
