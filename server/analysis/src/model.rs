//! The typed model of a file: workloads with their models, data and controls, read from the
//! syntax tree. Values that failed validation are absent here; the lowering reported them.

use time::Date;

use genai_scope_syntax::Block;

use crate::catalog::Scope;

pub use crate::agency::{
    AgentFacts, Approval, Audience as ToolAudience, Effect, Initiation, Memory, ToolFacts,
};
use genai_scope_syntax::text::TextRange;

/// A value with the range of its source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

macro_rules! name_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($text),*];

            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($text => Some(Self::$variant),)* _ => None }
            }

            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $text),* }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }
    };
}

name_enum!(Audience { Employees = "employees", Partners = "partners", Customers = "customers", Public = "public" });
name_enum!(Criticality { Low = "low", Medium = "medium", High = "high", Critical = "critical" });
name_enum!(Hosting { ConsumerApp = "consumer_app", EnterpriseApp = "enterprise_app", ManagedApi = "managed_api", SelfHosted = "self_hosted" });
name_enum!(Training { None = "none", FineTuned = "fine_tuned", FromScratch = "from_scratch" });
name_enum!(
    /// Ordered from least to most sensitive.
    Classification { Public = "public", Internal = "internal", Confidential = "confidential", Restricted = "restricted" }
);
name_enum!(DataUse { Prompt = "prompt", Rag = "rag", FineTuning = "fine_tuning", Training = "training" });
name_enum!(Status { Implemented = "implemented", Planned = "planned", NotApplicable = "not_applicable" });
name_enum!(Stage { Prototype = "prototype", Production = "production" });
name_enum!(Access { Authenticated = "authenticated", Anonymous = "anonymous" });
name_enum!(
    /// Where completions go.
    Output { Shown = "shown", Rendered = "rendered", Stored = "stored", Executed = "executed", Downstream = "downstream", Training = "training" }
);
name_enum!(
    /// Where a model's weights come from.
    ModelOrigin { Provider = "provider", PublicHub = "public_hub", Vendor = "vendor", Own = "own" }
);
name_enum!(
    /// Where data's content comes from; anything but `internal` is untrusted.
    DataOrigin { Internal = "internal", ThirdParty = "third_party", Users = "users", Web = "web", Tools = "tools" }
);

impl Training {
    /// "fine-tuned", "trained from scratch": for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Training::None => "used as provided",
            Training::FineTuned => "fine-tuned",
            Training::FromScratch => "trained from scratch",
        }
    }

    /// The data use that changes weights this way, if any.
    pub fn data_use(self) -> Option<DataUse> {
        match self {
            Training::None => None,
            Training::FineTuned => Some(DataUse::FineTuning),
            Training::FromScratch => Some(DataUse::Training),
        }
    }
}

impl DataUse {
    /// The training that data of this use implies for the model it reaches.
    pub fn training(self) -> Option<Training> {
        match self {
            DataUse::FineTuning => Some(Training::FineTuned),
            DataUse::Training => Some(Training::FromScratch),
            DataUse::Prompt | DataUse::Rag => None,
        }
    }
}

/// A block with a `"name"` label: workloads, models and data.
pub trait NamedBlock {
    fn label(&self) -> Option<&Spanned<String>>;
    fn block(&self) -> &Block;

    /// The name for messages; `(unnamed)` when the label is missing.
    fn display_name(&self) -> String {
        self.label()
            .map_or_else(|| "(unnamed)".to_string(), |n| n.value.clone())
    }

    /// Where findings about the block as a whole are reported: its name, else its keyword.
    fn anchor(&self) -> TextRange {
        self.label().map_or(self.block().keyword.range, |n| n.range)
    }
}

macro_rules! named_block {
    ($($ty:ident),*) => {$(
        impl NamedBlock for $ty<'_> {
            fn label(&self) -> Option<&Spanned<String>> {
                self.name.as_ref()
            }

            fn block(&self) -> &Block {
                self.block
            }
        }
    )*};
}

named_block!(Workload, Model, Data, Agent, Tool);

