//! The matrix as data: scopes, disciplines, the control catalog and the documentation of
//! every diagnostic code, embedded in the binary and parsed once.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::agency::{AgencyScope, AgentCondition, AgentFacts};
use crate::diagnostic::Severity;

mod control_id;
mod scope_number;

pub(crate) use control_id::is_identifier;
pub use control_id::{ControlId, ControlIdError};
pub use scope_number::Scope;

const CATALOG_TOML: &str = include_str!("catalog.toml");
const RULES_TOML: &str = include_str!("rules.toml");
const AGENTIC_TOML: &str = include_str!("agentic.toml");

/// The built-in catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut catalog = Catalog::from_toml(CATALOG_TOML).expect("the bundled catalog is valid");
        catalog
            .add_agentic(AGENTIC_TOML)
            .expect("the bundled agentic catalog is valid");
        catalog
    })
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

    /// The same for two handles when they are equal (0 for the built-in catalog).
    pub fn identity(&self) -> usize {
        self.0
            .as_ref()
            .map_or(0, |catalog| Arc::as_ptr(catalog) as usize)
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
    /// The agentic matrix's four agency scopes (from `agentic.toml`).
    #[serde(default, rename = "agency_scope")]
    pub agency_scopes: Vec<AgencyScopeInfo>,
    /// The agentic matrix's six security dimensions: the disciplines of its controls.
    #[serde(default, rename = "dimension")]
    pub dimensions: Vec<Discipline>,
}

/// One agency scope of the agentic matrix.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyScopeInfo {
    pub number: u8,
    pub name: String,
    pub tagline: String,
    pub description: String,
    pub examples: Vec<String>,
}

/// `agentic.toml` as written: its controls carry agency scopes and agentic conditions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgenticFile {
    version: u32,
    #[serde(rename = "agency_scope")]
    agency_scopes: Vec<AgencyScopeInfo>,
    #[serde(rename = "dimension")]
    dimensions: Vec<Discipline>,
    #[serde(rename = "control")]
    controls: Vec<AgenticControlEntry>,
    owasp: Vec<Reference>,
    atlas: Vec<Reference>,
    #[serde(rename = "source")]
    sources: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgenticControlEntry {
    id: ControlId,
    title: String,
    summary: String,
    rationale: String,
    agency_scopes: Vec<u8>,
    #[serde(default)]
    when: Vec<AgentCondition>,
    #[serde(default)]
    when_at: Vec<AgentScopedConditions>,
    severity: Severity,
    #[serde(default)]
    advisory: bool,
    owasp: Vec<String>,
    atlas: Vec<String>,
    sources: Vec<String>,
    example: String,
    #[serde(default, rename = "parameter")]
    parameters: Vec<Parameter>,
}

/// Agentic conditions that apply at some agency scopes of a control only.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AgentScopedConditions {
    pub agency_scopes: Vec<u8>,
    pub when: Vec<AgentCondition>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeInfo {
    pub number: Scope,
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
    /// Every scope that can require it.
    pub scopes: Vec<Scope>,
    /// Facts that must all hold, at every scope, for it to be required: one condition name
    /// or a list of them.
    #[serde(default, deserialize_with = "conditions")]
    pub when: Vec<Condition>,
    /// Facts that must also hold at some scopes only (`[[control.when_at]]`), on top of
    /// `when`: `controls.data_flow_protection` is required at scopes 1–2 as such, at 3–5
    /// only where a model serves inference.
    #[serde(default)]
    pub when_at: Vec<ScopedConditions>,
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
    /// For a control of the agentic matrix: every agency scope that can require it (its
    /// `scopes` are then empty).
    #[serde(skip)]
    pub agency_scopes: Vec<u8>,
    /// Agentic conditions that must all hold, about the agent, at every agency scope.
    #[serde(skip)]
    pub agent_when: Vec<AgentCondition>,
    /// Agentic conditions that must also hold at some agency scopes only.
    #[serde(skip)]
    pub agent_when_at: Vec<AgentScopedConditions>,
    /// Every fact behind it is known only from third-party reproductions of AWS's figure.
    #[serde(skip)]
    pub advisory: bool,
}

/// Conditions that apply at some of a control's scopes only.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ScopedConditions {
    pub scopes: Vec<Scope>,
    #[serde(deserialize_with = "conditions")]
    pub when: Vec<Condition>,
}

