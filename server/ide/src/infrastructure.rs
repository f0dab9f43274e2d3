//! The editor over infrastructure bindings: hover on a `resource = "<address>"` value (or
//! `iac:<address>` evidence) shows the resource's type, file and the attributes read from it;
//! go to definition opens the resource in its file; completion of a `resource` value offers
//! the addresses of resources that fit the block. All from the [`Infrastructure`] the file
//! was analysed with; nothing when none is configured.

use std::fmt::Write;
use std::ops::Range;
use std::path::PathBuf;

use super::completion::{Completion, CompletionKind};
use super::hover::Hover;
use super::{FileState, Target, target_at};
use genai_scope_analysis::environment::infrastructure::{IAC_PREFIX, Infrastructure};
use genai_scope_iac::{Kind, Resource, Value};
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{BlockKind, ValueKind};

/// Where a resource is written: the file (absolute) and the byte range and lines (0-based)
/// of its definition there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceLocation {
    pub path: PathBuf,
    pub span: Range<usize>,
    pub start_line: usize,
    pub end_line: usize,
}

/// Attributes shown in a hover, at most; a resource can have hundreds.
const MAX_SHOWN_ATTRIBUTES: usize = 24;

/// The address under the cursor: a `resource` value or `iac:` evidence, with the range of
/// its string.
fn address_at(file: &FileState, offset: usize) -> Option<(String, TextRange)> {
    let Target::AttributeValue(block, attribute) = target_at(&file.syntax, offset)? else {
        return None;
    };
    let value = attribute.value.as_ref()?;
    let ValueKind::String(text) = &value.kind else {
        return None;
    };
    match (block.kind(), attribute.key.text.as_str()) {
        (BlockKind::Model | BlockKind::Data | BlockKind::Agent, "resource") => {
            Some((text.trim().to_string(), value.range))
        }
        (BlockKind::Control, "evidence") => text
            .strip_prefix(IAC_PREFIX)
            .map(|address| (address.trim().to_string(), value.range)),
        _ => None,
    }
}

/// The resource an address under the cursor names.
fn resource_at(file: &FileState, offset: usize) -> Option<(&Infrastructure, &Resource, TextRange)> {
    let infrastructure = file.infrastructure.as_deref()?;
    let (address, range) = address_at(file, offset)?;
    let resource = infrastructure.resource(&address)?;
    Some((infrastructure, resource, range))
}

/// Hover on a bound address: what the resource is, where, and what was read from it.
pub fn hover(file: &FileState, offset: usize) -> Option<Hover> {
    let (infrastructure, resource, range) = resource_at(file, offset)?;
    Some(Hover {
        markdown: resource_markdown(infrastructure, resource),
        range,
    })
}

fn resource_markdown(infrastructure: &Infrastructure, resource: &Resource) -> String {
    let mut markdown = format!(
        "**{}** `{}`\n\n{}, in `{}` line {}",
        resource.type_name,
        resource.address,
        kind_description(resource.kind),
        resource.location.path,
        resource.location.start_line + 1
    );
    if let Some(repetition) = &resource.repetition {
        let _ = write!(
            markdown,
            " (repeated by `{repetition}`, not evaluated: read once)"
        );
    }
    let facts = read_facts(infrastructure, resource);
    if !facts.is_empty() {
        let _ = write!(markdown, "\n\nGives: {}", facts.join(", "));
    }
    let Value::Map(entries) = &resource.attributes else {
        return markdown;
    };
    if entries.is_empty() {
        return markdown;
    }
    markdown.push_str("\n\nAttributes as read (nothing evaluated):\n");
    for (key, value) in entries.iter().take(MAX_SHOWN_ATTRIBUTES) {
        let _ = write!(markdown, "\n- `{key}` = {}", shown(value));
    }
    if entries.len() > MAX_SHOWN_ATTRIBUTES {
        let _ = write!(
            markdown,
            "\n- … {} more",
            entries.len() - MAX_SHOWN_ATTRIBUTES
        );
    }
    markdown
}

/// A value for a hover line: literals and expressions as written (in code, on one line);
/// nested blocks and maps by their keys.
fn shown(value: &Value) -> String {
    match value {
        Value::Map(entries) => {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            format!("{{ {} }}", keys.join(", "))
        }
        Value::List(items) if items.iter().all(|i| matches!(i, Value::Map(_))) => {
            let inner: Vec<String> = items.iter().map(shown).collect();
            inner.join(" ")
        }
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(Value::describe).collect();
            code(&format!("[{}]", inner.join(", ")))
        }
        other => code(&other.describe()),
    }
}

