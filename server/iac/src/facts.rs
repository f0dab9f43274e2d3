//! What the resources say: the resource → fact table of `docs/iac.md`, in one place. From an
//! [`Inventory`] it makes a [`Draft`]: one workload per unit (Terraform directory, template or
//! plan) with its models, data, agents and their tools, regions, and the controls resources
//! implement (as `iac:<address>` evidence). A fact read from a resource has no review note;
//! a fact that cannot be read is a conservative guess with a note saying what to confirm.
//!
//! Drift (phase 2) reads the same draft: [`Draft::block`] finds the block bound to an address,
//! [`Block::fact`] the fact of an attribute, and only facts without a review note are facts
//! of the infrastructure.

use std::collections::BTreeMap;

use crate::kinds::Kind;
use crate::model::{Inventory, Resource, Unreadable, Value};
use crate::terraform::one_line;

/// A declared value, as the draft writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactValue {
    /// An identifier: `managed_api`, `rag`, `required`.
    Word(String),
    /// A string.
    Text(String),
    Flag(bool),
    /// A list of strings.
    Texts(Vec<String>),
}

/// One attribute of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub attribute: &'static str,
    pub value: FactValue,
    /// `None`: read from the resource. `Some`: a guess, and what the reader should confirm.
    pub review: Option<String>,
}

impl Fact {
    fn read(attribute: &'static str, value: FactValue) -> Fact {
        Fact {
            attribute,
            value,
            review: None,
        }
    }

    fn guess(attribute: &'static str, value: FactValue, review: impl Into<String>) -> Fact {
        Fact {
            attribute,
            value,
            review: Some(review.into()),
        }
    }

    /// Whether the value comes from the infrastructure (drift compares only these).
    pub fn is_read(&self) -> bool {
        self.review.is_none()
    }
}

fn word(w: &str) -> FactValue {
    FactValue::Word(w.to_string())
}

fn text(t: &str) -> FactValue {
    FactValue::Text(t.to_string())
}

/// The block kinds of the format, the same the syntax tree resolves; a drafted [`Block`] is a
/// `model`, `data` or `agent`.
pub use genai_scope_syntax::BlockKind;

/// A `model`, `data` or `agent` block bound to a resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub name: String,
    /// The address it binds to (`resource = …`), with the file when the bare address is
    /// ambiguous.
    pub resource: String,
    pub facts: Vec<Fact>,
    /// Comment lines after the facts (what else to review).
    pub comments: Vec<String>,
    /// An agent's tools.
    pub tools: Vec<Tool>,
}

impl Block {
    /// The fact of `attribute`.
    pub fn fact(&self, attribute: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.attribute == attribute)
    }
}

/// A tool of an agent: an action-group function (bound by name), or a whole action group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tool {
    pub name: String,
    /// The action group it was read from.
    pub action_group: String,
    pub facts: Vec<Fact>,
    pub comments: Vec<String>,
}

impl Tool {
    pub fn fact(&self, attribute: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.attribute == attribute)
    }
}

/// A control a resource implements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    pub id: &'static str,
    /// The address of the resource, written `iac:<address>`.
    pub evidence: String,
}

/// One workload of the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    pub name: String,
    pub unit: String,
    pub regions: Vec<String>,
    pub models: Vec<Block>,
    pub data: Vec<Block>,
    pub agents: Vec<Block>,
    pub controls: Vec<Control>,
    /// What was not evaluated (variables, `count`, modules, …), one line each.
    pub notes: Vec<String>,
}

impl Workload {
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.models.iter().chain(&self.data).chain(&self.agents)
    }
}

/// A unit whose resources make no workload (no model in it): what they were.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub unit: String,
    pub resources: Vec<String>,
    pub controls: Vec<Control>,
}

/// Everything `init --from` writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub workloads: Vec<Workload>,
    pub skipped: Vec<Skipped>,
    pub unreadable: Vec<Unreadable>,
}

impl Draft {
    /// The block bound to `address` of the given kind.
    pub fn block(&self, kind: BlockKind, address: &str) -> Option<&Block> {
        self.workloads
            .iter()
            .flat_map(Workload::blocks)
            .find(|b| b.kind == kind && b.resource == address)
    }
}

// --- review notes: what cannot be read from infrastructure, said once -------------------

const REVIEW_DATA_CLASSIFICATION: &str =
    "the classification of the content cannot be read from infrastructure: confirm it";
const REVIEW_PERSONAL_DATA: &str =
    "whether it holds personal data cannot be read from infrastructure: confirm it";
const REVIEW_MODEL_CLASSIFICATION: &str =
    "the classification of a tuned model follows its training data: confirm it";
