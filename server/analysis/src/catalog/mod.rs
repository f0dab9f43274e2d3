//! The matrix as data: scopes, disciplines, the control catalog and the documentation of
//! every diagnostic code, embedded in the binary and parsed once.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::diagnostic::Severity;

mod control_id;

pub(crate) use control_id::is_identifier;
pub use control_id::{ControlId, ControlIdError};

const CATALOG_TOML: &str = include_str!("catalog.toml");
const RULES_TOML: &str = include_str!("rules.toml");

/// The built-in catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::from_toml(CATALOG_TOML).expect("the bundled catalog is valid"))
}

/// The catalog a file is analysed with: the built-in one, or the built-in one extended by
/// a project's custom controls (`genai-scope.toml`). Cheap to clone; two handles are equal
/// when they share the same catalog, so a reloaded configuration reads as a change.
#[derive(Clone, Default)]
pub struct SharedCatalog(Option<Arc<Catalog>>);

impl SharedCatalog {
    pub fn new(catalog: Catalog) -> Self {
        Self(Some(Arc::new(catalog)))
    }
}

impl Deref for SharedCatalog {
    type Target = Catalog;

    fn deref(&self) -> &Catalog {
        match &self.0 {
            Some(custom) => custom,
            None => catalog(),
        }
    }
}

impl PartialEq for SharedCatalog {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl std::fmt::Debug for SharedCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let custom = self.controls.iter().filter(|c| c.custom).count();
        write!(
            f,
            "SharedCatalog({} controls, {custom} custom)",
            self.controls.len()
        )
    }
}

/// The documentation of every diagnostic code, parsed on first use.
pub fn rules() -> &'static [RuleDoc] {
    static RULES: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    RULES.get_or_init(|| {
        toml::from_str::<RulesFile>(RULES_TOML)
            .expect("the bundled rule documentation is valid")
            .rule
    })
}

/// The documentation of one diagnostic code.
pub fn rule(code: &str) -> Option<&'static RuleDoc> {
    rules().iter().find(|rule| rule.code == code)
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub version: u32,
    #[serde(rename = "scope")]
    pub scopes: Vec<ScopeInfo>,
    #[serde(rename = "discipline")]
    pub disciplines: Vec<Discipline>,
    #[serde(rename = "control")]
    pub controls: Vec<Control>,
    pub owasp: Vec<Reference>,
    pub atlas: Vec<Reference>,
    pub nist: Vec<NistRisk>,
    #[serde(rename = "source")]
    pub sources: Vec<Source>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeInfo {
    pub number: u8,
    pub name: String,
    pub side: Side,
    pub tagline: String,
    pub description: String,
    pub examples: Vec<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Buy,
    Build,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discipline {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: ControlId,
    pub title: String,
    pub summary: String,
    pub rationale: String,
    pub scopes: Vec<u8>,
    #[serde(default)]
    pub when: Option<Condition>,
    pub severity: Severity,
    pub owasp: Vec<String>,
    pub atlas: Vec<String>,
    pub nist: Vec<String>,
    pub sources: Vec<String>,
    pub example: String,
    #[serde(default, rename = "parameter")]
    pub parameters: Vec<Parameter>,
    /// Declared in a project's `genai-scope.toml`, not part of the matrix itself.
    #[serde(skip)]
    pub custom: bool,
}

impl Control {
    /// `governance` for `governance.data_usage_policy`.
    pub fn discipline_id(&self) -> &str {
        self.id.discipline()
    }

    pub fn required_in(&self, scope: u8) -> bool {
        self.scopes.contains(&scope)
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// An extra fact that must hold for a control to be required.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The audience is partners, customers or the public.
    ExternalAudience,
    /// Personal data is used for fine-tuning or training.
    PersonalDataInTraining,
    /// Some data is retrieved into the context (`use = rag`).
    UsesRag,
    /// The criticality is `high` or `critical`.
    HighCriticality,
    /// The workload runs in more than one region.
    MultiRegion,
}

impl Condition {
    /// Completes "required only when …".
    pub fn describe(self) -> &'static str {
        match self {
            Condition::ExternalAudience => "the audience is partners, customers or the public",
            Condition::PersonalDataInTraining => {
                "personal data is used for fine-tuning or training"
            }
            Condition::UsesRag => "some data is retrieved into the context (`use = rag`)",
            Condition::HighCriticality => "the criticality is `high` or `critical`",
            Condition::MultiRegion => "the workload runs in more than one region",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParameterKind,
    pub description: String,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParameterKind {
    Duration,
    Integer,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NistRisk {
    pub name: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
struct RulesFile {
    rule: Vec<RuleDoc>,
}

/// Documentation of one diagnostic code.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub code: String,
    /// `error`, `warning`, `info`, `hint` or `per-control`.
    pub severity: String,
    pub title: String,
    pub summary: String,
    pub explanation: String,
    pub fix: String,
    pub security_severity: String,
    pub bad: String,
    pub good: String,
}

impl Catalog {
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|control| control.id == id)
    }

    pub fn scope(&self, number: u8) -> Option<&ScopeInfo> {
        self.scopes.iter().find(|scope| scope.number == number)
    }

    pub fn discipline(&self, id: &str) -> Option<&Discipline> {
        self.disciplines
            .iter()
            .find(|discipline| discipline.id == id)
    }

    pub fn owasp_name(&self, id: &str) -> Option<&str> {
        self.owasp
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.as_str())
    }

    pub fn atlas_name(&self, id: &str) -> Option<&str> {
        self.atlas
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.as_str())
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The name of scope `number`, e.g. "Pre-trained models".
    pub fn scope_name(&self, number: u8) -> &str {
        self.scope(number)
            .map(|s| s.name.as_str())
            .unwrap_or("unknown scope")
    }
}

#[cfg(test)]
mod tests;
