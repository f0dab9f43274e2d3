//! The AI inventory of analysed files as one CycloneDX 1.6 BOM (docs/inventory.md maps it
//! field by field): per workload an `application` component holding a `machine-learning-model`
//! component per model and a `data` component per data block, with their facts as
//! `genai-scope:*` properties and the dependencies between them; the catalog as a standard
//! (`definitions.standards`: a requirement per control, a level per scope); each workload's
//! declared controls as claims, evidence and an attestation (`declarations`).
//! Each agent is an `application` component inside its workload, with its agency scope and
//! tools as properties; the agentic controls declared in its block (or missing for it) are
//! claims about that agent, not about the workload.
//!
//! The output is deterministic: bom-refs are built from paths and names, every list is sorted,
//! and nothing depends on the clock (the caller adds a `serialNumber` only when asked).
//! A new kind of block (agents, say) becomes one more `*_component` function called from
//! [`workload_component`] and one more arm in [`Refs`]; nothing else needs to change.

mod bom;

use std::collections::{BTreeMap, HashSet};

use genai_scope_analysis::catalog::{Catalog, Control, Scope, rule};
use genai_scope_analysis::diagnostic::Diagnostic;
use genai_scope_analysis::model::{Agent, ControlDecl, Data, Model, NamedBlock as _, Workload};
use genai_scope_analysis::{Coverage, WorkloadReport, typed_workloads};
use genai_scope_syntax::{self as syntax, Block, ValueKind};

use crate::report::FileInput;
use bom::*;

/// The property namespace of every fact that CycloneDX has no field for.
pub const PROPERTY_PREFIX: &str = "genai-scope:";
const STANDARD_REF: &str = "standard:genai-scope";

/// What the caller decides.
#[derive(Clone, Debug, Default)]
pub struct BomOptions {
    /// `urn:uuid:…`; `None` for reproducible output.
    pub serial_number: Option<String>,
    /// The version of the tool, for `metadata.tools`.
    pub tool_version: String,
}

/// The BOM of `files` (any order: they are sorted by path) as pretty-printed JSON with a final
/// newline. `fallback` is the catalog described when there are no files.
pub fn cyclonedx(files: &[FileInput<'_>], fallback: &Catalog, options: &BomOptions) -> String {
    let mut files: Vec<&FileInput<'_>> = files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(b.path));
    let controls = controls_of(&files, fallback);
    let scopes = &files
        .first()
        .map_or(fallback, |f| f.analysis.catalog())
        .scopes;

    let mut refs = Refs::default();
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    let mut attestations = Vec::new();
    let mut claims = Vec::new();
    let mut evidence = Vec::new();
    for file in &files {
        let source = syntax::parse(file.text);
        let catalog = file.analysis.catalog();
        let workloads = typed_workloads(catalog, &source);
        for (workload, report) in workloads.iter().zip(&file.analysis.workloads) {
            let context = WorkloadContext {
                path: file.path,
                workload,
                report,
                catalog,
                diagnostics: &file.analysis.diagnostics,
                bom_ref: refs.unique(format!(
                    "workload:{}:{}",
                    file.path,
                    workload.display_name()
                )),
            };
            let (component, mut edges, agent_refs) = workload_component(&context, &mut refs);
            components.push(component);
            dependencies.append(&mut edges);
            let mut declared = declarations(&context);
            agent_declarations(&context, &agent_refs, &mut declared);
            attestations.push(declared.attestation);
            claims.extend(declared.claims);
            evidence.extend(declared.evidence);
        }
    }
    components.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    dependencies.sort_by(|a, b| a.reference.cmp(&b.reference));
    claims.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    evidence.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));

    let bom = Bom {
        schema: SCHEMA,
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: options.serial_number.clone(),
        version: 1,
        metadata: Metadata {
            tools: Tools {
                components: vec![Component {
                    kind: "application",
                    bom_ref: "tool:genai-scope".into(),
                    name: "genai-scope".into(),
                    version: Some(options.tool_version.clone()),
                    ..Component::default()
                }],
            },
        },
        components,
        dependencies,
        definitions: Definitions {
            standards: vec![standard(
                &controls,
                scopes,
                files.first().map_or(fallback, |f| f.analysis.catalog()),
            )],
        },
        declarations: Declarations {
            attestations,
            claims,
            evidence,
        },
    };
    let mut text = serde_json::to_string_pretty(&bom).unwrap_or_default();
    text.push('\n');
    text
}

