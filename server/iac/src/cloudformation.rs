//! CloudFormation templates in YAML or JSON (CDK output included). YAML comes through
//! saphyr's event parser, built here into a tree of bounded depth; intrinsic functions, short
//! (`!Ref X`) or long (`{"Fn::GetAtt": [...]}`), are read as opaque [`Expression`]s with the
//! logical ids they name. JSON that the YAML parser refuses is read with serde_json.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::kinds::Kind;
use crate::model::{Expression, Location, Resource, SourceFile, Unreadable, Unresolved, Value};
use crate::terraform::{one_line, short};

/// Deeper documents are refused: no template nests this far, and the tree stays small.
pub const MAX_DEPTH: usize = 64;

/// What one template holds.
#[derive(Debug, Default)]
pub struct Template {
    pub resources: Vec<Resource>,
    pub unresolved: Vec<Unresolved>,
}

/// A parsed YAML or JSON document.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub data: Data,
    /// Byte range in the text; empty when not known (JSON read by serde_json).
    pub span: Range<usize>,
    pub tag: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) enum Data {
    /// The text and whether it was plain (unquoted).
    Scalar(String, bool),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Alias,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.data {
            Data::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn scalar(&self) -> Option<&str> {
        match &self.data {
            Data::Scalar(s, _) => Some(s),
            _ => None,
        }
    }
}

/// Parses YAML (or JSON, a subset) into a [`Node`]: the first document only.
pub(crate) fn parse_document(text: &str) -> Result<Option<Node>, (usize, String)> {
    let offsets = CharOffsets::new(text);
    let mut stack: Vec<(Node, Option<Node>)> = Vec::new();
    let mut root: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            (
                offsets.byte(e.marker().index()),
                format!(
                    "{} at line {}, column {}",
                    e.info(),
                    e.marker().line(),
                    e.marker().col() + 1
                ),
            )
        })?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index());
        let leaf = match event {
            Event::Scalar(value, style, _, tag) => Some(Node {
                data: Data::Scalar(value.into_owned(), style == ScalarStyle::Plain),
                span: start..end,
                tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
            }),
            Event::Alias(_) => Some(Node {
                data: Data::Alias,
                span: start..end,
                tag: None,
            }),
            Event::SequenceStart(_, tag) | Event::MappingStart(_, tag)
                if stack.len() >= MAX_DEPTH =>
            {
                let _ = tag;
                return Err((start, format!("nested more than {MAX_DEPTH} levels deep")));
            }
            Event::SequenceStart(_, tag) => {
                stack.push((collection(Data::Seq(Vec::new()), start, tag), None));
                None
            }
            Event::MappingStart(_, tag) => {
                stack.push((collection(Data::Map(Vec::new()), start, tag), None));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => stack.pop().map(|(mut node, _)| {
                node.span.end = end.max(node.span.start);
                node
            }),
            Event::DocumentEnd if root.is_some() => break,
            _ => None,
        };
        let Some(node) = leaf else { continue };
        match stack.last_mut() {
            None => {
                root.get_or_insert(node);
            }
            Some((parent, pending_key)) => match &mut parent.data {
                Data::Seq(items) => items.push(node),
                Data::Map(entries) => match pending_key.take() {
                    Some(key) => entries.push((key, node)),
                    None => *pending_key = Some(node),
                },
                _ => {}
            },
        }
    }
    Ok(root)
}

fn collection(
    data: Data,
    start: usize,
    tag: Option<std::borrow::Cow<'_, saphyr_parser::Tag>>,
) -> Node {
    Node {
        data,
        span: start..start,
        tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
    }
}

