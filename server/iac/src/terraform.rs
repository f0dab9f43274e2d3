//! Terraform configuration (`*.tf`, HCL) through `hcl-edit`, which keeps byte spans. Values are
//! read as written: variables, locals, `count`, `for_each`, `dynamic` blocks and modules are not
//! evaluated, and each is recorded as [`Unresolved`].

use hcl_edit::Span;
use hcl_edit::expr::{Expression as Hcl, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Element, Template};
use hcl_edit::visit::{Visit, visit_traversal};

use crate::kinds::Kind;
use crate::model::{
    Expression, Location, ProviderConfig, Resource, SourceFile, Unreadable, Unresolved, Value,
};

/// What one `.tf` file holds.
#[derive(Debug, Default)]
pub struct TerraformFile {
    pub resources: Vec<Resource>,
    pub providers: Vec<ProviderConfig>,
    pub unresolved: Vec<Unresolved>,
}

/// The unit (directory) a Terraform file belongs to.
pub fn directory_of(path: &str) -> String {
    match path.rfind(['/', '\\']) {
        Some(0) => "/".to_string(),
        Some(i) => path[..i].to_string(),
        None => ".".to_string(),
    }
}

/// Reads one `.tf` file.
pub fn read(file: &SourceFile) -> Result<TerraformFile, Unreadable> {
    let body = hcl_edit::parser::parse_body(&file.text).map_err(|error| {
        let location = error.location();
        let offset = location.offset().min(file.text.len());
        Unreadable {
            location: Location::new(&file.path, &file.text, offset..offset),
            reason: format!(
                "not valid HCL at line {}, column {}: {}",
                location.line(),
                location.column(),
                one_line(error.message())
            ),
        }
    })?;
    let unit = directory_of(&file.path);
    let reader = Reader { file, unit: &unit };
    let mut out = TerraformFile::default();
    for block in body.blocks() {
        match block.ident.as_str() {
            "resource" => reader.resource(block, &mut out),
            "provider" => reader.provider(block, &mut out),
            "module" => {
                let name = label(block, 0).unwrap_or_default();
                let source = block
                    .body
                    .get_attribute("source")
                    .map(|a| reader.value(&a.value).describe())
                    .unwrap_or_else(|| "no source".to_string());
                out.unresolved.push(Unresolved {
                    unit: unit.clone(),
                    location: reader.location(block.span()),
                    message: format!(
                        "module `{name}` ({source}) is not evaluated: the resources it creates are drafted only from their own directory, with that directory's literal values"
                    ),
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

struct Reader<'a> {
    file: &'a SourceFile,
    unit: &'a str,
}

impl Reader<'_> {
    fn location(&self, span: Option<std::ops::Range<usize>>) -> Location {
        match span {
            Some(span) => Location::new(&self.file.path, &self.file.text, span),
            None => Location::file(&self.file.path, &self.file.text),
        }
    }

    fn resource(&self, block: &Block, out: &mut TerraformFile) {
        let (Some(type_name), Some(name)) = (label(block, 0), label(block, 1)) else {
            return;
        };
        let Some(kind) = Kind::from_terraform(type_name) else {
            return;
        };
        let address = format!("{type_name}.{name}");
        let location = self.location(block.span());
        let repetition = ["count", "for_each"].iter().find_map(|meta| {
            block
                .body
                .get_attribute(meta)
                .map(|a| format!("{meta} = {}", self.value(&a.value).describe()))
        });
        if let Some(repetition) = &repetition {
            out.unresolved.push(Unresolved {
                unit: self.unit.to_string(),
                location: location.clone(),
                message: format!(
                    "`{address}` has `{repetition}`, not evaluated: the draft assumes one instance"
                ),
            });
        }
        let attributes = self.body(&block.body, &address, &mut out.unresolved);
        out.resources.push(Resource {
            kind,
            type_name: type_name.to_string(),
            address,
            unit: self.unit.to_string(),
            location,
            attributes,
            repetition,
        });
    }

    fn provider(&self, block: &Block, out: &mut TerraformFile) {
        if label(block, 0) != Some("aws") {
            return;
        }
        let alias = block
            .body
            .get_attribute("alias")
            .and_then(|a| self.value(&a.value).as_str().map(str::to_string));
        let region = block
            .body
            .get_attribute("region")
            .map(|a| self.value(&a.value));
        out.providers.push(ProviderConfig {
            unit: self.unit.to_string(),
            alias,
            region,
            location: self.location(block.span()),
        });
    }

    /// A body as a map: attributes by name, nested blocks as a list of maps under their name.
    fn body(&self, body: &Body, address: &str, unresolved: &mut Vec<Unresolved>) -> Value {
        let mut entries: Vec<(String, Value)> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    entries.push((
                        attribute.key.as_str().to_string(),
                        self.value(&attribute.value),
                    ));
                }
                Structure::Block(block) => {
                    let (key, inner) = if block.ident.as_str() == "dynamic" {
                        let Some(name) = label(block, 0) else {
                            continue;
                        };
                        unresolved.push(Unresolved {
                            unit: self.unit.to_string(),
                            location: self.location(block.span()),
                            message: format!(
                                "`{address}` has a `dynamic \"{name}\"` block, not evaluated: its content is read once, as written"
                            ),
                        });
                        let content = block
                            .body
                            .get_blocks("content")
                            .next()
                            .map(|c| self.body(&c.body, address, unresolved))
                            .unwrap_or(Value::Map(Vec::new()));
                        (name.to_string(), content)
                    } else {
                        (
                            block.ident.as_str().to_string(),
                            self.body(&block.body, address, unresolved),
                        )
                    };
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, Value::List(items))) => items.push(inner),
                        _ => entries.push((key, Value::List(vec![inner]))),
                    }
                }
            }
        }
        Value::Map(entries)
    }

    fn value(&self, expression: &Hcl) -> Value {
        match expression {
            Hcl::Null(_) => Value::Null,
            Hcl::Bool(b) => Value::Bool(*b.value()),
            Hcl::Number(n) => Value::Number(n.value().to_string()),
            Hcl::String(s) => Value::String(s.value().to_string()),
            Hcl::Array(array) => Value::List(array.iter().map(|e| self.value(e)).collect()),
            Hcl::Object(object) => Value::Map(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key = match key {
                            ObjectKey::Ident(ident) => ident.as_str().to_string(),
                            ObjectKey::Expression(e) => match self.value(e) {
                                Value::String(s) => s,
                                other => other.describe(),
                            },
                        };
                        (key, self.value(value.expr()))
                    })
                    .collect(),
            ),
            Hcl::StringTemplate(template) => self.template(template, expression),
            Hcl::HeredocTemplate(heredoc) => self.template(&heredoc.template, expression),
            Hcl::Parenthesis(inner) => self.value(inner.inner()),
            _ => self.expression(expression),
        }
    }

    /// A template without interpolations or directives is a plain string.
    fn template(&self, template: &Template, whole: &Hcl) -> Value {
        let mut literal = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(text) => literal.push_str(text.value()),
                _ => return self.expression(whole),
            }
        }
        Value::String(literal)
    }

    fn expression(&self, expression: &Hcl) -> Value {
        let text = expression
            .span()
            .and_then(|span| self.file.text.get(span))
            .map(|t| t.trim().to_string())
            .unwrap_or_else(|| expression.to_string().trim().to_string());
        let mut collector = References::default();
        collector.visit_expr(expression);
        let mut references = collector.0;
        references.dedup();
        Value::Expression(Expression {
            text: short(&text),
            references,
        })
    }
}

