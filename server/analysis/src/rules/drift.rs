//! Drift: a declaration held to the infrastructure code it names (`check --iac`, `iac = [...]`
//! in `genai-scope.toml`). Only facts the infrastructure actually gives are compared (those
//! the draft writes without a review note); nothing runs when no infrastructure is configured.
//!
//! - `iac-mismatch`: a bound block states a fact its resource contradicts.
//! - `undeclared-resource`: an AI resource that no block binds and no `iac:` evidence names.
//! - `unbound-resource`: `resource` or `iac:` evidence names an address that does not exist.
//! - `iac-unreadable`: an infrastructure file could not be read; the rest is still used.

use genai_scope_iac::facts::{BlockKind, FactValue};
use genai_scope_iac::model::split_file_prefix;
use genai_scope_iac::terraform::directory_of;
use genai_scope_iac::{Inventory, Kind, Resource};
use genai_scope_syntax::text::TextRange;

use super::Context;
use crate::diagnostic::{Code, Diagnostic, Fix, TextEdit};
use crate::environment::infrastructure::Infrastructure;
use crate::model::{NamedBlock, Spanned};

/// The prefix of control evidence that names a resource.
pub const IAC_PREFIX: &str = "iac:";

/// What an address names.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    Found(&'a Resource),
    /// A bare address that several files have: the file-prefixed candidates.
    Ambiguous(Vec<String>),
    Missing,
}

/// Finds the resource of `address`: exactly, or with a file prefix written from another
/// directory (`main.tf:x` or `../infra/main.tf:x` for `infra/main.tf`), when one resource fits.
pub(crate) fn lookup<'a>(inventory: &'a Inventory, address: &str) -> Lookup<'a> {
    if let Some(found) = inventory.resource(address) {
        return Lookup::Found(found);
    }
    match split_file_prefix(address) {
        Some((path, bare)) => {
            let path = path.trim_start_matches("./");
            let mut fitting = inventory.resources.iter().filter(|r| {
                r.address == bare
                    && (r.location.path.ends_with(&format!("/{path}"))
                        || path.ends_with(&format!("/{}", r.location.path)))
            });
            match (fitting.next(), fitting.next()) {
                (Some(one), None) => Lookup::Found(one),
                _ => Lookup::Missing,
            }
        }
        None => {
            let same: Vec<String> = inventory
                .resources
                .iter()
                .filter(|r| r.address == address)
                .map(|r| format!("{}:{}", r.location.path, r.address))
                .collect();
            if same.len() > 1 {
                Lookup::Ambiguous(same)
            } else {
                Lookup::Missing
            }
        }
    }
}

/// `infra/main.tf:12`, for messages (lines 1-based).
fn place(resource: &Resource) -> String {
    format!(
        "{}:{}",
        resource.location.path,
        resource.location.start_line + 1
    )
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Agent => "an agent",
        Kind::ActionGroup => "an action group",
        Kind::AgentCollaborator => "an agent collaborator",
        Kind::AgentAlias => "an agent alias",
        Kind::KnowledgeBase => "a knowledge base",
        Kind::DataSource => "a knowledge-base data source",
        Kind::VectorCollection => "a vector store",
        Kind::CustomModel => "a custom model",
        Kind::Guardrail => "a guardrail",
        Kind::InvocationLogging => "invocation logging",
        Kind::ProvisionedThroughput => "provisioned throughput",
        Kind::WebAclAssociation => "a web ACL association",
        Kind::SagemakerEndpoint => "a SageMaker endpoint",
        Kind::SagemakerEndpointConfig => "a SageMaker endpoint configuration",
        Kind::SagemakerModel => "a SageMaker model",
    }
}

/// A block's `resource` attribute, with what the drift checks need of the block.
struct Binding<'w> {
    kind: BlockKind,
    keyword: &'static str,
    name: String,
    resource: &'w Spanned<String>,
    /// Declared facts the infrastructure may give: attribute, value, its range.
    facts: Vec<(&'static str, &'static str, TextRange)>,
}

fn fact<T: Copy>(
    attribute: &'static str,
    value: &Option<Spanned<T>>,
    name: fn(T) -> &'static str,
) -> Option<(&'static str, &'static str, TextRange)> {
    value
        .as_ref()
        .map(|spanned| (attribute, name(spanned.value), spanned.range))
}