/// Character index → byte offset (saphyr's markers count characters).
struct CharOffsets {
    ascii: bool,
    starts: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let ascii = text.is_ascii();
        CharOffsets {
            ascii,
            starts: if ascii {
                Vec::new()
            } else {
                text.char_indices().map(|(i, _)| i).collect()
            },
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            char_index.min(self.len)
        } else {
            self.starts.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

/// A serde_json value as a [`Node`] without spans.
pub(crate) fn node_from_json(value: &serde_json::Value) -> Node {
    let data = match value {
        serde_json::Value::Null => Data::Scalar("null".into(), true),
        serde_json::Value::Bool(b) => Data::Scalar(b.to_string(), true),
        serde_json::Value::Number(n) => Data::Scalar(n.to_string(), true),
        serde_json::Value::String(s) => Data::Scalar(s.clone(), false),
        serde_json::Value::Array(items) => Data::Seq(items.iter().map(node_from_json).collect()),
        serde_json::Value::Object(map) => Data::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        Node {
                            data: Data::Scalar(k.clone(), false),
                            span: 0..0,
                            tag: None,
                        },
                        node_from_json(v),
                    )
                })
                .collect(),
        ),
    };
    Node {
        data,
        span: 0..0,
        tag: None,
    }
}

/// Whether a document is a CloudFormation template.
pub(crate) fn is_template(root: &Node) -> bool {
    root.get("AWSTemplateFormatVersion").is_some()
        || root
            .get("Resources")
            .is_some_and(|r| matches!(r.data, Data::Map(_)))
}

/// Reads the AI resources of a template's `Resources`.
pub(crate) fn read_template(file: &SourceFile, root: &Node) -> Template {
    let mut out = Template::default();
    let Some(Node {
        data: Data::Map(resources),
        ..
    }) = root.get("Resources")
    else {
        return out;
    };
    let unit = file.path.clone();
    for (key, body) in resources {
        let Some(logical_id) = key.scalar() else {
            continue;
        };
        if logical_id.starts_with("Fn::ForEach") {
            out.unresolved.push(Unresolved {
                unit: unit.clone(),
                location: location(file, key, body, logical_id),
                message: format!(
                    "`{logical_id}` (the language extensions transform) is not expanded: the resources it makes are not in the draft"
                ),
            });
            continue;
        }
        let Some(type_name) = body.get("Type").and_then(Node::scalar) else {
            continue;
        };
        let Some(kind) = Kind::from_cloudformation(type_name) else {
            continue;
        };
        let location = location(file, key, body, logical_id);
        let repetition = body.get("Condition").map(|condition| {
            let condition = to_value(file, condition).describe();
            out.unresolved.push(Unresolved {
                unit: unit.clone(),
                location: location.clone(),
                message: format!(
                    "`{logical_id}` has `Condition: {condition}`, not evaluated: the draft assumes it is created"
                ),
            });
            format!("Condition: {condition}")
        });
        let attributes = body
            .get("Properties")
            .map(|p| to_value(file, p))
            .filter(|v| matches!(v, Value::Map(_)))
            .unwrap_or(Value::Map(Vec::new()));
        out.resources.push(Resource {
            kind,
            type_name: type_name.to_string(),
            address: logical_id.to_string(),
            unit: unit.clone(),
            location,
            attributes,
            repetition,
        });
    }
    out
}

/// From the logical id to the end of its definition; JSON read without spans: the first
/// place the quoted id stands as a key.
fn location(file: &SourceFile, key: &Node, body: &Node, logical_id: &str) -> Location {
    if key.span.end > key.span.start || body.span.end > body.span.start {
        let end = body.span.end.max(key.span.end);
        return Location::new(&file.path, &file.text, key.span.start..end);
    }
    let quoted = serde_json::to_string(logical_id).unwrap_or_default();
    let found = file
        .text
        .match_indices(&quoted)
        .find(|(at, q)| file.text[at + q.len()..].trim_start().starts_with(':'));
    match found {
        Some((at, q)) => Location::new(&file.path, &file.text, at..at + q.len()),
        None => Location::file(&file.path, &file.text),
    }
}

/// A node as a [`Value`]: intrinsic functions become expressions.
pub(crate) fn to_value(file: &SourceFile, node: &Node) -> Value {
    if let Some(tag) = &node.tag
        && let Some(name) = tag.strip_prefix('!')
        && !name.starts_with('!')
    {
        return intrinsic(file, name, node, node);
    }
    match &node.data {
        Data::Scalar(text, plain) => {
            if *plain {
                plain_scalar(text)
            } else {
                Value::String(text.clone())
            }
        }
        Data::Seq(items) => Value::List(items.iter().map(|n| to_value(file, n)).collect()),
        Data::Map(entries) => {
            if let [(key, argument)] = entries.as_slice()
                && let Some(name) = key.scalar()
                && (name == "Ref" || name.starts_with("Fn::"))
            {
                let name = name.strip_prefix("Fn::").unwrap_or(name);
                return intrinsic(file, name, argument, node);
            }
            Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = match k.scalar() {
                            Some(s) => s.to_string(),
                            None => source_text(file, k),
                        };
                        (key, to_value(file, v))
                    })
                    .collect(),
            )
        }
        Data::Alias => Value::Expression(Expression {
            text: source_text(file, node),
            references: Vec::new(),
        }),
    }
}

