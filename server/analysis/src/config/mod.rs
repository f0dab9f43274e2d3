//! Project configuration: `genai-scope.toml`, found by walking up from each checked file
//! (the nearest wins). It shapes the findings (severities, disabled rules, evidence
//! requirements, which rules may be suppressed inline) and which files `check` finds when
//! it walks a directory. An invalid file is an error that names the file, the line and the
//! key; it never falls back silently.
//!
//! ```toml
//! include = ["**/*.genai"]
//! exclude = ["vendor/**"]
//! disabled = ["control-not-applicable"]
//! require_evidence = ["error", "risk.threat_model"]
//! no_inline_suppressions = ["sensitive-data-in-consumer-app"]
//!
//! [severity]
//! missing-justification = "error"
//! "resilience.region_parity" = "off"
//!
//! [[control]]            # a custom control (see `custom`)
//! id = "controls.prompt_logging"
//! title = "Log prompts and completions"
//! summary = "Prompts and completions are logged, with personal data masked."
//! scopes = [3, 4, 5]
//! severity = "warning"
//! ```

mod custom;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::Settings;
use crate::catalog::{Catalog, SharedCatalog};
use crate::diagnostic::Level;
use crate::environment::Environment;
use crate::rule_selector::{EvidenceSelector, RuleSelector};
use genai_scope_syntax::text::{Encoding, LineIndex};

/// The file name looked for.
pub const FILE_NAME: &str = "genai-scope.toml";

/// The file as written. Its JSON Schema (for taplo and other TOML editors) is derived from
/// it: `schema_json`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "genai-scope.toml",
    description = "Project policy of genai-scope: severities, disabled rules, evidence and suppression rules, the files `check` walks, and custom controls. The nearest file above a .genai file applies."
)]
struct RawConfig {
    /// A new severity per diagnostic code or control id (`off` turns it off); a control id applies to the findings that the control is not in place (`missing-control`, `control-not-implemented`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Level>")]
    severity: BTreeMap<String, Spanned<Level>>,
    /// Diagnostic codes or control ids that report nothing.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    disabled: Vec<Spanned<String>>,
    /// Globs, relative to this file's directory, of the files `check` finds when it walks a directory.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    include: Vec<Spanned<String>>,
    /// Globs, relative to this file's directory, that `check` leaves out when it walks a directory.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    exclude: Vec<Spanned<String>>,
    /// Control ids, or severities (`error`, `warning`, `info`, `hint`) of controls, whose implemented declarations must name their `evidence`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    require_evidence: Vec<Spanned<String>>,
    /// Diagnostic codes or control ids that inline `# genai-scope: ignore[…]` comments may not silence.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    no_inline_suppressions: Vec<Spanned<String>>,
    /// Custom controls: the team's own, required and reported like the matrix's.
    #[serde(default)]
    control: Vec<custom::RawControl>,
    /// Infrastructure code (Terraform `.tf` files and plan JSON, CloudFormation and CDK templates), files or directories relative to this file's directory, that bound declarations are held to (drift).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    iac: Vec<Spanned<String>>,
}

/// The JSON Schema of `genai-scope.toml`, pretty-printed.
pub fn schema_json() -> String {
    // Draft 7: what TOML editors (taplo and the extensions built on it) validate with.
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawConfig>();
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    out.push('\n');
    out
}

/// A loaded, validated configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Its directory: globs are relative to it.
    pub dir: PathBuf,
    pub settings: Settings,
    /// `iac = [...]`: infrastructure paths, joined to `dir`.
    pub iac: Vec<PathBuf>,
    /// `dir` with links resolved, to relate files to it.
    canonical_dir: PathBuf,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

