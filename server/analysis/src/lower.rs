//! Reading the typed model out of the syntax tree, checking it against the schema on the way:
//! unknown blocks and attributes, invalid values, missing attributes, duplicates.

use std::collections::HashMap;

use time::Date;
use time::macros::format_description;

use super::model::{
    Access, Agent, Approval, Audience, Classification, ControlDecl, Criticality, Data, DataOrigin,
    DataUse, Effect, Hosting, Initiation, Memory, Model, ModelOrigin, Output, Spanned, Stage,
    Status, Tool, ToolAudience, Training, Workload,
};
use crate::catalog::{Catalog, ParameterKind, Scope};
use crate::diagnostic::{Code, Diagnostic, Fix, TextEdit, bounded};
use crate::schema::{self, AttributeSpec, BlockSpec, LabelSpec, Requirement, ValueType, nearest};
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{
    Attribute, Block, BlockKind, Item, LabelKind, SourceFile, Value, ValueKind,
};

/// The string entries of an agent's first `delegates_to`, each with its own range (the
/// validation reported everything else).
fn delegate_entries(block: &Block) -> Vec<Spanned<String>> {
    let Some(value) = block
        .attributes()
        .find(|a| a.key.text == "delegates_to")
        .and_then(|a| a.value.as_ref())
    else {
        return Vec::new();
    };
    let ValueKind::List(items) = &value.kind else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match &item.kind {
            ValueKind::String(name) => Some(Spanned {
                value: name.clone(),
                range: item.range,
            }),
            _ => None,
        })
        .collect()
}

/// A value that passed validation.
#[derive(Clone, Debug, PartialEq)]
enum Typed {
    String(String),
    Integer(u64),
    Duration,
    Boolean(bool),
    Enum(&'static str),
    StringList(Vec<String>),
    /// The valid names of a list of names (invalid ones were reported).
    EnumList(Vec<&'static str>),
    Date(Date),
}

/// The validated attributes of one block, by name (first occurrence wins).
struct Attributes<'a> {
    values: AttributeMap<'a, Spanned<Typed>>,
}

/// A block's attributes by name: a few per block, in every block of every file, so hashed
/// with a fast hash in a map sized once.
type AttributeMap<'a, V> = HashMap<&'a str, V, foldhash::fast::RandomState>;

impl Attributes<'_> {
    fn string(&self, name: &str) -> Option<Spanned<String>> {
        self.get(name, |typed| match typed {
            Typed::String(s) => Some(s.clone()),
            _ => None,
        })
    }

    fn enum_value<T>(&self, name: &str, parse: fn(&str) -> Option<T>) -> Option<Spanned<T>> {
        self.get(name, |typed| match typed {
            Typed::Enum(value) => parse(value),
            _ => None,
        })
    }

    fn boolean(&self, name: &str) -> Option<Spanned<bool>> {
        self.get(name, |typed| match typed {
            Typed::Boolean(b) => Some(*b),
            _ => None,
        })
    }

    fn enum_list<T>(&self, name: &str, parse: fn(&str) -> Option<T>) -> Option<Spanned<Vec<T>>> {
        self.get(name, |typed| match typed {
            Typed::EnumList(names) => Some(names.iter().filter_map(|n| parse(n)).collect()),
            _ => None,
        })
    }

    fn get<T>(&self, name: &str, pick: impl Fn(&Typed) -> Option<T>) -> Option<Spanned<T>> {
        let spanned = self.values.get(name)?;
        Some(Spanned {
            value: pick(&spanned.value)?,
            range: spanned.range,
        })
    }
}