const REVIEW_TOOL_EFFECT: &str = "a function's effect cannot be read from infrastructure; `write` is the cautious guess: set read, write, delete, send, execute or pay";
const REVIEW_SAGEMAKER_ORIGIN: &str = "where the weights come from cannot be read from infrastructure (the image and model data do not say): set provider, public_hub, vendor or own";
const REVIEW_SAGEMAKER_TRAINING: &str =
    "whether the weights were tuned cannot be read from infrastructure: confirm it";

/// The model id of a Bedrock model identifier or ARN
/// (`arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1` →
/// `amazon.titan-text-express-v1`).
pub fn model_id(identifier: &str) -> &str {
    if identifier.starts_with("arn:") {
        identifier.rsplit('/').next().unwrap_or(identifier)
    } else {
        identifier
    }
}

/// The store a knowledge base's storage type names.
fn store_name(storage_type: &str) -> String {
    storage_type.to_ascii_lowercase().replace('_', "-")
}

/// What a reference names in the unit.
struct Unit<'a> {
    inventory: &'a Inventory,
    resources: Vec<&'a Resource>,
    by_address: BTreeMap<&'a str, &'a Resource>,
}

impl<'a> Unit<'a> {
    fn new(inventory: &'a Inventory, unit: &'a str) -> Unit<'a> {
        let resources: Vec<&Resource> = inventory.resources_of(unit).collect();
        let by_address = resources.iter().map(|r| (r.address.as_str(), *r)).collect();
        Unit {
            inventory,
            resources,
            by_address,
        }
    }

    fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &'a Resource> + '_ {
        self.resources
            .iter()
            .copied()
            .filter(move |r| r.kind == kind)
    }

    /// The first resource of `kind` that a value refers to.
    fn referenced(&self, value: Option<&Value>, kind: Kind) -> Option<&'a Resource> {
        value?
            .references()
            .into_iter()
            .filter_map(|r| self.by_address.get(r).copied())
            .find(|r| r.kind == kind)
    }

    fn bind(&self, resource: &Resource) -> String {
        self.inventory.binding_address(resource)
    }
}

/// A resource's display name: a literal name attribute, else its Terraform name or logical id.
fn name_of(resource: &Resource, attribute: &[&str]) -> String {
    resource
        .string(attribute)
        .filter(|s| !s.trim().is_empty())
        .map(one_line)
        .unwrap_or_else(|| {
            resource
                .address
                .rsplit('.')
                .next()
                .unwrap_or(&resource.address)
                .split('[')
                .next()
                .unwrap_or(&resource.address)
                .to_string()
        })
}

/// Whether the resource is a Terraform one (snake_case attributes) or CloudFormation.
fn is_terraform(resource: &Resource) -> bool {
    resource.type_name.starts_with("aws_")
}

/// The attribute path for the resource's language.
fn pick<'p>(
    resource: &Resource,
    terraform: &'p [&'p str],
    cloudformation: &'p [&'p str],
) -> &'p [&'p str] {
    if is_terraform(resource) {
        terraform
    } else {
        cloudformation
    }
}