/// Inline code that survives backticks and line breaks in the value (bounded length).
fn code(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(120)
        .collect();
    let fence = if one_line.contains('`') { "`` " } else { "`" };
    let close = if fence == "`` " { " ``" } else { "`" };
    format!("{fence}{one_line}{close}")
}

/// The facts the drift checks hold a bound block to, as `attribute = value`.
/// `attribute = value` of each fact read from the infrastructure whose value is a word.
fn read_words(facts: &[genai_scope_iac::facts::Fact]) -> Vec<String> {
    facts
        .iter()
        .filter(|f| f.is_read())
        .filter_map(|f| match &f.value {
            genai_scope_iac::facts::FactValue::Word(w) => Some(format!("{} = {w}", f.attribute)),
            _ => None,
        })
        .collect()
}

fn read_facts(infrastructure: &Infrastructure, resource: &Resource) -> Vec<String> {
    let address = infrastructure.inventory.binding_address(resource);
    let mut out = Vec::new();
    for workload in &infrastructure.draft.workloads {
        for block in workload.blocks().filter(|b| b.resource == address) {
            let keyword = block.kind.keyword();
            let facts = read_words(&block.facts);
            if !facts.is_empty() {
                out.push(format!("{keyword} `{}`", facts.join(", ")));
            }
            for tool in &block.tools {
                let facts = read_words(&tool.facts);
                out.push(format!("tool \"{}\" `{}`", tool.name, facts.join(", ")));
            }
        }
    }
    out
}

fn kind_description(kind: Kind) -> &'static str {
    match kind {
        Kind::Agent => "A Bedrock agent",
        Kind::ActionGroup => "An agent's action group",
        Kind::AgentCollaborator => "An agent collaborator",
        Kind::AgentAlias => "An agent alias",
        Kind::KnowledgeBase => "A knowledge base",
        Kind::DataSource => "A knowledge-base data source",
        Kind::VectorCollection => "A vector store",
        Kind::CustomModel => "A custom (tuned) model",
        Kind::Guardrail => "A guardrail",
        Kind::InvocationLogging => "Model invocation logging",
        Kind::ProvisionedThroughput => "Provisioned throughput",
        Kind::WebAclAssociation => "A web ACL association",
        Kind::SagemakerEndpoint => "A SageMaker endpoint",
        Kind::SagemakerEndpointConfig => "A SageMaker endpoint configuration",
        Kind::SagemakerModel => "A SageMaker model",
    }
}

/// Go to definition on a bound address: the resource in its file.
pub fn definition(file: &FileState, offset: usize) -> Option<ResourceLocation> {
    let (infrastructure, resource, _) = resource_at(file, offset)?;
    Some(ResourceLocation {
        path: infrastructure.path_of(resource),
        span: resource.location.span.clone(),
        start_line: resource.location.start_line,
        end_line: resource.location.end_line,
    })
}

/// The kinds of resource a block may bind: those whose facts such a block is drafted from.
fn fits(block: BlockKind, kind: Kind) -> bool {
    match block {
        // A foundation model binds to the agent or knowledge base that names it.
        BlockKind::Model => matches!(
            kind,
            Kind::CustomModel
                | Kind::SagemakerEndpoint
                | Kind::SagemakerModel
                | Kind::Agent
                | Kind::KnowledgeBase
        ),
        // A custom model's training data binds to the custom model.
        BlockKind::Data => matches!(
            kind,
            Kind::DataSource | Kind::KnowledgeBase | Kind::CustomModel
        ),
        BlockKind::Agent => kind == Kind::Agent,
        // `iac:` evidence may name any resource.
        _ => true,
    }
}

