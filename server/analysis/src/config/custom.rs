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
//! ```

use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{
    Catalog, Condition, Control, ControlId, Parameter, ParameterKind, Source, is_identifier,
};
use crate::diagnostic::Severity;
use crate::schema;

/// A custom control (`[[control]]`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawControl {
    /// `<discipline>.<name>`: a discipline among governance, legal, risk, controls, resilience; a name of lowercase letters, digits and `_`.
    #[schemars(
        with = "String",
        regex(pattern = r"^(governance|legal|risk|controls|resilience)\.[a-z][a-z0-9_]*$")
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
    /// The scopes (1 to 5) that require it.
    #[schemars(with = "Vec<ScopeNumber>", length(min = 1))]
    scopes: Spanned<Vec<Spanned<i64>>>,
    /// Facts that must also hold for it to be required: one condition name, or a list of names that must all hold.
    #[serde(default, deserialize_with = "crate::catalog::conditions")]
    #[schemars(with = "Option<Conditions>")]
    when: Vec<Condition>,
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

/// A checked control and the sources its references add.
fn validate(catalog: &Catalog, raw: RawControl) -> Result<(Control, Vec<Source>), Invalid> {
    let id = raw.id.get_ref();
    let at = |span: std::ops::Range<usize>, message: String| Invalid { span, message };
    let parsed = id.parse::<ControlId>();
    let discipline = match &parsed {
        Ok(parsed) => parsed.discipline(),
        Err(error) => error.discipline(),
    };
    if catalog.discipline(discipline).is_none() {
        let known: Vec<&str> = catalog.disciplines.iter().map(|d| d.id.as_str()).collect();
        return Err(at(
            raw.id.span(),
            format!(
                "`control.id`: `{id}` must be `<discipline>.<name>` with a discipline among {}",
                known.join(", ")
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
    if raw.scopes.get_ref().is_empty() {
        return Err(at(
            raw.scopes.span(),
            format!(
                "`control.scopes` of `{id}` is empty: name the scopes (1 to 5) that require it"
            ),
        ));
    }
    let mut scopes = Vec::new();
    for scope in raw.scopes.get_ref() {
        let number = *scope.get_ref();
        match u8::try_from(number) {
            Ok(n) if catalog.scope(n).is_some() => {
                if !scopes.contains(&n) {
                    scopes.push(n);
                }
            }
            _ => {
                return Err(at(
                    scope.span(),
                    format!("`control.scopes` of `{id}`: {number} is not a scope (1 to 5)"),
                ));
            }
        }
    }
    scopes.sort_unstable();
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
        agency_scopes: Vec::new(),
        agent_when: Vec::new(),
        agent_when_at: Vec::new(),
        advisory: false,
    };
    Ok((control, sources))
}