/// A name not yet taken among `taken`: `name`, `name-2`, …
fn unique(name: String, taken: &mut Vec<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// Makes the draft of every unit of an inventory.
pub fn draft(inventory: &Inventory) -> Draft {
    let mut draft = Draft {
        unreadable: inventory.unreadable.clone(),
        ..Draft::default()
    };
    let mut names: Vec<String> = Vec::new();
    for unit_name in &inventory.units {
        let unit = Unit::new(inventory, unit_name);
        let mut workload = workload(&unit, unit_name);
        if workload.models.is_empty() {
            draft.skipped.push(Skipped {
                unit: unit_name.clone(),
                resources: unit.resources.iter().map(|r| unit.bind(r)).collect(),
                controls: workload.controls,
            });
            continue;
        }
        let short = workload_name(unit_name);
        workload.name = if names.contains(&short) {
            unique(unit_name.clone(), &mut names)
        } else {
            unique(short, &mut names)
        };
        draft.workloads.push(workload);
    }
    draft
}

/// `infra/agents` → `agents`; `cdk.out/App.template.json` → `App`; `.` → `workload`.
fn workload_name(unit: &str) -> String {
    let last = unit
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(unit);
    let stem = [".template.json", ".json", ".yaml", ".yml", ".template"]
        .iter()
        .find_map(|ext| last.strip_suffix(ext))
        .unwrap_or(last);
    if stem.is_empty() || stem == "." || stem == ".." {
        "workload".to_string()
    } else {
        one_line(stem)
    }
}

fn workload(unit: &Unit, unit_name: &str) -> Workload {
    let mut workload = Workload {
        name: String::new(),
        unit: unit_name.to_string(),
        regions: Vec::new(),
        models: Vec::new(),
        data: Vec::new(),
        agents: Vec::new(),
        controls: Vec::new(),
        notes: unit
            .inventory
            .unresolved
            .iter()
            .filter(|u| u.unit == unit_name)
            .map(|u| u.message.clone())
            .collect(),
    };
    regions(unit, unit_name, &mut workload);
    let mut models = Models::default();
    custom_models(unit, &mut workload, &mut models);
    agents(unit, &mut workload, &mut models);
    knowledge_bases(unit, &mut workload, &mut models);
    sagemaker(unit, &mut workload, &mut models);
    workload.models = models.blocks;
    controls(unit, &mut workload);
    workload
}

fn regions(unit: &Unit, unit_name: &str, workload: &mut Workload) {
    for provider in unit
        .inventory
        .providers
        .iter()
        .filter(|p| p.unit == unit_name)
    {
        match &provider.region {
            Some(Value::String(region)) => {
                let region = one_line(region);
                if !workload.regions.contains(&region) {
                    workload.regions.push(region);
                }
            }
            Some(other) => workload.notes.push(format!(
                "the region of provider `aws{}` is `{}`, not evaluated: add it to `regions`",
                provider
                    .alias
                    .as_ref()
                    .map(|a| format!(".{a}"))
                    .unwrap_or_default(),
                other.describe()
            )),
            None => {}
        }
    }
}

/// The model blocks of a workload, with the names already given.
#[derive(Default)]
struct Models {
    blocks: Vec<Block>,
    names: Vec<String>,
    /// Custom model address → its block's name.
    by_custom_model: BTreeMap<String, String>,
    /// Base model id → its block's name (one block per foundation model).
    by_base: BTreeMap<String, String>,
}

impl Models {
    fn add(&mut self, block: Block) -> String {
        let name = unique(block.name.clone(), &mut self.names);
        self.blocks.push(Block {
            name: name.clone(),
            ..block
        });
        name
    }

    /// The block of a foundation model, made on first use and bound to `resource`.
    fn foundation(&mut self, base: &str, resource: String) -> String {
        if let Some(name) = self.by_base.get(base) {
            return name.clone();
        }
        let name = self.add(Block {
            kind: BlockKind::Model,
            name: one_line(base),
            resource,
            facts: vec![
                Fact::read("provider", text("Amazon Bedrock")),
                Fact::read("base", text(&one_line(base))),
                Fact::read("hosting", word("managed_api")),
                Fact::read("training", word("none")),
            ],
            comments: Vec::new(),
            tools: Vec::new(),
        });
        self.by_base.insert(base.to_string(), name.clone());
        name
    }
}

/// `aws_bedrock_custom_model`: a fine-tuned model on Bedrock, and its training data.
fn custom_models(unit: &Unit, workload: &mut Workload, models: &mut Models) {
    let mut data_names = Vec::new();
    for resource in unit.of_kind(Kind::CustomModel) {
        let address = unit.bind(resource);
        let mut facts = vec![Fact::read("provider", text("Amazon Bedrock"))];
        match resource.attribute(&["base_model_identifier"]) {
            Some(Value::String(base)) => {
                facts.push(Fact::read("base", text(&one_line(model_id(base)))))
            }
            Some(other) => facts.push(Fact::guess(
                "base",
                text("TODO"),
                format!(
                    "base_model_identifier is `{}`, not evaluated: set the base model",
                    other.describe()
                ),
            )),
            None => {}
        }
        facts.push(Fact::read("hosting", word("managed_api")));
        facts.push(match resource.attribute(&["customization_type"]) {
            None => Fact::read("training", word("fine_tuned")),
            Some(Value::String(t)) if t == "FINE_TUNING" || t == "CONTINUED_PRE_TRAINING" => {
                Fact::read("training", word("fine_tuned"))
            }
            Some(other) => Fact::guess(
                "training",
                word("fine_tuned"),
                format!(
                    "customization_type is {}: confirm the training",
                    other.describe()
                ),
            ),
        });
        facts.push(Fact::guess(
            "classification",
            word("internal"),
            REVIEW_MODEL_CLASSIFICATION,
        ));
        let name = models.add(Block {
            kind: BlockKind::Model,
            name: name_of(resource, &["custom_model_name"]),
            resource: address.clone(),
            facts,
            comments: Vec::new(),
            tools: Vec::new(),
        });
        models
            .by_custom_model
            .insert(resource.address.clone(), name.clone());
        if resource.attribute(&["training_data_config"]).is_some() {
            let mut facts = vec![
                Fact::guess(
                    "classification",
                    word("internal"),
                    REVIEW_DATA_CLASSIFICATION,
                ),
                Fact::guess(
                    "personal_data",
                    FactValue::Flag(false),
                    REVIEW_PERSONAL_DATA,
                ),
                Fact::read("use", word("fine_tuning")),
                Fact::read("model", text(&name)),
            ];
            if let Some(uri) = resource.string(&["training_data_config", "s3_uri"]) {
                facts.push(Fact::read("store", text(&one_line(uri))));
            }
            workload.data.push(Block {
                kind: BlockKind::Data,
                name: unique(format!("{name}-training-data"), &mut data_names),
                resource: address,
                facts,
                comments: Vec::new(),
                tools: Vec::new(),
            });
        }
    }
}

/// The model an agent's `foundation_model` names: a custom model of the unit (directly or
/// through provisioned throughput), a custom-model ARN, or a foundation model id.
fn agent_model(unit: &Unit, agent: &Resource, models: &mut Models) -> String {
    let value = agent.attribute(pick(agent, &["foundation_model"], &["FoundationModel"]));
    let address = unit.bind(agent);
    let agent_name = name_of(agent, pick(agent, &["agent_name"], &["AgentName"]));
    if let Some(custom) = unit.referenced(value, Kind::CustomModel)
        && let Some(name) = models.by_custom_model.get(&custom.address)
    {
        return name.clone();
    }
    if let Some(throughput) = unit.referenced(value, Kind::ProvisionedThroughput) {
        let target = throughput.attribute(&["model_arn"]);
        if let Some(custom) = unit.referenced(target, Kind::CustomModel)
            && let Some(name) = models.by_custom_model.get(&custom.address)
        {
            return name.clone();
        }
        if let Some(Value::String(arn)) = target
            && !arn.contains(":custom-model/")
        {
            return models.foundation(model_id(arn), address);
        }
    }
    match value {
        Some(Value::String(id)) if id.contains(":custom-model/") => models.add(Block {
            kind: BlockKind::Model,
            name: one_line(model_id(id)),
            resource: address,
            facts: vec![
                Fact::read("provider", text("Amazon Bedrock")),
                Fact::read("hosting", word("managed_api")),
                Fact::read("training", word("fine_tuned")),
                Fact::guess(
                    "classification",
                    word("internal"),
                    REVIEW_MODEL_CLASSIFICATION,
                ),
            ],
            comments: vec![format!(
                "review: a custom model made outside this code ({}): set its base",
                one_line(id)
            )],
            tools: Vec::new(),
        }),
        Some(Value::String(id)) if !id.trim().is_empty() => {
            models.foundation(model_id(id), address)
        }
        other => {
            let why = match other {
                Some(v) => format!("the foundation model is `{}`, not evaluated", v.describe()),
                None => "the agent names no foundation model".to_string(),
            };
            models.add(Block {
                kind: BlockKind::Model,
                name: format!("{agent_name}-model"),
                resource: address,
                facts: vec![
                    Fact::read("provider", text("Amazon Bedrock")),
                    Fact::read("hosting", word("managed_api")),
                    Fact::guess(
                        "training",
                        word("none"),
                        format!("{why}: confirm it is not a custom model"),
                    ),
                ],
                comments: vec![format!("review: {why}: add its `base`")],
                tools: Vec::new(),
            })
        }
    }
}

/// `aws_bedrockagent_agent` / `AWS::Bedrock::Agent`, with its action groups and collaborators.
fn agents(unit: &Unit, workload: &mut Workload, models: &mut Models) {
    let agents: Vec<&Resource> = unit.of_kind(Kind::Agent).collect();
    let mut agent_names: Vec<String> = Vec::new();
    let named: Vec<(String, &Resource)> = agents
        .iter()
        .map(|a| {
            let name = name_of(a, pick(a, &["agent_name"], &["AgentName"]));
            (unique(name, &mut agent_names), *a)
        })
        .collect();
    let name_of_agent = |resource: &Resource| {
        named
            .iter()
            .find(|(_, a)| a.address == resource.address)
            .map(|(n, _)| n.clone())
    };
    for (name, agent) in &named {
        let model = agent_model(unit, agent, models);
        let mut facts = vec![Fact::read("model", text(&model))];
        let mut comments = Vec::new();
        if let Some(description) = agent.string(pick(agent, &["description"], &["Description"])) {
            facts.push(Fact::read("description", text(&one_line(description))));
        }
        let memory_types: Vec<&Value> = agent.attributes.find_all(pick(
            agent,
            &["memory_configuration", "enabled_memory_types"],
            &["MemoryConfiguration", "EnabledMemoryTypes"],
        ));
        let memory_config = agent
            .attribute(pick(
                agent,
                &["memory_configuration"],
                &["MemoryConfiguration"],
            ))
            .is_some();
        facts.push(if memory_types.iter().any(|v| v.as_str() == Some("SESSION_SUMMARY")) {
            Fact::read("memory", word("persistent"))
        } else if memory_config {
            Fact::guess(
                "memory",
                word("persistent"),
                "the memory configuration names no literal SESSION_SUMMARY: confirm it",
            )
        } else {
            Fact::guess(
                "memory",
                word("session"),
                "no memory configuration: the agent keeps context within a session only; confirm it",
            )
        });
        let delegates = delegates(unit, agent, &name_of_agent, &mut comments);
        if !delegates.is_empty() {
            facts.push(Fact::read("delegates_to", FactValue::Texts(delegates)));
        }
        comments.push(
            "review: initiation cannot be read from infrastructure: set `initiation = self` if events or schedules start this agent"
                .to_string(),
        );
        let tools = tools(unit, agent, &mut comments);
        workload.agents.push(Block {
            kind: BlockKind::Agent,
            name: name.clone(),
            resource: unit.bind(agent),
            facts,
            comments,
            tools,
        });
    }
}

/// The agents an agent hands work to: its collaborators, through their aliases.
fn delegates(
    unit: &Unit,
    agent: &Resource,
    name_of_agent: &dyn Fn(&Resource) -> Option<String>,
    comments: &mut Vec<String>,
) -> Vec<String> {
    // (collaborator name, its alias ARN value)
    let mut collaborators: Vec<(String, Option<&Value>)> = Vec::new();
    if is_terraform(agent) {
        for collaborator in unit.of_kind(Kind::AgentCollaborator) {
            if unit
                .referenced(collaborator.attribute(&["agent_id"]), Kind::Agent)
                .is_some_and(|a| a.address == agent.address)
            {
                collaborators.push((
                    name_of(collaborator, &["collaborator_name"]),
                    collaborator.attribute(&["agent_descriptor", "alias_arn"]),
                ));
            }
        }
    } else {
        for collaborator in agent.attributes.find_all(&["AgentCollaborators"]) {
            let name = collaborator
                .get("CollaboratorName")
                .and_then(Value::as_str)
                .map(one_line)
                .unwrap_or_else(|| "collaborator".to_string());
            collaborators.push((name, collaborator.find(&["AgentDescriptor", "AliasArn"])));
        }
    }
    let mut out = Vec::new();
    for (collaborator, alias_arn) in collaborators {
        let target = unit
            .referenced(alias_arn, Kind::AgentAlias)
            .and_then(|alias| {
                unit.referenced(
                    alias.attribute(pick(alias, &["agent_id"], &["AgentId"])),
                    Kind::Agent,
                )
            })
            .and_then(name_of_agent);
        match target {
            Some(name) if !out.contains(&name) => out.push(name),
            Some(_) => {}
            None => comments.push(format!(
                "review: collaborator `{collaborator}` is an agent outside this code: declare it and add it to `delegates_to`"
            )),
        }
    }
    out
}

/// The action groups of an agent: Terraform resources naming it, or CloudFormation's
/// `ActionGroups` property. Each gives (name, address it was read from, the group).
fn action_groups<'a>(
    unit: &Unit<'a>,
    agent: &'a Resource,
) -> Vec<(String, String, &'a Value, bool)> {
    if is_terraform(agent) {
        unit.of_kind(Kind::ActionGroup)
            .filter(|g| {
                unit.referenced(g.attribute(&["agent_id"]), Kind::Agent)
                    .is_some_and(|a| a.address == agent.address)
            })
            .map(|g| {
                (
                    name_of(g, &["action_group_name"]),
                    unit.bind(g),
                    &g.attributes,
                    true,
                )
            })
            .collect()
    } else {
        agent
            .attributes
            .find_all(&["ActionGroups"])
            .into_iter()
            .map(|g| {
                let name = g
                    .get("ActionGroupName")
                    .and_then(Value::as_str)
                    .map(one_line)
                    .unwrap_or_else(|| "action-group".to_string());
                (name, unit.bind(agent), g, false)
            })
            .collect()
    }
}

