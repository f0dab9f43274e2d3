//! Documentation rendered from the catalog: one Markdown page per control and per diagnostic
//! code. `genai-scope explain`, hovers and the pages under `docs/` all come from here.

use std::fmt::Write;

use genai_scope_analysis::catalog::{
    Catalog, Control, ReferenceKind, RuleDoc, Scope, catalog, describe_all, rule, rules,
};

/// Where the rendered pages are published; diagnostics link here.
pub const DOCS_BASE_URL: &str = "https://github.com/genai-scope/genai-scope/blob/main/docs";

/// The page of a diagnostic code, e.g. `…/docs/rules/scope-mismatch.md`.
pub fn rule_url(code: &str) -> String {
    format!("{DOCS_BASE_URL}/rules/{code}.md")
}

/// The page of a control, e.g. `…/docs/controls/risk.threat_model.md`.
pub fn control_url(id: &str) -> String {
    format!("{DOCS_BASE_URL}/controls/{id}.md")
}

/// Where a control is documented: its page for a built-in control; for a custom one, its
/// first reference that is a link, else the page of `missing-control`.
pub fn control_documentation_url(catalog: &Catalog, control: &Control) -> String {
    if !control.custom {
        return control_url(control.id.as_str());
    }
    control
        .sources
        .iter()
        .filter_map(|id| catalog.source(id))
        .find_map(|source| source.link())
        .map_or_else(|| rule_url("missing-control"), str::to_string)
}

/// Whether a control waits at `scope` for a fact beyond the defaults (a model that serves
/// completions, a production stage, signed-in users hold unless the file says otherwise):
/// what the matrix marks with `*`.
fn conditional_at(control: &Control, scope: Scope) -> bool {
    control
        .conditions_at(scope)
        .iter()
        .any(|c| !c.is_default_fact())
}

/// The footnote under every listing that marks conditional controls.
const CONDITION_NOTE: &str = "\\* required only when a condition holds (`genai-scope explain <control>` says which). Controls of scopes 3–5 that concern serving also assume the model serves completions (`inference = true`, the default), and a few that the workload is in production (`stage`, the default).";

/// "scope 3", "scopes 3, 4 and 5".
fn scope_list(scopes: &[impl std::fmt::Display]) -> String {
    let numbers: Vec<String> = scopes.iter().map(ToString::to_string).collect();
    match numbers.split_last() {
        Some((last, init)) if !init.is_empty() => format!("scopes {} and {last}", init.join(", ")),
        Some((last, _)) => format!("scope {last}"),
        None => String::new(),
    }
}

/// "Required in scopes 3, 4 and 5 (Pre-trained models, …), only when …", with the
/// conditions that apply at some scopes only after it.
pub fn required_in(catalog: &Catalog, control: &Control) -> String {
    if control.is_agentic() {
        return agentic_required_in(catalog, control);
    }
    let names: Vec<&str> = control
        .scopes
        .iter()
        .map(|s| catalog.scope_name(*s))
        .collect();
    let mut text = format!(
        "Required in {} ({})",
        scope_list(&control.scopes),
        names.join(", ")
    );
    if !control.when.is_empty() {
        let _ = write!(text, ", only when {}", describe_all(&control.when));
    }
    for scoped in &control.when_at {
        let _ = write!(
            text,
            "; at {} only when {}",
            scope_list(&scoped.scopes),
            describe_all(&scoped.when)
        );
    }
    text
}