/// Every control of the files' catalogs (they differ when configurations declare custom
/// controls), once per id, sorted by id; the first definition of an id wins.
fn controls_of<'c>(files: &[&'c FileInput<'_>], fallback: &'c Catalog) -> Vec<&'c Control> {
    let mut by_id: BTreeMap<&str, &Control> = BTreeMap::new();
    let catalogs: Vec<&Catalog> = if files.is_empty() {
        vec![fallback]
    } else {
        files.iter().map(|f| f.analysis.catalog()).collect()
    };
    for catalog in catalogs {
        for control in &catalog.controls {
            by_id.entry(control.id.as_str()).or_insert(control);
        }
    }
    by_id.into_values().collect()
}

fn requirement_ref(id: &str) -> String {
    format!("requirement:{id}")
}

/// Unique bom-refs: a second block of the same name gets `#2`, and so on.
#[derive(Default)]
struct Refs {
    taken: HashSet<String>,
}

impl Refs {
    fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|n| format!("{wanted}#{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

struct WorkloadContext<'a> {
    path: &'a str,
    workload: &'a Workload<'a>,
    report: &'a WorkloadReport,
    catalog: &'a Catalog,
    diagnostics: &'a [Diagnostic],
    bom_ref: String,
}

fn property(name: &str, value: impl Into<String>) -> Property {
    Property {
        name: format!("{PROPERTY_PREFIX}{name}"),
        value: value.into(),
    }
}

/// A string attribute the typed model does not keep (`description`, `provider`, …).
fn text_attribute(block: &Block, key: &str) -> Option<String> {
    match &block.attribute(key)?.value.as_ref()?.kind {
        ValueKind::String(text) => Some(text.clone()),
        _ => None,
    }
}

fn sorted(mut properties: Vec<Property>) -> Vec<Property> {
    properties.sort();
    properties
}

/// The workload's `application` component with its models, data and agents inside, and the
/// dependencies: the workload on each of them, a model on the data that reaches it, an agent
/// on its model and on the agents it hands work to. Also the agents' bom-refs, in order.
fn workload_component(
    cx: &WorkloadContext<'_>,
    refs: &mut Refs,
) -> (Component, Vec<Dependency>, Vec<String>) {
    let workload = cx.workload;
    let model_refs: Vec<String> = workload
        .models
        .iter()
        .map(|m| refs.unique(format!("{}/model:{}", cx.bom_ref, m.display_name())))
        .collect();
    let data_refs: Vec<String> = workload
        .data
        .iter()
        .map(|d| refs.unique(format!("{}/data:{}", cx.bom_ref, d.display_name())))
        .collect();
    let agent_refs: Vec<String> = workload
        .agents
        .iter()
        .map(|a| refs.unique(format!("{}/agent:{}", cx.bom_ref, a.display_name())))
        .collect();

    let mut dependencies = Vec::new();
    let mut children = Vec::new();
    for (index, model) in workload.models.iter().enumerate() {
        let reaching: Vec<usize> = (0..workload.data.len())
            .filter(|&d| {
                workload
                    .models_reached_by(&workload.data[d])
                    .iter()
                    .any(|m| std::ptr::eq(*m, model))
            })
            .collect();
        children.push(model_component(
            cx,
            index,
            model,
            &model_refs[index],
            &reaching,
            &data_refs,
        ));
        let mut depends_on: Vec<String> = reaching.iter().map(|&d| data_refs[d].clone()).collect();
        depends_on.sort();
        dependencies.push(Dependency {
            reference: model_refs[index].clone(),
            depends_on,
        });
    }
    for (index, data) in workload.data.iter().enumerate() {
        children.push(data_component(data, &data_refs[index]));
        dependencies.push(Dependency {
            reference: data_refs[index].clone(),
            depends_on: Vec::new(),
        });
    }
    for (index, agent) in workload.agents.iter().enumerate() {
        children.push(agent_component(cx, index, agent, &agent_refs[index]));
        let model = workload.model_of(agent).and_then(|model| {
            let position = workload
                .models
                .iter()
                .position(|m| std::ptr::eq(m, model))?;
            model_refs.get(position).cloned()
        });
        let delegates = agent.delegates_to.iter().filter_map(|name| {
            let position = workload
                .agents
                .iter()
                .position(|a| a.name.as_ref().is_some_and(|n| n.value == name.value))?;
            agent_refs.get(position).cloned()
        });
        let mut depends_on: Vec<String> = model.into_iter().chain(delegates).collect();
        depends_on.sort();
        depends_on.dedup();
        dependencies.push(Dependency {
            reference: agent_refs[index].clone(),
            depends_on,
        });
    }
    children.sort_by(|a, b| a.bom_ref.cmp(&b.bom_ref));
    let mut depends_on: Vec<String> = model_refs
        .iter()
        .chain(&data_refs)
        .chain(&agent_refs)
        .cloned()
        .collect();
    depends_on.sort();
    dependencies.push(Dependency {
        reference: cx.bom_ref.clone(),
        depends_on,
    });

    let report = cx.report;
    let mut properties = vec![property("file", cx.path)];
    if let Some(scope) = report.inferred_scope {
        properties.push(property("scope", scope.to_string()));
        properties.push(property("scope-name", cx.catalog.scope_name(scope)));
    }
    if let Some(scope) = report.declared_scope {
        properties.push(property("declared-scope", scope.to_string()));
    }
    if let Some(owner) = &workload.owner {
        properties.push(property("owner", owner.value.clone()));
    }
    properties.push(property("audience", workload.audience().name()));
    properties.push(property("criticality", workload.criticality().name()));
    for region in workload.regions.iter().flat_map(|r| &r.value) {
        properties.push(property("region", region.clone()));
    }
    let findings = cx
        .diagnostics
        .iter()
        .filter(|d| report.range.contains_range(d.range))
        .count();
    properties.push(property("findings", findings.to_string()));
    properties.push(property(
        "missing-controls",
        report.missing_controls().count().to_string(),
    ));
    let component = Component {
        kind: "application",
        bom_ref: cx.bom_ref.clone(),
        name: workload.display_name(),
        description: text_attribute(workload.block, "description"),
        properties: sorted(properties),
        components: children,
        ..Component::default()
    };
    (component, dependencies, agent_refs)
}

/// An agent as an `application` component: its agency scope (inferred, and declared when it
/// is), its facts, one property per tool, and one per control declared in its block.
fn agent_component(
    cx: &WorkloadContext<'_>,
    index: usize,
    agent: &Agent<'_>,
    bom_ref: &str,
) -> Component {
    let facts = agent.facts();
    let mut properties = Vec::new();
    if let Some(report) = cx.report.agents.get(index) {
        properties.push(property(
            "agency-scope",
            report.inferred_agency_scope.to_string(),
        ));
        properties.push(property(
            "agency-scope-name",
            report.inferred_agency_scope.name(),
        ));
        if let Some(declared) = report.declared_agency_scope {
            properties.push(property("declared-agency-scope", declared.to_string()));
        }
    }
    if let Some(model) = &agent.model {
        properties.push(property("model", model.value.clone()));
    }
    properties.push(property("initiation", facts.initiation.keyword()));
    properties.push(property("approval", facts.approval.keyword()));
    properties.push(property("memory", facts.memory.keyword()));
    for delegate in &facts.delegates_to {
        properties.push(property("delegates-to", delegate.clone()));
    }
    for tool in &facts.tools {
        let approval = tool.approval.unwrap_or(facts.approval);
        properties.push(property(
            "tool",
            format!(
                "{}: effect = {}, approval = {}",
                tool.name,
                tool.effect.keyword(),
                approval.keyword()
            ),
        ));
    }
    for declared in &agent.controls {
        properties.push(property(
            "control",
            format!("{} ({})", declared.id.value, declared.status().name()),
        ));
    }
    Component {
        kind: "application",
        bom_ref: bom_ref.to_string(),
        name: agent.display_name(),
        description: text_attribute(agent.block, "description"),
        properties: sorted(properties),
        ..Component::default()
    }
}

/// A `machine-learning-model` component: the model card's approach from `training`, its
/// datasets the data that changes its weights, its considerations the findings in its block.
fn model_component(
    cx: &WorkloadContext<'_>,
    index: usize,
    model: &Model<'_>,
    bom_ref: &str,
    reaching: &[usize],
    data_refs: &[String],
) -> Component {
    use genai_scope_analysis::model::Training;
    let approach = match model.training() {
        // The provider trained it; the declaration says nothing of how.
        Training::None => None,
        Training::FineTuned => Some("supervised"),
        Training::FromScratch => Some("self-supervised"),
    };
    let mut datasets: Vec<DatasetRef> = reaching
        .iter()
        .filter(|&&d| cx.workload.data[d].trains())
        .map(|&d| DatasetRef {
            reference: data_refs[d].clone(),
        })
        .collect();
    datasets.sort_by(|a, b| a.reference.cmp(&b.reference));
    let risks: Vec<Risk> = cx
        .diagnostics
        .iter()
        .filter(|d| model.block.range.contains_range(d.range))
        .map(|d| Risk {
            name: format!(
                "{} ({}): {}",
                d.code.as_str(),
                d.severity.as_str(),
                d.message()
            ),
            mitigation_strategy: rule(d.code.as_str()).map(|r| r.fix.trim().to_string()),
        })
        .collect();

    let mut properties = Vec::new();
    if let Some(scope) = cx.report.models.get(index).and_then(|m| m.scope) {
        properties.push(property("scope", scope.to_string()));
    }
    if let Some(hosting) = &model.hosting {
        properties.push(property("hosting", hosting.value.name()));
    }
    properties.push(property("training", model.training().name()));
    if let Some(classification) = &model.classification {
        properties.push(property("classification", classification.value.name()));
    }
    if let Some(base) = text_attribute(model.block, "base") {
        properties.push(property("base", base));
    }
    Component {
        kind: "machine-learning-model",
        bom_ref: bom_ref.to_string(),
        name: model.display_name(),
        publisher: text_attribute(model.block, "provider"),
        model_card: Some(ModelCard {
            model_parameters: ModelParameters {
                approach: approach.map(|kind| Approach { kind }),
                datasets,
            },
            considerations: (!risks.is_empty()).then_some(Considerations {
                ethical_considerations: risks,
            }),
        }),
        properties: sorted(properties),
        ..Component::default()
    }
}

/// A `data` component with one dataset entry: classification and personal data.
fn data_component(data: &Data<'_>, bom_ref: &str) -> Component {
    let mut properties = Vec::new();
    if let Some(classification) = &data.classification {
        properties.push(property("classification", classification.value.name()));
    }
    if let Some(personal) = &data.personal_data {
        properties.push(property("personal-data", personal.value.to_string()));
    }
    if let Some(use_) = &data.use_ {
        properties.push(property("use", use_.value.name()));
    }
    if let Some(model) = &data.model {
        properties.push(property("model", model.value.clone()));
    }
    if let Some(store) = text_attribute(data.block, "store") {
        properties.push(property("store", store));
    }
    Component {
        kind: "data",
        bom_ref: bom_ref.to_string(),
        name: data.display_name(),
        data: vec![ComponentData {
            kind: "dataset",
            name: data.display_name(),
            classification: data.classification.as_ref().map(|c| c.value.name().into()),
            sensitive_data: if data.has_personal_data() {
                vec!["personal data".into()]
            } else {
                Vec::new()
            },
            description: text_attribute(data.block, "description"),
        }],
        properties: sorted(properties),
        ..Component::default()
    }
}

/// The catalog as a standard: a requirement per control, a level per scope listing the
/// controls it requires.
fn standard(controls: &[&Control], scopes: &[ScopeInfoRef], catalog: &Catalog) -> Standard {
    let requirements = controls
        .iter()
        .map(|control| {
            let mut properties = vec![
                property("discipline", control.discipline_id()),
                property("severity", control.severity.as_str()),
                property("custom", control.custom.to_string()),
            ];
            if !control.when.is_empty() {
                let when = genai_scope_analysis::catalog::describe_all(&control.when);
                properties.push(property("required-when", when));
            }
            for scoped in &control.when_at {
                let scopes: Vec<String> = scoped.scopes.iter().map(Scope::to_string).collect();
                let when = genai_scope_analysis::catalog::describe_all(&scoped.when);
                properties.push(property(
                    "required-when",
                    format!("at scopes {}: {when}", scopes.join(", ")),
                ));
            }
            Requirement {
                bom_ref: requirement_ref(control.id.as_str()),
                identifier: control.id.to_string(),
                title: control.title.clone(),
                text: control.summary.clone(),
                descriptions: [&control.rationale]
                    .into_iter()
                    .filter(|r| !r.trim().is_empty())
                    .map(|r| r.trim().to_string())
                    .collect(),
                properties: sorted(properties),
                external_references: control
                    .sources
                    .iter()
                    .filter_map(|id| catalog.source(id))
                    // A source without a confirmed address has nothing to point at.
                    .filter_map(|source| {
                        Some(ExternalReference {
                            kind: "documentation",
                            url: source.url.clone()?,
                            comment: source.title.clone(),
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    let levels = scopes
        .iter()
        .map(|scope| Level {
            bom_ref: format!("level:scope-{}", scope.number),
            identifier: scope.number.to_string(),
            title: format!("Scope {}: {}", scope.number, scope.name),
            description: scope.tagline.clone(),
            requirements: controls
                .iter()
                .filter(|c| c.required_in(scope.number))
                .map(|c| requirement_ref(c.id.as_str()))
                .collect(),
        })
        .collect();
    Standard {
        bom_ref: STANDARD_REF.into(),
        name: "Generative AI Security Scoping Matrix (genai-scope catalog)".into(),
        version: catalog.version.to_string(),
        description: "The controls the Generative AI Security Scoping Matrix requires per scope, as genai-scope checks them, with the project's custom controls".into(),
        owner: "genai-scope".into(),
        requirements,
        levels,
    }
}

type ScopeInfoRef = genai_scope_analysis::catalog::ScopeInfo;

struct Declared {
    attestation: Attestation,
    claims: Vec<Claim>,
    evidence: Vec<Evidence>,
}

/// Claims, evidence and the attestation of one workload: a claim per declared control, a
/// counter-claim per missing one.
fn declarations(cx: &WorkloadContext<'_>) -> Declared {
    let mut map = Vec::new();
    let mut claims = Vec::new();
    let mut evidence = Vec::new();
    let scope_text = cx
        .report
        .inferred_scope
        .map_or_else(|| "its scope".to_string(), |s| format!("scope {s}"));
    let mut coverage: Vec<_> = cx.report.controls.iter().collect();
    coverage.sort_by(|a, b| a.id.cmp(&b.id));
    for control in coverage {
        let id = control.id.as_str();
        let declared = cx.workload.control(id);
        let required = format!("required at {scope_text} and not declared");
        map.extend(claim_entry(
            cx,
            &cx.bom_ref,
            id,
            control.coverage,
            declared,
            &required,
            &mut claims,
            &mut evidence,
        ));
    }
    let scope = cx
        .report
        .inferred_scope
        .map_or_else(String::new, |s| format!(", scope {s}"));
    Declared {
        attestation: Attestation {
            summary: format!(
                "Controls of workload \"{}\" ({}{scope})",
                cx.workload.display_name(),
                cx.path
            ),
            map,
        },
        claims,
        evidence,
    }
}

/// The agentic controls of each agent as claims about that agent: one per control declared
/// in its block, a counter-claim per control it needs that neither its block nor the
/// workload declares (one the workload declares is the workload's claim already).
fn agent_declarations(cx: &WorkloadContext<'_>, agent_refs: &[String], declared: &mut Declared) {
    use genai_scope_analysis::model::Status;
    use genai_scope_analysis::obligation::agent_requires;
    let scope = genai_scope_analysis::scope::infer_workload(cx.catalog, cx.workload);
    for ((agent, agency), target) in cx
        .workload
        .agents
        .iter()
        .zip(&scope.agency.agents)
        .zip(agent_refs)
    {
        let mut controls: Vec<&Control> = cx.catalog.agentic_controls().collect();
        controls.sort_by(|a, b| a.id.cmp(&b.id));
        for control in controls {
            let id = control.id.as_str();
            let in_agent = agent.control(id);
            let coverage = match in_agent.map(ControlDecl::status) {
                Some(Status::Implemented) => Coverage::Implemented,
                Some(Status::Planned) => Coverage::Planned,
                Some(Status::NotApplicable) => Coverage::NotApplicable,
                None if cx.workload.control(id).is_none()
                    && agent_requires(control, cx.workload, agent, agency) =>
                {
                    Coverage::Missing
                }
                None => continue,
            };
            let required = format!(
                "required at agency scope {} of agent \"{}\" and not declared",
                agency.scope.number(),
                agent.display_name()
            );
            declared.attestation.map.extend(claim_entry(
                cx,
                target,
                id,
                coverage,
                in_agent,
                &required,
                &mut declared.claims,
                &mut declared.evidence,
            ));
        }
    }
}

/// The claim (or counter-claim) about one control's coverage for `target` (a workload or an
/// agent), its evidence, and the attestation's map entry; `None` when it is neither required
/// nor declared.
#[allow(clippy::too_many_arguments)]
fn claim_entry(
    cx: &WorkloadContext<'_>,
    target: &str,
    id: &str,
    coverage: Coverage,
    declared: Option<&ControlDecl<'_>>,
    required: &str,
    claims: &mut Vec<Claim>,
    evidence: &mut Vec<Evidence>,
) -> Option<MapEntry> {
    let requirement = requirement_ref(id);
    let title = cx.catalog.control(id).map_or(id, |c| c.title.as_str());
    let claim_ref = format!("claim:{target}:{id}");
    match (coverage, declared) {
        (Coverage::Implemented, Some(decl)) => {
            let evidence_refs = evidence_of(target, decl, evidence);
            claims.push(Claim {
                bom_ref: claim_ref.clone(),
                target: target.to_string(),
                predicate: format!("{title} ({id}) is implemented"),
                mitigation_strategies: Vec::new(),
                reasoning: None,
                evidence: evidence_refs.clone(),
            });
            return Some(MapEntry {
                requirement,
                claims: vec![claim_ref],
                counter_claims: Vec::new(),
                conformance: Conformance {
                    score: Some(1.0),
                    rationale: if evidence_refs.is_empty() {
                        "declared implemented, without evidence".into()
                    } else {
                        "declared implemented, with evidence".into()
                    },
                    mitigation_strategies: Vec::new(),
                },
            });
        }
        (Coverage::Planned, Some(decl)) => {
            let plan_ref = format!("plan:{target}:{id}");
            let due = decl.due.as_ref().map(|d| d.value.to_string());
            let plan = match &due {
                Some(due) => format!("planned, due {due}"),
                None => "planned, without a due date".to_string(),
            };
            evidence.push(Evidence {
                bom_ref: plan_ref.clone(),
                property_name: format!("{PROPERTY_PREFIX}due"),
                description: format!("{title} ({id}) is {plan}"),
                data: due
                    .iter()
                    .map(|due| EvidenceData {
                        name: "due".into(),
                        contents: EvidenceContents::Attachment(Attachment {
                            content_type: "text/plain",
                            content: due.clone(),
                        }),
                    })
                    .collect(),
            });
            let mut evidence_refs = evidence_of(target, decl, evidence);
            evidence_refs.sort();
            claims.push(Claim {
                bom_ref: claim_ref.clone(),
                target: target.to_string(),
                predicate: format!("{title} ({id}) will be implemented"),
                mitigation_strategies: vec![plan_ref.clone()],
                reasoning: Some(plan.clone()),
                evidence: evidence_refs,
            });
            return Some(MapEntry {
                requirement,
                claims: vec![claim_ref],
                counter_claims: Vec::new(),
                conformance: Conformance {
                    score: Some(0.0),
                    rationale: plan,
                    mitigation_strategies: vec![plan_ref],
                },
            });
        }
        (Coverage::NotApplicable, Some(decl)) => {
            let justification = decl
                .justification
                .as_ref()
                .map(|j| j.value.clone())
                .unwrap_or_else(|| "declared not applicable, without a justification".into());
            claims.push(Claim {
                bom_ref: claim_ref.clone(),
                target: target.to_string(),
                predicate: format!("{title} ({id}) does not apply"),
                mitigation_strategies: Vec::new(),
                reasoning: Some(justification.clone()),
                evidence: evidence_of(target, decl, evidence),
            });
            return Some(MapEntry {
                requirement,
                claims: vec![claim_ref],
                counter_claims: Vec::new(),
                conformance: Conformance {
                    score: None,
                    rationale: format!("not applicable: {justification}"),
                    mitigation_strategies: Vec::new(),
                },
            });
        }
        (Coverage::Missing, _) => {
            let counter_ref = format!("counter-claim:{target}:{id}");
            claims.push(Claim {
                bom_ref: counter_ref.clone(),
                target: target.to_string(),
                predicate: format!("{title} ({id}) is not declared"),
                mitigation_strategies: Vec::new(),
                reasoning: Some(required.to_string()),
                evidence: Vec::new(),
            });
            return Some(MapEntry {
                requirement,
                claims: Vec::new(),
                counter_claims: vec![counter_ref],
                conformance: Conformance {
                    score: Some(0.0),
                    rationale: required.to_string(),
                    mitigation_strategies: Vec::new(),
                },
            });
        }
        // Not required and not declared; or a coverage without its declaration, which
        // the analysis does not produce.
        _ => {}
    }
    None
}

/// The declared `evidence` of a control as an evidence entry; its bom-refs (none or one).
fn evidence_of(target: &str, decl: &ControlDecl<'_>, evidence: &mut Vec<Evidence>) -> Vec<String> {
    let Some(value) = &decl.evidence else {
        return Vec::new();
    };
    let id = &decl.id.value;
    let bom_ref = format!("evidence:{target}:{id}");
    let contents = if is_iri_reference(&value.value) {
        EvidenceContents::Url(value.value.clone())
    } else {
        EvidenceContents::Attachment(Attachment {
            content_type: "text/plain",
            content: value.value.clone(),
        })
    };
    evidence.push(Evidence {
        bom_ref: bom_ref.clone(),
        property_name: format!("{PROPERTY_PREFIX}evidence"),
        description: format!("The evidence declared for {id}"),
        data: vec![EvidenceData {
            name: value.value.clone(),
            contents,
        }],
    });
    vec![bom_ref]
}

/// Whether `text` can stand as an IRI reference (a URL or a relative path): not empty, and
/// none of the characters RFC 3987 excludes.
fn is_iri_reference(text: &str) -> bool {
    !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

#[cfg(test)]
mod tests;