/// A `workload "name" { … }` block.
#[derive(Debug)]
pub struct Workload<'a> {
    pub block: &'a Block,
    pub name: Option<Spanned<String>>,
    pub owner: Option<Spanned<String>>,
    pub scope: Option<Spanned<Scope>>,
    pub audience: Option<Spanned<Audience>>,
    pub criticality: Option<Spanned<Criticality>>,
    pub regions: Option<Spanned<Vec<String>>>,
    pub stage: Option<Spanned<Stage>>,
    pub access: Option<Spanned<Access>>,
    /// The valid entries of `outputs`, in order.
    pub outputs: Option<Spanned<Vec<Output>>>,
    pub data_residency: Option<Spanned<String>>,
    pub models: Vec<Model<'a>>,
    pub data: Vec<Data<'a>>,
    pub agents: Vec<Agent<'a>>,
    pub controls: Vec<ControlDecl<'a>>,
}

impl Workload<'_> {
    pub fn audience(&self) -> Audience {
        self.audience
            .as_ref()
            .map_or(Audience::Employees, |a| a.value)
    }

    pub fn criticality(&self) -> Criticality {
        self.criticality
            .as_ref()
            .map_or(Criticality::Medium, |c| c.value)
    }

    pub fn stage(&self) -> Stage {
        self.stage.as_ref().map_or(Stage::Production, |s| s.value)
    }

    pub fn access(&self) -> Access {
        self.access
            .as_ref()
            .map_or(Access::Authenticated, |a| a.value)
    }

    /// Where completions go; `[shown]` when not declared.
    pub fn outputs(&self) -> &[Output] {
        self.outputs
            .as_ref()
            .map_or(&[Output::Shown], |o| o.value.as_slice())
    }

    /// Distinct regions.
    pub fn region_count(&self) -> usize {
        let mut regions: Vec<&String> = self.regions.iter().flat_map(|r| &r.value).collect();
        regions.sort();
        regions.dedup();
        regions.len()
    }

    pub fn model(&self, name: &str) -> Option<&Model<'_>> {
        self.models
            .iter()
            .find(|m| m.name.as_ref().is_some_and(|n| n.value == name))
    }

    pub fn control(&self, id: &str) -> Option<&ControlDecl<'_>> {
        self.controls.iter().find(|c| c.id.value == id)
    }

    /// The models a data block reaches: the one it names; else, for data that trains, the
    /// only model (with several, it must name one); else, for prompt and retrieval data,
    /// every model.
    pub fn models_reached_by<'s>(&'s self, data: &Data<'_>) -> Vec<&'s Model<'s>> {
        match &data.model {
            Some(name) => self.model(&name.value).into_iter().collect(),
            None if self.models.len() == 1 || !data.trains() => self.models.iter().collect(),
            None => Vec::new(),
        }
    }

    /// Every control block: the workload's, then each agent's.
    pub fn declared_controls(&self) -> impl Iterator<Item = &ControlDecl<'_>> {
        self.controls
            .iter()
            .chain(self.agents.iter().flat_map(|a| &a.controls))
    }

    pub fn agent(&self, name: &str) -> Option<&Agent<'_>> {
        self.agents
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.value == name))
    }

    /// The model that drives `agent`: the one it names, else the only model.
    pub fn model_of<'s>(&'s self, agent: &Agent<'_>) -> Option<&'s Model<'s>> {
        match &agent.model {
            Some(name) => self.model(&name.value),
            None if self.models.len() == 1 => self.models.first(),
            None => None,
        }
    }

    /// Whether untrusted content reaches the agent's model: data used in prompts or retrieval
    /// with an `origin` other than `internal` that names no model, or names the agent's.
    pub fn untrusted_reaches_agent(&self, agent: &Agent<'_>) -> bool {
        let agent_model = agent.model.as_ref().map(|m| m.value.as_str()).or_else(|| {
            self.model_of(agent)
                .and_then(|m| m.name.as_ref())
                .map(|n| n.value.as_str())
        });
        self.data.iter().any(|d| {
            d.at_inference()
                && d.is_untrusted()
                && match &d.model {
                    None => true,
                    Some(name) => agent_model == Some(name.value.as_str()),
                }
        })
    }

    /// The facts of every agent, in declaration order (for the agency inference).
    pub fn agent_facts(&self) -> Vec<AgentFacts> {
        self.agents.iter().map(Agent::facts).collect()
    }

    /// Whether `data` reaches `model` (by identity of its block).
    pub fn reaches(&self, data: &Data<'_>, model: &Model<'_>) -> bool {
        self.models_reached_by(data)
            .iter()
            .any(|reached| std::ptr::eq(reached.block, model.block))
    }
}

