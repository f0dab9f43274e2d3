//! Drift: a declaration held to the infrastructure code it names (`check --iac`, `iac = [...]`
//! in `genai-scope.toml`). Only facts the infrastructure actually gives are compared (those
//! the draft writes without a review note); nothing runs when no infrastructure is configured.
//!
//! - `iac-mismatch`: a bound block states a fact its resource contradicts.
//! - `undeclared-resource`: an AI resource that no block binds and no `iac:` evidence names.
//! - `unbound-resource`: `resource` or `iac:` evidence names an address that does not exist.
//! - `iac-unreadable`: an infrastructure file could not be read; the rest is still used.

use genai_scope_iac::draft::{write_block, write_tool};
use genai_scope_iac::facts::{self, BlockKind, FactValue};
use genai_scope_iac::model::split_file_prefix;
use genai_scope_iac::terraform::directory_of;
use genai_scope_iac::{Inventory, Kind, Resource};
use genai_scope_syntax::text::TextRange;

use super::Context;
use crate::diagnostic::{Code, Diagnostic, Fix, TextEdit};
use crate::edits::ControlInsertion;
use crate::environment::infrastructure::Infrastructure;
use crate::model::{Agent, NamedBlock, Spanned};

/// The prefix of control evidence that names a resource.
pub const IAC_PREFIX: &str = "iac:";

/// What an address names.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    Found(&'a Resource),
    /// A bare address that several files have: the file-prefixed candidates.
    Ambiguous(Vec<String>),
    Missing,
}

/// Finds the resource of `address`: exactly, or with a file prefix written from another
/// directory (`main.tf:x` or `../infra/main.tf:x` for `infra/main.tf`), when one resource fits.
pub(crate) fn lookup<'a>(inventory: &'a Inventory, address: &str) -> Lookup<'a> {
    if let Some(found) = inventory.resource(address) {
        return Lookup::Found(found);
    }
    match split_file_prefix(address) {
        Some((path, bare)) => {
            let path = path.trim_start_matches("./");
            let mut fitting = inventory.resources.iter().filter(|r| {
                r.address == bare
                    && (r.location.path.ends_with(&format!("/{path}"))
                        || path.ends_with(&format!("/{}", r.location.path)))
            });
            match (fitting.next(), fitting.next()) {
                (Some(one), None) => Lookup::Found(one),
                _ => Lookup::Missing,
            }
        }
        None => {
            let same: Vec<String> = inventory
                .resources
                .iter()
                .filter(|r| r.address == address)
                .map(|r| format!("{}:{}", r.location.path, r.address))
                .collect();
            if same.len() > 1 {
                Lookup::Ambiguous(same)
            } else {
                Lookup::Missing
            }
        }
    }
}

/// `infra/main.tf:12`, for messages (lines 1-based).
fn place(resource: &Resource) -> String {
    format!(
        "{}:{}",
        resource.location.path,
        resource.location.start_line + 1
    )
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Agent => "an agent",
        Kind::ActionGroup => "an action group",
        Kind::AgentCollaborator => "an agent collaborator",
        Kind::AgentAlias => "an agent alias",
        Kind::KnowledgeBase => "a knowledge base",
        Kind::DataSource => "a knowledge-base data source",
        Kind::VectorCollection => "a vector store",
        Kind::CustomModel => "a custom model",
        Kind::Guardrail => "a guardrail",
        Kind::InvocationLogging => "invocation logging",
        Kind::ProvisionedThroughput => "provisioned throughput",
        Kind::WebAclAssociation => "a web ACL association",
        Kind::SagemakerEndpoint => "a SageMaker endpoint",
        Kind::SagemakerEndpointConfig => "a SageMaker endpoint configuration",
        Kind::SagemakerModel => "a SageMaker model",
    }
}

/// A block's `resource` attribute, with what the drift checks need of the block.
struct Binding<'w> {
    kind: BlockKind,
    name: String,
    resource: &'w Spanned<String>,
    /// Declared facts the infrastructure may give: attribute, value, its range.
    facts: Vec<(&'static str, &'static str, TextRange)>,
}