/// "Required of agents at agency scopes 3 and 4 (Supervised agency, Full agency), only when …".
fn agentic_required_in(catalog: &Catalog, control: &Control) -> String {
    let names: Vec<&str> = control
        .agency_scopes
        .iter()
        .map(|s| {
            catalog
                .agency_scope(*s)
                .map_or("unknown", |a| a.name.as_str())
        })
        .collect();
    let mut text = format!(
        "Required of agents at agency {} ({})",
        scope_list(&control.agency_scopes),
        names.join(", ")
    );
    let describe = |conditions: &[genai_scope_analysis::agency::AgentCondition]| {
        conditions
            .iter()
            .map(|c| c.describe())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    if !control.agent_when.is_empty() {
        let _ = write!(text, ", only when {}", describe(&control.agent_when));
    }
    for scoped in &control.agent_when_at {
        let _ = write!(
            text,
            "; at agency {} only when {}",
            scope_list(&scoped.agency_scopes),
            describe(&scoped.when)
        );
    }
    text
}

/// The references of a control as Markdown bullet lines.
fn references(catalog: &Catalog, control: &Control) -> String {
    let mut out = String::new();
    for id in &control.owasp {
        let entry = catalog.owasp_entry(id);
        let name = entry.map_or("", |e| e.name.as_str());
        let list = entry
            .and_then(|e| e.list.as_deref())
            .unwrap_or("OWASP Top 10 for LLM Applications");
        // The year, unless the id already carries it (`LLM06:2025`).
        let year = entry
            .and_then(|e| e.year)
            .filter(|year| !id.contains(&year.to_string()))
            .map_or_else(String::new, |year| format!(" ({year})"));
        let _ = writeln!(out, "- {list}{year}: {id} {name}");
    }
    // Techniques (what an adversary does) first, then mitigations (what counters them).
    for id in &control.atlas {
        let entry = catalog.atlas_entry(id);
        if entry.is_some_and(|e| e.kind == ReferenceKind::Mitigation) {
            continue;
        }
        let name = entry.map_or("", |e| e.name.as_str());
        let _ = writeln!(out, "- MITRE ATLAS technique: {id} {name}");
    }
    for id in &control.atlas {
        let Some(entry) = catalog.atlas_entry(id) else {
            continue;
        };
        if entry.kind == ReferenceKind::Mitigation {
            let _ = writeln!(out, "- MITRE ATLAS mitigation: {id} {}", entry.name);
        }
    }
    for risk in &control.nist {
        let _ = writeln!(out, "- NIST AI 600-1: {risk}");
    }
    for source in control.sources.iter().filter_map(|id| catalog.source(id)) {
        let _ = match &source.url {
            Some(url) => writeln!(
                out,
                "- Source: [{}]({url}) ({})",
                source.title, source.publisher
            ),
            // The catalog gives no address it could not confirm.
            None if !control.custom => writeln!(
                out,
                "- Source: {} ({}; no confirmed address yet)",
                source.title, source.publisher
            ),
            None => writeln!(out, "- Source: {} ({})", source.title, source.publisher),
        };
    }
    out
}

/// A control's documentation. `brief` leaves out the example (for hovers).
pub fn control_markdown(catalog: &Catalog, control: &Control, brief: bool) -> String {
    let discipline = catalog
        .discipline(control.discipline_id())
        .or_else(|| catalog.dimension(control.discipline_id()))
        .map_or(control.discipline_id(), |d| d.name.as_str());
    let origin = if control.custom {
        " · custom control (genai-scope.toml)"
    } else if control.advisory {
        " · agentic matrix · advisory"
    } else if control.is_agentic() {
        " · agentic matrix"
    } else {
        ""
    };
    let mut out = format!(
        "### {}\n\n**{}** · {discipline}{origin}\n\n",
        control.id, control.title
    );
    let _ = writeln!(out, "{}\n", control.summary);
    if !control.rationale.is_empty() {
        let _ = writeln!(out, "{}\n", control.rationale);
    }
    let _ = writeln!(
        out,
        "{}. Missing it is reported as `{}`.\n",
        required_in(catalog, control),
        control.severity.as_str()
    );
    if !control.parameters.is_empty() {
        out.push_str("Parameters:\n");
        for parameter in &control.parameters {
            let kind = match parameter.kind {
                genai_scope_analysis::catalog::ParameterKind::Duration => "duration",
                genai_scope_analysis::catalog::ParameterKind::Integer => "integer",
            };
            let _ = writeln!(
                out,
                "- `{}` ({kind}): {}",
                parameter.name, parameter.description
            );
        }
        out.push('\n');
    }
    out.push_str("References:\n");
    out.push_str(&references(catalog, control));
    if !brief {
        let _ = write!(
            out,
            "\nExample:\n\n```genai\n{}\n```\n",
            control.example.trim_end()
        );
    }
    out
}

/// A diagnostic code's documentation.
pub fn rule_markdown(rule: &RuleDoc) -> String {
    let mut out = format!(
        "### {}\n\n**{}** · default severity: {}\n\n",
        rule.code, rule.title, rule.severity
    );
    let _ = writeln!(out, "{}\n\n{}\n", rule.summary, rule.explanation.trim_end());
    if !rule.fix.is_empty() {
        let _ = writeln!(out, "Quick fix: {}\n", rule.fix);
    }
    let _ = write!(
        out,
        "Triggers it:\n\n```genai\n{}\n```\n\nCorrected:\n\n```genai\n{}\n```\n",
        rule.bad.trim_end(),
        rule.good.trim_end()
    );
    out
}

/// `explain`: a code or a control id.
pub fn explain(catalog: &Catalog, id: &str) -> Option<String> {
    if let Some(rule) = rule(id) {
        return Some(rule_markdown(rule));
    }
    if let Some(control) = catalog.control(id) {
        return Some(control_markdown(catalog, control, false));
    }
    let scope = id.trim_start_matches("scope").trim();
    if let Some(agency) = scope.strip_prefix("agency") {
        let number = agency.trim_start_matches(['-', ' ']).parse::<u8>().ok()?;
        catalog.agency_scope(number)?;
        return Some(agency_scope_markdown(catalog, number));
    }
    if let Some(number) = scope.parse::<u64>().ok().and_then(Scope::new)
        && let Some(scope) = catalog.scope(number)
    {
        return Some(scope_markdown(catalog, scope.number));
    }
    None
}

/// `explain scope agency-3`: an agency scope of the agentic matrix and what it requires.
pub fn agency_scope_markdown(catalog: &Catalog, number: u8) -> String {
    let Some(scope) = catalog.agency_scope(number) else {
        return String::new();
    };
    let mut out = format!(
        "### Agency scope {}: {}\n\n*{}*\n\n{}\n\nExamples: {}\n",
        scope.number,
        scope.name,
        scope.tagline,
        scope.description,
        scope.examples.join("; ")
    );
    let required: Vec<String> = catalog
        .agentic_controls()
        .filter(|c| c.agency_scopes.contains(&number))
        .map(|c| {
            if c.agent_conditions_at(number).is_empty() {
                c.id.to_string()
            } else {
                format!("{}*", c.id)
            }
        })
        .collect();
    let _ = write!(
        out,
        "\nControls it requires of each agent ({}): {}\n\n{AGENTIC_CONDITION_NOTE}\n",
        required.len(),
        required.join(", ")
    );
    out
}

/// The footnote under every listing of agentic controls.
const AGENTIC_CONDITION_NOTE: &str = "\\* required only when a condition about the agent holds (`genai-scope explain <control>` says which).";

/// The agentic matrix as a Markdown table: a row per dimension, a column per agency scope.
pub fn agentic_matrix_markdown(catalog: &Catalog) -> String {
    let mut out = String::from("| dimension |");
    for scope in &catalog.agency_scopes {
        out.push_str(&format!(" {} {} |", scope.number, scope.name));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(catalog.agency_scopes.len()));
    out.push('\n');
    for dimension in &catalog.dimensions {
        out.push_str(&format!("| {} |", dimension.name));
        for scope in &catalog.agency_scopes {
            let names: Vec<String> = catalog
                .agentic_controls()
                .filter(|c| {
                    c.discipline_id() == dimension.id && c.agency_scopes.contains(&scope.number)
                })
                .map(|c| {
                    let name = c.id.name();
                    if c.agent_conditions_at(scope.number).is_empty() {
                        name.to_string()
                    } else {
                        format!("{name}*")
                    }
                })
                .collect();
            out.push_str(&format!(" {} |", names.join(", ")));
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(AGENTIC_CONDITION_NOTE);
    out.push('\n');
    out
}

pub fn scope_markdown(catalog: &Catalog, number: Scope) -> String {
    let Some(scope) = catalog.scope(number) else {
        return String::new();
    };
    let side = match scope.side {
        genai_scope_analysis::catalog::Side::Buy => "Buy",
        genai_scope_analysis::catalog::Side::Build => "Build",
    };
    let mut out = format!(
        "### Scope {}: {}\n\n*{}* · {side}\n\n{}\n\nExamples: {}\n",
        scope.number,
        scope.name,
        scope.tagline,
        scope.description,
        scope.examples.join("; ")
    );
    let required: Vec<String> = catalog
        .controls
        .iter()
        .filter(|c| c.required_in(number))
        .map(|c| {
            if conditional_at(c, number) {
                format!("{}*", c.id)
            } else {
                c.id.to_string()
            }
        })
        .collect();
    let _ = write!(
        out,
        "\nControls it requires ({}): {}\n\n{CONDITION_NOTE}\n",
        required.len(),
        required.join(", ")
    );
    out
}

/// Every documentation page: (relative path under `docs/`, content).
pub fn pages() -> Vec<(String, String)> {
    let catalog = catalog();
    let mut pages = Vec::new();
    let mut index = String::from("# Rules\n\n| code | default severity | what |\n|---|---|---|\n");
    for rule in rules() {
        pages.push((format!("rules/{}.md", rule.code), rule_markdown(rule)));
        let _ = writeln!(
            index,
            "| [{0}]({0}.md) | {1} | {2} |",
            rule.code, rule.severity, rule.summary
        );
    }
    pages.push(("rules/README.md".into(), index));
    let mut index = String::from(
        "# Controls\n\n| control | title | scopes | conditions | severity |\n|---|---|---|---|---|\n",
    );
    for control in &catalog.controls {
        pages.push((
            format!("controls/{}.md", control.id),
            control_markdown(catalog, control, false),
        ));
        let scopes: Vec<String> = if control.is_agentic() {
            control
                .agency_scopes
                .iter()
                .map(|s| format!("agency {s}"))
                .collect()
        } else {
            control.scopes.iter().map(Scope::to_string).collect()
        };
        let mut conditions: Vec<String> = control
            .when
            .iter()
            .map(|c| format!("`{}`", c.name()))
            .chain(
                control
                    .agent_when
                    .iter()
                    .map(|c| format!("`{}`", c.keyword())),
            )
            .collect();
        for scoped in &control.agent_when_at {
            let names: Vec<String> = scoped
                .when
                .iter()
                .map(|c| format!("`{}`", c.keyword()))
                .collect();
            let at: Vec<String> = scoped
                .agency_scopes
                .iter()
                .map(|s| format!("agency {s}"))
                .collect();
            conditions.push(format!("{} (at {})", names.join(", "), at.join(", ")));
        }
        for scoped in &control.when_at {
            let names: Vec<String> = scoped
                .when
                .iter()
                .map(|c| format!("`{}`", c.name()))
                .collect();
            let at: Vec<String> = scoped.scopes.iter().map(Scope::to_string).collect();
            conditions.push(format!("{} (at {})", names.join(", "), at.join(", ")));
        }
        let _ = writeln!(
            index,
            "| [{0}]({0}.md) | {1} | {2} | {3} | {4} |",
            control.id,
            control.title,
            scopes.join(", "),
            conditions.join(", "),
            control.severity.as_str()
        );
    }
    index.push_str(
        "\nConditions are the facts that must all hold for a control to be required (see the \
         [language reference](../language.md#scope-inference)); one marked \"at\" applies at \
         those scopes only. A source whose address could not be confirmed is named on the \
         control's page without a link rather than with a guessed one.\n",
    );
    pages.push(("controls/README.md".into(), index));
    pages
}

/// The matrix as a Markdown table: a row per discipline, a column per scope.
pub fn matrix_markdown(catalog: &Catalog) -> String {
    let mut out = String::from("| discipline |");
    for scope in &catalog.scopes {
        out.push_str(&format!(" {} {} |", scope.number, scope.name));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(catalog.scopes.len()));
    out.push('\n');
    for discipline in &catalog.disciplines {
        out.push_str(&format!("| {} |", discipline.name));
        for scope in &catalog.scopes {
            let names: Vec<String> = catalog
                .controls
                .iter()
                .filter(|c| c.discipline_id() == discipline.id && c.required_in(scope.number))
                .map(|c| {
                    let name = c.id.name();
                    if conditional_at(c, scope.number) {
                        format!("{name}*")
                    } else {
                        name.to_string()
                    }
                })
                .collect();
            out.push_str(&format!(" {} |", names.join(", ")));
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(CONDITION_NOTE);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pages under `docs/` are generated; regenerate with `UPDATE_DOCS=1 cargo test`.
    #[test]
    fn committed_docs_are_up_to_date() {
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
        let update = std::env::var_os("UPDATE_DOCS").is_some();
        let mut stale = Vec::new();
        for (path, content) in pages() {
            let file = docs.join(&path);
            if update {
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(&file, &content).unwrap();
            } else if std::fs::read_to_string(&file).ok().as_deref() != Some(content.as_str()) {
                stale.push(path);
            }
        }
        assert!(
            stale.is_empty(),
            "stale docs (run `UPDATE_DOCS=1 cargo test -p genai-scope-ide docs`): {stale:?}"
        );
    }

    #[test]
    fn explain_knows_agentic_controls_and_agency_scopes() {
        let control = explain(catalog(), "agent.kill_switch").unwrap();
        assert!(control.starts_with("### agent.kill_switch"));
        assert!(control.contains("Agent and FM controls · agentic matrix"));
        assert!(control.contains("Required of agents at agency scopes 3 and 4"));
        assert!(control.contains("OWASP Top 10 for Agentic Applications (2026): ASI"));
        let advisory = explain(catalog(), "audit.approval_trail").unwrap();
        assert!(advisory.contains("· advisory") && advisory.contains("Advisory:"));
        let scope = explain(catalog(), "scope agency-3").unwrap();
        assert!(scope.starts_with("### Agency scope 3: Supervised agency"));
        assert!(scope.contains("agent.kill_switch"));
        assert_eq!(explain(catalog(), "agency 3"), Some(scope));
        assert_eq!(explain(catalog(), "agency-5"), None);
        let matrix = agentic_matrix_markdown(catalog());
        assert_eq!(matrix.lines().filter(|l| l.starts_with("| ")).count(), 7);
        assert!(matrix.contains("| 4 Full agency |"));
    }

    #[test]
    fn explain_knows_codes_controls_and_scopes() {
        assert!(
            explain(catalog(), "scope-mismatch")
                .unwrap()
                .starts_with("### scope-mismatch")
        );
        let control = explain(catalog(), "risk.threat_model").unwrap();
        assert!(control.contains("Required in scopes 3, 4 and 5"));
        assert!(control.contains("LLM01:2025"));
        assert!(
            explain(catalog(), "scope 3")
                .unwrap()
                .contains("Pre-trained models")
        );
        assert!(explain(catalog(), "nonsense").is_none());
    }
}