/// One tool per function of each action group; a code interpreter is a tool that executes;
/// user input is no tool.
fn tools(unit: &Unit, agent: &Resource, comments: &mut Vec<String>) -> Vec<Tool> {
    let mut out = Vec::new();
    let mut names = Vec::new();
    for (group_name, address, group, terraform) in action_groups(unit, agent) {
        let field = |tf: &'static str, cfn: &'static str| if terraform { tf } else { cfn };
        let signature = group.get(field(
            "parent_action_group_signature",
            "ParentActionGroupSignature",
        ));
        if let Some(Value::String(s)) = signature
            && s == "AMAZON.UserInput"
        {
            continue; // the agent asks its user: no tool
        }
        if group
            .get(field("action_group_state", "ActionGroupState"))
            .and_then(Value::as_str)
            == Some("DISABLED")
        {
            comments.push(format!(
                "action group `{group_name}` is disabled: no tool drafted"
            ));
            continue;
        }
        if let Some(Value::String(s)) = signature
            && s == "AMAZON.CodeInterpreter"
        {
            out.push(Tool {
                name: unique(group_name.clone(), &mut names),
                action_group: address.clone(),
                facts: vec![
                    Fact::read("effect", word("execute")),
                    Fact::read(
                        "description",
                        text("Code interpreter: the agent writes and runs code"),
                    ),
                ],
                comments: Vec::new(),
            });
            continue;
        }
        if let Some(other) = signature {
            comments.push(format!(
                "action group `{group_name}` has signature {}: not read, no tool drafted",
                other.describe()
            ));
            continue;
        }
        let functions: Vec<&Value> = if terraform {
            let mut found = group.find_all(&["function_schema", "member_functions", "functions"]);
            found.extend(group.find_all(&["function_schema", "functions"]));
            found
        } else {
            group.find_all(&["FunctionSchema", "Functions"])
        };
        if functions.is_empty() {
            out.push(Tool {
                name: unique(group_name.clone(), &mut names),
                action_group: address.clone(),
                facts: vec![Fact::guess("effect", word("write"), REVIEW_TOOL_EFFECT)],
                comments: vec![
                    "review: the operations of this action group are in its API schema, not read: one tool per operation"
                        .to_string(),
                ],
            });
            continue;
        }
        for (index, function) in functions.into_iter().enumerate() {
            let mut tool_comments = Vec::new();
            let name =
                match function.get(field("name", "Name")) {
                    Some(Value::String(n)) => one_line(n),
                    other => {
                        tool_comments.push(format!(
                        "review: the function's name is {}, not evaluated: rename the tool to it",
                        other.map(Value::describe).unwrap_or_else(|| "missing".to_string())
                    ));
                        format!("{group_name}-function-{}", index + 1)
                    }
                };
            let unique_name = unique(name.clone(), &mut names);
            if unique_name != name {
                tool_comments.push(format!(
                    "review: another action group has a function `{name}`: the tool is renamed"
                ));
            }
            let mut facts = vec![Fact::guess("effect", word("write"), REVIEW_TOOL_EFFECT)];
            facts.push(
                match function.get(field("require_confirmation", "RequireConfirmation")) {
                    Some(Value::String(s)) if s == "ENABLED" => {
                        Fact::read("approval", word("required"))
                    }
                    None => Fact::read("approval", word("none")),
                    Some(Value::String(s)) if s == "DISABLED" => {
                        Fact::read("approval", word("none"))
                    }
                    Some(other) => Fact::guess(
                        "approval",
                        word("none"),
                        format!(
                            "the confirmation setting is {}, not evaluated: confirm it",
                            other.describe()
                        ),
                    ),
                },
            );
            if let Some(description) = function
                .get(field("description", "Description"))
                .and_then(Value::as_str)
            {
                facts.push(Fact::read("description", text(&one_line(description))));
            }
            out.push(Tool {
                name: unique_name,
                action_group: address.clone(),
                facts,
                comments: tool_comments,
            });
        }
    }
    out
}

