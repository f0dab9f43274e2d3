//! Infrastructure code for the drift checks, read through the [`Environment`]: the files
//! under the configured paths (`check --iac`, `iac = [...]` in `genai-scope.toml`) become one
//! [`Inventory`] and its [`Draft`] (the facts the resources give), which the analysis then
//! takes as an input like its settings; it reads nothing itself.

use std::io;
use std::path::{Path, PathBuf};

use genai_scope_iac::discover::{self, FileSystem};
use genai_scope_iac::facts::{self, Draft};
use genai_scope_iac::{Inventory, Resource};

use super::{Environment, absolute};

/// The prefix of control evidence that names a resource (`iac:<address>`).
pub use crate::rules::drift::IAC_PREFIX;

/// What the infrastructure code says, read once per run (or per change, in the editor).
#[derive(Debug, Default)]
pub struct Infrastructure {
    pub inventory: Inventory,
    /// The facts of every resource, as `init --from` would draft them.
    pub draft: Draft,
    /// The directory paths in the inventory are relative to.
    pub base: PathBuf,
    /// The paths it was read from, absolute (the editor re-reads when a file under them
    /// changes).
    pub roots: Vec<PathBuf>,
}

impl Infrastructure {
    /// The absolute path of a file named in the inventory.
    pub fn path_of(&self, resource: &Resource) -> PathBuf {
        self.base.join(&resource.location.path)
    }

    /// The resource an address names, as the drift checks bind it: exactly, by a file suffix
    /// written from another directory, or bare when one file has it.
    pub fn resource(&self, address: &str) -> Option<&Resource> {
        match crate::rules::drift::lookup(&self.inventory, address) {
            crate::rules::drift::Lookup::Found(resource) => Some(resource),
            _ => None,
        }
    }

    /// Whether a changed file lies under one of the paths read.
    pub fn covers(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| path.starts_with(root))
    }
}

/// The listing and reading the discovery needs, from the environment.
struct Listing<'a>(&'a dyn Environment);

impl FileSystem for Listing<'_> {
    fn is_dir(&self, path: &Path) -> bool {
        self.0.is_dir(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        self.0.read_dir(path)
    }
    fn file_size(&self, path: &Path) -> io::Result<u64> {
        self.0.file_size(path)
    }
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        self.0.read_to_string(path)
    }
}

/// Reads every infrastructure file under `paths` (files or directories, relative to the
/// working directory). Paths in the inventory, and so in file-prefixed addresses
/// (`infra/main.tf:aws_x.y`), are relative to `base`, with `/` between their parts. A path that cannot be read is an unreadable entry;
/// the others are still used.
pub fn load(env: &dyn Environment, paths: &[PathBuf], base: &Path) -> Infrastructure {
    let base = absolute(env, base);
    let display = |path: &Path| relative_display(&absolute(env, path), &base);
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    let mut roots = Vec::new();
    for path in paths {
        let root = absolute(env, path);
        let (mut found, mut failed) = discover::collect(&Listing(env), &root, &display);
        files.append(&mut found);
        unreadable.append(&mut failed);
        roots.push(root);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let mut inventory = genai_scope_iac::read_sources(&files);
    inventory.unreadable.append(&mut unreadable);
    inventory
        .unreadable
        .sort_by(|a, b| a.location.sort_key().cmp(&b.location.sort_key()));
    inventory
        .unreadable
        .dedup_by(|a, b| a.location == b.location && a.reason == b.reason);
    let draft = facts::draft(&inventory);
    Infrastructure {
        inventory,
        draft,
        base,
        roots,
    }
}

/// `path` relative to `base` when under it, else as given; `/`-separated, without `.`.
fn relative_display(path: &Path, base: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = shown
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if shown.is_absolute() {
        shown.to_string_lossy().replace('\\', "/")
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::environment::memory::MemoryEnvironment;
    use std::sync::Arc;

    /// The infrastructure the documented examples of the drift codes are checked against
    /// (`catalog/rules.toml`): an agent pair with a guardrail in `infra/`, a custom model in
    /// `infra/tuning/`, and a directory with a broken file, `infra/support/`.
    pub(crate) fn examples() -> Arc<Infrastructure> {
        let env = MemoryEnvironment::default();
        env.write(
            "/ex/infra/main.tf",
            r#"
resource "aws_bedrockagent_agent" "claims" {
  agent_name       = "claims"
  foundation_model = "anthropic.claude-3-5-sonnet-20240620-v1:0"
}
resource "aws_bedrockagent_agent" "fraud_check" {
  agent_name       = "fraud-check"
  foundation_model = "amazon.nova-pro-v1:0"
}
resource "aws_bedrock_guardrail" "support" {
  name = "support"
}
"#,
        )
        .write(
            "/ex/infra/tuning/main.tf",
            r#"
resource "aws_bedrock_custom_model" "underwriting" {
  custom_model_name     = "underwriting-notes"
  base_model_identifier = "amazon.titan-text-express-v1"
  customization_type    = "FINE_TUNING"
  training_data_config {
    s3_uri = "s3://underwriting-training/notes.jsonl"
  }
}
"#,
        )
        .write(
            "/ex/infra/support/agent.tf",
            r#"
resource "aws_bedrockagent_agent" "support" {
  agent_name       = "support"
  foundation_model = "amazon.nova-pro-v1:0"
}
"#,
        )
        .write(
            "/ex/infra/support/broken.tf",
            "resource \"aws_bedrock_guardrail\" {{{",
        );
        Arc::new(load(&env, &[PathBuf::from("/ex/infra")], Path::new("/ex")))
    }

    #[test]
    fn directories_are_listed_through_the_environment() {
        let env = MemoryEnvironment::default();
        env.write(
            "/repo/infra/main.tf",
            "resource \"aws_bedrock_guardrail\" \"g\" {}",
        )
        .write("/repo/infra/nested/broken.tf", "resource {{{")
        .write("/repo/infra/README.md", "not read");
        let infrastructure = load(&env, &[PathBuf::from("/repo/infra")], Path::new("/repo"));
        assert_eq!(
            infrastructure.inventory.addresses(),
            ["aws_bedrock_guardrail.g"]
        );
        assert_eq!(
            infrastructure.inventory.resources[0].location.path,
            "infra/main.tf"
        );
        let unreadable: Vec<_> = infrastructure
            .inventory
            .unreadable
            .iter()
            .map(|u| u.location.path.as_str())
            .collect();
        assert_eq!(unreadable, ["infra/nested/broken.tf"]);
        assert!(infrastructure.covers(Path::new("/repo/infra/new.tf")));
        assert!(!infrastructure.covers(Path::new("/repo/app.genai")));
    }

    #[test]
    fn a_missing_path_is_unreadable_not_fatal() {
        let env = MemoryEnvironment::default();
        let infrastructure = load(&env, &[PathBuf::from("/repo/gone")], Path::new("/repo"));
        assert_eq!(infrastructure.inventory.unreadable.len(), 1);
        assert_eq!(infrastructure.inventory.unreadable[0].location.path, "gone");
    }
}