fn fact<T: Copy>(
    attribute: &'static str,
    value: &Option<Spanned<T>>,
    name: fn(T) -> &'static str,
) -> Option<(&'static str, &'static str, TextRange)> {
    value
        .as_ref()
        .map(|spanned| (attribute, name(spanned.value), spanned.range))
}

fn bindings<'w>(cx: &'w Context<'_>) -> Vec<Binding<'w>> {
    let mut out = Vec::new();
    for model in &cx.workload.models {
        if let Some(resource) = &model.resource {
            out.push(Binding {
                kind: BlockKind::Model,
                name: model.display_name(),
                resource,
                facts: [
                    fact("training", &model.training, |t| t.name()),
                    fact("hosting", &model.hosting, |h| h.name()),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
    }
    for data in &cx.workload.data {
        if let Some(resource) = &data.resource {
            out.push(Binding {
                kind: BlockKind::Data,
                name: data.display_name(),
                resource,
                facts: [
                    fact("use", &data.use_, |u| u.name()),
                    fact("origin", &data.origin, |o| o.name()),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
    }
    for agent in &cx.workload.agents {
        if let Some(resource) = &agent.resource {
            out.push(Binding {
                kind: BlockKind::Agent,
                name: agent.display_name(),
                resource,
                facts: fact("memory", &agent.memory, |m| m.keyword())
                    .into_iter()
                    .collect(),
            });
        }
    }
    out
}

/// The declared agents bound to a resource the infrastructure has, with that resource and
/// its drafted agent (whose tools are the functions of its action groups).
fn bound_agents<'w, 'i>(
    cx: &'w Context<'_>,
    infrastructure: &'i Infrastructure,
) -> Vec<(&'w Agent<'w>, &'i Resource, &'i facts::Block)> {
    let inventory = &infrastructure.inventory;
    cx.workload
        .agents
        .iter()
        .filter_map(|agent| {
            let Lookup::Found(resource) = lookup(inventory, &agent.resource.as_ref()?.value) else {
                return None;
            };
            let drafted = infrastructure
                .draft
                .block(BlockKind::Agent, &inventory.binding_address(resource))?;
            Some((agent, resource, drafted))
        })
        .collect()
}

/// `infra/action_groups.tf:1`, where a drafted tool's action group is (or its agent's, in
/// CloudFormation, whose action groups are a property of the agent).
fn place_of_tool(inventory: &Inventory, tool: &facts::Tool, agent: &Resource) -> String {
    match lookup(inventory, &tool.action_group) {
        Lookup::Found(group) => format!("{} ({})", group.address, place(group)),
        _ => format!("{} ({})", agent.address, place(agent)),
    }
}

/// The read (not guessed) word a drafted tool gives for `attribute`.
fn read_word<'d>(tool: &'d facts::Tool, attribute: &str) -> Option<&'d str> {
    match tool
        .fact(attribute)
        .filter(|f| f.is_read())
        .map(|f| &f.value)
    {
        Some(FactValue::Word(word)) => Some(word),
        _ => None,
    }
}

/// `iac-mismatch` on the tools of bound agents: each binds by name to the function of the
/// same name; its `approval` (its own, or the agent's it takes) and its `effect` where the
/// infrastructure gives one (a code interpreter executes).
fn tool_mismatches(cx: &Context<'_>, infrastructure: &Infrastructure, out: &mut Vec<Diagnostic>) {
    let inventory = &infrastructure.inventory;
    for (agent, resource, drafted) in bound_agents(cx, infrastructure) {
        for tool in &agent.tools {
            let Some(name) = &tool.name else { continue };
            let Some(function) = drafted.tools.iter().find(|t| t.name == name.value) else {
                continue;
            };
            let whose = format!(
                "tool \"{}\" of agent \"{}\"",
                name.value,
                agent.display_name()
            );
            let source = place_of_tool(inventory, function, resource);
            if let Some(actual) = read_word(function, "approval") {
                match (&tool.approval, &agent.approval) {
                    (Some(own), _) if own.value.keyword() != actual => out.push(
                        Diagnostic::new(
                            Code::IacMismatch,
                            own.range,
                            format!(
                                "{whose} declares `approval = {}`, but its function in {source} gives `approval = {actual}` (the action group's confirmation setting); the declaration has drifted from the infrastructure",
                                own.value.keyword()
                            ),
                        )
                        .with_fix(Fix {
                            title: format!("Set `approval = {actual}`, as the infrastructure has it"),
                            edits: vec![TextEdit::replace(own.range, actual)],
                            safe: false,
                        }),
                    ),
                    (None, Some(inherited)) if inherited.value.keyword() != actual => out.push(
                        Diagnostic::new(
                            Code::IacMismatch,
                            tool.anchor(),
                            format!(
                                "{whose} takes `approval = {}` from its agent, but its function in {source} gives `approval = {actual}` (the action group's confirmation setting); the declaration has drifted from the infrastructure",
                                inherited.value.keyword()
                            ),
                        )
                        .with_fix(Fix {
                            title: format!("Set `approval = {actual}` on the tool, as the infrastructure has it"),
                            edits: vec![
                                ControlInsertion::new(cx.text, tool.block)
                                    .attribute_edit(&format!("approval = {actual}")),
                            ],
                            safe: false,
                        }),
                    ),
                    _ => {}
                }
            }
            if let (Some(actual), Some(effect)) = (read_word(function, "effect"), &tool.effect)
                && effect.value.keyword() != actual
            {
                out.push(
                    Diagnostic::new(
                        Code::IacMismatch,
                        effect.range,
                        format!(
                            "{whose} declares `effect = {}`, but {source} is a code interpreter: `effect = {actual}`; the declaration has drifted from the infrastructure",
                            effect.value.keyword()
                        ),
                    )
                    .with_fix(Fix {
                        title: format!("Set `effect = {actual}`, as the infrastructure has it"),
                        edits: vec![TextEdit::replace(effect.range, actual)],
                        safe: false,
                    }),
                );
            }
        }
    }
}

/// The `iac:` evidence of the workload's controls: the address and the evidence's range.
fn iac_evidence<'w>(cx: &'w Context<'_>) -> Vec<(&'w str, TextRange)> {
    cx.workload
        .controls
        .iter()
        .filter_map(|control| control.evidence.as_ref())
        .filter_map(|evidence| {
            evidence
                .value
                .strip_prefix(IAC_PREFIX)
                .map(|address| (address.trim(), evidence.range))
        })
        .collect()
}

fn infrastructure<'a>(cx: &'a Context<'_>) -> Option<&'a Infrastructure> {
    cx.options.infrastructure.as_deref()
}

pub fn iac_mismatch(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    for binding in bindings(cx) {
        let Lookup::Found(resource) = lookup(inventory, &binding.resource.value) else {
            continue;
        };
        let Some(block) = infrastructure
            .draft
            .block(binding.kind, &inventory.binding_address(resource))
        else {
            continue;
        };
        for (attribute, declared, range) in &binding.facts {
            let Some(FactValue::Word(actual)) = block
                .fact(attribute)
                .filter(|f| f.is_read())
                .map(|f| &f.value)
            else {
                continue;
            };
            if actual == declared {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::IacMismatch,
                    *range,
                    format!(
                        "{} \"{}\" declares `{attribute} = {declared}`, but its resource {} ({}) gives `{attribute} = {actual}`; the declaration has drifted from the infrastructure",
                        binding.kind.keyword(),
                        binding.name,
                        resource.address,
                        place(resource)
                    ),
                )
                .with_fix(Fix {
                    title: format!("Set `{attribute} = {actual}`, as the infrastructure has it"),
                    edits: vec![TextEdit::replace(*range, actual.clone())],
                    safe: false,
                }),
            );
        }
    }
    tool_mismatches(cx, infrastructure, out);
}

/// The address nearest to `address`, for a suggestion.
fn nearest(inventory: &Inventory, address: &str) -> Option<String> {
    let bare = split_file_prefix(address).map_or(address, |(_, bare)| bare);
    inventory
        .addresses()
        .into_iter()
        .map(|candidate| {
            let candidate_bare = split_file_prefix(&candidate).map_or(candidate.as_str(), |c| c.1);
            (strsim::jaro_winkler(bare, candidate_bare), candidate)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

pub fn unbound_resource(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    let mut named: Vec<(&str, TextRange, &str, String)> = bindings(cx)
        .into_iter()
        .map(|b| {
            (
                b.resource.value.as_str(),
                b.resource.range,
                "",
                format!("`resource` of {} \"{}\"", b.kind.keyword(), b.name),
            )
        })
        .collect();
    named.extend(
        iac_evidence(cx)
            .into_iter()
            .map(|(address, range)| (address, range, IAC_PREFIX, "evidence".to_string())),
    );
    for (address, range, prefix, what) in named {
        let (message, candidates) = match lookup(inventory, address) {
            Lookup::Found(_) => continue,
            Lookup::Ambiguous(candidates) => (
                format!(
                    "{what} names `{address}`, which {} files of the infrastructure have: prefix it with the file (`{}`)",
                    candidates.len(),
                    candidates.first().map(String::as_str).unwrap_or(address)
                ),
                candidates,
            ),
            Lookup::Missing => {
                let suggestion = nearest(inventory, address);
                let hint = match &suggestion {
                    Some(s) => format!("; the nearest is `{s}`"),
                    None => "; it has no AI resource at all".to_string(),
                };
                (
                    format!(
                        "{what} names `{address}`, which the infrastructure does not have{hint}"
                    ),
                    suggestion.into_iter().collect(),
                )
            }
        };
        let mut diagnostic = Diagnostic::new(Code::UnboundResource, range, message);
        for candidate in candidates {
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Bind to `{candidate}`"),
                edits: vec![TextEdit::replace(range, format!("\"{prefix}{candidate}\""))],
                safe: false,
            });
        }
        out.push(diagnostic);
    }
    unbound_tools(cx, infrastructure, out);
}

/// The names of an agent's tools (a tool binds to the function of its name).
fn tool_names<'a>(agent: &'a Agent<'_>) -> Vec<&'a str> {
    agent
        .tools
        .iter()
        .filter_map(|t| t.name.as_ref().map(|n| n.value.as_str()))
        .collect()
}

/// `unbound-resource` for a tool of a bound agent that no function of the agent's action
/// groups is named after: it binds to nothing, so its facts are checked against nothing. The
/// fix renames it to the nearest function that no other tool declares, when one is close.
fn unbound_tools(cx: &Context<'_>, infrastructure: &Infrastructure, out: &mut Vec<Diagnostic>) {
    for (agent, resource, drafted) in bound_agents(cx, infrastructure) {
        let declared = tool_names(agent);
        let functions: Vec<&str> = drafted.tools.iter().map(|t| t.name.as_str()).collect();
        for name in agent.tools.iter().filter_map(|t| t.name.as_ref()) {
            if functions.contains(&name.value.as_str()) {
                continue;
            }
            let listed = match functions.as_slice() {
                [] => "whose action groups have no function".to_string(),
                names => format!(
                    "whose action groups have the functions {}",
                    names
                        .iter()
                        .map(|n| format!("`{}`", crate::diagnostic::bounded(n)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let free = functions.iter().copied().filter(|f| !declared.contains(f));
            let nearest = crate::schema::nearest(&name.value, free);
            let mut diagnostic = Diagnostic::new(
                Code::UnboundResource,
                name.range,
                format!(
                    "tool \"{}\" of agent \"{}\" is named after no function of {} ({}), {listed}: a tool binds to the function of its name{}",
                    crate::diagnostic::bounded(&name.value),
                    agent.display_name(),
                    resource.address,
                    place(resource),
                    match nearest {
                        Some(n) => format!("; the nearest is `{}`", crate::diagnostic::bounded(n)),
                        None => String::new(),
                    }
                ),
            )
            .with_agent(agent.display_name());
            if let Some(nearest) = nearest {
                diagnostic = diagnostic.with_fix(Fix {
                    title: format!("Rename the tool to \"{nearest}\""),
                    edits: vec![TextEdit::replace(
                        name.range,
                        genai_scope_iac::draft::quote(nearest),
                    )],
                    safe: false,
                });
            }
            out.push(diagnostic);
        }
    }
}

/// The kinds a declaration must account for. A knowledge base with data sources is
/// declared through them (each is a `data` block).
fn must_be_declared(inventory: &Inventory, resource: &Resource) -> bool {
    match resource.kind {
        Kind::Agent | Kind::DataSource | Kind::CustomModel | Kind::SagemakerEndpoint => true,
        Kind::KnowledgeBase => !inventory.resources_of(&resource.unit).any(|other| {
            other.kind == Kind::DataSource && other.references().contains(&resource.address)
        }),
        _ => false,
    }
}

/// The resources the workload binds or names as evidence.
fn named<'i>(cx: &Context<'_>, inventory: &'i Inventory) -> Vec<&'i Resource> {
    named_by(cx, inventory, |_, _| true)
}

/// The resources the workload declares: [`named`], except that an agent is declared by an
/// `agent` block; a `model` bound to its address (the draft's foundation model) is not one.
fn declared<'i>(cx: &Context<'_>, inventory: &'i Inventory) -> Vec<&'i Resource> {
    named_by(cx, inventory, |kind, resource| {
        resource.kind != Kind::Agent || kind == BlockKind::Agent
    })
}

fn named_by<'i>(
    cx: &Context<'_>,
    inventory: &'i Inventory,
    declares: fn(BlockKind, &Resource) -> bool,
) -> Vec<&'i Resource> {
    bindings(cx)
        .iter()
        .filter_map(|b| match lookup(inventory, &b.resource.value) {
            Lookup::Found(resource) if declares(b.kind, resource) => Some(resource),
            _ => None,
        })
        .chain(iac_evidence(cx).into_iter().filter_map(|(address, _)| {
            match lookup(inventory, address) {
                Lookup::Found(resource) => Some(resource),
                _ => None,
            }
        }))
        .collect()
}

/// A workload answers for the units (directories, templates) it binds to; one that binds
/// nothing, for all of them (`None`).
fn answered_units<'i>(named: &[&'i Resource]) -> Option<Vec<&'i str>> {
    let units: Vec<&str> = named.iter().map(|r| r.unit.as_str()).collect();
    (!units.is_empty()).then_some(units)
}

pub fn undeclared_resource(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    let named = named(cx, inventory);
    let declared = declared(cx, inventory);
    let units = answered_units(&named);
    for resource in &inventory.resources {
        if units
            .as_ref()
            .is_some_and(|units| !units.contains(&resource.unit.as_str()))
            || !must_be_declared(inventory, resource)
            || declared.iter().any(|n| std::ptr::eq(*n, resource))
        {
            continue;
        }
        let address = inventory.binding_address(resource);
        let why = if named.iter().any(|n| std::ptr::eq(*n, resource)) {
            format!(
                "a `model` block binds its address, but no `agent` block declares it (`resource = \"{address}\"`)"
            )
        } else {
            format!(
                "no block binds it (`resource = \"{address}\"`) and no control names it as `iac:` evidence"
            )
        };
        let mut diagnostic = Diagnostic::new(
            Code::UndeclaredResource,
            cx.workload.anchor(),
            format!(
                "{} ({}), {}, is not declared: {why}; declare it (`genai-scope init --from {}` drafts the block)",
                resource.address,
                place(resource),
                kind_name(resource.kind),
                resource.location.path
            ),
        );
        if let Some(fix) = declare_resource_fix(cx, infrastructure, resource) {
            diagnostic = diagnostic.with_fix(fix);
        }
        out.push(diagnostic);
    }
    undeclared_functions(cx, infrastructure, out);
}

/// The names the workload's blocks of each keyword already have.
fn taken(cx: &Context<'_>, kind: BlockKind) -> Vec<String> {
    match kind {
        BlockKind::Model => cx
            .workload
            .models
            .iter()
            .map(|m| m.display_name())
            .collect(),
        BlockKind::Data => cx.workload.data.iter().map(|d| d.display_name()).collect(),
        BlockKind::Agent => cx
            .workload
            .agents
            .iter()
            .map(|a| a.display_name())
            .collect(),
        // A draft binds only models, data and agents to resources.
        BlockKind::Workload | BlockKind::Tool | BlockKind::Control | BlockKind::Unknown => {
            Vec::new()
        }
    }
}

/// Inserts the drafted blocks bound to `resource` at the end of the workload: for an agent,
/// its `agent` block and the model it names when the workload has no model of that name;
/// otherwise every block bound to it (a custom model and its training data). Not safe: the
/// blocks state facts, some of them guesses the reader should confirm (their `# review:`
/// comments come along). No fix when a drafted name is already taken.
fn declare_resource_fix(
    cx: &Context<'_>,
    infrastructure: &Infrastructure,
    resource: &Resource,
) -> Option<Fix> {
    let address = infrastructure.inventory.binding_address(resource);
    let workload = infrastructure
        .draft
        .workloads
        .iter()
        .find(|w| w.blocks().any(|b| b.resource == address))?;
    let mut blocks: Vec<facts::Block> = Vec::new();
    if resource.kind == Kind::Agent {
        let mut agent = workload
            .agents
            .iter()
            .find(|b| b.resource == address)?
            .clone();
        let model = workload.models.iter().find(|m| {
            agent.fact("model").map(|f| &f.value) == Some(&FactValue::Text(m.name.clone()))
        });
        // The model it runs on: one the workload already binds to the same resource (under
        // any name), else the drafted one.
        match model.and_then(|m| declared_model_bound_to(cx, infrastructure, &m.resource)) {
            Some(name) => {
                if let Some(fact) = agent.facts.iter_mut().find(|f| f.attribute == "model") {
                    fact.value = FactValue::Text(name);
                }
            }
            None => blocks.extend(model.cloned()),
        }
        blocks.push(agent);
    } else {
        blocks.extend(workload.blocks().filter(|b| b.resource == address).cloned());
    }
    if blocks.is_empty() || blocks.iter().any(|b| taken(cx, b.kind).contains(&b.name)) {
        return None;
    }
    let texts: Vec<String> = blocks.iter().map(write_block).collect();
    Some(Fix {
        title: format!("Declare `{address}` (a block drafted from the infrastructure)"),
        edits: vec![ControlInsertion::new(cx.text, cx.workload.block).blocks_edit(&texts)],
        safe: false,
    })
}

/// The name of a declared model bound to the resource at `address`.
fn declared_model_bound_to(
    cx: &Context<'_>,
    infrastructure: &Infrastructure,
    address: &str,
) -> Option<String> {
    let Lookup::Found(target) = lookup(&infrastructure.inventory, address) else {
        return None;
    };
    cx.workload
        .models
        .iter()
        .find(|m| {
            m.resource.as_ref().is_some_and(|r| {
                matches!(lookup(&infrastructure.inventory, &r.value), Lookup::Found(found) if std::ptr::eq(found, target))
            })
        })
        .map(|m| m.display_name())
}

/// `undeclared-resource` for the functions of a bound agent's action groups that no `tool`
/// of the agent declares (a tool binds by name); the fix adds the drafted tool.
fn undeclared_functions(
    cx: &Context<'_>,
    infrastructure: &Infrastructure,
    out: &mut Vec<Diagnostic>,
) {
    let inventory = &infrastructure.inventory;
    for (agent, resource, drafted) in bound_agents(cx, infrastructure) {
        let declared = tool_names(agent);
        for function in drafted
            .tools
            .iter()
            .filter(|t| !declared.contains(&t.name.as_str()))
        {
            out.push(
                Diagnostic::new(
                    Code::UndeclaredResource,
                    agent.anchor(),
                    format!(
                        "`{}` of {}, an action of agent \"{}\", is not declared: the agent has no `tool \"{}\"`; declare it (a tool binds to the function of its name)",
                        function.name,
                        place_of_tool(inventory, function, resource),
                        agent.display_name(),
                        function.name
                    ),
                )
                .with_fix(Fix {
                    title: format!(
                        "Declare tool \"{}\" (drafted from the infrastructure)",
                        function.name
                    ),
                    edits: vec![
                        ControlInsertion::new(cx.text, agent.block)
                            .blocks_edit(&[write_tool(function)]),
                    ],
                    safe: false,
                }),
            );
        }
    }
}

pub fn iac_unreadable(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    let units = answered_units(&named(cx, inventory));
    for unreadable in &inventory.unreadable {
        // A file concerns the workloads that answer for its unit: its directory (Terraform)
        // or itself (a template).
        let path = unreadable.location.path.as_str();
        let directory = directory_of(path);
        if units
            .as_ref()
            .is_some_and(|units| !units.contains(&path) && !units.contains(&directory.as_str()))
        {
            continue;
        }
        let message = format!(
            "infrastructure file {}:{} could not be read: {}; drift is checked against the other files",
            unreadable.location.path,
            unreadable.location.start_line + 1,
            unreadable.reason
        );
        // Said once per declaration file, on the first workload it concerns.
        if out
            .iter()
            .any(|d| d.code == Code::IacUnreadable && d.message() == message)
        {
            continue;
        }
        out.push(Diagnostic::new(
            Code::IacUnreadable,
            cx.workload.block.keyword.range,
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_iac::SourceFile;

    fn inventory() -> Inventory {
        let file = |path: &str, text: &str| SourceFile {
            path: path.into(),
            text: text.into(),
        };
        genai_scope_iac::read_sources(&[
            file(
                "infra/a/main.tf",
                "resource \"aws_bedrock_guardrail\" \"shared\" {}\nresource \"aws_bedrock_guardrail\" \"only\" {}",
            ),
            file(
                "infra/b/main.tf",
                "resource \"aws_bedrock_guardrail\" \"shared\" {}",
            ),
        ])
    }

    #[test]
    fn addresses_bind_exactly_by_file_or_by_a_file_suffix() {
        let inventory = inventory();
        assert!(matches!(
            lookup(&inventory, "aws_bedrock_guardrail.only"),
            Lookup::Found(r) if r.location.path == "infra/a/main.tf"
        ));
        assert!(matches!(
            lookup(&inventory, "infra/b/main.tf:aws_bedrock_guardrail.shared"),
            Lookup::Found(r) if r.location.path == "infra/b/main.tf"
        ));
        // Written from another directory: the one path that ends with it.
        assert!(matches!(
            lookup(&inventory, "b/main.tf:aws_bedrock_guardrail.shared"),
            Lookup::Found(r) if r.location.path == "infra/b/main.tf"
        ));
        assert!(matches!(
            lookup(&inventory, "main.tf:aws_bedrock_guardrail.shared"),
            Lookup::Missing
        ));
        match lookup(&inventory, "aws_bedrock_guardrail.shared") {
            Lookup::Ambiguous(candidates) => assert_eq!(
                candidates,
                [
                    "infra/a/main.tf:aws_bedrock_guardrail.shared",
                    "infra/b/main.tf:aws_bedrock_guardrail.shared"
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            lookup(&inventory, "aws_bedrock_guardrail.gone"),
            Lookup::Missing
        ));
    }

    #[test]
    fn the_nearest_address_is_by_name() {
        let inventory = inventory();
        assert_eq!(
            nearest(&inventory, "aws_bedrock_guardrail.onyl").as_deref(),
            Some("aws_bedrock_guardrail.only")
        );
        assert_eq!(nearest(&Inventory::default(), "x"), None);
    }
}
