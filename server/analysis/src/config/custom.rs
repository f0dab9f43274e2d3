//! Custom controls: a team's own controls declared in `genai-scope.toml`, validated against
//! the same vocabulary as the built-in catalog and merged into a copy of it, so that every
//! feature (diagnostics, hover, completion, fixes, SARIF rules, reports) treats them alike.
//!
//! ```toml
//! [[control]]
//! id = "controls.prompt_logging"
//! title = "Log prompts and completions"
//! summary = "Prompts and completions are logged, with personal data masked."
//! documentation = "Why, and how to meet it (Markdown)."
//! scopes = [3, 4, 5]
//! when = "uses_rag"          # or a list, all of which must hold: ["uses_rag", "in_production"]
//! severity = "warning"
//! owasp = ["LLM02:2025"]
//! atlas = ["AML.T0057"]
//! nist = ["Data Privacy"]
//! references = ["https://wiki.example.com/ai/logging"]
//!
//! [[control.parameter]]      # optional: typed attributes of its `control` block
//! name = "retention"
//! type = "duration"           # or "integer"
//! description = "How long the logs are kept."
//!
//! [[control]]                # a control of the agentic matrix: required of agents
//! id = "perimeter.refund_ceiling"   # a dimension: identity, memory, audit, agent, perimeter, orchestration
//! title = "Cap each refund"
//! summary = "The refund tool refuses amounts above the policy's ceiling."
//! agency_scopes = [3, 4]     # in place of `scopes`
//! agent_when = "tool_changes_things"   # agentic conditions, one or a list, in place of `when`
//! severity = "error"
//! ```

use serde::Deserialize;
use toml::Spanned;

use crate::agency::AgentCondition;
use crate::catalog::{
    Catalog, Condition, Control, ControlId, Parameter, ParameterKind, Scope, Source, is_identifier,
};
use crate::diagnostic::Severity;
use crate::schema;

/// A custom control (`[[control]]`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawControl {
    /// `<discipline>.<name>`: a discipline among governance, legal, risk, controls, resilience (with `scopes`) or a dimension of the agentic matrix among identity, memory, audit, agent, perimeter, orchestration (with `agency_scopes`); a name of lowercase letters, digits and `_`.
    #[schemars(
        with = "String",
        regex(
            pattern = r"^(governance|legal|risk|controls|resilience|identity|memory|audit|agent|perimeter|orchestration)\.[a-z][a-z0-9_]*$"
        )
    )]
    id: Spanned<String>,
    /// A short title, shown in findings and completion.
    #[schemars(with = "String")]
    title: Spanned<String>,
    /// One or two sentences: what the control asks for.
    #[schemars(with = "String")]
    summary: Spanned<String>,
    /// Why it matters and how to meet it (Markdown), shown on hover.
    #[serde(default)]
    documentation: String,
    /// The scopes (1 to 5) of the generative matrix that require it. A control has either `scopes` or `agency_scopes`.
    #[serde(default)]
    #[schemars(with = "Option<Vec<ScopeNumber>>", length(min = 1))]
    scopes: Option<Spanned<Vec<Spanned<i64>>>>,
    /// Facts that must also hold for it to be required: one condition name, or a list of names that must all hold. With `scopes` only.
    #[serde(default, deserialize_with = "crate::catalog::conditions")]
    #[schemars(with = "Option<Conditions>")]
    when: Vec<Condition>,
    /// The agency scopes (1 to 4) of the agentic matrix that require it of an agent: a control of the agentic matrix, declared in an `agent` block (or in the workload, for all its agents). A control has either `scopes` or `agency_scopes`.
    #[serde(default)]
    #[schemars(with = "Option<Vec<AgencyScopeNumber>>", length(min = 1))]
    agency_scopes: Option<Spanned<Vec<Spanned<i64>>>>,
    /// Facts about the agent that must also hold for it to be required: one agentic condition name, or a list of names that must all hold. With `agency_scopes` only.
    #[serde(default, deserialize_with = "agent_conditions")]
    #[schemars(with = "Option<AgentConditions>")]
    agent_when: Option<Spanned<Vec<AgentCondition>>>,
    /// The severity of its absence.
    severity: Severity,
    /// OWASP Top 10 for LLM Applications ids, e.g. `LLM02:2025`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    owasp: Vec<Spanned<String>>,
    /// MITRE ATLAS technique ids, e.g. `AML.T0057`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    atlas: Vec<Spanned<String>>,
    /// NIST AI 600-1 risk names, e.g. `Data Privacy`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    nist: Vec<Spanned<String>>,
    /// Links or text; the first link is where findings about it point.
    #[serde(default)]
    #[schemars(with = "Vec<Reference>")]
    references: Vec<Spanned<Reference>>,
    /// Typed attributes of its `control` block.
    #[serde(default, rename = "parameter")]
    parameters: Vec<RawParameter>,
}