impl Control {
    /// `governance` for `governance.data_usage_policy`.
    pub fn discipline_id(&self) -> &str {
        self.id.discipline()
    }

    /// Whether `scope` is one of the scopes that can require it (its conditions aside).
    pub fn required_in(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// The conditions that must all hold for it to be required at `scope`: `when`, then
    /// those of the `when_at` entries that name `scope`, without repeats.
    pub fn conditions_at(&self, scope: Scope) -> Vec<Condition> {
        let mut conditions = self.when.clone();
        for scoped in self.when_at.iter().filter(|s| s.scopes.contains(&scope)) {
            for condition in &scoped.when {
                if !conditions.contains(condition) {
                    conditions.push(*condition);
                }
            }
        }
        conditions
    }

    /// Whether `holds` is true of every condition of it at `scope` (those of
    /// [`Self::conditions_at`], without building the list: this runs for every control,
    /// model and scope of every workload).
    pub fn conditions_hold_at(
        &self,
        scope: Scope,
        mut holds: impl FnMut(Condition) -> bool,
    ) -> bool {
        self.when.iter().all(|c| holds(*c))
            && self
                .when_at
                .iter()
                .filter(|s| s.scopes.contains(&scope))
                .all(|s| s.when.iter().all(|c| holds(*c)))
    }

    /// Whether any scope of it comes with a condition.
    pub fn is_conditional(&self) -> bool {
        !self.when.is_empty() || self.when_at.iter().any(|s| !s.when.is_empty())
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// Whether it belongs to the agentic matrix (required of agents, by agency scope).
    pub fn is_agentic(&self) -> bool {
        !self.agency_scopes.is_empty()
    }

    /// The agentic conditions that must all hold at agency scope `scope`: `when`, then those
    /// of the `when_at` entries that list it, without repeats.
    pub fn agent_conditions_at(&self, scope: u8) -> Vec<AgentCondition> {
        let mut conditions = self.agent_when.clone();
        for scoped in self
            .agent_when_at
            .iter()
            .filter(|s| s.agency_scopes.contains(&scope))
        {
            for condition in &scoped.when {
                if !conditions.contains(condition) {
                    conditions.push(*condition);
                }
            }
        }
        conditions
    }

    /// Whether an agent at `scope` with these facts needs it.
    pub fn required_of_agent(
        &self,
        scope: AgencyScope,
        agent: &AgentFacts,
        untrusted_reaches_model: bool,
    ) -> bool {
        crate::agency::required_at(
            &self.agency_scopes,
            &self.agent_conditions_at(scope.number()),
            scope,
            agent,
            untrusted_reaches_model,
        )
    }
}

/// `when = "uses_rag"` or `when = ["serves_inference", "in_production"]`.
pub(crate) fn conditions<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Condition>, D::Error> {
    one_or_many(deserializer)
}

/// One name or a list of names, each of `T` (a condition kind), without repeats.
pub(crate) fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + PartialEq,
{
    struct OneOrMany<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de> + PartialEq> serde::de::Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a condition name or a list of condition names")
        }

        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
            let condition = T::deserialize(serde::de::value::StrDeserializer::new(name))?;
            Ok(vec![condition])
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut conditions = Vec::new();
            while let Some(condition) = seq.next_element::<T>()? {
                if !conditions.contains(&condition) {
                    conditions.push(condition);
                }
            }
            Ok(conditions)
        }
    }
    deserializer.deserialize_any(OneOrMany(std::marker::PhantomData))
}

/// A fact that must hold for a control to be required, in the catalog and in custom controls'
/// `when`. Each is judged for the workload; `serves_inference` for the model that brings the
/// requirement.
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
    /// The model that brings the requirement serves completions (`inference = true`, the default).
    ServesInference,
    /// The workload is in production (`stage = production`, the default).
    InProduction,
    /// The audience is the public, or users reach the model without signing in.
    PublicExposure,
    /// The audience is customers or the public.
    CustomerFacing,
    /// Some prompt or retrieval data comes from outside the organisation (`origin` is not `internal`).
    UntrustedContent,
    /// Completions are executed or passed to other systems (`outputs` has `executed` or `downstream`).
    OutputExecuted,
    /// Completions are rendered in a client (`outputs` has `rendered`).
    OutputRendered,
    /// Completions are stored or fed back into training (`outputs` has `stored` or `training`).
    OutputReused,
    /// The workload declares a `data_residency` constraint.
    DataResidency,
    /// Some retrieval data holds personal data.
    PersonalDataInRag,
    /// Some data classified above `public` reaches a model its provider hosts (not `self_hosted`).
    DataToProvider,
    /// Some model's weights come from a public hub or a vendor.
    ThirdPartyWeights,
    /// Some model is fine-tuned or trained from scratch.
    TrainsOrTunes,
    /// Users sign in before they reach the model (`access = authenticated`, the default).
    /// genai-scope's addition to the matrix's list: an anonymous app has no users to
    /// authenticate.
    AuthenticatedAccess,
}