/// `aws_bedrockagent_knowledge_base` and `aws_bedrockagent_data_source` (and CloudFormation's):
/// retrieval data, one block per data source (the knowledge base itself when it has none),
/// and the knowledge base's embedding model.
fn knowledge_bases(unit: &Unit, workload: &mut Workload, models: &mut Models) {
    let mut names: Vec<String> = workload.data.iter().map(|d| d.name.clone()).collect();
    let sources: Vec<&Resource> = unit.of_kind(Kind::DataSource).collect();
    let mut used_sources: Vec<&str> = Vec::new();
    for kb in unit.of_kind(Kind::KnowledgeBase) {
        let kb_name = name_of(kb, pick(kb, &["name"], &["Name"]));
        let storage = kb
            .string(pick(
                kb,
                &["storage_configuration", "type"],
                &["StorageConfiguration", "Type"],
            ))
            .map(store_name);
        let embedding = kb.attribute(pick(
            kb,
            &[
                "knowledge_base_configuration",
                "vector_knowledge_base_configuration",
                "embedding_model_arn",
            ],
            &[
                "KnowledgeBaseConfiguration",
                "VectorKnowledgeBaseConfiguration",
                "EmbeddingModelArn",
            ],
        ));
        match embedding {
            Some(Value::String(arn)) => {
                models.foundation(model_id(arn), unit.bind(kb));
            }
            // An ARN built from the partition and region (`!Sub arn:${AWS::Partition}:…`) still
            // names its model literally.
            Some(Value::Expression(e)) => {
                if let Some((_, id)) = e.text.split_once("foundation-model/") {
                    let id = id.trim_end_matches(['"', '\'', ' ', ')', ']', '}']);
                    if !id.is_empty() && !id.contains("${") {
                        models.foundation(id, unit.bind(kb));
                    }
                }
            }
            _ => {}
        }
        let kb_sources: Vec<&Resource> = sources
            .iter()
            .copied()
            .filter(|s| {
                unit.referenced(
                    s.attribute(pick(s, &["knowledge_base_id"], &["KnowledgeBaseId"])),
                    Kind::KnowledgeBase,
                )
                .is_some_and(|k| k.address == kb.address)
            })
            .collect();
        if kb_sources.is_empty() {
            workload.data.push(Block {
                kind: BlockKind::Data,
                name: unique(kb_name.clone(), &mut names),
                resource: unit.bind(kb),
                facts: rag_facts(storage.as_deref(), None),
                comments: vec![
                    "review: no data source in this code fills this knowledge base: set its origin"
                        .to_string(),
                ],
                tools: Vec::new(),
            });
        }
        for source in kb_sources {
            used_sources.push(&source.address);
            push_source(unit, workload, &mut names, source, storage.as_deref());
        }
    }
    for source in sources
        .iter()
        .filter(|s| !used_sources.contains(&s.address.as_str()))
    {
        push_source(unit, workload, &mut names, source, None);
    }
}