/// YAML's core schema for plain scalars.
fn plain_scalar(text: &str) -> Value {
    match text {
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        _ if text.parse::<f64>().is_ok() && !text.contains(char::is_alphabetic) => {
            Value::Number(text.to_string())
        }
        _ => Value::String(text.to_string()),
    }
}

/// `!Ref X`, `!GetAtt X.Arn`, `!Sub "…${X}…"` and the others: the logical ids and parameters
/// they name.
fn intrinsic(file: &SourceFile, name: &str, argument: &Node, whole: &Node) -> Value {
    let mut references = Vec::new();
    let untagged = Node {
        tag: None,
        ..argument.clone()
    };
    match (name, &untagged.data) {
        ("Ref", Data::Scalar(id, _)) => references.push(id.clone()),
        ("GetAtt", Data::Scalar(path, _)) => {
            references.push(path.split('.').next().unwrap_or(path).to_string());
        }
        ("GetAtt", Data::Seq(items)) => {
            references.extend(items.first().and_then(Node::scalar).map(str::to_string));
        }
        ("Sub", Data::Scalar(template, _)) => references.extend(sub_references(template)),
        ("Sub", Data::Seq(items)) => {
            let local: Vec<&str> = match items.get(1).map(|n| &n.data) {
                Some(Data::Map(entries)) => {
                    entries.iter().filter_map(|(k, _)| k.scalar()).collect()
                }
                _ => Vec::new(),
            };
            if let Some(template) = items.first().and_then(Node::scalar) {
                references.extend(
                    sub_references(template)
                        .into_iter()
                        .filter(|r| !local.contains(&r.as_str())),
                );
            }
            for item in items.iter().skip(1) {
                references.extend(
                    to_value(file, item)
                        .references()
                        .into_iter()
                        .map(str::to_string),
                );
            }
        }
        _ => {
            references.extend(
                to_value(file, &untagged)
                    .references()
                    .into_iter()
                    .map(str::to_string),
            );
        }
    }
    let mut unique = Vec::new();
    for r in references {
        if !unique.contains(&r) {
            unique.push(r);
        }
    }
    let text = if whole.span.end > whole.span.start {
        source_text(file, whole)
    } else {
        format!("!{name} {}", render(&untagged))
    };
    Value::Expression(Expression {
        text,
        references: unique,
    })
}