impl Condition {
    pub const ALL: &'static [Condition] = &[
        Condition::ExternalAudience,
        Condition::PersonalDataInTraining,
        Condition::UsesRag,
        Condition::HighCriticality,
        Condition::MultiRegion,
        Condition::ServesInference,
        Condition::InProduction,
        Condition::PublicExposure,
        Condition::CustomerFacing,
        Condition::UntrustedContent,
        Condition::OutputExecuted,
        Condition::OutputRendered,
        Condition::OutputReused,
        Condition::DataResidency,
        Condition::PersonalDataInRag,
        Condition::DataToProvider,
        Condition::ThirdPartyWeights,
        Condition::TrainsOrTunes,
        Condition::AuthenticatedAccess,
    ];

    /// The name written in `when`.
    pub fn name(self) -> &'static str {
        match self {
            Condition::ExternalAudience => "external_audience",
            Condition::PersonalDataInTraining => "personal_data_in_training",
            Condition::UsesRag => "uses_rag",
            Condition::HighCriticality => "high_criticality",
            Condition::MultiRegion => "multi_region",
            Condition::ServesInference => "serves_inference",
            Condition::InProduction => "in_production",
            Condition::PublicExposure => "public_exposure",
            Condition::CustomerFacing => "customer_facing",
            Condition::UntrustedContent => "untrusted_content",
            Condition::OutputExecuted => "output_executed",
            Condition::OutputRendered => "output_rendered",
            Condition::OutputReused => "output_reused",
            Condition::DataResidency => "data_residency",
            Condition::PersonalDataInRag => "personal_data_in_rag",
            Condition::DataToProvider => "data_to_provider",
            Condition::ThirdPartyWeights => "third_party_weights",
            Condition::TrainsOrTunes => "trains_or_tunes",
            Condition::AuthenticatedAccess => "authenticated_access",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }

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
            Condition::ServesInference => "the model serves completions (`inference = true`)",
            Condition::InProduction => "the workload is in production (`stage = production`)",
            Condition::PublicExposure => {
                "the audience is the public or users need not sign in (`access = anonymous`)"
            }
            Condition::CustomerFacing => "the audience is customers or the public",
            Condition::UntrustedContent => {
                "prompt or retrieval data comes from outside the organisation (`origin` is not `internal`)"
            }
            Condition::OutputExecuted => {
                "completions are executed or passed to other systems (`outputs` has `executed` or `downstream`)"
            }
            Condition::OutputRendered => {
                "completions are rendered in a client (`outputs` has `rendered`)"
            }
            Condition::OutputReused => {
                "completions are stored or fed back into training (`outputs` has `stored` or `training`)"
            }
            Condition::DataResidency => "the workload has a `data_residency` constraint",
            Condition::PersonalDataInRag => "retrieval data holds personal data",
            Condition::DataToProvider => {
                "data classified above `public` reaches a model its provider hosts"
            }
            Condition::ThirdPartyWeights => {
                "a model's weights come from a public hub or a vendor (`origin`)"
            }
            Condition::TrainsOrTunes => "a model is fine-tuned or trained from scratch",
            Condition::AuthenticatedAccess => "users sign in (`access = authenticated`)",
        }
    }

    /// Whether it holds unless a file says otherwise (`inference`, `stage` and `access`
    /// default to it): messages leave such conditions out of their "because".
    pub fn is_default_fact(self) -> bool {
        matches!(
            self,
            Condition::ServesInference | Condition::InProduction | Condition::AuthenticatedAccess
        )
    }

    /// Whether it is judged for the model that brings the requirement, not the workload.
    pub fn is_per_model(self) -> bool {
        self == Condition::ServesInference
    }
}