fn push_source(
    unit: &Unit,
    workload: &mut Workload,
    names: &mut Vec<String>,
    source: &Resource,
    store: Option<&str>,
) {
    let source_type = source.attribute(pick(
        source,
        &["data_source_configuration", "type"],
        &["DataSourceConfiguration", "Type"],
    ));
    let origin = match source_type {
        Some(Value::String(t)) if t == "WEB" => Fact::read("origin", word("web")),
        Some(Value::String(t))
            if ["S3", "CONFLUENCE", "SHAREPOINT", "SALESFORCE"].contains(&t.as_str()) =>
        {
            Fact::read("origin", word("internal"))
        }
        other => Fact::guess(
            "origin",
            word("third_party"),
            format!(
                "the source type is {}: where its content comes from cannot be read; confirm it",
                other
                    .map(Value::describe)
                    .unwrap_or_else(|| "not set".to_string())
            ),
        ),
    };
    let mut comments = Vec::new();
    if store.is_none() {
        comments.push("review: its knowledge base is not in this code: set `store`".to_string());
    }
    workload.data.push(Block {
        kind: BlockKind::Data,
        name: unique(name_of(source, pick(source, &["name"], &["Name"])), names),
        resource: unit.bind(source),
        facts: rag_facts(store, Some(origin)),
        comments,
        tools: Vec::new(),
    });
}

