//! genai-scope-iac: facts from infrastructure code. Reads Terraform (`*.tf`, and the JSON of
//! `terraform show -json`) and CloudFormation (YAML or JSON templates, CDK's `cdk.out`) into one
//! [`Inventory`] of AI resources, maps them to the facts of a workload declaration
//! ([`facts::draft`], the table of `docs/iac.md`) and writes those as a `.genai` draft
//! ([`draft::write`]).
//!
//! No IO: files come in as [`SourceFile`]s; [`discover`] lists a directory through a
//! [`discover::FileSystem`] the caller implements. Nothing is evaluated (no Terraform run, no
//! cloud API): what could not be resolved is recorded as [`Unresolved`].
//!
//! May depend on: hcl-edit, saphyr-parser, serde_json, and genai-scope-syntax for the block
//! kinds (one concept with the syntax tree's). Nothing else of genai-scope: the analysis
//! depends on it (drift).

pub mod cloudformation;
pub mod discover;
pub mod draft;
pub mod facts;
pub mod kinds;
pub mod model;
pub mod plan;
pub mod terraform;

pub use kinds::Kind;
pub use model::{
    Expression, Inventory, Location, ProviderConfig, Resource, SourceFile, Unreadable, Unresolved,
    Value,
};

/// Files larger than this are reported unreadable rather than parsed.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// The kind of infrastructure file a path names, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Terraform,
    /// JSON: a plan, a CloudFormation template (CDK output), or neither.
    Json,
    /// YAML: a CloudFormation template, or something else.
    Yaml,
}

impl FileKind {
    pub fn of(path: &str) -> Option<FileKind> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "tf" => Some(FileKind::Terraform),
            "json" => Some(FileKind::Json),
            "yaml" | "yml" | "template" => Some(FileKind::Yaml),
            _ => None,
        }
    }
}

/// Whether a file that failed to parse looks like infrastructure code (else it is some other
/// YAML or JSON of the repository, and its failure is not ours to report).
fn looks_like_infrastructure(text: &str) -> bool {
    [
        "AWSTemplateFormatVersion",
        "Resources",
        "format_version",
        "planned_values",
    ]
    .iter()
    .any(|marker| text.contains(marker))
}

/// Reads every file into one inventory. Unknown resource types are ignored; a file that
/// cannot be read is an [`Unreadable`] entry and the others are still used.
pub fn read_sources(files: &[SourceFile]) -> Inventory {
    let mut inventory = Inventory::default();
    for file in files {
        let Some(kind) = FileKind::of(&file.path) else {
            continue;
        };
        if file.text.len() > MAX_FILE_BYTES {
            inventory.unreadable.push(Unreadable {
                location: Location::new(&file.path, "", 0..0),
                reason: format!(
                    "larger than {} MiB: not read",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            });
            continue;
        }
        match kind {
            FileKind::Terraform => match terraform::read(file) {
                Ok(read) => {
                    inventory.resources.extend(read.resources);
                    inventory.providers.extend(read.providers);
                    inventory.unresolved.extend(read.unresolved);
                }
                Err(unreadable) => inventory.unreadable.push(unreadable),
            },
            FileKind::Json | FileKind::Yaml => {
                let mut json_error = None;
                if kind == FileKind::Json {
                    match plan::read_text(file) {
                        Ok(Some(plan)) => {
                            inventory.resources.extend(plan.resources);
                            inventory.providers.extend(plan.providers);
                            continue;
                        }
                        Ok(None) => {}
                        Err(unreadable) => json_error = Some(unreadable),
                    }
                }
                match cloudformation::read(file) {
                    Ok(Some(template)) => {
                        inventory.resources.extend(template.resources);
                        inventory.unresolved.extend(template.unresolved);
                    }
                    Ok(None) => {}
                    Err(unreadable) => {
                        if looks_like_infrastructure(&file.text) {
                            // A `.json` file: JSON's own error says more than YAML's.
                            inventory.unreadable.push(json_error.unwrap_or(unreadable));
                        }
                    }
                }
            }
        }
    }
    inventory.resources.sort_by(|a, b| {
        (&a.unit, &a.location.path, a.location.span.start).cmp(&(
            &b.unit,
            &b.location.path,
            b.location.span.start,
        ))
    });
    inventory
        .providers
        .sort_by(|a, b| (&a.unit, a.location.sort_key()).cmp(&(&b.unit, b.location.sort_key())));
    inventory
        .unresolved
        .sort_by(|a, b| (&a.unit, a.location.sort_key()).cmp(&(&b.unit, b.location.sort_key())));
    inventory
        .unreadable
        .sort_by(|a, b| a.location.sort_key().cmp(&b.location.sort_key()));
    let mut units: Vec<String> = inventory.resources.iter().map(|r| r.unit.clone()).collect();
    units.sort();
    units.dedup();
    inventory.units = units;
    inventory
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn file_kinds_by_extension() {
        assert_eq!(FileKind::of("infra/main.tf"), Some(FileKind::Terraform));
        assert_eq!(
            FileKind::of("cdk.out/App.template.json"),
            Some(FileKind::Json)
        );
        assert_eq!(FileKind::of("stack.YML"), Some(FileKind::Yaml));
        assert_eq!(FileKind::of("README.md"), None);
        assert_eq!(FileKind::of("Makefile"), None);
    }

    #[test]
    fn unreadable_files_do_not_stop_the_others() {
        let inventory = read_sources(&[
            source("a/broken.tf", "resource \"aws_bedrock_guardrail\" {{{"),
            source("a/ok.tf", "resource \"aws_bedrock_guardrail\" \"g\" {}"),
            source("broken.yaml", "Resources: [\n"),
            source("other.yaml", "not: [valid\n"),
            source("big.tf", &" ".repeat(MAX_FILE_BYTES + 1)),
        ]);
        assert_eq!(inventory.resources.len(), 1);
        let where_: Vec<_> = inventory
            .unreadable
            .iter()
            .map(|u| u.location.path.as_str())
            .collect();
        assert_eq!(where_, ["a/broken.tf", "big.tf", "broken.yaml"]);
        assert_eq!(inventory.units, ["a"]);
    }

    #[test]
    fn the_same_address_in_two_directories_binds_with_the_file() {
        let inventory = read_sources(&[
            source("a/main.tf", "resource \"aws_bedrock_guardrail\" \"g\" {}"),
            source("b/main.tf", "resource \"aws_bedrock_guardrail\" \"g\" {}"),
        ]);
        assert_eq!(
            inventory.addresses(),
            [
                "a/main.tf:aws_bedrock_guardrail.g",
                "b/main.tf:aws_bedrock_guardrail.g"
            ]
        );
        assert!(inventory.resource("aws_bedrock_guardrail.g").is_none());
        assert_eq!(
            inventory
                .resource("b/main.tf:aws_bedrock_guardrail.g")
                .map(|r| r.unit.as_str()),
            Some("b")
        );
    }
}
