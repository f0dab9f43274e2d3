//! The one model every reader produces: the AI resources of the infrastructure code, with
//! their attributes as read (nothing evaluated), where they are, and what could not be read.

use std::ops::Range;

use crate::kinds::Kind;

/// A file given to the readers: its path as it should appear in findings and addresses, and
/// its text. The readers do no IO.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// An attribute value as written. Nothing is evaluated: a reference, a function call, a
/// template with interpolation or a CloudFormation intrinsic function is an [`Value::Expression`].
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number as written.
    Number(String),
    String(String),
    List(Vec<Value>),
    /// Keys in source order. Nested Terraform blocks are keys whose value is a list of maps
    /// (one per block), as in `terraform show -json`.
    Map(Vec<(String, Value)>),
    Expression(Expression),
}

/// An expression the readers do not evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    /// Its text as written (`var.model_id`, `!Ref ModelId`, `{"Fn::GetAtt": ["Kb", "Arn"]}`).
    pub text: String,
    /// What it refers to: resource addresses (`aws_bedrock_custom_model.tuned`, a logical id)
    /// and other names (`var.model_id`, `local.x`, `data.aws_region.current`, a parameter).
    pub references: Vec<String>,
}

impl Value {
    /// The value at `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Every value reached by following `path` through maps, stepping into each element of a
    /// list on the way (a nested block may be repeated).
    pub fn find_all<'a>(&'a self, path: &[&str]) -> Vec<&'a Value> {
        let mut current: Vec<&Value> = vec![self];
        for key in path {
            let mut next = Vec::new();
            for value in current {
                for item in value.elements() {
                    if let Some(found) = item.get(key) {
                        next.push(found);
                    }
                }
            }
            current = next;
        }
        current.into_iter().flat_map(Value::elements).collect()
    }

    /// The first value at `path` (see [`Value::find_all`]).
    pub fn find(&self, path: &[&str]) -> Option<&Value> {
        self.find_all(path).into_iter().next()
    }

    /// The elements of a list, or the value itself.
    pub fn elements(&self) -> Vec<&Value> {
        match self {
            Value::List(items) => items.iter().flat_map(Value::elements).collect(),
            other => vec![other],
        }
    }

    /// The literal string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_expression(&self) -> Option<&Expression> {
        match self {
            Value::Expression(e) => Some(e),
            _ => None,
        }
    }

    /// Every reference made anywhere in the value.
    pub fn references(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Value::Expression(e) => out.extend(e.references.iter().map(String::as_str)),
            Value::List(items) => items.iter().for_each(|v| v.collect_references(out)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| v.collect_references(out)),
            _ => {}
        }
    }

    /// A short text for messages: the literal, or the expression as written.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.clone(),
            Value::String(s) => format!("\"{s}\""),
            Value::List(_) => "a list".to_string(),
            Value::Map(_) => "a map".to_string(),
            Value::Expression(e) => e.text.clone(),
        }
    }
}

/// Where something is: the file, the byte range of its text, and the lines (0-based) it
/// starts and ends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub span: Range<usize>,
    pub start_line: usize,
    pub end_line: usize,
}

impl Location {
    pub fn new(path: &str, text: &str, span: Range<usize>) -> Location {
        // Readers count in characters or bytes as their parsers do (a parse error may point
        // inside a character): every span is clamped to the file and to character boundaries.
        let floor = |mut offset: usize| {
            offset = offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            offset
        };
        let start = floor(span.start);
        let end = floor(span.end.max(start));
        let line_of = |offset: usize| {
            text.as_bytes()[..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
        };
        Location {
            path: path.to_string(),
            start_line: line_of(start),
            end_line: line_of(end),
            span: start..end,
        }
    }

    /// The order of findings and resources: by file, then position.
    pub fn sort_key(&self) -> (&str, usize, usize) {
        (&self.path, self.span.start, self.span.end)
    }

    /// The whole file.
    pub fn file(path: &str, text: &str) -> Location {
        Location::new(path, text, 0..text.len())
    }
}

/// One AI resource of the infrastructure code.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub kind: Kind,
    /// As the infrastructure names it: `aws_bedrockagent_agent`, `AWS::Bedrock::Agent`.
    pub type_name: String,
    /// A Terraform address (`aws_bedrockagent_agent.claims`, `module.x.aws_…[0]` in a plan) or
    /// a CloudFormation logical id (`ResearchAgent`).
    pub address: String,
    /// The group it belongs to: a Terraform directory or a template (one workload each).
    pub unit: String,
    pub location: Location,
    /// Its attributes (CloudFormation: its `Properties`) as a map.
    pub attributes: Value,
    /// `count` or `for_each` as written: the resource may stand for several, or none.
    pub repetition: Option<String>,
}

impl Resource {
    /// The attribute at `path` (see [`Value::find`]).
    pub fn attribute(&self, path: &[&str]) -> Option<&Value> {
        self.attributes.find(path)
    }

    /// A literal string attribute.
    pub fn string(&self, path: &[&str]) -> Option<&str> {
        self.attribute(path).and_then(Value::as_str)
    }

    /// Every reference its attributes make, sorted and without repeats.
    pub fn references(&self) -> Vec<String> {
        let mut refs: Vec<String> = self
            .attributes
            .references()
            .into_iter()
            .map(str::to_string)
            .collect();
        refs.sort();
        refs.dedup();
        refs
    }
}