/// A `model "name" { … }` block.
#[derive(Debug)]
pub struct Model<'a> {
    pub block: &'a Block,
    pub name: Option<Spanned<String>>,
    pub hosting: Option<Spanned<Hosting>>,
    pub training: Option<Spanned<Training>>,
    pub classification: Option<Spanned<Classification>>,
    pub origin: Option<Spanned<ModelOrigin>>,
    pub inference: Option<Spanned<bool>>,
    /// An infrastructure address (`resource = "…"`): kept; the infrastructure checks read it.
    pub resource: Option<Spanned<String>>,
}

impl Model<'_> {
    pub fn training(&self) -> Training {
        self.training.as_ref().map_or(Training::None, |t| t.value)
    }

    /// Whether this workload serves completions from the model (default `true`).
    pub fn serves_inference(&self) -> bool {
        self.inference.as_ref().is_none_or(|i| i.value)
    }

    /// The declared origin, else the implied one: `own` for a model trained from scratch,
    /// `provider` for apps and managed APIs. `None` for a self-hosted model that does not
    /// say (a `missing-attribute` finding).
    pub fn origin(&self) -> Option<ModelOrigin> {
        if let Some(origin) = &self.origin {
            return Some(origin.value);
        }
        if self.training() == Training::FromScratch {
            return Some(ModelOrigin::Own);
        }
        match self.hosting.as_ref()?.value {
            Hosting::SelfHosted => None,
            Hosting::ConsumerApp | Hosting::EnterpriseApp | Hosting::ManagedApi => {
                Some(ModelOrigin::Provider)
            }
        }
    }

    /// Whether the provider of a service holds what is sent to the model.
    pub fn provider_hosted(&self) -> bool {
        self.hosting
            .as_ref()
            .is_some_and(|h| h.value != Hosting::SelfHosted)
    }
}

/// A `data "name" { … }` block.
#[derive(Debug)]
pub struct Data<'a> {
    pub block: &'a Block,
    pub name: Option<Spanned<String>>,
    pub classification: Option<Spanned<Classification>>,
    pub personal_data: Option<Spanned<bool>>,
    pub use_: Option<Spanned<DataUse>>,
    pub model: Option<Spanned<String>>,
    pub origin: Option<Spanned<DataOrigin>>,
    /// An infrastructure address (`resource = "…"`): kept; the infrastructure checks read it.
    pub resource: Option<Spanned<String>>,
}

impl Data<'_> {
    pub fn has_personal_data(&self) -> bool {
        self.personal_data.as_ref().is_some_and(|p| p.value)
    }

    pub fn origin(&self) -> DataOrigin {
        self.origin
            .as_ref()
            .map_or(DataOrigin::Internal, |o| o.value)
    }

    /// Content the organisation did not curate: `origin` other than `internal`.
    pub fn is_untrusted(&self) -> bool {
        self.origin() != DataOrigin::Internal
    }

    /// Whether it reaches a model at inference time (`use = prompt` or `rag`).
    pub fn at_inference(&self) -> bool {
        self.use_
            .as_ref()
            .is_some_and(|u| matches!(u.value, DataUse::Prompt | DataUse::Rag))
    }

    /// Whether this data changes the weights of the model it reaches.
    pub fn trains(&self) -> bool {
        self.use_
            .as_ref()
            .is_some_and(|u| u.value.training().is_some())
    }
}

/// An `agent "name" { … }` block.
#[derive(Debug)]
pub struct Agent<'a> {
    pub block: &'a Block,
    pub name: Option<Spanned<String>>,
    pub model: Option<Spanned<String>>,
    pub initiation: Option<Spanned<Initiation>>,
    pub approval: Option<Spanned<Approval>>,
    pub memory: Option<Spanned<Memory>>,
    /// The entries of `delegates_to`, each with its range.
    pub delegates_to: Vec<Spanned<String>>,
    pub agency_scope: Option<Spanned<u8>>,
    /// An infrastructure address (`resource = "…"`): kept; the infrastructure checks read it.
    pub resource: Option<Spanned<String>>,
    pub tools: Vec<Tool<'a>>,
    /// Agentic controls declared for this agent.
    pub controls: Vec<ControlDecl<'a>>,
}