/// One condition, or several that must all hold.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only describes the schema
enum Conditions {
    One(Condition),
    All(#[schemars(length(min = 1))] Vec<Condition>),
}

/// One agentic condition, or several that must all hold.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only describes the schema
enum AgentConditions {
    One(AgentCondition),
    All(#[schemars(length(min = 1))] Vec<AgentCondition>),
}

/// `agent_when`, with where it stands.
fn agent_conditions<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<Vec<AgentCondition>>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(transparent)]
    struct Conditions(
        #[serde(deserialize_with = "crate::catalog::one_or_many")] Vec<AgentCondition>,
    );
    let spanned = Spanned::<Conditions>::deserialize(deserializer)?;
    let span = spanned.span();
    Ok(Some(Spanned::new(span, spanned.into_inner().0)))
}

/// An agency scope of the agentic matrix, 1 (no agency) to 4 (full agency).
#[derive(schemars::JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)] // only describes the schema
struct AgencyScopeNumber(#[schemars(range(min = 1, max = 4))] u8);

/// A scope of the matrix, 1 (consumer app) to 5 (self-trained model).
#[derive(schemars::JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)] // only describes the schema
struct ScopeNumber(#[schemars(range(min = 1, max = 5))] u8);

/// A typed attribute of a custom control's block (`[[control.parameter]]`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawParameter {
    /// The attribute's name: lowercase letters, digits and `_`.
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// Its type.
    #[serde(rename = "type")]
    kind: ParameterKind,
    /// What it means, shown on hover.
    description: String,
}

/// A reference: a bare URL or text, or a title with a URL.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum Reference {
    Text(String),
    Link { title: String, url: String },
}

/// What is wrong with a custom control, at a byte offset of the file.
pub(super) struct Invalid {
    pub span: std::ops::Range<usize>,
    pub message: String,
}

/// The publisher shown for a custom control's references.
const TEAM_POLICY: &str = "project policy (genai-scope.toml)";

/// `base` extended by `raw`, or the first problem found.
pub(super) fn extend(base: &Catalog, raw: Vec<RawControl>) -> Result<Catalog, Invalid> {
    let mut catalog = base.clone();
    for control in raw {
        let (control, sources) = validate(&catalog, control)?;
        catalog.sources.extend(sources);
        catalog.controls.push(control);
    }
    Ok(catalog)
}

/// A control block that declares `id` implemented, its parameters with sample values, in the
/// formatter's layout.
fn example(id: &str, parameters: &[Parameter]) -> String {
    let mut lines = vec![
        ("status", "implemented"),
        ("evidence", "\"docs/security/evidence.md\""),
    ];
    for parameter in parameters {
        let sample = match parameter.kind {
            ParameterKind::Duration => "30s",
            ParameterKind::Integer => "1",
        };
        lines.push((parameter.name.as_str(), sample));
    }
    let width = lines.iter().map(|(key, _)| key.len()).max().unwrap_or(0);
    let mut text = format!("control {id} {{\n");
    for (key, value) in lines {
        text.push_str(&format!("  {key:width$} = {value}\n"));
    }
    text.push_str("}\n");
    text
}