/// The addresses and names an expression refers to.
#[derive(Default)]
struct References(Vec<String>);

impl Visit for References {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Some(reference) = traversal_reference(node)
            && !self.0.contains(&reference)
        {
            self.0.push(reference);
        }
        visit_traversal(self, node);
    }
}

/// `aws_x.y.arn` → `aws_x.y`; `var.a.b` → `var.a`; `data.t.n.id` → `data.t.n`;
/// `module.m.out` → `module.m`.
fn traversal_reference(traversal: &Traversal) -> Option<String> {
    let root = traversal.expr.as_variable()?.as_str();
    let names: Vec<&str> = traversal
        .operators
        .iter()
        .map_while(|op| match op.value() {
            TraversalOperator::GetAttr(ident) => Some(ident.as_str()),
            _ => None,
        })
        .collect();
    let first = names.first()?;
    Some(match root {
        "data" => format!("data.{first}.{}", names.get(1)?),
        _ => format!("{root}.{first}"),
    })
}

fn label(block: &Block, index: usize) -> Option<&str> {
    block.labels.get(index).map(|l| l.as_str())
}

/// Text for a one-line message or comment: line breaks and control characters become spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// An expression's text for messages: one line, at most 100 characters.
pub(crate) fn short(text: &str) -> String {
    let line = one_line(text);
    if line.chars().count() > 100 {
        line.chars().take(97).collect::<String>() + "..."
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "infra/main.tf".into(),
            text: text.into(),
        }
    }

    #[test]
    fn keeps_ai_resources_with_spans_and_ignores_the_rest() {
        let text = "resource \"aws_s3_bucket\" \"b\" {}\n\nresource \"aws_bedrock_guardrail\" \"g\" {\n  name = \"g\"\n}\n";
        let read = read(&file(text)).unwrap();
        assert_eq!(read.resources.len(), 1);
        let guardrail = &read.resources[0];
        assert_eq!(guardrail.address, "aws_bedrock_guardrail.g");
        assert_eq!(guardrail.unit, "infra");
        assert_eq!(guardrail.location.start_line, 2);
        assert_eq!(guardrail.location.end_line, 4);
        assert!(
            text[guardrail.location.span.clone()].starts_with("resource \"aws_bedrock_guardrail\"")
        );
        assert_eq!(guardrail.string(&["name"]), Some("g"));
    }

    #[test]
    fn references_and_nested_blocks() {
        let text = r#"
resource "aws_bedrockagent_agent_action_group" "refunds" {
  agent_id = aws_bedrockagent_agent.claims.agent_id
  description = "Refunds for ${var.team}"
  function_schema {
    member_functions {
      functions {
        name                 = "issue_refund"
        require_confirmation = "ENABLED"
      }
      functions {
        name = "lookup_order"
      }
    }
  }
}
"#;
        let read = read(&file(text)).unwrap();
        let group = &read.resources[0];
        assert_eq!(
            group.references(),
            ["aws_bedrockagent_agent.claims", "var.team"]
        );
        let names: Vec<_> = group
            .attributes
            .find_all(&["function_schema", "member_functions", "functions", "name"])
            .into_iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(names, ["issue_refund", "lookup_order"]);
        assert_eq!(
            group.attribute(&["description"]).unwrap().describe(),
            "\"Refunds for ${var.team}\""
        );
    }

    #[test]
    fn count_dynamic_and_modules_are_recorded_as_unresolved() {
        let text = r#"
module "agents" { source = "./modules/agent" }
resource "aws_bedrockagent_agent" "a" {
  count = var.enabled ? 1 : 0
  dynamic "guardrail_configuration" {
    for_each = var.guardrails
    content { guardrail_identifier = guardrail_configuration.value }
  }
}
"#;
        let read = read(&file(text)).unwrap();
        let messages: Vec<_> = read.unresolved.iter().map(|u| u.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("module `agents`"));
        assert!(
            messages
                .iter()
                .any(|m| m.contains("count = var.enabled ? 1 : 0"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("dynamic \"guardrail_configuration\""))
        );
        assert!(read.resources[0].repetition.is_some());
        assert!(
            read.resources[0]
                .attribute(&["guardrail_configuration", "guardrail_identifier"])
                .is_some()
        );
    }

    #[test]
    fn providers_and_their_regions() {
        let text = "provider \"aws\" { region = \"us-east-1\" }\nprovider \"aws\" {\n  alias = \"eu\"\n  region = var.eu\n}\nprovider \"google\" {}\n";
        let read = read(&file(text)).unwrap();
        assert_eq!(read.providers.len(), 2);
        assert_eq!(
            read.providers[0].region,
            Some(Value::String("us-east-1".into()))
        );
        assert_eq!(read.providers[1].alias.as_deref(), Some("eu"));
        assert!(matches!(
            read.providers[1].region,
            Some(Value::Expression(_))
        ));
    }

    #[test]
    fn broken_files_say_where() {
        let error = read(&file(
            "resource \"aws_bedrock_guardrail\" \"g\" {\n  name = \n",
        ))
        .unwrap_err();
        assert_eq!(error.location.path, "infra/main.tf");
        assert!(
            error.reason.starts_with("not valid HCL at line"),
            "{}",
            error.reason
        );
    }

    #[test]
    fn directories_of_paths() {
        assert_eq!(directory_of("main.tf"), ".");
        assert_eq!(directory_of("infra/agents/main.tf"), "infra/agents");
        assert_eq!(directory_of("/main.tf"), "/");
    }
}