impl Agent<'_> {
    /// Its facts for the agency inference; a tool whose `effect` is missing or invalid is
    /// left out (the lowering reported it).
    pub fn facts(&self) -> AgentFacts {
        AgentFacts {
            name: self.display_name(),
            initiation: self
                .initiation
                .as_ref()
                .map_or_else(Initiation::default, |i| i.value),
            approval: self
                .approval
                .as_ref()
                .map_or_else(Approval::default, |a| a.value),
            memory: self
                .memory
                .as_ref()
                .map_or_else(Memory::default, |m| m.value),
            delegates_to: self.delegates_to.iter().map(|d| d.value.clone()).collect(),
            tools: self.tools.iter().filter_map(Tool::facts).collect(),
        }
    }

    pub fn control(&self, id: &str) -> Option<&ControlDecl<'_>> {
        self.controls.iter().find(|c| c.id.value == id)
    }
}

/// A `tool "name" { … }` block of an agent.
#[derive(Debug)]
pub struct Tool<'a> {
    pub block: &'a Block,
    pub name: Option<Spanned<String>>,
    pub effect: Option<Spanned<Effect>>,
    pub approval: Option<Spanned<Approval>>,
    pub audience: Option<Spanned<ToolAudience>>,
}

impl Tool<'_> {
    /// Its facts, or `None` without a valid `effect`.
    pub fn facts(&self) -> Option<ToolFacts> {
        Some(ToolFacts {
            name: self.display_name(),
            effect: self.effect.as_ref()?.value,
            approval: self.approval.as_ref().map(|a| a.value),
            audience: self
                .audience
                .as_ref()
                .map_or_else(ToolAudience::default, |a| a.value),
        })
    }
}

/// A `control discipline.name { … }` block.
#[derive(Debug)]
pub struct ControlDecl<'a> {
    pub block: &'a Block,
    pub id: Spanned<String>,
    pub status: Option<Spanned<Status>>,
    pub evidence: Option<Spanned<String>>,
    pub due: Option<Spanned<Date>>,
    pub justification: Option<Spanned<String>>,
}

impl ControlDecl<'_> {
    pub fn status(&self) -> Status {
        self.status
            .as_ref()
            .map_or(Status::Implemented, |s| s.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    fn names(values: &[schema::EnumValue]) -> Vec<&'static str> {
        values.iter().map(|v| v.name).collect()
    }

    #[test]
    fn typed_enums_match_the_schema() {
        assert_eq!(Audience::NAMES, names(schema::AUDIENCES));
        assert_eq!(Criticality::NAMES, names(schema::CRITICALITIES));
        assert_eq!(Hosting::NAMES, names(schema::HOSTINGS));
        assert_eq!(Training::NAMES, names(schema::TRAININGS));
        assert_eq!(Classification::NAMES, names(schema::CLASSIFICATIONS));
        assert_eq!(DataUse::NAMES, names(schema::DATA_USES));
        assert_eq!(Status::NAMES, names(schema::CONTROL_STATUSES));
        assert_eq!(Stage::NAMES, names(schema::STAGES));
        assert_eq!(Access::NAMES, names(schema::ACCESSES));
        assert_eq!(Output::NAMES, names(schema::OUTPUTS));
        assert_eq!(ModelOrigin::NAMES, names(schema::MODEL_ORIGINS));
        assert_eq!(DataOrigin::NAMES, names(schema::DATA_ORIGINS));
        let initiations: Vec<&str> = Initiation::ALL.iter().map(|v| v.keyword()).collect();
        assert_eq!(initiations, names(schema::INITIATIONS));
        let approvals: Vec<&str> = Approval::ALL.iter().map(|v| v.keyword()).collect();
        assert_eq!(approvals, names(schema::APPROVALS));
        let memories: Vec<&str> = Memory::ALL.iter().map(|v| v.keyword()).collect();
        assert_eq!(memories, names(schema::MEMORIES));
        let effects: Vec<&str> = Effect::ALL.iter().map(|v| v.keyword()).collect();
        assert_eq!(effects, names(schema::EFFECTS));
        let audiences: Vec<&str> = ToolAudience::ALL.iter().map(|v| v.keyword()).collect();
        assert_eq!(audiences, names(schema::TOOL_AUDIENCES));
    }

    #[test]
    fn classifications_are_ordered_by_sensitivity() {
        assert!(Classification::Public < Classification::Internal);
        assert!(Classification::Confidential < Classification::Restricted);
    }
}