/// The names in `${…}` of a `Fn::Sub` template (before any `.`), not `${!Literal}`.
fn sub_references(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let inner = rest[..end].trim();
        rest = &rest[end + 1..];
        if inner.starts_with('!') || inner.is_empty() {
            continue;
        }
        let name = inner.split('.').next().unwrap_or(inner).to_string();
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A compact rendering for nodes without source text.
fn render(node: &Node) -> String {
    match &node.data {
        Data::Scalar(s, _) => s.clone(),
        Data::Seq(items) => format!(
            "[{}]",
            items.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        Data::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", render(k), render(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Data::Alias => "*alias".to_string(),
    }
}

fn source_text(file: &SourceFile, node: &Node) -> String {
    match file.text.get(node.span.clone()) {
        Some(text) if !text.trim().is_empty() => short(text.trim()),
        _ => short(&render(node)),
    }
}

/// Reads a template's text: `Ok(None)` when it parses but is no template.
pub fn read(file: &SourceFile) -> Result<Option<Template>, Unreadable> {
    let root = match parse_document(&file.text) {
        Ok(root) => root,
        Err((offset, reason)) => {
            // JSON the YAML parser refuses (tabs as indentation, …).
            match serde_json::from_str::<serde_json::Value>(&file.text) {
                Ok(json) => Some(node_from_json(&json)),
                Err(_) => {
                    return Err(Unreadable {
                        location: Location::new(&file.path, &file.text, offset..offset),
                        reason: format!("not valid YAML or JSON: {}", one_line(&reason)),
                    });
                }
            }
        }
    };
    Ok(root
        .filter(is_template)
        .map(|root| read_template(file, &root)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    const YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  ModelId:\n    Type: String\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  ResearchAgent:\n    Type: AWS::Bedrock::Agent\n    Properties:\n      AgentName: research\n      FoundationModel: !Ref ModelId\n      GuardrailConfiguration:\n        GuardrailIdentifier: !GetAtt Guard.GuardrailId\n        GuardrailVersion: !Sub '${Guard.Version}'\n  Guard:\n    Type: AWS::Bedrock::Guardrail\n    Condition: WithGuard\n    Properties:\n      Name: guard\n";

    #[test]
    fn short_tags_are_opaque_expressions_with_their_references() {
        let template = read(&file("stack.yaml", YAML)).unwrap().unwrap();
        assert_eq!(template.resources.len(), 2);
        let agent = &template.resources[0];
        assert_eq!(agent.address, "ResearchAgent");
        assert_eq!(agent.kind, Kind::Agent);
        let model = agent
            .attribute(&["FoundationModel"])
            .unwrap()
            .as_expression()
            .unwrap();
        assert_eq!(model.text, "!Ref ModelId");
        assert_eq!(model.references, ["ModelId"]);
        assert_eq!(agent.references(), ["Guard", "ModelId"]);
        assert!(YAML[agent.location.span.clone()].starts_with("ResearchAgent:"));
        assert!(YAML[agent.location.span.clone()].contains("GuardrailVersion"));
        assert_eq!(template.unresolved.len(), 1);
        assert!(
            template.unresolved[0]
                .message
                .contains("Condition: \"WithGuard\"")
        );
    }

    #[test]
    fn long_form_json_intrinsics() {
        let json = r#"{"Resources": {"Kb": {"Type": "AWS::Bedrock::KnowledgeBase", "Properties": {"RoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "Name": {"Ref": "AWS::StackName"}, "Other": {"Fn::Sub": ["${A}-${B}", {"A": {"Ref": "C"}}]}}}}}"#;
        let template = read(&file("cdk.out/App.template.json", json))
            .unwrap()
            .unwrap();
        let kb = &template.resources[0];
        assert_eq!(kb.references(), ["AWS::StackName", "B", "C", "Role"]);
        assert!(json[kb.location.span.clone()].starts_with("\"Kb\""));
    }

    #[test]
    fn json_with_tabs_falls_back_to_serde() {
        let json = "{\n\t\"Resources\": {\n\t\t\"G\": {\n\t\t\t\"Type\": \"AWS::Bedrock::Guardrail\"\n\t\t}\n\t}\n}\n";
        let template = read(&file("t.json", json)).unwrap().unwrap();
        assert_eq!(template.resources[0].address, "G");
        assert_eq!(template.resources[0].location.start_line, 2);
    }

    #[test]
    fn other_documents_are_not_templates_and_broken_ones_say_where() {
        assert!(
            read(&file("ci.yaml", "on: push\njobs: {}\n"))
                .unwrap()
                .is_none()
        );
        let error = read(&file("bad.yaml", "Resources:\n  A: [1, 2\n")).unwrap_err();
        assert!(
            error.reason.starts_with("not valid YAML or JSON"),
            "{}",
            error.reason
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("Resources: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        // The parser's own recursion limit or ours: an error either way, never an overflow.
        let error = read(&file("deep.yaml", &deep)).unwrap_err();
        assert!(
            error.reason.starts_with("not valid YAML or JSON"),
            "{}",
            error.reason
        );
        let deep_block = format!("Resources:\n{}", "- ".repeat(5_000));
        assert!(read(&file("deep2.yaml", &deep_block)).is_err());
    }

    #[test]
    fn non_ascii_text_keeps_byte_spans() {
        let yaml = "# Modèle — agent\nResources:\n  Gé:\n    Type: AWS::Bedrock::Guardrail\n";
        let template = read(&file("u.yaml", yaml)).unwrap().unwrap();
        let g = &template.resources[0];
        assert!(yaml[g.location.span.clone()].starts_with("Gé:"));
    }
}