/// "a and b": the conditions' descriptions, for messages.
pub fn describe_all(conditions: &[Condition]) -> String {
    let described: Vec<&str> = conditions.iter().map(|c| c.describe()).collect();
    match described.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
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
    /// The list it belongs to, e.g. "OWASP Top 10 for Agentic Applications".
    #[serde(default)]
    pub list: Option<String>,
    /// The list's edition year, when it has one.
    #[serde(default)]
    pub year: Option<u16>,
    /// For ATLAS entries: a technique (`AML.T…`, the default) or a mitigation (`AML.M…`).
    #[serde(default)]
    pub kind: ReferenceKind,
}

/// What an ATLAS entry is: an adversary's technique, or a mitigation against techniques.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ReferenceKind {
    #[default]
    Technique,
    Mitigation,
}

impl ReferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Technique => "technique",
            ReferenceKind::Mitigation => "mitigation",
        }
    }
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
    /// Absent when no address could be confirmed (the title and publisher still name it).
    #[serde(default)]
    pub url: Option<String>,
}

impl Source {
    /// Its address when it is a web link.
    pub fn link(&self) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
    }
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

    /// Adds the agentic catalog (`agentic.toml`): its scopes, dimensions and controls, and
    /// the references and sources it cites, one copy of each (an entry already present keeps
    /// its name and gains the agentic file's list and year when it had none).
    pub fn add_agentic(&mut self, text: &str) -> Result<(), toml::de::Error> {
        let file: AgenticFile = toml::from_str(text)?;
        debug_assert_eq!(file.version, 1);
        self.agency_scopes = file.agency_scopes;
        self.dimensions = file.dimensions;
        for control in file.controls {
            self.controls.push(Control {
                id: control.id,
                title: control.title,
                summary: control.summary,
                rationale: control.rationale,
                scopes: Vec::new(),
                when: Vec::new(),
                when_at: Vec::new(),
                severity: control.severity,
                owasp: control.owasp,
                atlas: control.atlas,
                nist: Vec::new(),
                sources: control.sources,
                example: control.example,
                parameters: control.parameters,
                custom: false,
                agency_scopes: control.agency_scopes,
                agent_when: control.when,
                agent_when_at: control.when_at,
                advisory: control.advisory,
            });
        }
        merge_references(&mut self.owasp, file.owasp);
        merge_references(&mut self.atlas, file.atlas);
        for source in file.sources {
            if self.source(&source.id).is_none() {
                self.sources.push(source);
            }
        }
        Ok(())
    }

    /// The agentic matrix's controls, in the catalog's order.
    pub fn agentic_controls(&self) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(|c| c.is_agentic())
    }

    pub fn agency_scope(&self, number: u8) -> Option<&AgencyScopeInfo> {
        self.agency_scopes.iter().find(|s| s.number == number)
    }

    pub fn dimension(&self, id: &str) -> Option<&Discipline> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    pub fn owasp_entry(&self, id: &str) -> Option<&Reference> {
        self.owasp.iter().find(|r| r.id == id)
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|control| control.id == id)
    }

    pub fn scope(&self, number: Scope) -> Option<&ScopeInfo> {
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

    /// The ATLAS entry `id`, with its kind.
    pub fn atlas_entry(&self, id: &str) -> Option<&Reference> {
        self.atlas.iter().find(|r| r.id == id)
    }

    /// A control's ATLAS ids split into techniques and mitigations, each in its order.
    pub fn atlas_by_kind<'c>(&self, control: &'c Control) -> (Vec<&'c str>, Vec<&'c str>) {
        control.atlas.iter().map(String::as_str).partition(|id| {
            self.atlas_entry(id)
                .is_none_or(|r| r.kind == ReferenceKind::Technique)
        })
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The name of scope `number`, e.g. "Pre-trained models".
    pub fn scope_name(&self, number: Scope) -> &str {
        self.scope(number)
            .map(|s| s.name.as_str())
            .unwrap_or("unknown scope")
    }
}

fn merge_references(into: &mut Vec<Reference>, from: Vec<Reference>) {
    for reference in from {
        match into.iter_mut().find(|r| r.id == reference.id) {
            Some(known) => {
                known.list = known.list.take().or(reference.list);
                known.year = known.year.or(reference.year);
            }
            None => into.push(reference),
        }
    }
}

#[cfg(test)]
mod tests;