/// A configuration that cannot be used: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The bytes of the file at fault, when known (for diagnostics in the file itself).
    pub span: Option<std::ops::Range<usize>>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(
        env: &dyn Environment,
        path: &Path,
        catalog: &Catalog,
    ) -> Result<Config, ConfigError> {
        let text = env.read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            span: None,
            message: format!("cannot read: {e}"),
        })?;
        let mut config = Self::parse(path, &text, catalog)?;
        if let Some(canonical) = env.canonicalize(&config.dir) {
            config.canonical_dir = canonical;
        }
        Ok(config)
    }

    /// Parses and validates the text of `path`.
    pub fn parse(path: &Path, text: &str, catalog: &Catalog) -> Result<Config, ConfigError> {
        let error_at = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = match &span {
                Some(span) => {
                    let (line, column) = line_col(text, span.start);
                    (Some(line), Some(column))
                }
                None => (None, None),
            };
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                span,
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| error_at(e.span(), e.message().trim_end().replace('\n', " ")))?;
        let catalog = if raw.control.is_empty() {
            SharedCatalog::default()
        } else {
            let extended = custom::extend(catalog, raw.control)
                .map_err(|invalid| error_at(Some(invalid.span), invalid.message))?;
            SharedCatalog::new(extended)
        };
        let selectors = |key: &str, ids: &[Spanned<String>]| {
            ids.iter()
                .map(|id| {
                    RuleSelector::parse_known(id.get_ref(), &catalog)
                        .map_err(|error| error_at(Some(id.span()), format!("`{key}`: {error}")))
                })
                .collect::<Result<_, ConfigError>>()
        };
        let mut settings = Settings {
            catalog: catalog.clone(),
            ..Settings::default()
        };
        for (id, level) in &raw.severity {
            let selector = RuleSelector::parse_known(id, &catalog).map_err(|error| {
                let start = key_offset(text, "severity", id).unwrap_or(level.span().start);
                error_at(
                    Some(start..start + id.len()),
                    format!("`severity.{id}`: {error}"),
                )
            })?;
            settings
                .severity_overrides
                .insert(selector, *level.get_ref());
        }
        settings.disabled = selectors("disabled", &raw.disabled)?;
        settings.no_inline_suppressions =
            selectors("no_inline_suppressions", &raw.no_inline_suppressions)?;
        for id in &raw.require_evidence {
            let id_ref = id.get_ref();
            let Some(selector) = EvidenceSelector::parse_known(id_ref, &catalog) else {
                return Err(error_at(
                    Some(id.span()),
                    format!(
                        "`require_evidence`: `{id_ref}` is neither a control id nor a severity (error, warning, info, hint)"
                    ),
                ));
            };
            settings.require_evidence.insert(selector);
        }
        let globs = |key: &str, patterns: &[Spanned<String>]| {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = GlobSetBuilder::new();
            for pattern in patterns {
                let glob = Glob::new(pattern.get_ref()).map_err(|e| {
                    error_at(
                        Some(pattern.span()),
                        format!(
                            "`{key}`: invalid glob `{}`: {}",
                            pattern.get_ref(),
                            e.kind()
                        ),
                    )
                })?;
                builder.add(glob);
            }
            builder
                .build()
                .map(Some)
                .map_err(|e| error_at(None, format!("`{key}`: {e}")))
        };
        let include = globs("include", &raw.include)?;
        let exclude = globs("exclude", &raw.exclude)?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut iac = Vec::with_capacity(raw.iac.len());
        for entry in &raw.iac {
            let relative = Path::new(entry.get_ref());
            if entry.get_ref().trim().is_empty() || relative.is_absolute() || relative.has_root() {
                return Err(error_at(
                    Some(entry.span()),
                    format!(
                        "`iac`: `{}` must be a path relative to this file's directory",
                        entry.get_ref()
                    ),
                ));
            }
            iac.push(dir.join(relative));
        }
        Ok(Config {
            path: path.to_path_buf(),
            canonical_dir: dir.clone(),
            iac,
            dir,
            settings,
            include,
            exclude,
        })
    }

    /// Whether a file found by a directory walk is checked: it matches `include` (when
    /// given) and not `exclude`, both relative to the configuration's directory.
    pub fn includes(&self, env: &dyn Environment, file: &Path) -> bool {
        if self.include.is_none() && self.exclude.is_none() {
            return true;
        }
        let file = env.canonicalize(file).unwrap_or_else(|| file.to_path_buf());
        let Ok(relative) = file.strip_prefix(&self.canonical_dir) else {
            return true;
        };
        if self
            .include
            .as_ref()
            .is_some_and(|set| !set.is_match(relative))
        {
            return false;
        }
        !self
            .exclude
            .as_ref()
            .is_some_and(|set| set.is_match(relative))
    }
}

/// How far up the search for a `genai-scope.toml` may go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SearchBound {
    /// No higher than the repository root (the nearest directory with `.git`), so a file in
    /// a shared parent such as `/tmp` does not apply to every repository below it. Outside
    /// any repository, up to the file system's root.
    #[default]
    RepositoryRoot,
    /// Up to the file system's root, through repository roots (the user asked for it).
    FileSystemRoot,
}

/// Why the search for a configuration ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchEnd {
    /// A `genai-scope.toml` was found (the configuration that applies).
    Found,
    /// None below the repository root, and the search went no higher.
    RepositoryRoot(PathBuf),
    /// None up to the file system's root.
    FileSystemRoot,
}

/// The outcome of a search: the configuration that applies, if any, and where it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Search {
    /// Where the search started (absolute).
    pub from: PathBuf,
    pub found: Option<PathBuf>,
    pub end: SearchEnd,
}

impl Search {
    /// One line for `check --verbose`: which configuration applies, or why none does.
    pub fn describe(&self) -> String {
        match (&self.found, &self.end) {
            (Some(path), _) => format!("configuration {}", path.display()),
            (None, SearchEnd::RepositoryRoot(root)) => format!(
                "no configuration: none at or above {} up to the repository root {} (the search stops there; --config-above-repository looks further)",
                self.from.display(),
                root.display()
            ),
            (None, _) => format!(
                "no configuration: none at or above {} up to the file system's root",
                self.from.display()
            ),
        }
    }
}