/// Completion inside `resource = "…"` (of a model, data or agent block) or
/// `evidence = "iac:…"`: the addresses of the resources that fit, those no block of the file
/// binds yet first. `None` when the cursor is not in such a string.
pub fn complete(file: &FileState, offset: usize) -> Option<Vec<Completion>> {
    let text = &file.text;
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let (key, rest) = prefix.split_once('=')?;
    let key = key.trim();
    let typed = rest.trim_start().strip_prefix('"')?;
    if typed.contains('"') {
        return None;
    }
    let block_kind = super::enclosing_blocks(&file.syntax, offset)
        .last()
        .map(|b| b.kind())?;
    // What the inserted address replaces, and whether it must bring the `iac:` prefix.
    let (typed, with_prefix) = match (block_kind, key) {
        (BlockKind::Model | BlockKind::Data | BlockKind::Agent, "resource") => (typed, false),
        (BlockKind::Control, "evidence") => match typed.strip_prefix(IAC_PREFIX) {
            Some(after) => (after, false),
            // Still typing the prefix: offer the addresses with it.
            None if IAC_PREFIX.starts_with(typed) => (typed, true),
            None => return None,
        },
        _ => return None,
    };
    let infrastructure = file.infrastructure.as_deref()?;
    let replace_start = offset - typed.len();
    let bound = bound_addresses(file);
    let inventory = &infrastructure.inventory;
    let mut out: Vec<Completion> = inventory
        .resources
        .iter()
        .filter(|r| fits(block_kind, r.kind))
        .map(|resource| {
            let address = inventory.binding_address(resource);
            let taken = bound.iter().any(|b| {
                infrastructure
                    .resource(b)
                    .is_some_and(|r| std::ptr::eq(r, resource))
            });
            let insert = if with_prefix {
                format!("{IAC_PREFIX}{address}")
            } else {
                address.clone()
            };
            Completion {
                label: address.clone(),
                kind: CompletionKind::Value,
                detail: format!(
                    "{} ({}:{})",
                    resource.type_name,
                    resource.location.path,
                    resource.location.start_line + 1
                ),
                documentation: Some(resource_markdown(infrastructure, resource)),
                insert_text: insert,
                is_snippet: false,
                plain_text: None,
                sort_text: format!("{}{address}", if taken { 1 } else { 0 }),
                replace_start,
            }
        })
        .collect();
    out.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    out.dedup_by(|a, b| a.label == b.label);
    Some(out)
}