/// The distinct values of `key`, sorted, each number one `parse` accepts; not empty.
fn numbers<T: Copy + Ord>(
    id: &str,
    key: &str,
    values: &Spanned<Vec<Spanned<i64>>>,
    what: &str,
    parse: impl Fn(u64) -> Option<T>,
) -> Result<Vec<T>, Invalid> {
    if values.get_ref().is_empty() {
        return Err(Invalid {
            span: values.span(),
            message: format!(
                "`control.{key}` of `{id}` is empty: name the {key} that require it ({what})"
            ),
        });
    }
    let mut numbers = Vec::new();
    for value in values.get_ref() {
        let number = *value.get_ref();
        match u64::try_from(number).ok().and_then(&parse) {
            Some(n) => {
                if !numbers.contains(&n) {
                    numbers.push(n);
                }
            }
            _ => {
                return Err(Invalid {
                    span: value.span(),
                    message: format!("`control.{key}` of `{id}`: {number} is not {what}"),
                });
            }
        }
    }
    numbers.sort_unstable();
    Ok(numbers)
}

/// A checked control and the sources its references add.
fn validate(catalog: &Catalog, raw: RawControl) -> Result<(Control, Vec<Source>), Invalid> {
    let id = raw.id.get_ref();
    let at = |span: std::ops::Range<usize>, message: String| Invalid { span, message };
    let parsed = id.parse::<ControlId>();
    let discipline = match &parsed {
        Ok(parsed) => parsed.discipline(),
        Err(error) => error.discipline(),
    }
    .to_string();
    let discipline = discipline.as_str();
    // A dimension prefix makes a control of the agentic matrix; a discipline, of the
    // generative one. Each takes its own scopes and conditions.
    let agentic = catalog.dimension(discipline).is_some();
    if !agentic && catalog.discipline(discipline).is_none() {
        let known: Vec<&str> = catalog.disciplines.iter().map(|d| d.id.as_str()).collect();
        let dimensions: Vec<&str> = catalog.dimensions.iter().map(|d| d.id.as_str()).collect();
        return Err(at(
            raw.id.span(),
            format!(
                "`control.id`: `{id}` must be `<discipline>.<name>` with a discipline among {}, or (for a control of the agentic matrix) a dimension among {}",
                known.join(", "),
                dimensions.join(", ")
            ),
        ));
    }
    let Ok(parsed) = parsed else {
        return Err(at(
            raw.id.span(),
            format!(
                "`control.id`: the name after `{discipline}.` must be lowercase letters, digits and `_`, starting with a letter"
            ),
        ));
    };
    if let Some(existing) = catalog.control(id) {
        let what = if existing.custom {
            "is declared twice"
        } else {
            "is a built-in control (change its severity under [severity] instead)"
        };
        return Err(at(raw.id.span(), format!("`control.id`: `{id}` {what}")));
    }
    for (key, value) in [("title", &raw.title), ("summary", &raw.summary)] {
        if value.get_ref().trim().is_empty() {
            return Err(at(
                value.span(),
                format!("`control.{key}` of `{id}` is empty"),
            ));
        }
    }
    let (scopes, agency_scopes) = if agentic {
        if let Some(scopes) = &raw.scopes {
            return Err(at(
                scopes.span(),
                format!(
                    "`control.scopes` of `{id}`: `{discipline}` is a dimension of the agentic matrix, whose controls name `agency_scopes` (1 to 4) instead"
                ),
            ));
        }
        if !raw.when.is_empty() {
            return Err(at(
                raw.id.span(),
                format!(
                    "`control.when` of `{id}`: a control of the agentic matrix takes agentic conditions, under `agent_when`"
                ),
            ));
        }
        let Some(agency_scopes) = &raw.agency_scopes else {
            return Err(at(
                raw.id.span(),
                format!(
                    "`control.agency_scopes` of `{id}` is missing: name the agency scopes (1 to 4) that require it"
                ),
            ));
        };
        let numbers = numbers(
            id,
            "agency_scopes",
            agency_scopes,
            "an agency scope (1 to 4)",
            |n| {
                u8::try_from(n)
                    .ok()
                    .filter(|n| catalog.agency_scope(*n).is_some())
            },
        )?;
        (Vec::new(), numbers)
    } else {
        if let Some(agency_scopes) = &raw.agency_scopes {
            return Err(at(
                agency_scopes.span(),
                format!(
                    "`control.agency_scopes` of `{id}`: only controls of the agentic matrix (ids starting with a dimension: identity, memory, audit, agent, perimeter, orchestration) name agency scopes"
                ),
            ));
        }
        if let Some(agent_when) = &raw.agent_when {
            return Err(at(
                agent_when.span(),
                format!(
                    "`control.agent_when` of `{id}`: only controls of the agentic matrix take agentic conditions; use `when`"
                ),
            ));
        }
        let Some(scopes) = &raw.scopes else {
            return Err(at(
                raw.id.span(),
                format!(
                    "`control.scopes` of `{id}` is missing: name the scopes (1 to 5) that require it"
                ),
            ));
        };
        let numbers = numbers(id, "scopes", scopes, "a scope (1 to 5)", |n| {
            Scope::new(n).filter(|scope| catalog.scope(*scope).is_some())
        })?;
        (numbers, Vec::new())
    };
    let known =
        |key: &str, values: &[Spanned<String>], valid: &dyn Fn(&str) -> bool, list: Vec<&str>| {
            match values.iter().find(|v| !valid(v.get_ref())) {
                Some(unknown) => Err(at(
                    unknown.span(),
                    format!(
                        "`control.{key}` of `{id}`: `{}` is not one of {}",
                        unknown.get_ref(),
                        list.join(", ")
                    ),
                )),
                None => Ok(values
                    .iter()
                    .map(|v| v.get_ref().clone())
                    .collect::<Vec<_>>()),
            }
        };
    let owasp = known(
        "owasp",
        &raw.owasp,
        &|v| catalog.owasp_name(v).is_some(),
        catalog.owasp.iter().map(|r| r.id.as_str()).collect(),
    )?;
    let atlas = known(
        "atlas",
        &raw.atlas,
        &|v| catalog.atlas_name(v).is_some(),
        catalog.atlas.iter().map(|r| r.id.as_str()).collect(),
    )?;
    let nist = known(
        "nist",
        &raw.nist,
        &|v| catalog.nist.iter().any(|r| r.name == v),
        catalog.nist.iter().map(|r| r.name.as_str()).collect(),
    )?;
    let mut sources = Vec::new();
    for reference in &raw.references {
        let (title, url) = match reference.get_ref() {
            Reference::Text(text) if text.contains("://") => (text.clone(), Some(text.clone())),
            Reference::Text(text) => (text.clone(), None),
            Reference::Link { title, url } => (title.clone(), Some(url.clone())),
        };
        if title.trim().is_empty() {
            return Err(at(
                reference.span(),
                format!("`control.references` of `{id}`: a reference is empty"),
            ));
        }
        sources.push(Source {
            id: format!("custom-{}", catalog.sources.len() + sources.len() + 1),
            title,
            publisher: TEAM_POLICY.to_string(),
            url,
        });
    }
    let mut parameters: Vec<Parameter> = Vec::new();
    for parameter in raw.parameters {
        let name = parameter.name.get_ref();
        let problem = if !is_identifier(name) {
            Some("must be lowercase letters, digits and `_`, starting with a letter")
        } else if schema::CONTROL.attribute(name).is_some() {
            Some("is already an attribute of every control block")
        } else if parameters.iter().any(|p| p.name == *name) {
            Some("is declared twice")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(at(
                parameter.name.span(),
                format!("`control.parameter` of `{id}`: `{name}` {problem}"),
            ));
        }
        parameters.push(Parameter {
            name: name.clone(),
            kind: parameter.kind,
            description: parameter.description.trim().to_string(),
        });
    }
    let control = Control {
        id: parsed,
        title: raw.title.get_ref().trim().to_string(),
        summary: raw.summary.get_ref().trim().to_string(),
        rationale: raw.documentation.trim().to_string(),
        scopes,
        when: raw.when,
        when_at: Vec::new(),
        severity: raw.severity,
        owasp,
        atlas,
        nist,
        sources: sources.iter().map(|s| s.id.clone()).collect(),
        example: example(id, &parameters),
        parameters,
        custom: true,
        agency_scopes,
        agent_when: raw.agent_when.map(Spanned::into_inner).unwrap_or_default(),
        agent_when_at: Vec::new(),
        advisory: false,
    };
    Ok((control, sources))
}