/// The nearest `genai-scope.toml` at or above `dir`, within `bound`, with where the search
/// ended.
pub fn search_from(env: &dyn Environment, dir: &Path, bound: SearchBound) -> Search {
    let start = env
        .canonicalize(dir)
        .unwrap_or_else(|| crate::environment::absolute(env, dir));
    for candidate in start.ancestors() {
        let file = candidate.join(FILE_NAME);
        if env.is_file(&file) {
            return Search {
                from: start.clone(),
                found: Some(file),
                end: SearchEnd::Found,
            };
        }
        if bound == SearchBound::RepositoryRoot
            && crate::environment::is_repository_root(env, candidate)
        {
            return Search {
                from: start.clone(),
                found: None,
                end: SearchEnd::RepositoryRoot(candidate.to_path_buf()),
            };
        }
    }
    Search {
        from: start,
        found: None,
        end: SearchEnd::FileSystemRoot,
    }
}

/// The nearest `genai-scope.toml` at or above `dir`, looking no higher than the repository
/// root (the nearest directory with `.git`), so a file in a shared parent such as `/tmp`
/// does not apply to every repository below it.
pub fn find_from(env: &dyn Environment, dir: &Path) -> Option<PathBuf> {
    search_from(env, dir, SearchBound::RepositoryRoot).found
}

/// The directory to start looking from for a file.
pub fn dir_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Loads configurations once per directory and file (for the CLI: one run, many files).
#[derive(Default)]
pub struct Configs {
    bound: SearchBound,
    by_dir: Mutex<HashMap<PathBuf, Search>>,
    by_file: Mutex<HashMap<PathBuf, Result<Config, ConfigError>>>,
}

impl Configs {
    /// Configurations searched for within `bound`.
    pub fn new(bound: SearchBound) -> Self {
        Configs {
            bound,
            ..Configs::default()
        }
    }

    /// The search for `file`'s configuration (done once per directory).
    pub fn search(&self, env: &dyn Environment, file: &Path) -> Search {
        let dir = dir_of(file);
        let mut by_dir = self.by_dir.lock().unwrap_or_else(|p| p.into_inner());
        by_dir
            .entry(dir.clone())
            .or_insert_with(|| search_from(env, &dir, self.bound))
            .clone()
    }

    /// The configuration that applies to `file`, if any.
    pub fn for_file(
        &self,
        env: &dyn Environment,
        file: &Path,
        catalog: &Catalog,
    ) -> Result<Option<Config>, ConfigError> {
        let Some(path) = self.search(env, file).found else {
            return Ok(None);
        };
        let mut by_file = self.by_file.lock().unwrap_or_else(|p| p.into_inner());
        by_file
            .entry(path.clone())
            .or_insert_with(|| Config::load(env, &path, catalog))
            .clone()
            .map(Some)
    }
}

/// A configuration as read at a modification time.
type Loaded = (Option<SystemTime>, Result<Config, ConfigError>);

/// For the language server: the nearest configuration of a directory, re-read when the
/// file's modification time changes (so edits apply without a watcher).
#[derive(Default)]
pub struct CachedConfigs {
    files: Mutex<HashMap<PathBuf, Loaded>>,
}

impl CachedConfigs {
    pub fn for_dir(
        &self,
        env: &dyn Environment,
        dir: &Path,
        catalog: &Catalog,
    ) -> Option<Result<Config, ConfigError>> {
        let path = find_from(env, dir)?;
        let modified = env.modified(&path);
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, config)) = files.get(&path)
            && *seen == modified
            && modified.is_some()
        {
            return Some(config.clone());
        }
        let config = Config::load(env, &path, catalog);
        files.insert(path, (modified, config.clone()));
        Some(config)
    }

    /// Forgets everything (a watched configuration changed).
    pub fn clear(&self) {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// `base` with `over` on top: the client's settings win over the project's.
pub fn merge(base: &Settings, over: &Settings) -> Settings {
    let mut merged = base.clone();
    for (id, severity) in &over.severity_overrides {
        merged.severity_overrides.insert(id.clone(), *severity);
    }
    merged.disabled.extend(over.disabled.iter().cloned());
    merged
        .no_inline_suppressions
        .extend(over.no_inline_suppressions.iter().cloned());
    merged
        .require_evidence
        .extend(over.require_evidence.iter().cloned());
    merged
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let position = LineIndex::new(text).line_col(offset, Encoding::Utf32);
    (position.line + 1, position.col + 1)
}

/// Where `key` is written as a key inside `[table]` (bare or quoted), for messages.
fn key_offset(text: &str, table: &str, key: &str) -> Option<usize> {
    let mut in_table = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('[') {
            in_table = trimmed
                .trim_end()
                .trim_end_matches(']')
                .trim_start_matches('[')
                .trim()
                == table;
        } else if in_table
            && let Some(rest) = trimmed
                .strip_prefix(key)
                .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")))
                .or_else(|| trimmed.strip_prefix(&format!("'{key}'")))
            && rest.trim_start().starts_with('=')
        {
            return Some(offset + indent);
        } else if !in_table
            && let Some(rest) = trimmed.strip_prefix(&format!("{table}."))
            && rest.starts_with(key)
        {
            return Some(offset + indent);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
pub(crate) mod tests;