/// A `provider "aws"` configuration (Terraform only).
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderConfig {
    pub unit: String,
    pub alias: Option<String>,
    /// `None` when the block sets no region (it comes from the environment).
    pub region: Option<Value>,
    pub location: Location,
}

/// A file that could not be read or parsed (`iac-unreadable`); the others are still used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub location: Location,
    pub reason: String,
}

/// Something the readers saw but do not evaluate (variables, `count`, `for_each`, modules,
/// `dynamic` blocks, conditions): the draft says so in a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    pub unit: String,
    pub location: Location,
    pub message: String,
}

/// Everything read from a set of files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inventory {
    /// In a stable order: by unit, file, then position in the file.
    pub resources: Vec<Resource>,
    pub providers: Vec<ProviderConfig>,
    pub unreadable: Vec<Unreadable>,
    pub unresolved: Vec<Unresolved>,
    /// The units (directories, templates, plans) in a stable order.
    pub units: Vec<String>,
}

impl Inventory {
    /// The resource with `address`. An address may carry the file (`infra/main.tf:aws_x.y`);
    /// a bare address matches when exactly one resource has it.
    pub fn resource(&self, address: &str) -> Option<&Resource> {
        if let Some((path, bare)) = split_file_prefix(address) {
            return self
                .resources
                .iter()
                .find(|r| r.address == bare && r.location.path == path);
        }
        let mut matching = self.resources.iter().filter(|r| r.address == address);
        let first = matching.next()?;
        matching.next().is_none().then_some(first)
    }

    /// The resources of `unit`.
    pub fn resources_of<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.unit == unit)
    }

    /// Whether another resource has the same bare address (a binding then needs the file).
    pub fn is_ambiguous(&self, resource: &Resource) -> bool {
        self.resources
            .iter()
            .filter(|r| r.address == resource.address)
            .count()
            > 1
    }

    /// The address a declaration binds to: bare when unique, else prefixed by the file.
    pub fn binding_address(&self, resource: &Resource) -> String {
        if self.is_ambiguous(resource) {
            format!("{}:{}", resource.location.path, resource.address)
        } else {
            resource.address.clone()
        }
    }

    /// Every address, sorted: for suggestions and completion.
    pub fn addresses(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .resources
            .iter()
            .map(|r| self.binding_address(r))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// `path:address` → (path, address). Terraform addresses hold no `:` outside index keys
/// (`aws_x.y["a:b"]`), and CloudFormation logical ids are alphanumeric, so the prefix is
/// what comes before the first `:` that is not inside brackets, when a resource-like address
/// follows.
pub fn split_file_prefix(address: &str) -> Option<(&str, &str)> {
    let bracket = address.find('[').unwrap_or(address.len());
    let colon = address[..bracket].rfind(':')?;
    let (path, rest) = (&address[..colon], &address[colon + 1..]);
    (!path.is_empty() && !rest.is_empty()).then_some((path, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    #[test]
    fn find_all_steps_through_repeated_blocks() {
        let value = map(vec![(
            "function_schema",
            Value::List(vec![map(vec![(
                "functions",
                Value::List(vec![
                    map(vec![("name", Value::String("a".into()))]),
                    map(vec![("name", Value::String("b".into()))]),
                ]),
            )])]),
        )]);
        let names: Vec<_> = value
            .find_all(&["function_schema", "functions", "name"])
            .into_iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert!(value.find(&["function_schema", "missing"]).is_none());
    }

    #[test]
    fn file_prefixes_split_before_the_address() {
        assert_eq!(
            split_file_prefix("infra/main.tf:aws_bedrock_custom_model.x"),
            Some(("infra/main.tf", "aws_bedrock_custom_model.x"))
        );
        assert_eq!(split_file_prefix("aws_x.y[\"a:b\"]"), None);
        assert_eq!(split_file_prefix("ResearchAgent"), None);
    }

    #[test]
    fn locations_count_lines_and_clamp_spans() {
        let text = "a\nb\nc";
        let location = Location::new("f", text, 2..100);
        assert_eq!((location.start_line, location.end_line), (1, 2));
        assert_eq!(location.span, 2..5);
        // Offsets inside `Ӯ` (two bytes) round down to its start.
        let text = "data \u{4ee}";
        let location = Location::new("f", text, 6..6);
        assert_eq!(location.span, 5..5);
        assert_eq!(Location::new("f", text, 4..6).span, 4..5);
    }

    /// The fuzz target's finding: a reader's location inside a multi-byte character.
    #[test]
    fn every_reader_locates_on_character_boundaries() {
        let text = "data \u{4ee}";
        let files: Vec<crate::SourceFile> =
            ["infra/main.tf", "stack.yaml", "cdk.out/App.template.json"]
                .iter()
                .map(|path| crate::SourceFile {
                    path: (*path).to_string(),
                    text: text.to_string(),
                })
                .collect();
        let inventory = crate::read_sources(&files);
        let spans: Vec<_> = inventory
            .resources
            .iter()
            .map(|r| &r.location)
            .chain(inventory.unreadable.iter().map(|u| &u.location))
            .map(|l| l.span.clone())
            .collect();
        assert!(
            !spans.is_empty(),
            "the input reads as something or fails to"
        );
        for span in spans {
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{span:?}"
            );
        }
    }
}
