//! Completion: block and attribute names valid at the cursor, enum values, control ids (those
//! the workload needs and lacks first) and snippets for new blocks.

use super::{FileState, enclosing_blocks};
use genai_scope_analysis::Coverage;
use genai_scope_analysis::catalog::Catalog;
use genai_scope_analysis::schema::{self, BlockKind, BlockSpec, ValueType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Property,
    Value,
    Control,
    Snippet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: String,
    pub documentation: Option<String>,
    /// Text to insert; a snippet with `$1` placeholders when `is_snippet`.
    pub insert_text: String,
    pub is_snippet: bool,
    /// For a snippet: what to insert in a client without snippets (`None`: not offered there).
    pub plain_text: Option<String>,
    /// Orders the list: lower first.
    pub sort_text: String,
    /// The byte range the insertion replaces (the word typed so far).
    pub replace_start: usize,
}

pub fn complete(file: &FileState, offset: usize) -> Vec<Completion> {
    let text = &file.text;
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return Vec::new();
    }
    if let Some(addresses) = crate::infrastructure::complete(file, offset) {
        return addresses;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    if prefix.contains('#') || inside_string(prefix) {
        return Vec::new();
    }
    let word_start = offset
        - prefix
            .chars()
            .rev()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let before_word = prefix[..word_start - line_start].trim_end();
    let chain = enclosing_blocks(&file.syntax, offset);
    // The cursor on a block's header line belongs to the parent.
    let chain: Vec<_> = chain
        .into_iter()
        .filter(|b| b.open_brace.end <= offset)
        .collect();
    let block_spec = chain.last().and_then(|b| schema::block(b.kind()));

    if BlockKind::from_keyword(before_word.trim()) == BlockKind::Control {
        return control_ids(file, offset, word_start);
    }
    if let Some(key) = before_word.strip_suffix('=').map(str::trim)
        && let Some(spec) = block_spec
    {
        let key = key.rsplit(|c: char| !is_word(c)).next().unwrap_or(key);
        return values(file.catalog(), spec, key, word_start);
    }
    // Inside a list of names: `outputs = [shown, |`.
    if let Some((key, list)) = before_word.split_once('=')
        && let Some(listed) = list.trim_start().strip_prefix('[')
        && !listed.contains(']')
        && (listed.trim().is_empty() || before_word.ends_with(','))
        && let Some(spec) = block_spec
    {
        let key = key.trim();
        let key = key.rsplit(|c: char| !is_word(c)).next().unwrap_or(key);
        let already: Vec<&str> = listed.split(',').map(str::trim).collect();
        return list_values(spec, key, &already, word_start);
    }
    if !before_word.is_empty() && !before_word.ends_with(['{', '}']) {
        return Vec::new();
    }
    match chain.last() {
        None => vec![snippet(
            BlockKind::Workload.keyword(),
            WORKLOAD_SNIPPET,
            "a new workload",
            word_start,
        )],
        Some(block) => match block_spec {
            Some(spec) => items(file.catalog(), spec, block, word_start),
            None => Vec::new(),
        },
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// Whether the line prefix ends inside an open string.
fn inside_string(prefix: &str) -> bool {
    let mut inside = false;
    let mut escaped = false;
    for c in prefix.chars() {
        match c {
            '\\' if inside && !escaped => escaped = true,
            '"' if !escaped => inside = !inside,
            _ => escaped = false,
        }
    }
    inside
}

const WORKLOAD_SNIPPET: &str = "workload \"${1:name}\" {\n  owner = \"${2:team@example.com}\"\n\n  model \"${3:assistant}\" {\n    hosting = ${4|managed_api,self_hosted,enterprise_app,consumer_app|}\n  }\n$0\n}";
const MODEL_SNIPPET: &str = "model \"${1:name}\" {\n  hosting  = ${2|managed_api,self_hosted,enterprise_app,consumer_app|}\n  training = ${3|none,fine_tuned,from_scratch|}\n}";
const DATA_SNIPPET: &str = "data \"${1:name}\" {\n  classification = ${2|internal,public,confidential,restricted|}\n  use            = ${3|prompt,rag,fine_tuning,training|}\n}";
const AGENT_SNIPPET: &str = "agent \"${1:name}\" {\n  tool \"${2:lookup}\" { effect = ${3|read,write,delete,send,execute,pay|} }\n}";
const TOOL_SNIPPET: &str =
    "tool \"${1:name}\" {\n  effect = ${2|read,write,delete,send,execute,pay|}\n}";
const CONTROL_SNIPPET: &str =
    "control ${1:id} {\n  status = ${2|implemented,planned,not_applicable|}\n}";

fn snippet(label: &str, body: &str, detail: &str, replace_start: usize) -> Completion {
    Completion {
        label: label.to_string(),
        kind: CompletionKind::Snippet,
        detail: detail.to_string(),
        documentation: None,
        insert_text: body.to_string(),
        is_snippet: true,
        plain_text: None,
        sort_text: format!("1{label}"),
        replace_start,
    }
}

fn items(
    catalog: &Catalog,
    spec: &BlockSpec,
    block: &genai_scope_syntax::Block,
    replace_start: usize,
) -> Vec<Completion> {
    let mut out: Vec<Completion> = spec
        .attributes
        .iter()
        .filter(|a| block.attribute(a.name).is_none())
        .map(|a| Completion {
            label: a.name.to_string(),
            kind: CompletionKind::Property,
            detail: a.ty.describe(),
            documentation: Some(a.doc.to_string()),
            insert_text: format!("{} = ", a.name),
            is_snippet: false,
            plain_text: None,
            sort_text: format!("0{}", a.name),
            replace_start,
        })
        .collect();
    if spec.kind == BlockKind::Control
        && let Some(control) = block.label.as_ref().and_then(|l| catalog.control(&l.text))
    {
        for parameter in control
            .parameters
            .iter()
            .filter(|p| block.attribute(&p.name).is_none())
        {
            out.push(Completion {
                label: parameter.name.clone(),
                kind: CompletionKind::Property,
                detail: format!("parameter of {}", control.id),
                documentation: Some(parameter.description.clone()),
                insert_text: format!("{} = ", parameter.name),
                is_snippet: false,
                plain_text: None,
                sort_text: format!("0{}", parameter.name),
                replace_start,
            });
        }
    }
    for child in spec.children {
        let (body, detail) = match child {
            BlockKind::Model => (MODEL_SNIPPET, "a model the workload uses"),
            BlockKind::Data => (DATA_SNIPPET, "data that reaches a model"),
            BlockKind::Agent => (AGENT_SNIPPET, "an AI agent that calls tools"),
            BlockKind::Tool => (TOOL_SNIPPET, "a tool the agent can call"),
            BlockKind::Control => (CONTROL_SNIPPET, "a control of the catalog"),
            BlockKind::Workload | BlockKind::Unknown => continue,
        };
        out.push(snippet(child.keyword(), body, detail, replace_start));
    }
    out
}

/// The names a list attribute (`outputs`) still lacks, inside its brackets.
fn list_values(
    spec: &BlockSpec,
    key: &str,
    already: &[&str],
    replace_start: usize,
) -> Vec<Completion> {
    let Some(ValueType::EnumList(values)) = spec.attribute(key).map(|a| a.ty) else {
        return Vec::new();
    };
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| !already.contains(&v.name))
        .map(|(index, v)| value_completion(v.name, v.name.to_string(), v.doc, index, replace_start))
        .collect()
}

fn value_completion(
    label: &str,
    insert_text: String,
    doc: &str,
    index: usize,
    replace_start: usize,
) -> Completion {
    Completion {
        label: label.to_string(),
        kind: CompletionKind::Value,
        detail: doc.to_string(),
        documentation: None,
        insert_text,
        is_snippet: false,
        plain_text: None,
        sort_text: format!("{index:02}"),
        replace_start,
    }
}

fn values(catalog: &Catalog, spec: &BlockSpec, key: &str, replace_start: usize) -> Vec<Completion> {
    let Some(attribute) = spec.attribute(key) else {
        return Vec::new();
    };
    if let ValueType::EnumList(values) = attribute.ty {
        // A list of one to start with; more names complete inside the brackets.
        return values
            .iter()
            .enumerate()
            .map(|(index, v)| {
                let list = format!("[{}]", v.name);
                value_completion(&list, list.clone(), v.doc, index, replace_start)
            })
            .collect();
    }
    let values: Vec<(&str, &str)> = match attribute.ty {
        ValueType::Enum(values) => values.iter().map(|v| (v.name, v.doc)).collect(),
        ValueType::Boolean => vec![("true", ""), ("false", "")],
        ValueType::Integer { min: 1, max: 5 } => catalog
            .scopes
            .iter()
            .map(|s| {
                (
                    ["1", "2", "3", "4", "5"][usize::from(s.number.number() - 1)],
                    s.name.as_str(),
                )
            })
            .collect(),
        _ => return Vec::new(),
    };
    values
        .into_iter()
        .enumerate()
        .map(|(index, (name, doc))| {
            value_completion(name, name.to_string(), doc, index, replace_start)
        })
        .collect()
}

/// Control ids: the ones the workload (or, inside an agent, that agent) requires and lacks
/// first, errors before warnings, each saying so; then the rest it has not declared. Accepting
/// one writes the whole block, unless a `{` already follows on the line.
fn control_ids(file: &FileState, offset: usize, replace_start: usize) -> Vec<Completion> {
    use genai_scope_analysis::diagnostic::{Code, Severity};
    let catalog = file.catalog();
    let text = &file.text;
    let report = file.workload_at(offset).map(|(_, _, report)| report);
    let agent = crate::enclosing_blocks(&file.syntax, offset)
        .into_iter()
        .find(|b| b.is(BlockKind::Agent));
    let agent_name = agent
        .and_then(|a| a.label.as_ref())
        .map(|l| l.text.as_str());
    let scope = report.and_then(|r| r.declared_scope.or(r.inferred_scope));
    // The finding that says this control is missing here, if any.
    let missing = |id: &str| {
        file.analysis.diagnostics.iter().find(|d| {
            d.code == Code::MissingControl
                && d.control.as_deref() == Some(id)
                && d.agent.as_deref() == agent_name
                && report.is_none_or(|r| r.range.contains_range(d.range))
        })
    };
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    let has_body = text[offset..line_end].contains('{');
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent: String = text[line_start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let mut out: Vec<Completion> = catalog
        .controls
        .iter()
        .enumerate()
        .filter_map(|(index, control)| {
            let id = control.id.as_str();
            let finding = missing(id);
            match agent {
                // Inside an agent: its agentic controls it has not declared.
                Some(agent) => {
                    if !control.is_agentic() || declares(agent, id) {
                        return None;
                    }
                }
                // In a workload, agentic controls (which cover all its agents) only when it has
                // agents.
                None if control.is_agentic() => {
                    if report.is_none_or(|r| r.agents.is_empty()) {
                        return None;
                    }
                }
                None => {
                    let coverage = report
                        .and_then(|r| r.controls.iter().find(|c| c.id == control.id))
                        .map(|c| c.coverage);
                    if !matches!(coverage, Some(Coverage::Missing | Coverage::NotRequired) | None)
                    {
                        return None; // already declared
                    }
                }
            }
            let rank = match finding.map(|d| d.severity) {
                Some(Severity::Error) => 0,
                Some(_) => 1,
                None => 2,
            };
            let discipline = catalog
                .discipline(control.discipline_id())
                .or_else(|| catalog.dimension(control.discipline_id()))
                .map_or("", |d| d.name.as_str());
            let detail = match finding {
                Some(finding) => {
                    let required = match (agent_name, scope) {
                        (Some(name), _) => format!("required for agent \"{name}\""),
                        (None, Some(scope)) => format!("required at scope {scope}"),
                        (None, None) => "required".to_string(),
                    };
                    format!(
                        "missing · {required} · {} — {}",
                        finding.severity.as_str(),
                        control.title
                    )
                }
                None => format!("{discipline}: {}", control.title),
            };
            let block = format!(
                "{} {{\n{indent}  status = ${{1|implemented,planned,not_applicable|}}$0\n{indent}}}",
                escape_snippet(id)
            );
            Some(Completion {
                label: id.to_string(),
                kind: CompletionKind::Control,
                detail,
                documentation: Some(crate::docs::control_markdown(catalog, control, true)),
                insert_text: if has_body { id.to_string() } else { block },
                is_snippet: !has_body,
                plain_text: Some(id.to_string()),
                sort_text: format!("{rank}{index:03}"),
                replace_start,
            })
        })
        .collect();
    out.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    out
}

/// Snippet syntax gives `$`, `}` and `\\` a meaning; a custom control id could hold them.
fn escape_snippet(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `block` declares control `id` among its own items.
fn declares(block: &genai_scope_syntax::Block, id: &str) -> bool {
    block
        .blocks()
        .any(|b| b.is(BlockKind::Control) && b.label.as_ref().is_some_and(|l| l.text == id))
}

#[cfg(test)]
mod schema_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::AnalysisOptions;

    #[test]
    fn control_ids_in_an_agent_are_agentic_and_its_missing_ones_come_first() {
        let found = labels(
            "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  agent \"a\" {\n    tool \"t\" { effect = read }\n    control identity.agent_identity {}\n    control $0\n  }\n}\n",
        );
        assert!(!found.is_empty());
        assert!(
            !found.iter().any(|l| l == "identity.agent_identity"),
            "declared"
        );
        assert!(
            !found.iter().any(|l| l.starts_with("governance.")),
            "generative"
        );
        // A read-only agent needs identity.user_context; it does not need the kill switch.
        let user_context = found.iter().position(|l| l == "identity.user_context");
        let kill_switch = found.iter().position(|l| l == "agent.kill_switch");
        assert!(user_context.is_some() && kill_switch.is_some());
        assert!(user_context < kill_switch, "{found:?}");
    }

    fn labels(fixture: &str) -> Vec<String> {
        let offset = fixture.find("$0").expect("a $0 cursor marker");
        let text = fixture.replace("$0", "");
        let file = FileState::new(text, None, &AnalysisOptions::default());
        complete(&file, offset)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn top_level_offers_a_workload() {
        assert_eq!(labels("$0"), ["workload"]);
        assert_eq!(labels("wor$0"), ["workload"]);
    }

    #[test]
    fn inside_a_workload_offers_missing_attributes_and_blocks() {
        let found = labels("workload \"w\" {\n  owner = \"o\"\n  $0\n}");
        assert!(found.contains(&"scope".to_string()) && found.contains(&"audience".to_string()));
        assert!(!found.contains(&"owner".to_string()), "already present");
        assert!(found.contains(&"model".to_string()) && found.contains(&"control".to_string()));
    }

    #[test]
    fn after_equals_offers_the_values() {
        let found = labels("workload \"w\" {\n  model \"m\" {\n    hosting = $0\n  }\n}");
        assert_eq!(
            found,
            [
                "consumer_app",
                "enterprise_app",
                "managed_api",
                "self_hosted"
            ]
        );
        let found = labels("workload \"w\" {\n  audience = cu$0\n}");
        assert_eq!(found, ["employees", "partners", "customers", "public"]);
    }

    #[test]
    fn control_ids_put_required_missing_ones_first() {
        let fixture = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  control risk.threat_model {}\n  control $0\n}";
        let found = labels(fixture);
        assert_eq!(found[0], "governance.data_classification");
        assert!(
            !found.contains(&"risk.threat_model".to_string()),
            "already declared"
        );
        let first_not_required = found
            .iter()
            .position(|id| id == "governance.terms_compliance")
            .unwrap();
        let last_required = found
            .iter()
            .position(|id| id == "resilience.circuit_breaker")
            .unwrap();
        assert!(last_required < first_not_required);
    }

    fn completions(fixture: &str) -> Vec<Completion> {
        let offset = fixture.find("$0").expect("a $0 cursor marker");
        let file = FileState::new(fixture.replace("$0", ""), None, &AnalysisOptions::default());
        complete(&file, offset)
    }

    #[test]
    fn a_missing_control_says_so_and_inserts_its_whole_block() {
        let found = completions(
            "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  control $0\n}",
        );
        let first = &found[0];
        assert!(
            first
                .detail
                .starts_with("missing · required at scope 3 · error — "),
            "{:?}",
            first.detail
        );
        assert!(first.is_snippet);
        assert_eq!(
            first.insert_text,
            format!(
                "{} {{\n    status = ${{1|implemented,planned,not_applicable|}}$0\n  }}",
                first.label
            )
        );
        assert_eq!(first.plain_text.as_deref(), Some(first.label.as_str()));
        // Errors, then warnings, then the controls nothing requires.
        let ranks: Vec<u8> = found
            .iter()
            .map(|c| match c.detail.as_str() {
                d if d.starts_with("missing · required at scope 3 · error") => 0,
                d if d.starts_with("missing ·") => 1,
                _ => 2,
            })
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
        assert!(ranks.contains(&1) && ranks.contains(&2), "{ranks:?}");
        // Renaming the id of an existing block inserts the id only.
        let found = completions(
            "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  control $0 {}\n}",
        );
        assert!(!found[0].is_snippet);
        assert_eq!(found[0].insert_text, found[0].label);
    }

    #[test]
    fn an_agents_missing_controls_are_labelled_with_the_agent() {
        let found = completions(
            "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  agent \"a\" {\n    tool \"t\" { effect = read }\n    control $0\n  }\n}\n",
        );
        assert!(
            found[0]
                .detail
                .starts_with("missing · required for agent \"a\" · "),
            "{:?}",
            found[0]
        );
    }

    #[test]
    fn only_what_can_go_at_the_cursor() {
        let in_workload = labels("workload \"w\" {\n  owner = \"o\"\n  $0\n}");
        assert!(!in_workload.contains(&"workload".to_string()));
        let unique: std::collections::HashSet<&String> = in_workload.iter().collect();
        assert_eq!(
            unique.len(),
            in_workload.len(),
            "no duplicates: {in_workload:?}"
        );
        let in_control =
            completions("workload \"w\" {\n  control risk.threat_model {\n    $0\n  }\n}");
        assert!(!in_control.is_empty());
        assert!(
            in_control
                .iter()
                .all(|c| c.kind == CompletionKind::Property),
            "no block snippets inside a control: {in_control:?}"
        );
        let in_tool = labels(
            "workload \"w\" {\n  agent \"a\" {\n    tool \"t\" {\n      effect = $0\n    }\n  }\n}",
        );
        assert!(in_tool.contains(&"read".to_string()), "{in_tool:?}");
        let in_agent = labels("workload \"w\" {\n  agent \"a\" {\n    $0\n  }\n}");
        assert!(in_agent.contains(&"tool".to_string()), "{in_agent:?}");
        assert!(!in_agent.contains(&"data".to_string()), "{in_agent:?}");
    }

    #[test]
    fn nothing_inside_strings_or_comments() {
        assert!(labels("workload \"w$0\" {}").is_empty());
        assert!(labels("# work$0").is_empty());
    }

    #[test]
    fn version_2_attributes_and_values_are_offered() {
        let found = labels("workload \"w\" {\n  owner = \"o\"\n  $0\n}");
        for name in ["stage", "access", "outputs", "data_residency"] {
            assert!(found.contains(&name.to_string()), "{name}: {found:?}");
        }
        let found = labels("workload \"w\" {\n  model \"m\" {\n    $0\n  }\n}");
        for name in ["origin", "inference", "resource"] {
            assert!(found.contains(&name.to_string()), "{name}: {found:?}");
        }
        assert_eq!(
            labels("workload \"w\" {\n  stage = $0\n}"),
            ["prototype", "production"]
        );
        assert_eq!(
            labels("workload \"w\" {\n  model \"m\" {\n    origin = $0\n  }\n}"),
            ["provider", "public_hub", "vendor", "own"]
        );
        assert_eq!(
            labels("workload \"w\" {\n  data \"d\" {\n    origin = $0\n  }\n}"),
            ["internal", "third_party", "users", "web", "tools"]
        );
        assert_eq!(
            labels("workload \"w\" {\n  model \"m\" {\n    inference = $0\n  }\n}"),
            ["true", "false"]
        );
    }

    #[test]
    fn list_values_complete_inside_the_brackets() {
        let found = labels("workload \"w\" {\n  outputs = $0\n}");
        assert_eq!(found[0], "[shown]");
        assert_eq!(found.len(), 6);
        let found = labels("workload \"w\" {\n  outputs = [$0]\n}");
        assert_eq!(found.len(), 6);
        let found = labels("workload \"w\" {\n  outputs = [shown, exe$0]\n}");
        assert_eq!(
            found,
            ["rendered", "stored", "executed", "downstream", "training"],
            "the names not yet listed"
        );
        assert!(labels("workload \"w\" {\n  regions = [$0]\n}").is_empty());
    }

    #[test]
    fn control_parameters_are_offered() {
        let found = labels("workload \"w\" {\n  control resilience.timeouts {\n    $0\n  }\n}");
        assert!(found.contains(&"timeout".to_string()), "{found:?}");
    }
}