fn rag_facts(store: Option<&str>, origin: Option<Fact>) -> Vec<Fact> {
    let mut facts = vec![
        Fact::guess(
            "classification",
            word("internal"),
            REVIEW_DATA_CLASSIFICATION,
        ),
        Fact::guess(
            "personal_data",
            FactValue::Flag(false),
            REVIEW_PERSONAL_DATA,
        ),
        Fact::read("use", word("rag")),
    ];
    if let Some(store) = store {
        facts.push(Fact::read("store", text(store)));
    }
    facts.extend(origin);
    facts
}

/// `aws_sagemaker_endpoint` (+ its configuration and model): a self-hosted model.
fn sagemaker(unit: &Unit, _workload: &mut Workload, models: &mut Models) {
    let mut served: Vec<String> = Vec::new();
    for endpoint in unit.of_kind(Kind::SagemakerEndpoint) {
        let config = unit.referenced(
            endpoint.attribute(pick(
                endpoint,
                &["endpoint_config_name"],
                &["EndpointConfigName"],
            )),
            Kind::SagemakerEndpointConfig,
        );
        let model = config.and_then(|c| {
            unit.referenced(
                c.attribute(pick(
                    c,
                    &["production_variants", "model_name"],
                    &["ProductionVariants", "ModelName"],
                )),
                Kind::SagemakerModel,
            )
        });
        let mut comments = Vec::new();
        if let Some(model) = model {
            served.push(model.address.clone());
            if let Some(image) = model.string(pick(
                model,
                &["primary_container", "image"],
                &["PrimaryContainer", "Image"],
            )) {
                comments.push(format!("its container image: {}", one_line(image)));
            }
        }
        models.add(self_hosted(
            name_of(endpoint, pick(endpoint, &["name"], &["EndpointName"])),
            unit.bind(endpoint),
            comments,
        ));
    }
    for model in unit.of_kind(Kind::SagemakerModel) {
        if served.contains(&model.address) {
            continue;
        }
        models.add(self_hosted(
            name_of(model, pick(model, &["name"], &["ModelName"])),
            unit.bind(model),
            vec!["review: no endpoint in this code serves it: set `inference = false` if it only runs batch jobs".to_string()],
        ));
    }
}