/// Every address the file binds or names as evidence.
fn bound_addresses(file: &FileState) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<&genai_scope_syntax::Block> = file
        .syntax
        .items
        .iter()
        .filter_map(|item| match item {
            genai_scope_syntax::Item::Block(block) => Some(block),
            _ => None,
        })
        .collect();
    while let Some(block) = stack.pop() {
        for attribute in block.attributes() {
            if let Some(ValueKind::String(text)) = attribute.value.as_ref().map(|v| &v.kind) {
                match attribute.key.text.as_str() {
                    "resource" => out.push(text.clone()),
                    "evidence" => {
                        if let Some(address) = text.strip_prefix(IAC_PREFIX) {
                            out.push(address.to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        stack.extend(block.blocks());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::AnalysisOptions;
    use genai_scope_analysis::environment::infrastructure::load;
    use genai_scope_analysis::environment::memory::MemoryEnvironment;
    use std::path::Path;
    use std::sync::Arc;

    const MAIN_TF: &str = r#"resource "aws_bedrockagent_agent" "claims" {
  agent_name       = "claims"
  foundation_model = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  memory_configuration {
    enabled_memory_types = ["SESSION_SUMMARY"]
  }
}

resource "aws_bedrock_custom_model" "notes" {
  custom_model_name     = "notes"
  base_model_identifier = "amazon.titan-text-express-v1"
}

resource "aws_bedrock_guardrail" "claims" {
  name = "claims"
}
"#;

    fn infrastructure() -> Arc<Infrastructure> {
        let env = MemoryEnvironment::default();
        env.write("/repo/infra/main.tf", MAIN_TF);
        Arc::new(load(
            &env,
            &[PathBuf::from("/repo/infra")],
            Path::new("/repo"),
        ))
    }

    /// `$0` marks the cursor.
    fn file_at(fixture: &str) -> (FileState, usize) {
        let offset = fixture.find("$0").expect("a $0 cursor marker");
        let options = AnalysisOptions {
            infrastructure: Some(infrastructure()),
            ..AnalysisOptions::default()
        };
        (
            FileState::new(fixture.replace("$0", ""), None, &options),
            offset,
        )
    }

    const DECLARATION: &str = r#"workload "w" {
  owner = "o"
  model "m" {
    resource = "aws_bedrockagent_agent.cl$0aims"
    hosting  = managed_api
  }
  control controls.guardrails {
    evidence = "iac:aws_bedrock_guardrail.claims"
  }
}
"#;

    #[test]
    fn hover_on_a_bound_address_shows_the_resource_and_its_attributes() {
        let (file, offset) = file_at(DECLARATION);
        let found = hover(&file, offset).expect("a hover");
        let markdown = &found.markdown;
        assert!(
            markdown.starts_with("**aws_bedrockagent_agent** `aws_bedrockagent_agent.claims`"),
            "{markdown}"
        );
        assert!(markdown.contains("`infra/main.tf` line 1"), "{markdown}");
        assert!(
            markdown.contains("- `agent_name` = `\"claims\"`"),
            "{markdown}"
        );
        assert!(
            markdown.contains("- `memory_configuration` = { enabled_memory_types }"),
            "{markdown}"
        );
        assert!(
            markdown.contains("agent `memory = persistent`"),
            "{markdown}"
        );
        assert_eq!(
            &file.text[found.range.start..found.range.end],
            "\"aws_bedrockagent_agent.claims\""
        );
        // Through the hover entry point too.
        assert_eq!(
            crate::hover::hover(&file, offset).map(|h| h.markdown),
            Some(markdown.clone())
        );
    }

    #[test]
    fn no_hover_for_unknown_addresses_or_without_infrastructure() {
        let (file, offset) = file_at(&DECLARATION.replace("cl$0aims", "gone$0"));
        assert!(hover(&file, offset).is_none());
        let text = DECLARATION.replace("$0", "");
        let plain = FileState::new(text, None, &AnalysisOptions::default());
        assert!(hover(&plain, DECLARATION.find("$0").unwrap()).is_none());
        assert!(definition(&plain, DECLARATION.find("$0").unwrap()).is_none());
    }

    #[test]
    fn definition_opens_the_resource_for_resource_and_iac_evidence() {
        let (file, offset) = file_at(DECLARATION);
        let location = definition(&file, offset).expect("a definition");
        assert_eq!(location.path, Path::new("/repo/infra/main.tf"));
        assert_eq!(location.start_line, 0);
        assert!(MAIN_TF[location.span.clone()].starts_with("resource \"aws_bedrockagent_agent\""));

        let evidence = DECLARATION
            .replace("$0", "")
            .replace("guardrail.claims", "guardrail.cl$0aims");
        let (file, offset) = file_at(&evidence);
        let location = definition(&file, offset).expect("a definition");
        assert_eq!(location.start_line, 13);
        assert!(MAIN_TF[location.span].starts_with("resource \"aws_bedrock_guardrail\""));
    }

    fn labels(fixture: &str) -> Vec<String> {
        let (file, offset) = file_at(fixture);
        crate::completion::complete(&file, offset)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn completion_offers_the_addresses_that_fit_the_block() {
        let model = "workload \"w\" {\n  model \"m\" {\n    resource = \"$0\n  }\n}\n";
        assert_eq!(
            labels(model),
            [
                "aws_bedrock_custom_model.notes",
                "aws_bedrockagent_agent.claims"
            ]
        );
        let agent = "workload \"w\" {\n  agent \"a\" {\n    resource = \"aws$0\"\n  }\n}\n";
        assert_eq!(labels(agent), ["aws_bedrockagent_agent.claims"]);
        // Evidence: any resource, with the prefix when it is not typed yet.
        let (file, offset) = file_at(
            "workload \"w\" {\n  control controls.guardrails {\n    evidence = \"$0\"\n  }\n}\n",
        );
        let found = complete(&file, offset).unwrap();
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|c| c.insert_text.starts_with("iac:")));
        let (file, offset) = file_at(
            "workload \"w\" {\n  control controls.guardrails {\n    evidence = \"iac:aws_bedrock_g$0\"\n  }\n}\n",
        );
        let found = complete(&file, offset).unwrap();
        let guardrail = found
            .iter()
            .find(|c| c.label == "aws_bedrock_guardrail.claims")
            .unwrap();
        assert_eq!(guardrail.insert_text, "aws_bedrock_guardrail.claims");
        assert_eq!(&file.text[guardrail.replace_start..offset], "aws_bedrock_g");
        // A file evidence path is not an address.
        assert!(
            labels("workload \"w\" {\n  control x.y {\n    evidence = \"docs/$0\"\n  }\n}\n")
                .is_empty()
        );
    }

    #[test]
    fn addresses_already_bound_come_last() {
        let text = "workload \"w\" {\n  model \"a\" {\n    resource = \"aws_bedrock_custom_model.notes\"\n  }\n  model \"b\" {\n    resource = \"$0\n  }\n}\n";
        assert_eq!(
            labels(text),
            [
                "aws_bedrockagent_agent.claims",
                "aws_bedrock_custom_model.notes"
            ]
        );
    }
}
