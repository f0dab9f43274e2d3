//! `catalog/agentic.toml`, read with small structs of its own (the shared loader does not know
//! its fields yet), checked for form and, when the contract is checked out beside the
//! repository, against the tables and lists of `shared/spec/agentic.md`.

use std::collections::HashSet;

use serde::Deserialize;

use super::*;
use crate::catalog::ControlId;
use crate::diagnostic::Severity;

const AGENTIC_TOML: &str = include_str!("../../catalog/agentic.toml");
const CATALOG_TOML: &str = include_str!("../../catalog/catalog.toml");

/// The ids of agentic.md's control table, in its order (checked against the table itself
/// whenever the contract is present).
const AGENTIC_CONTROL_IDS: [&str; 25] = [
    "identity.agent_identity",
    "identity.user_context",
    "identity.delegated_credentials",
    "identity.agent_attestation",
    "memory.integrity",
    "memory.read_only",
    "audit.action_log",
    "audit.approval_trail",
    "audit.decision_trace",
    "audit.behavior_monitoring",
    "agent.input_validation",
    "agent.approval_enforcement",
    "agent.untrusted_input_gate",
    "agent.tool_isolation",
    "agent.code_sandbox",
    "agent.kill_switch",
    "agent.automated_containment",
    "perimeter.tool_allowlist",
    "perimeter.least_privilege_tools",
    "perimeter.action_limits",
    "perimeter.autonomy_sign_off",
    "orchestration.pause_and_rollback",
    "orchestration.step_limits",
    "orchestration.agent_authentication",
    "orchestration.graceful_degradation",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AgenticCatalog {
    version: u32,
    #[serde(rename = "agency_scope")]
    agency_scopes: Vec<ScopeEntry>,
    #[serde(rename = "dimension")]
    dimensions: Vec<DimensionEntry>,
    #[serde(rename = "control")]
    pub(super) controls: Vec<ControlEntry>,
    owasp: Vec<OwaspEntry>,
    atlas: Vec<AtlasEntry>,
    #[serde(rename = "source")]
    pub(super) sources: Vec<SourceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeEntry {
    number: u8,
    name: String,
    tagline: String,
    description: String,
    examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionEntry {
    id: String,
    name: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ControlEntry {
    pub(super) id: ControlId,
    pub(super) title: String,
    summary: String,
    rationale: String,
    pub(super) agency_scopes: Vec<u8>,
    #[serde(default)]
    pub(super) when: Vec<String>,
    pub(super) severity: Severity,
    #[serde(default)]
    pub(super) advisory: bool,
    owasp: Vec<String>,
    atlas: Vec<String>,
    sources: Vec<String>,
    example: String,
    #[serde(default, rename = "parameter")]
    parameters: Vec<ParameterEntry>,
    #[serde(default)]
    pub(super) when_at: Vec<ScopedEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterEntry {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScopedEntry {
    pub(super) agency_scopes: Vec<u8>,
    #[serde(default)]
    pub(super) when: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwaspEntry {
    id: String,
    name: String,
    list: String,
    year: u16,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum AtlasKind {
    Technique,
    Mitigation,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AtlasEntry {
    id: String,
    name: String,
    kind: AtlasKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceEntry {
    pub(super) id: String,
    title: String,
    publisher: String,
    #[serde(default)]
    url: Option<String>,
}

fn conditions(names: &[String]) -> Vec<AgentCondition> {
    names
        .iter()
        .map(|name| {
            AgentCondition::from_keyword(name)
                .unwrap_or_else(|| panic!("unknown agentic condition {name:?}"))
        })
        .collect()
}

impl ControlEntry {
    /// The conditions that must hold at `scope`: `when`, then those of the `when_at`
    /// entries that list it.
    fn conditions_at(&self, scope: AgencyScope) -> Vec<AgentCondition> {
        let mut names: Vec<String> = self.when.clone();
        for scoped in &self.when_at {
            if scoped.agency_scopes.contains(&scope.number()) {
                names.extend(scoped.when.iter().cloned());
            }
        }
        conditions(&names)
    }

    /// Whether it is required of an agent at `scope`.
    pub(super) fn required_for(
        &self,
        scope: AgencyScope,
        agent: &AgentFacts,
        untrusted_reaches_model: bool,
    ) -> bool {
        required_at(
            &self.agency_scopes,
            &self.conditions_at(scope),
            scope,
            agent,
            untrusted_reaches_model,
        )
    }
}

pub(super) fn agentic_catalog() -> AgenticCatalog {
    toml::from_str(AGENTIC_TOML).unwrap_or_else(|error| panic!("agentic.toml: {error}"))
}

/// The reference lists of catalog.toml, whatever else it holds.
#[derive(Deserialize)]
struct GenerativeReferences {
    #[serde(default)]
    owasp: Vec<NamedReference>,
    #[serde(default)]
    atlas: Vec<NamedReference>,
}

#[derive(Deserialize)]
struct NamedReference {
    id: String,
    name: String,
}

// --- Form --------------------------------------------------------------------------------

#[test]
fn the_controls_are_agentic_mds_in_its_order() {
    let catalog = agentic_catalog();
    assert_eq!(catalog.version, 1);
    let ids: Vec<&str> = catalog.controls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, AGENTIC_CONTROL_IDS);
}

#[test]
fn agency_scopes_are_the_four_with_the_inferences_names() {
    let catalog = agentic_catalog();
    let numbers: Vec<u8> = catalog.agency_scopes.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    for (entry, scope) in catalog.agency_scopes.iter().zip(AgencyScope::ALL) {
        assert_eq!(entry.name, scope.name(), "agency scope {}", entry.number);
        assert!(!entry.tagline.is_empty() && !entry.description.is_empty());
        assert!(!entry.examples.is_empty(), "agency scope {}", entry.number);
    }
}

#[test]
fn every_control_is_well_formed() {
    let catalog = agentic_catalog();
    let dimensions: Vec<&str> = catalog.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        dimensions,
        [
            "identity",
            "memory",
            "audit",
            "agent",
            "perimeter",
            "orchestration"
        ]
    );
    for dimension in &catalog.dimensions {
        assert!(!dimension.name.is_empty() && !dimension.description.is_empty());
        assert!(
            catalog
                .controls
                .iter()
                .any(|c| c.id.discipline() == dimension.id),
            "dimension {} has no control",
            dimension.id
        );
    }
    let owasp: HashSet<&str> = catalog.owasp.iter().map(|r| r.id.as_str()).collect();
    let atlas: HashSet<&str> = catalog.atlas.iter().map(|r| r.id.as_str()).collect();
    let sources: HashSet<&str> = catalog.sources.iter().map(|s| s.id.as_str()).collect();
    let mut seen = HashSet::new();
    for control in &catalog.controls {
        let id = control.id.as_str();
        assert!(seen.insert(id), "{id} twice");
        assert!(dimensions.contains(&control.id.discipline()), "{id}");
        assert!(
            !control.title.is_empty()
                && !control.summary.is_empty()
                && !control.rationale.is_empty(),
            "{id}"
        );
        for scopes in std::iter::once(&control.agency_scopes)
            .chain(control.when_at.iter().map(|c| &c.agency_scopes))
        {
            assert!(!scopes.is_empty(), "{id}");
            assert!(scopes.windows(2).all(|w| w[0] < w[1]), "{id}: sorted");
            assert!(
                scopes.iter().all(|s| control.agency_scopes.contains(s)),
                "{id}: `when_at` names only scopes of the control"
            );
            assert!(scopes.iter().all(|s| (1..=4).contains(s)), "{id}");
        }
        for scoped in &control.when_at {
            assert!(
                !scoped.when.is_empty(),
                "{id}: `when_at` without conditions"
            );
        }
        for clause in std::iter::once(&control.when).chain(control.when_at.iter().map(|c| &c.when))
        {
            // Every name is known (`conditions` panics otherwise); has_agents goes unsaid.
            assert!(
                !conditions(clause).contains(&AgentCondition::HasAgents),
                "{id}"
            );
        }
        for reference in &control.owasp {
            assert!(owasp.contains(reference.as_str()), "{id}: {reference}");
        }
        for reference in &control.atlas {
            assert!(atlas.contains(reference.as_str()), "{id}: {reference}");
        }
        assert!(!control.sources.is_empty(), "{id}");
        for source in &control.sources {
            assert!(sources.contains(source.as_str()), "{id}: {source}");
        }
        // Advisory controls are `info` and say so; the others do not claim it.
        if control.advisory {
            assert_eq!(control.severity, Severity::Info, "{id}");
            assert!(control.rationale.contains("Advisory:"), "{id}");
            assert_eq!(control.sources, ["figure_reproductions"], "{id}");
        } else {
            assert!(!control.rationale.contains("Advisory"), "{id}");
        }
        let example = genai_scope_syntax::parse(&control.example);
        assert!(example.errors.is_empty(), "example of {id} does not parse");
        assert!(control.example.contains(&format!("control {id} ")), "{id}");
        for parameter in &control.parameters {
            assert_eq!(parameter.kind, "integer", "{id}");
            assert!(!parameter.description.is_empty(), "{id}");
            assert!(
                control.example.contains(&format!("{} = ", parameter.name)),
                "{id}: the example sets {}",
                parameter.name
            );
        }
    }
}

#[test]
fn references_and_sources_are_well_formed() {
    let catalog = agentic_catalog();
    let mut ids = HashSet::new();
    for reference in &catalog.owasp {
        assert!(ids.insert(reference.id.as_str()), "{}", reference.id);
        let (list, year) = if reference.id.starts_with("ASI") {
            ("OWASP Top 10 for Agentic Applications", 2026)
        } else {
            assert!(reference.id.ends_with(":2025"), "{}", reference.id);
            ("OWASP Top 10 for LLM Applications", 2025)
        };
        assert_eq!((reference.list.as_str(), reference.year), (list, year));
    }
    for reference in &catalog.atlas {
        assert!(ids.insert(reference.id.as_str()), "{}", reference.id);
        let kind = if reference.id.starts_with("AML.M") {
            AtlasKind::Mitigation
        } else {
            assert!(reference.id.starts_with("AML.T"), "{}", reference.id);
            AtlasKind::Technique
        };
        assert_eq!(reference.kind, kind, "{}", reference.id);
    }
    // Every cited entry is listed; every listed entry of the agentic lists is ASI or cited.
    let cited: HashSet<&str> = catalog
        .controls
        .iter()
        .flat_map(|c| c.owasp.iter().chain(&c.atlas))
        .map(String::as_str)
        .collect();
    for reference in &catalog.owasp {
        assert!(
            reference.id.starts_with("ASI") || cited.contains(reference.id.as_str()),
            "{} is listed but cited by no control",
            reference.id
        );
    }
    let mut source_ids = HashSet::new();
    for source in &catalog.sources {
        assert!(source_ids.insert(source.id.as_str()), "{}", source.id);
        assert!(!source.title.is_empty() && !source.publisher.is_empty());
        match &source.url {
            Some(url) => assert!(url.starts_with("https://"), "{}", source.id),
            // Only the reproductions of the figure have no single address.
            None => assert_eq!(source.id, "figure_reproductions"),
        }
    }
}

/// Entries both catalogs list must agree, so that a merged loader can keep one copy.
#[test]
fn references_shared_with_the_generative_catalog_agree() {
    let catalog = agentic_catalog();
    let generative: GenerativeReferences =
        toml::from_str(CATALOG_TOML).expect("catalog.toml parses");
    let names: Vec<(&str, &str)> = generative
        .owasp
        .iter()
        .chain(&generative.atlas)
        .map(|r| (r.id.as_str(), r.name.as_str()))
        .collect();
    let mut shared = 0;
    for (id, name) in catalog
        .owasp
        .iter()
        .map(|r| (&r.id, &r.name))
        .chain(catalog.atlas.iter().map(|r| (&r.id, &r.name)))
    {
        if let Some((_, other)) = names.iter().find(|(other_id, _)| other_id == id) {
            assert_eq!(name, other, "{id}");
            shared += 1;
        }
    }
    // LLM01/06/10:2025 and AML.T0034 at least.
    assert!(shared >= 4, "{shared}");
}

// --- Against the contract ------------------------------------------------------------------

/// `shared/spec/agentic.md`: from `GENAI_SCOPE_SPEC_DIR`, else beside the repository (as in
/// CI), else beside a worktree's parent directory.
fn spec() -> Option<String> {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let candidates = std::env::var("GENAI_SCOPE_SPEC_DIR")
        .ok()
        .into_iter()
        .chain([
            format!("{manifest}/../../../shared/spec"),
            format!("{manifest}/../../../../shared/spec"),
        ]);
    for dir in candidates {
        if let Ok(text) = std::fs::read_to_string(format!("{dir}/agentic.md")) {
            return Some(text);
        }
    }
    eprintln!("agentic.md not found; agentic.toml is checked for form only");
    None
}

/// The text from `start` to the first `end` after it.
pub(super) fn section<'s>(text: &'s str, start: &str, end: &str) -> &'s str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("agentic.md has no {start:?}"));
    let rest = &text[from + start.len()..];
    rest.find(end).map_or(rest, |to| &rest[..to])
}

/// The rows of the markdown tables in `text`, each as its trimmed cells (without the empty
/// first and last), header and rule lines left out.
pub(super) fn table_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|line| line.starts_with('|') && !line.starts_with("|---"))
        .map(|line| {
            let cells: Vec<String> = line.split('|').map(|c| c.trim().to_string()).collect();
            cells[1..cells.len() - 1].to_vec()
        })
        .skip(1)
        .collect()
}

/// Lines joined into one: after `-` or `/` without a space (addresses broken across lines).
fn join_lines(text: &str) -> String {
    let mut joined = String::new();
    for line in text.lines().map(str::trim) {
        if !(joined.is_empty() || joined.ends_with('-') || joined.ends_with('/')) {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

/// "1–4", "3–4", "4" or "any".
fn spec_scopes(cell: &str) -> Vec<u8> {
    if cell == "any" {
        return vec![1, 2, 3, 4];
    }
    match cell.split_once('–') {
        Some((from, to)) => (from.parse().unwrap()..=to.parse().unwrap()).collect(),
        None => vec![cell.parse().unwrap()],
    }
}

/// Conditions at some scopes only: agency scopes and condition names.
type Scoped = (Vec<u8>, Vec<&'static str>);

/// What a cell of the table's condition column means: the control's `when`, and its
/// `when_at` entries. Prose, so each wording is translated here once; a new wording fails
/// the test until someone decides what it means.
fn spec_conditions(cell: &str) -> (Vec<&'static str>, Vec<Scoped>) {
    match cell {
        "" => (vec![], vec![]),
        // Persistent memory at 1–2; session or persistent memory at 3–4.
        "memory = persistent; or memory = session at 3–4" => (
            vec![],
            vec![
                (vec![1, 2], vec!["persistent_memory"]),
                (vec![3, 4], vec!["agent_memory"]),
            ],
        ),
        "memory is not none" => (vec!["agent_memory"], vec![]),
        "some tool requires approval" => (vec!["approval_required"], vec![]),
        // matrix.md: untrusted_to_agent already includes "one of its tools changes things".
        "untrusted content reaches the agent and some tool changes things" => {
            (vec!["untrusted_to_agent"], vec![])
        }
        "some tool has effect = execute" => (vec!["tool_executes_code"], vec![]),
        "some tool changes things" => (vec!["tool_changes_things"], vec![]),
        "the agent delegates to other agents" => (vec!["agent_delegation"], vec![]),
        other => panic!("agentic.md has a condition this test does not know: {other:?}"),
    }
}

/// The confidence marks and source keys of a fact cell, from its last parentheses:
/// "(T; A AWS-PS; P ATLAS M0024)" → T, A aws_ps, P atlas.
fn spec_sources(cell: &str) -> Vec<(String, String)> {
    let open = cell
        .rfind('(')
        .expect("a fact cites its sources in parentheses");
    let inner = &cell[open + 1..];
    let inner = &inner[..inner.find(')').expect("closing parenthesis")];
    inner
        .split(';')
        .map(|part| {
            let mut words = part
                .split([' ', ','])
                .filter(|w| !w.is_empty())
                .map(str::to_string);
            let mark = words.next().expect("a confidence mark");
            assert!(
                ["P", "A", "T", "I"].contains(&mark.as_str()),
                "{mark:?} in {cell:?}"
            );
            let key = match (mark.as_str(), words.next()) {
                ("T", _) => "figure_reproductions".to_string(),
                (_, Some(key)) if key == "OWASP" => match words.next().as_deref() {
                    Some("LLM10:2025") => "owasp_llm10".to_string(),
                    other => panic!("OWASP {other:?} has no key in {cell:?}"),
                },
                (_, Some(key)) => key.to_lowercase().replace('-', "_"),
                (_, None) => panic!("{mark} without a source in {cell:?}"),
            };
            (mark, key)
        })
        .collect()
}

struct SpecRefs {
    owasp: Vec<String>,
    atlas: Vec<String>,
    parameters: Vec<(String, String)>,
}

/// "ASI08, LLM10:2025; AML.T0034; parameter `max_steps` (integer)".
fn spec_refs(cell: &str) -> SpecRefs {
    let mut refs = SpecRefs {
        owasp: vec![],
        atlas: vec![],
        parameters: vec![],
    };
    for item in cell
        .split([';', ','])
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        if let Some(rest) = item.strip_prefix("parameter ") {
            let (name, kind) = rest.split_once(' ').expect("parameter `name` (type)");
            refs.parameters.push((
                name.trim_matches('`').to_string(),
                kind.trim_matches(['(', ')']).to_string(),
            ));
        } else if item.starts_with("AML.") {
            refs.atlas.push(item.to_string());
        } else {
            assert!(
                item.starts_with("ASI") || item.starts_with("LLM"),
                "{item:?}"
            );
            refs.owasp.push(item.to_string());
        }
    }
    refs
}

#[test]
fn controls_match_the_contracts_table() {
    let Some(spec) = spec() else { return };
    let table = section(
        &spec,
        "## Agentic control catalog",
        "Consistency rule with its fact",
    );
    let rows = table_rows(table);
    let ids: Vec<&str> = rows.iter().map(|cells| cells[0].as_str()).collect();
    assert_eq!(ids, AGENTIC_CONTROL_IDS);
    let catalog = agentic_catalog();
    let mut advisory = vec![];
    for (cells, control) in rows.iter().zip(&catalog.controls) {
        let id = control.id.as_str();
        assert_eq!(cells.len(), 6, "{id}");

        let (when, when_at) = spec_conditions(&cells[2]);
        assert_eq!(control.when, when, "condition of {id}");
        let when_at_toml: Vec<(Vec<u8>, Vec<&str>)> = control
            .when_at
            .iter()
            .map(|c| {
                (
                    c.agency_scopes.clone(),
                    c.when.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(when_at_toml, when_at, "conditions at some scopes of {id}");
        assert_eq!(
            control.agency_scopes,
            spec_scopes(&cells[1]),
            "agency scopes of {id}"
        );

        let marks = spec_sources(&cells[4]);
        let mut keys: Vec<&str> = vec![];
        for (_, key) in &marks {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
        assert_eq!(control.sources, keys, "sources of {id}");
        // The confidence marks decide: only-[T] facts make an advisory `info` control; the
        // others keep the table's severity.
        let only_third_party = marks.iter().all(|(mark, _)| mark == "T");
        assert_eq!(control.advisory, only_third_party, "advisory of {id}");
        let table_severity = Severity::parse(&cells[3]).expect("a severity");
        if only_third_party {
            assert_eq!(control.severity, Severity::Info, "severity of {id}");
            advisory.push(id);
        } else {
            assert_eq!(control.severity, table_severity, "severity of {id}");
        }

        let refs = spec_refs(&cells[5]);
        assert_eq!(control.owasp, refs.owasp, "OWASP references of {id}");
        assert_eq!(control.atlas, refs.atlas, "ATLAS references of {id}");
        let parameters: Vec<(String, String)> = control
            .parameters
            .iter()
            .map(|p| (p.name.clone(), p.kind.clone()))
            .collect();
        assert_eq!(parameters, refs.parameters, "parameters of {id}");
    }
    assert_eq!(
        advisory,
        [
            "identity.agent_attestation",
            "memory.read_only",
            "audit.approval_trail",
            "audit.behavior_monitoring",
            "agent.automated_containment"
        ]
    );
}

#[test]
fn scopes_and_dimensions_match_the_contract() {
    let Some(spec) = spec() else { return };
    let catalog = agentic_catalog();
    let scopes = table_rows(section(
        &spec,
        "## The four scopes",
        "Security focus AWS names",
    ));
    let names: Vec<(u8, &str)> = scopes
        .iter()
        .map(|cells| (cells[0].parse().unwrap(), cells[1].as_str()))
        .collect();
    let toml: Vec<(u8, &str)> = catalog
        .agency_scopes
        .iter()
        .map(|s| (s.number, s.name.as_str()))
        .collect();
    assert_eq!(toml, names);
    let dimensions = table_rows(section(
        &spec,
        "## The six security dimensions",
        "The progression",
    ));
    let names: Vec<(&str, &str)> = dimensions
        .iter()
        .map(|cells| (cells[0].as_str(), cells[1].as_str()))
        .collect();
    let toml: Vec<(&str, &str)> = catalog
        .dimensions
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str()))
        .collect();
    assert_eq!(toml, names);
}

#[test]
fn reference_lists_match_the_contract() {
    let Some(spec) = spec() else { return };
    let catalog = agentic_catalog();
    // ASI01–ASI10, with their names.
    let asi = join_lines(section(
        &spec,
        "[P OWASP-ASI]: ",
        ". Its two design principles",
    ));
    let expected: Vec<(String, String)> = asi
        .split(';')
        .map(|item| {
            let (id, name) = item.trim().split_once(' ').expect("id name");
            (id.to_string(), name.to_string())
        })
        .collect();
    assert_eq!(expected.len(), 10);
    let listed: Vec<(String, String)> = catalog
        .owasp
        .iter()
        .filter(|r| r.id.starts_with("ASI"))
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    assert_eq!(listed, expected);
    assert!(spec.contains("OWASP Top 10 for Agentic Applications (2026 edition"));

    // ATLAS: techniques (sub-techniques in parentheses), then mitigations.
    let atlas = join_lines(section(&spec, "MITRE ATLAS techniques [P ATLAS]: ", "\n\n"));
    let (techniques, mitigations) = atlas.split_once(" Mitigations: ").expect("two parts");
    let mut expected: Vec<(String, String, AtlasKind)> = vec![];
    for (part, kind) in [
        (techniques, AtlasKind::Technique),
        (mitigations, AtlasKind::Mitigation),
    ] {
        for item in part.split(';') {
            let item = item.trim().trim_end_matches('.');
            let (id, name) = item.split_once(' ').expect("id name");
            match name.split_once(" (") {
                Some((parent, subs)) => {
                    expected.push((id.to_string(), parent.to_string(), kind));
                    for sub in subs.trim_end_matches(')').split(", ") {
                        let (suffix, sub_name) = sub.split_once(' ').expect(".000 Name");
                        expected.push((
                            format!("{id}{suffix}"),
                            format!("{parent}: {sub_name}"),
                            kind,
                        ));
                    }
                }
                None => expected.push((id.to_string(), name.to_string(), kind)),
            }
        }
    }
    assert_eq!(expected.len(), 21);
    for (id, name, kind) in &expected {
        let entry = catalog
            .atlas
            .iter()
            .find(|r| &r.id == id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        assert_eq!((&entry.name, entry.kind), (name, *kind), "{id}");
    }
    // The only other entry is one the generative catalog lists (AML.T0034).
    let extra: Vec<&str> = catalog
        .atlas
        .iter()
        .filter(|r| !expected.iter().any(|(id, _, _)| id == &r.id))
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(extra, ["AML.T0034"]);
}

#[test]
fn source_addresses_match_the_contract() {
    let Some(spec) = spec() else { return };
    let catalog = agentic_catalog();
    let sources = join_lines(section(&spec, "Sources (cite by key): ", "\n\n"));
    let mut checked = 0;
    for item in sources.split(';') {
        let mut words = item.split_whitespace();
        let (Some(key), Some(address)) = (words.next(), words.next()) else {
            continue;
        };
        let key = key.to_lowercase().replace('-', "_");
        let entry = catalog
            .sources
            .iter()
            .find(|s| s.id == key)
            .unwrap_or_else(|| panic!("source {key} is not listed"));
        // Keys with an address in the contract keep it; the others name a publication.
        if address.contains('/') {
            let url = entry.url.as_deref().expect("an address");
            assert_eq!(
                url.trim_end_matches('/'),
                format!("https://{}", address.trim_end_matches('.')),
                "{key}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 4, "AWS-BLOG, AWS-MATRIX, AWS-PS, AGENT-LENS");
}

/// The catalog's prose is the project's own: no run of eight words from agentic.md in it.
#[test]
fn prose_is_not_copied_from_the_contract() {
    const RUN: usize = 8;
    let Some(spec) = spec() else { return };
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }
    let spec_words = words(&spec);
    let runs: HashSet<&[String]> = spec_words.windows(RUN).collect();
    let catalog = agentic_catalog();
    let mut prose: Vec<(String, &str)> = vec![];
    for scope in &catalog.agency_scopes {
        let what = format!("agency scope {}", scope.number);
        prose.push((what.clone(), &scope.tagline));
        prose.push((what.clone(), &scope.description));
        for example in &scope.examples {
            prose.push((what.clone(), example));
        }
    }
    for dimension in &catalog.dimensions {
        prose.push((dimension.id.clone(), &dimension.description));
    }
    for control in &catalog.controls {
        for text in [&control.title, &control.summary, &control.rationale] {
            prose.push((control.id.to_string(), text));
        }
    }
    let copied: Vec<String> = prose
        .iter()
        .flat_map(|(what, text)| {
            words(text)
                .windows(RUN)
                .filter(|run| runs.contains(run))
                .map(|run| format!("{what}: {:?}", run.join(" ")))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        copied.is_empty(),
        "repeats agentic.md:\n{}",
        copied.join("\n")
    );
}

// --- Requirements, per control -------------------------------------------------------------

/// Agents that make each condition hold, or not.
fn profile(name: &str) -> AgentFacts {
    let base = AgentFacts::new(name);
    match name {
        "plain" => base,
        "session" => AgentFacts {
            memory: Memory::Session,
            ..base
        },
        "persistent" => AgentFacts {
            memory: Memory::Persistent,
            ..base
        },
        "approving" => AgentFacts {
            tools: vec![ToolFacts {
                approval: Some(Approval::Required),
                ..ToolFacts::new("update", Effect::Write)
            }],
            ..base
        },
        "writing" => AgentFacts {
            tools: vec![ToolFacts::new("update", Effect::Write)],
            ..base
        },
        "executing" => AgentFacts {
            tools: vec![ToolFacts::new("run", Effect::Execute)],
            ..base
        },
        "delegating" => AgentFacts {
            delegates_to: vec!["other".into()],
            ..base
        },
        other => panic!("no profile {other}"),
    }
}

/// For every control, a case where it is required and, where one exists, where it is not:
/// (agent profile, agency scope, untrusted content reaches the model).
#[test]
fn every_control_is_required_exactly_where_its_scopes_and_conditions_say() {
    type Case = (&'static str, u8, bool);
    let cases: [(&str, Case, Option<Case>); 25] = [
        ("identity.agent_identity", ("plain", 1, false), None),
        ("identity.user_context", ("plain", 1, false), None),
        (
            "identity.delegated_credentials",
            ("plain", 3, false),
            Some(("plain", 2, false)),
        ),
        (
            "identity.agent_attestation",
            ("plain", 4, false),
            Some(("plain", 3, false)),
        ),
        (
            "memory.integrity",
            ("persistent", 1, false),
            Some(("session", 2, false)),
        ),
        (
            "memory.read_only",
            ("session", 2, false),
            Some(("plain", 2, false)),
        ),
        ("audit.action_log", ("plain", 1, false), None),
        (
            "audit.approval_trail",
            ("approving", 2, false),
            Some(("writing", 3, false)),
        ),
        (
            "audit.decision_trace",
            ("plain", 3, false),
            Some(("plain", 2, false)),
        ),
        (
            "audit.behavior_monitoring",
            ("plain", 4, false),
            Some(("plain", 3, false)),
        ),
        ("agent.input_validation", ("plain", 1, false), None),
        (
            "agent.approval_enforcement",
            ("approving", 2, false),
            Some(("approving", 1, false)),
        ),
        (
            "agent.untrusted_input_gate",
            ("writing", 3, true),
            Some(("writing", 3, false)),
        ),
        (
            "agent.tool_isolation",
            ("plain", 3, false),
            Some(("plain", 2, false)),
        ),
        (
            "agent.code_sandbox",
            ("executing", 1, false),
            Some(("writing", 4, false)),
        ),
        (
            "agent.kill_switch",
            ("plain", 3, false),
            Some(("plain", 2, false)),
        ),
        (
            "agent.automated_containment",
            ("plain", 4, false),
            Some(("plain", 3, false)),
        ),
        ("perimeter.tool_allowlist", ("plain", 1, false), None),
        (
            "perimeter.least_privilege_tools",
            ("writing", 1, false),
            Some(("plain", 4, true)),
        ),
        (
            "perimeter.action_limits",
            ("plain", 3, false),
            Some(("plain", 2, false)),
        ),
        (
            "perimeter.autonomy_sign_off",
            ("plain", 4, false),
            Some(("plain", 1, false)),
        ),
        (
            "orchestration.pause_and_rollback",
            ("plain", 3, false),
            Some(("plain", 2, false)),
        ),
        (
            "orchestration.step_limits",
            ("plain", 4, false),
            Some(("plain", 2, false)),
        ),
        (
            "orchestration.agent_authentication",
            ("delegating", 1, false),
            Some(("plain", 4, false)),
        ),
        (
            "orchestration.graceful_degradation",
            ("plain", 3, false),
            Some(("plain", 1, false)),
        ),
    ];
    let catalog = agentic_catalog();
    let ids: Vec<&str> = cases.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, AGENTIC_CONTROL_IDS);
    let required = |id: &str, (name, scope, untrusted): Case| {
        let control = catalog
            .controls
            .iter()
            .find(|c| c.id == id)
            .expect("listed");
        let scope = AgencyScope::from_number(scope.into()).expect("1-4");
        control.required_for(scope, &profile(name), untrusted)
    };
    for (id, positive, negative) in cases {
        assert!(required(id, positive), "{id} at {positive:?}");
        if let Some(negative) = negative {
            assert!(!required(id, negative), "{id} at {negative:?}");
        }
    }
}

/// memory.integrity: persistent memory at every scope, any memory at 3–4, none never.
#[test]
fn memory_integrity_follows_the_two_memory_rows() {
    let catalog = agentic_catalog();
    let control = catalog
        .controls
        .iter()
        .find(|c| c.id == "memory.integrity")
        .expect("listed");
    for scope in AgencyScope::ALL {
        let high = scope >= AgencyScope::Supervised;
        assert!(
            !control.required_for(scope, &profile("plain"), true),
            "{scope}"
        );
        assert_eq!(
            control.required_for(scope, &profile("session"), false),
            high,
            "{scope}"
        );
        assert!(
            control.required_for(scope, &profile("persistent"), false),
            "{scope}"
        );
    }
}