fn self_hosted(name: String, resource: String, comments: Vec<String>) -> Block {
    Block {
        kind: BlockKind::Model,
        name,
        resource,
        facts: vec![
            Fact::read("hosting", word("self_hosted")),
            Fact::guess("training", word("none"), REVIEW_SAGEMAKER_TRAINING),
            Fact::guess("origin", word("public_hub"), REVIEW_SAGEMAKER_ORIGIN),
        ],
        comments,
        tools: Vec::new(),
    }
}

/// The guardrail an agent's configuration names.
fn guardrail_of(agent: &Resource) -> Option<&Value> {
    agent.attribute(pick(
        agent,
        &["guardrail_configuration", "guardrail_identifier"],
        &["GuardrailConfiguration", "GuardrailIdentifier"],
    ))
}

/// Whether a guardrail filters prompt attacks.
fn filters_prompt_attacks(guardrail: &Resource) -> bool {
    guardrail
        .attributes
        .find_all(pick(
            guardrail,
            &["content_policy_config", "filters_config", "type"],
            &["ContentPolicyConfig", "FiltersConfig", "Type"],
        ))
        .iter()
        .any(|t| t.as_str() == Some("PROMPT_ATTACK"))
}

/// The controls resources implement, each with the first resource that shows it (a guardrail
/// an agent uses before one it does not).
fn controls(unit: &Unit, workload: &mut Workload) {
    let agents: Vec<&Resource> = unit.of_kind(Kind::Agent).collect();
    let attached: Vec<&Resource> = agents
        .iter()
        .filter_map(|a| unit.referenced(guardrail_of(a), Kind::Guardrail))
        .collect();
    let mut guardrails: Vec<&Resource> = attached.clone();
    guardrails.extend(
        unit.of_kind(Kind::Guardrail)
            .filter(|g| !attached.iter().any(|a| a.address == g.address)),
    );
    let mut add = |id: &'static str, resource: Option<&Resource>| {
        if let Some(resource) = resource
            && !workload.controls.iter().any(|c| c.id == id)
        {
            workload.controls.push(Control {
                id,
                evidence: unit.bind(resource),
            });
        }
    };
    // An agent's guardrail configuration that names no guardrail of this code still shows one.
    let configured_agent = agents.iter().copied().find(|a| guardrail_of(a).is_some());
    add(
        "controls.guardrails",
        guardrails.first().copied().or(configured_agent),
    );
    add(
        "risk.prompt_injection",
        guardrails
            .iter()
            .copied()
            .find(|g| filters_prompt_attacks(g)),
    );
    add(
        "controls.invocation_logging",
        unit.of_kind(Kind::InvocationLogging).next(),
    );
    add(
        "resilience.reserved_capacity",
        unit.of_kind(Kind::ProvisionedThroughput).next(),
    );
    add(
        "controls.public_endpoint_protection",
        unit.of_kind(Kind::WebAclAssociation).next(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SourceFile, read_sources};

    fn draft_of(path: &str, text: &str) -> Draft {
        draft(&read_sources(&[SourceFile {
            path: path.into(),
            text: text.into(),
        }]))
    }

    #[test]
    fn model_ids_from_arns() {
        assert_eq!(
            model_id("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"),
            "amazon.titan-embed-text-v2:0"
        );
        assert_eq!(model_id("anthropic.claude-v2"), "anthropic.claude-v2");
    }

    #[test]
    fn workload_names_from_units() {
        assert_eq!(workload_name("infra/agents"), "agents");
        assert_eq!(workload_name("cdk.out/App.template.json"), "App");
        assert_eq!(workload_name("stack.yaml"), "stack");
        assert_eq!(workload_name("."), "workload");
    }

    #[test]
    fn a_unit_without_a_model_is_skipped_with_its_controls() {
        let draft = draft_of(
            "shared/logging.tf",
            "resource \"aws_bedrock_model_invocation_logging_configuration\" \"main\" {}\n",
        );
        assert!(draft.workloads.is_empty());
        assert_eq!(draft.skipped.len(), 1);
        assert_eq!(
            draft.skipped[0].controls[0].id,
            "controls.invocation_logging"
        );
    }

    #[test]
    fn an_unresolved_foundation_model_is_a_guess_with_a_review() {
        let draft = draft_of(
            "a/main.tf",
            "resource \"aws_bedrockagent_agent\" \"x\" {\n  agent_name = \"x\"\n  foundation_model = var.model\n}\n",
        );
        let model = &draft.workloads[0].models[0];
        assert_eq!(model.resource, "aws_bedrockagent_agent.x");
        let training = model.fact("training").unwrap();
        assert!(!training.is_read());
        assert!(training.review.as_ref().unwrap().contains("var.model"));
        assert!(
            draft
                .block(BlockKind::Agent, "aws_bedrockagent_agent.x")
                .is_some()
        );
    }
}