fn bindings<'w>(cx: &'w Context<'_>) -> Vec<Binding<'w>> {
    let mut out = Vec::new();
    for model in &cx.workload.models {
        if let Some(resource) = &model.resource {
            out.push(Binding {
                kind: BlockKind::Model,
                keyword: "model",
                name: model.display_name(),
                resource,
                facts: [
                    fact("training", &model.training, |t| t.name()),
                    fact("hosting", &model.hosting, |h| h.name()),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
    }
    for data in &cx.workload.data {
        if let Some(resource) = &data.resource {
            out.push(Binding {
                kind: BlockKind::Data,
                keyword: "data",
                name: data.display_name(),
                resource,
                facts: [
                    fact("use", &data.use_, |u| u.name()),
                    fact("origin", &data.origin, |o| o.name()),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
    }
    out
}

/// The `iac:` evidence of the workload's controls: the address and the evidence's range.
fn iac_evidence<'w>(cx: &'w Context<'_>) -> Vec<(&'w str, TextRange)> {
    cx.workload
        .controls
        .iter()
        .filter_map(|control| control.evidence.as_ref())
        .filter_map(|evidence| {
            evidence
                .value
                .strip_prefix(IAC_PREFIX)
                .map(|address| (address.trim(), evidence.range))
        })
        .collect()
}

fn infrastructure<'a>(cx: &'a Context<'_>) -> Option<&'a Infrastructure> {
    cx.options.infrastructure.as_deref()
}

pub fn iac_mismatch(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    for binding in bindings(cx) {
        let Lookup::Found(resource) = lookup(inventory, &binding.resource.value) else {
            continue;
        };
        let Some(block) = infrastructure
            .draft
            .block(binding.kind, &inventory.binding_address(resource))
        else {
            continue;
        };
        for (attribute, declared, range) in &binding.facts {
            let Some(FactValue::Word(actual)) = block
                .fact(attribute)
                .filter(|f| f.is_read())
                .map(|f| &f.value)
            else {
                continue;
            };
            if actual == declared {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::IacMismatch,
                    *range,
                    format!(
                        "{} \"{}\" declares `{attribute} = {declared}`, but its resource {} ({}) gives `{attribute} = {actual}`; the declaration has drifted from the infrastructure",
                        binding.keyword,
                        binding.name,
                        resource.address,
                        place(resource)
                    ),
                )
                .with_fix(Fix {
                    title: format!("Set `{attribute} = {actual}`, as the infrastructure has it"),
                    edits: vec![TextEdit::replace(*range, actual.clone())],
                    safe: false,
                }),
            );
        }
    }
}

/// The address nearest to `address`, for a suggestion.
fn nearest(inventory: &Inventory, address: &str) -> Option<String> {
    let bare = split_file_prefix(address).map_or(address, |(_, bare)| bare);
    inventory
        .addresses()
        .into_iter()
        .map(|candidate| {
            let candidate_bare = split_file_prefix(&candidate).map_or(candidate.as_str(), |c| c.1);
            (strsim::jaro_winkler(bare, candidate_bare), candidate)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

pub fn unbound_resource(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    let mut named: Vec<(&str, TextRange, &str, String)> = bindings(cx)
        .into_iter()
        .map(|b| {
            (
                b.resource.value.as_str(),
                b.resource.range,
                "",
                format!("`resource` of {} \"{}\"", b.keyword, b.name),
            )
        })
        .collect();
    named.extend(
        iac_evidence(cx)
            .into_iter()
            .map(|(address, range)| (address, range, IAC_PREFIX, "evidence".to_string())),
    );
    for (address, range, prefix, what) in named {
        let (message, candidates) = match lookup(inventory, address) {
            Lookup::Found(_) => continue,
            Lookup::Ambiguous(candidates) => (
                format!(
                    "{what} names `{address}`, which {} files of the infrastructure have: prefix it with the file (`{}`)",
                    candidates.len(),
                    candidates.first().map(String::as_str).unwrap_or(address)
                ),
                candidates,
            ),
            Lookup::Missing => {
                let suggestion = nearest(inventory, address);
                let hint = match &suggestion {
                    Some(s) => format!("; the nearest is `{s}`"),
                    None => "; it has no AI resource at all".to_string(),
                };
                (
                    format!(
                        "{what} names `{address}`, which the infrastructure does not have{hint}"
                    ),
                    suggestion.into_iter().collect(),
                )
            }
        };
        let mut diagnostic = Diagnostic::new(Code::UnboundResource, range, message);
        for candidate in candidates {
            diagnostic = diagnostic.with_fix(Fix {
                title: format!("Bind to `{candidate}`"),
                edits: vec![TextEdit::replace(range, format!("\"{prefix}{candidate}\""))],
                safe: false,
            });
        }
        out.push(diagnostic);
    }
}

/// The kinds a declaration must account for. A knowledge base with data sources is
/// declared through them (each is a `data` block).
fn must_be_declared(inventory: &Inventory, resource: &Resource) -> bool {
    match resource.kind {
        Kind::Agent | Kind::DataSource | Kind::CustomModel | Kind::SagemakerEndpoint => true,
        Kind::KnowledgeBase => !inventory.resources_of(&resource.unit).any(|other| {
            other.kind == Kind::DataSource && other.references().contains(&resource.address)
        }),
        _ => false,
    }
}

/// The resources the workload binds or names as evidence.
fn named<'i>(cx: &Context<'_>, inventory: &'i Inventory) -> Vec<&'i Resource> {
    bindings(cx)
        .iter()
        .map(|b| b.resource.value.as_str())
        .chain(iac_evidence(cx).into_iter().map(|(address, _)| address))
        .filter_map(|address| match lookup(inventory, address) {
            Lookup::Found(resource) => Some(resource),
            _ => None,
        })
        .collect()
}

/// A workload answers for the units (directories, templates) it binds to; one that binds
/// nothing, for all of them (`None`).
fn answered_units<'i>(named: &[&'i Resource]) -> Option<Vec<&'i str>> {
    let units: Vec<&str> = named.iter().map(|r| r.unit.as_str()).collect();
    (!units.is_empty()).then_some(units)
}

pub fn undeclared_resource(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    let named = named(cx, inventory);
    let units = answered_units(&named);
    for resource in &inventory.resources {
        if units
            .as_ref()
            .is_some_and(|units| !units.contains(&resource.unit.as_str()))
            || !must_be_declared(inventory, resource)
            || named.iter().any(|n| std::ptr::eq(*n, resource))
        {
            continue;
        }
        out.push(Diagnostic::new(
            Code::UndeclaredResource,
            cx.workload.anchor(),
            format!(
                "{} ({}), {}, is not declared: no block binds it (`resource = \"{}\"`) and no control names it as `iac:` evidence; declare it (`genai-scope init --from {}` drafts the block)",
                resource.address,
                place(resource),
                kind_name(resource.kind),
                inventory.binding_address(resource),
                resource.location.path
            ),
        ));
    }
}

pub fn iac_unreadable(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(infrastructure) = infrastructure(cx) else {
        return;
    };
    let inventory = &infrastructure.inventory;
    let units = answered_units(&named(cx, inventory));
    for unreadable in &inventory.unreadable {
        // A file concerns the workloads that answer for its unit: its directory (Terraform)
        // or itself (a template).
        let path = unreadable.location.path.as_str();
        let directory = directory_of(path);
        if units
            .as_ref()
            .is_some_and(|units| !units.contains(&path) && !units.contains(&directory.as_str()))
        {
            continue;
        }
        let message = format!(
            "infrastructure file {}:{} could not be read: {}; drift is checked against the other files",
            unreadable.location.path,
            unreadable.location.start_line + 1,
            unreadable.reason
        );
        // Said once per declaration file, on the first workload it concerns.
        if out
            .iter()
            .any(|d| d.code == Code::IacUnreadable && d.message == message)
        {
            continue;
        }
        out.push(Diagnostic::new(
            Code::IacUnreadable,
            cx.workload.block.kind.range,
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_iac::SourceFile;

    fn inventory() -> Inventory {
        let file = |path: &str, text: &str| SourceFile {
            path: path.into(),
            text: text.into(),
        };
        genai_scope_iac::read_sources(&[
            file(
                "infra/a/main.tf",
                "resource \"aws_bedrock_guardrail\" \"shared\" {}\nresource \"aws_bedrock_guardrail\" \"only\" {}",
            ),
            file(
                "infra/b/main.tf",
                "resource \"aws_bedrock_guardrail\" \"shared\" {}",
            ),
        ])
    }

    #[test]
    fn addresses_bind_exactly_by_file_or_by_a_file_suffix() {
        let inventory = inventory();
        assert!(matches!(
            lookup(&inventory, "aws_bedrock_guardrail.only"),
            Lookup::Found(r) if r.location.path == "infra/a/main.tf"
        ));
        assert!(matches!(
            lookup(&inventory, "infra/b/main.tf:aws_bedrock_guardrail.shared"),
            Lookup::Found(r) if r.location.path == "infra/b/main.tf"
        ));
        // Written from another directory: the one path that ends with it.
        assert!(matches!(
            lookup(&inventory, "b/main.tf:aws_bedrock_guardrail.shared"),
            Lookup::Found(r) if r.location.path == "infra/b/main.tf"
        ));
        assert!(matches!(
            lookup(&inventory, "main.tf:aws_bedrock_guardrail.shared"),
            Lookup::Missing
        ));
        match lookup(&inventory, "aws_bedrock_guardrail.shared") {
            Lookup::Ambiguous(candidates) => assert_eq!(
                candidates,
                [
                    "infra/a/main.tf:aws_bedrock_guardrail.shared",
                    "infra/b/main.tf:aws_bedrock_guardrail.shared"
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            lookup(&inventory, "aws_bedrock_guardrail.gone"),
            Lookup::Missing
        ));
    }

    #[test]
    fn the_nearest_address_is_by_name() {
        let inventory = inventory();
        assert_eq!(
            nearest(&inventory, "aws_bedrock_guardrail.onyl").as_deref(),
            Some("aws_bedrock_guardrail.only")
        );
        assert_eq!(nearest(&Inventory::default(), "x"), None);
    }
}
