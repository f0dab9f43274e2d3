//! The typed model of a file: workloads with their models, data and controls, read from the
//! syntax tree. Values that failed validation are absent here; the lowering reported them.

use time::Date;

use genai_scope_syntax::Block;
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
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
        self.label().map_or(self.block().kind.range, |n| n.range)
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

named_block!(Workload, Model, Data);

/// A `workload "name" { … }` block.
#[derive(Debug)]
pub struct Workload<'a> {
    pub block: &'a Block,
    pub name: Option<Spanned<String>>,
    pub owner: Option<Spanned<String>>,
    pub scope: Option<Spanned<u8>>,
    pub audience: Option<Spanned<Audience>>,
    pub criticality: Option<Spanned<Criticality>>,
    pub regions: Option<Spanned<Vec<String>>>,
    pub models: Vec<Model<'a>>,
    pub data: Vec<Data<'a>>,
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

    /// The models a data block reaches: the one it names, else the only model.
    pub fn models_reached_by<'s>(&'s self, data: &Data<'_>) -> Vec<&'s Model<'s>> {
        match &data.model {
            Some(name) => self.model(&name.value).into_iter().collect(),
            None if self.models.len() == 1 => self.models.iter().collect(),
            None => Vec::new(),
        }
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
}

impl Model<'_> {
    pub fn training(&self) -> Training {
        self.training.as_ref().map_or(Training::None, |t| t.value)
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
}

impl Data<'_> {
    pub fn has_personal_data(&self) -> bool {
        self.personal_data.as_ref().is_some_and(|p| p.value)
    }

    /// Whether this data changes the weights of the model it reaches.
    pub fn trains(&self) -> bool {
        self.use_
            .as_ref()
            .is_some_and(|u| u.value.training().is_some())
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
    }

    #[test]
    fn classifications_are_ordered_by_sensitivity() {
        assert!(Classification::Public < Classification::Internal);
        assert!(Classification::Confidential < Classification::Restricted);
    }
}