pub(super) struct Lowering<'a> {
    catalog: &'a Catalog,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowering<'a> {
    pub fn new(catalog: &'a Catalog) -> Self {
        Self {
            catalog,
            diagnostics: Vec::new(),
        }
    }

    pub fn file<'f>(&mut self, file: &'f SourceFile) -> Vec<Workload<'f>> {
        let mut workloads = Vec::new();
        for item in &file.items {
            match item {
                Item::Block(block) if block.is(BlockKind::Workload) => {
                    workloads.push(self.workload(block));
                }
                other => self.top_level_non_workload(other),
            }
        }
        self.duplicate_names(
            workloads.iter().map(|w| w.name.as_ref()),
            BlockKind::Workload,
            "in this file",
        );
        workloads
    }

    /// A top-level item that is not a `workload` block: nothing may stand there.
    pub(super) fn top_level_non_workload(&mut self, item: &Item) {
        match item {
            Item::Block(block) => {
                self.unknown_block(block, &[BlockKind::Workload], "at the top level");
            }
            Item::Attribute(attribute) => self.diagnostics.push(Diagnostic::new(
                Code::UnknownAttribute,
                attribute.key.range,
                format!(
                    "attribute `{}` outside a workload: attributes belong inside a `workload` block",
                    attribute.key.text
                ),
            )),
        }
    }

    pub(super) fn workload<'f>(&mut self, block: &'f Block) -> Workload<'f> {
        let name = self.name_label(block, &schema::WORKLOAD);
        let attributes = self.attributes(block, &schema::WORKLOAD, |_| None);
        let mut models = Vec::new();
        let mut data = Vec::new();
        let mut agents = Vec::new();
        let mut controls = Vec::new();
        for child in block.blocks() {
            match child.kind() {
                BlockKind::Model => models.push(self.model(child)),
                BlockKind::Data => data.push(self.data(child)),
                BlockKind::Agent => agents.push(self.agent(child)),
                BlockKind::Control => controls.extend(self.control(child)),
                _ => self.unknown_block(child, schema::WORKLOAD.children, "in a workload"),
            }
        }
        self.duplicate_names(
            agents.iter().map(|a| a.name.as_ref()),
            BlockKind::Agent,
            "in this workload",
        );
        self.duplicate_names(
            models.iter().map(|m| m.name.as_ref()),
            BlockKind::Model,
            "in this workload",
        );
        self.duplicate_names(
            data.iter().map(|d| d.name.as_ref()),
            BlockKind::Data,
            "in this workload",
        );
        self.duplicate_names(
            controls.iter().map(|c| Some(&c.id)),
            BlockKind::Control,
            "in this workload",
        );
        Workload {
            block,
            name,
            owner: attributes.string("owner"),
            scope: attributes.get("scope", |typed| match typed {
                Typed::Integer(n) => Scope::new(*n),
                _ => None,
            }),
            audience: attributes.enum_value("audience", Audience::from_name),
            criticality: attributes.enum_value("criticality", Criticality::from_name),
            regions: attributes.get("regions", |typed| match typed {
                Typed::StringList(list) => Some(list.clone()),
                _ => None,
            }),
            stage: attributes.enum_value("stage", Stage::from_name),
            access: attributes.enum_value("access", Access::from_name),
            outputs: attributes.enum_list("outputs", Output::from_name),
            data_residency: attributes.string("data_residency"),
            models,
            data,
            agents,
            controls,
        }
    }

    fn agent<'f>(&mut self, block: &'f Block) -> Agent<'f> {
        let name = self.name_label(block, &schema::AGENT);
        let attributes = self.attributes(block, &schema::AGENT, |_| None);
        let mut tools = Vec::new();
        let mut controls = Vec::new();
        for child in block.blocks() {
            match child.kind() {
                BlockKind::Tool => tools.push(self.tool(child)),
                BlockKind::Control => controls.extend(self.control(child)),
                _ => self.unknown_block(child, schema::AGENT.children, "in an agent"),
            }
        }
        self.duplicate_names(
            tools.iter().map(|t| t.name.as_ref()),
            BlockKind::Tool,
            "in this agent",
        );
        self.duplicate_names(
            controls.iter().map(|c| Some(&c.id)),
            BlockKind::Control,
            "in this agent",
        );
        Agent {
            block,
            name,
            model: attributes.string("model"),
            initiation: attributes.enum_value("initiation", Initiation::from_keyword),
            approval: attributes.enum_value("approval", Approval::from_keyword),
            memory: attributes.enum_value("memory", Memory::from_keyword),
            delegates_to: delegate_entries(block),
            agency_scope: attributes.get("agency_scope", |typed| match typed {
                Typed::Integer(n) => u8::try_from(*n).ok(),
                _ => None,
            }),
            resource: attributes.string("resource"),
            tools,
            controls,
        }
    }

    fn tool<'f>(&mut self, block: &'f Block) -> Tool<'f> {
        let name = self.name_label(block, &schema::TOOL);
        let attributes = self.attributes(block, &schema::TOOL, |_| None);
        self.no_children(block);
        Tool {
            block,
            name,
            effect: attributes.enum_value("effect", Effect::from_keyword),
            approval: attributes.enum_value("approval", Approval::from_keyword),
            audience: attributes.enum_value("audience", ToolAudience::from_keyword),
        }
    }

    fn model<'f>(&mut self, block: &'f Block) -> Model<'f> {
        let name = self.name_label(block, &schema::MODEL);
        let attributes = self.attributes(block, &schema::MODEL, |_| None);
        self.no_children(block);
        Model {
            block,
            name,
            hosting: attributes.enum_value("hosting", Hosting::from_name),
            training: attributes.enum_value("training", Training::from_name),
            classification: attributes.enum_value("classification", Classification::from_name),
            origin: attributes.enum_value("origin", ModelOrigin::from_name),
            inference: attributes.boolean("inference"),
            resource: attributes.string("resource"),
        }
    }

    fn data<'f>(&mut self, block: &'f Block) -> Data<'f> {
        let name = self.name_label(block, &schema::DATA);
        let attributes = self.attributes(block, &schema::DATA, |_| None);
        self.no_children(block);
        Data {
            block,
            name,
            classification: attributes.enum_value("classification", Classification::from_name),
            personal_data: attributes.boolean("personal_data"),
            use_: attributes.enum_value("use", DataUse::from_name),
            model: attributes.string("model"),
            origin: attributes.enum_value("origin", DataOrigin::from_name),
            resource: attributes.string("resource"),
        }
    }

    fn control<'f>(&mut self, block: &'f Block) -> Option<ControlDecl<'f>> {
        self.no_children(block);
        let Some(label) = &block.label else {
            self.diagnostics.push(Diagnostic::new(
                Code::MissingAttribute,
                block.keyword.range,
                "a control needs its id as label, e.g. `control risk.threat_model { … }`",
            ));
            return None;
        };
        let control = self.catalog.control(&label.text);
        if control.is_none() {
            let ids = self.catalog.controls.iter().map(|c| c.id.as_str());
            let mut diagnostic = Diagnostic::new(
                Code::UnknownControl,
                label.range,
                format!("`{}` is not a control of the catalog", bounded(&label.text)),
            )
            .with_control(label.text.as_str());
            if let Some(suggestion) = nearest(&label.text, ids) {
                diagnostic.append_to_message(&format!("; did you mean `{suggestion}`?"));
                diagnostic = diagnostic.with_fix(Fix {
                    title: format!("Replace with `{suggestion}`"),
                    edits: vec![TextEdit::replace(label.range, suggestion)],
                    safe: false,
                });
            }
            self.diagnostics.push(diagnostic);
        }
        let parameter_type = |name: &str| {
            let parameter = control?.parameter(name)?;
            Some(match parameter.kind {
                ParameterKind::Duration => ValueType::Duration,
                ParameterKind::Integer => ValueType::Integer {
                    min: 1,
                    max: u64::MAX,
                },
            })
        };
        let parameter_names: Vec<&str> = control
            .map(|c| c.parameters.iter().map(|p| p.name.as_str()).collect())
            .unwrap_or_default();
        let attributes =
            self.attributes_with(block, &schema::CONTROL, parameter_type, &parameter_names);
        Some(ControlDecl {
            block,
            id: Spanned {
                value: label.text.clone(),
                range: label.range,
            },
            status: attributes.enum_value("status", Status::from_name),
            evidence: attributes.string("evidence"),
            due: attributes.get("due", |typed| match typed {
                Typed::Date(date) => Some(*date),
                _ => None,
            }),
            justification: attributes.string("justification"),
        })
    }

    /// The `"name"` label of a workload, model or data block.
    fn name_label(&mut self, block: &Block, spec: &BlockSpec) -> Option<Spanned<String>> {
        debug_assert_eq!(spec.label, LabelSpec::Name);
        match &block.label {
            Some(label) if label.kind == LabelKind::String => Some(Spanned {
                value: label.text.clone(),
                range: label.range,
            }),
            Some(label) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        label.range,
                        format!(
                            "a {} name is a string: write `\"{}\"`",
                            spec.keyword(),
                            label.text
                        ),
                    )
                    .with_fix(Fix {
                        title: "Quote the name".into(),
                        edits: vec![TextEdit::replace(
                            label.range,
                            format!("\"{}\"", label.text),
                        )],
                        safe: true,
                    }),
                );
                Some(Spanned {
                    value: label.text.clone(),
                    range: label.range,
                })
            }
            None => {
                self.diagnostics.push(Diagnostic::new(
                    Code::MissingAttribute,
                    block.keyword.range,
                    format!("a {0} needs a name: `{0} \"name\" {{ … }}`", spec.keyword()),
                ));
                None
            }
        }
    }

    fn attributes<'f>(
        &mut self,
        block: &'f Block,
        spec: &BlockSpec,
        extra: impl Fn(&str) -> Option<ValueType>,
    ) -> Attributes<'f> {
        self.attributes_with(block, spec, extra, &[])
    }

    /// Validates every attribute of `block` against `spec` plus `extra` (a control's
    /// parameters) and reports required ones that are absent.
    fn attributes_with<'f>(
        &mut self,
        block: &'f Block,
        spec: &BlockSpec,
        extra: impl Fn(&str) -> Option<ValueType>,
        extra_names: &[&str],
    ) -> Attributes<'f> {
        let count = block.attributes().count();
        let mut values: AttributeMap<'f, Spanned<Typed>> =
            HashMap::with_capacity_and_hasher(count, Default::default());
        let mut first_seen: AttributeMap<'f, TextRange> =
            HashMap::with_capacity_and_hasher(count, Default::default());
        for attribute in block.attributes() {
            let key = attribute.key.text.as_str();
            let ty = spec.attribute(key).map(|a| a.ty).or_else(|| extra(key));
            let Some(ty) = ty else {
                let candidates = spec
                    .attributes
                    .iter()
                    .map(|a| a.name)
                    .chain(extra_names.iter().copied());
                self.unknown_attribute(attribute, spec.keyword(), candidates);
                continue;
            };
            if let Some(first) = first_seen.get(key) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateAttribute,
                        attribute.key.range,
                        format!(
                            "`{key}` is set twice in this {}; the first value counts",
                            spec.keyword()
                        ),
                    )
                    .with_related(*first, "first set here"),
                );
                continue;
            }
            first_seen.insert(key, attribute.key.range);
            let Some(value) = &attribute.value else {
                // The parser already reported the missing value.
                continue;
            };
            if let Some(typed) = self.check_value(key, value, ty) {
                values.insert(
                    key,
                    Spanned {
                        value: typed,
                        range: value.range,
                    },
                );
            }
        }
        for attribute in spec.attributes {
            if attribute.requirement == Requirement::Required
                && !first_seen.contains_key(attribute.name)
            {
                self.missing_attribute(block, spec, attribute);
            }
        }
        Attributes { values }
    }

    fn missing_attribute(&mut self, block: &Block, spec: &BlockSpec, attribute: &AttributeSpec) {
        let anchor = block
            .label
            .as_ref()
            .map(|l| l.range)
            .unwrap_or(block.keyword.range);
        self.diagnostics.push(Diagnostic::new(
            Code::MissingAttribute,
            anchor,
            format!(
                "{} is missing `{}`: {}",
                spec.keyword(),
                attribute.name,
                attribute.ty.describe()
            ),
        ));
    }

    fn check_value(&mut self, key: &str, value: &Value, ty: ValueType) -> Option<Typed> {
        let invalid = |message: String| Diagnostic::new(Code::InvalidValue, value.range, message);
        let typed = match (ty, &value.kind) {
            (ValueType::String, ValueKind::String(s)) => Some(Typed::String(s.clone())),
            (ValueType::Integer { min, max }, ValueKind::Integer(Some(n)))
                if (min..=max).contains(n) =>
            {
                Some(Typed::Integer(*n))
            }
            (ValueType::Integer { .. }, ValueKind::Integer(_)) => {
                self.diagnostics
                    .push(invalid(format!("`{key}` must be {}", ty.describe())));
                return None;
            }
            (ValueType::Duration, ValueKind::Duration(Some(_))) => Some(Typed::Duration),
            (ValueType::Duration, ValueKind::Duration(None)) => {
                self.diagnostics
                    .push(invalid(format!("`{key}` is too long a duration")));
                return None;
            }
            (ValueType::Boolean, ValueKind::Boolean(b)) => Some(Typed::Boolean(*b)),
            (ValueType::Enum(values), ValueKind::Identifier(name)) => {
                return self.enum_name(key, value, name, values).map(Typed::Enum);
            }
            (ValueType::EnumList(values), ValueKind::List(items)) => {
                let mut names = Vec::new();
                for item in items {
                    match &item.kind {
                        ValueKind::Identifier(name) => {
                            names.extend(self.enum_name(key, item, name, values));
                        }
                        _ => self.wrong_type(key, item, ValueType::Enum(values)),
                    }
                }
                Some(Typed::EnumList(names))
            }
            (ValueType::Boolean, ValueKind::Identifier(name)) => {
                self.not_a_boolean(key, value, name);
                return None;
            }
            (ValueType::StringList, ValueKind::List(items)) => {
                let mut strings = Vec::new();
                for item in items {
                    match &item.kind {
                        ValueKind::String(s) => strings.push(s.clone()),
                        other => self.diagnostics.push(Diagnostic::new(
                            Code::InvalidValue,
                            item.range,
                            format!("`{key}` lists strings, not {}", other.describe()),
                        )),
                    }
                }
                Some(Typed::StringList(strings))
            }
            (ValueType::Date, ValueKind::String(s)) => {
                match Date::parse(s, format_description!("[year]-[month]-[day]")) {
                    Ok(date) => Some(Typed::Date(date)),
                    Err(_) => {
                        self.diagnostics.push(invalid(format!(
                            "`{key}` must be a date \"YYYY-MM-DD\", not \"{s}\""
                        )));
                        return None;
                    }
                }
            }
            _ => None,
        };
        if typed.is_none() {
            self.wrong_type(key, value, ty);
        }
        typed
    }

    /// `name` as one of `values`, or an `invalid-value` finding with the likely name: the same
    /// name in another case (a safe fix: `RAG` is `rag`), else the nearest one.
    fn enum_name(
        &mut self,
        key: &str,
        value: &Value,
        name: &str,
        values: &'static [schema::EnumValue],
    ) -> Option<&'static str> {
        if let Some(known) = values.iter().find(|v| v.name == name) {
            return Some(known.name);
        }
        let mut diagnostic = Diagnostic::new(
            Code::InvalidValue,
            value.range,
            format!(
                "`{}` is not a valid `{key}`: expected {}",
                bounded(name),
                schema::enum_names(values)
            ),
        );
        let same_but_case = values.iter().find(|v| v.name.eq_ignore_ascii_case(name));
        if let Some(known) = same_but_case {
            diagnostic.set_message(format!(
                "`{}` is not a valid `{key}`: names are lowercase, write `{}`",
                bounded(name),
                known.name
            ));
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Write `{}`", known.name),
                edits: vec![TextEdit::replace(value.range, known.name)],
                safe: true,
            });
        } else if let Some(suggestion) = nearest(name, values.iter().map(|v| v.name)) {
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Replace with `{suggestion}`"),
                edits: vec![TextEdit::replace(value.range, suggestion)],
                safe: false,
            });
        }
        self.diagnostics.push(diagnostic);
        None
    }

    /// A bare name where a boolean belongs: `yes`, `no`, `True`, `off` … get the boolean
    /// they mean as a fix.
    fn not_a_boolean(&mut self, key: &str, value: &Value, name: &str) {
        let meant = match name.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "on" => Some("true"),
            "false" | "no" | "n" | "off" | "none" => Some("false"),
            _ => None,
        };
        let mut diagnostic = Diagnostic::new(
            Code::InvalidValue,
            value.range,
            format!("`{key}` must be `true` or `false`, not `{}`", bounded(name)),
        );
        if let Some(meant) = meant {
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Write `{meant}`"),
                edits: vec![TextEdit::replace(value.range, meant)],
                safe: true,
            });
        }
        self.diagnostics.push(diagnostic);
    }

    /// A value of the wrong kind; quoted enum names, booleans and integers get their quotes
    /// removed by the fix.
    fn wrong_type(&mut self, key: &str, value: &Value, ty: ValueType) {
        let mut diagnostic = Diagnostic::new(
            Code::InvalidValue,
            value.range,
            format!(
                "`{key}` must be {}, not {}",
                ty.describe(),
                value.kind.describe()
            ),
        );
        if let ValueKind::String(text) = &value.kind {
            let unquoted_is_valid = match ty {
                ValueType::Enum(values) => values.iter().any(|v| v.name == text),
                ValueType::Boolean => text == "true" || text == "false",
                ValueType::Integer { min, max } => {
                    text.parse::<u64>().is_ok_and(|n| (min..=max).contains(&n))
                }
                ValueType::Duration => genai_scope_syntax::parse_duration_ms(text).is_some(),
                _ => false,
            };
            let meant_boolean = match text.to_ascii_lowercase().as_str() {
                "yes" | "on" => Some("true"),
                "no" | "off" => Some("false"),
                _ => None,
            }
            .filter(|_| ty == ValueType::Boolean);
            if let Some(meant) = meant_boolean {
                diagnostic = diagnostic.with_fix(Fix {
                    title: format!("Write `{meant}`"),
                    edits: vec![TextEdit::replace(value.range, meant)],
                    safe: true,
                });
            }
            if unquoted_is_valid {
                diagnostic.set_message(format!("`{key}` takes a bare `{text}`, without quotes"));
                diagnostic = diagnostic.with_fix(Fix {
                    title: format!("Write `{text}` without quotes"),
                    edits: vec![TextEdit::replace(value.range, text.clone())],
                    safe: true,
                });
            }
        }
        // `outputs = stored`: one name where a list belongs.
        if let (ValueType::EnumList(values), ValueKind::Identifier(name)) = (ty, &value.kind)
            && values.iter().any(|v| v.name == name)
        {
            diagnostic.set_message(format!("`{key}` is a list: write `[{name}]`"));
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Write `[{name}]`"),
                edits: vec![TextEdit::replace(value.range, format!("[{name}]"))],
                safe: true,
            });
        }
        self.diagnostics.push(diagnostic);
    }

    fn unknown_attribute<'c>(
        &mut self,
        attribute: &Attribute,
        keyword: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) {
        let key = &attribute.key.text;
        let mut diagnostic = Diagnostic::new(
            Code::UnknownAttribute,
            attribute.key.range,
            format!("`{}` is not an attribute of {keyword}", bounded(key)),
        );
        if let Some(suggestion) = nearest(key, candidates) {
            diagnostic.append_to_message(&format!("; did you mean `{suggestion}`?"));
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Rename to `{suggestion}`"),
                edits: vec![TextEdit::replace(attribute.key.range, suggestion)],
                safe: false,
            });
        }
        self.diagnostics.push(diagnostic);
    }

    fn unknown_block(&mut self, block: &Block, allowed: &[BlockKind], place: &str) {
        let kind = &block.keyword.text;
        let allowed_list = allowed
            .iter()
            .map(|a| format!("`{}`", a.keyword()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut diagnostic = Diagnostic::new(
            Code::UnknownBlock,
            block.keyword.range,
            format!(
                "`{}` blocks are not allowed {place}; expected {allowed_list}",
                bounded(kind)
            ),
        );
        if let Some(suggestion) = nearest(kind, allowed.iter().map(|a| a.keyword())) {
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Rename to `{suggestion}`"),
                edits: vec![TextEdit::replace(block.keyword.range, suggestion)],
                safe: false,
            });
        }
        self.diagnostics.push(diagnostic);
    }

    fn no_children(&mut self, block: &Block) {
        let keyword = &block.keyword.text;
        for child in block.blocks() {
            self.diagnostics.push(Diagnostic::new(
                Code::UnknownBlock,
                child.keyword.range,
                format!(
                    "`{}` blocks are not allowed in a `{keyword}` block",
                    child.keyword.text
                ),
            ));
        }
    }

    pub(super) fn duplicate_names<'n>(
        &mut self,
        names: impl Iterator<Item = Option<&'n Spanned<String>>>,
        kind: BlockKind,
        place: &str,
    ) {
        // Run over every workload of the file on each edit: a fast hash, sized once.
        let mut seen: HashMap<&str, TextRange, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(names.size_hint().0, Default::default());
        for name in names.flatten() {
            if let Some(first) = seen.get(name.value.as_str()) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        name.range,
                        format!(
                            "{} `{}` is declared twice {place}",
                            kind.keyword(),
                            bounded(&name.value)
                        ),
                    )
                    .with_related(*first, "first declared here"),
                );
            } else {
                seen.insert(&name.value, name.range);
            }
        }
    }
}
