//! The server's state: open documents, settings and what was negotiated with the client.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::publication::SerialisedRuns;
use ropey::Rope;
use serde::Deserialize;
use tower_lsp_server::ls_types::{self as lsp, MessageType};

use super::convert::Converter;
use super::document::{Document, evict_cold};
use super::index::Index;
use super::local::local_path;
use genai_scope_analysis::config::ConfigError;
use genai_scope_analysis::diagnostic::Level;
use genai_scope_analysis::environment::infrastructure::{self, Infrastructure};
use genai_scope_analysis::environment::{SharedEnvironment, evidence_workspace};
use genai_scope_analysis::rule_selector::RuleSelector;
use genai_scope_analysis::{AnalysisOptions, Settings};
use genai_scope_ide::FileState;
use genai_scope_syntax::text::Encoding;

pub const DEFAULT_MAX_DOCUMENT_SIZE: usize = 16 * 1024 * 1024;

/// What the client told us in `initialize`.
#[derive(Clone, Debug, Default)]
pub struct ClientFlags {
    pub pull_diagnostics: bool,
    pub configuration: bool,
    pub diagnostic_refresh: bool,
    pub snippets: bool,
    /// The client applies snippet text edits in code actions (rust-analyzer's experimental
    /// `snippetTextEdit`).
    pub snippet_text_edits: bool,
    /// The client watches files for us (`workspace/didChangeWatchedFiles`).
    pub watch_files: bool,
    /// The client shows a diagnostic's related information
    /// (`textDocument.publishDiagnostics.relatedInformation`); it is not sent otherwise.
    pub related_information: bool,
    /// The client resolves code actions' edits lazily (`codeAction/resolve` with `edit` among
    /// `textDocument.codeAction.resolveSupport.properties`).
    pub resolve_code_action_edits: bool,
}

/// `genaiScope` settings as the client sends them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientSettings {
    pub severity_overrides: HashMap<String, String>,
    pub disabled_rules: Vec<String>,
    pub max_document_size: Option<usize>,
    pub log_level: Option<String>,
    pub diagnostics: DiagnosticsSettings,
}

/// `genaiScope.diagnostics`: how findings are shown.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DiagnosticsSettings {
    /// One diagnostic per workload for its missing controls (the default), or one per control.
    pub group_missing_controls: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub settings: Settings,
    pub max_document_size: usize,
    pub log_level: MessageType,
    /// Missing controls shown as one diagnostic per workload.
    pub group_missing_controls: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            settings: Settings::default(),
            max_document_size: DEFAULT_MAX_DOCUMENT_SIZE,
            log_level: MessageType::INFO,
            group_missing_controls: true,
        }
    }
}

impl Config {
    /// Reads client settings; returns the problems found so they can be logged, never hidden.
    pub fn from_client(client: &ClientSettings) -> (Self, Vec<String>) {
        let mut problems = Vec::new();
        let mut settings = Settings::default();
        for (id, level) in &client.severity_overrides {
            // `none` is an alias the client settings have always accepted.
            let parsed = match level.as_str() {
                "none" => Some(Level::Off),
                other => Level::parse(other),
            };
            let Some(level) = parsed else {
                problems.push(format!(
                    "severityOverrides.{id}: `{level}` is not one of error, warning, info, hint, off"
                ));
                continue;
            };
            match id.parse::<RuleSelector>() {
                Ok(selector) => {
                    settings.severity_overrides.insert(selector, level);
                }
                Err(error) => problems.push(format!("severityOverrides.{id}: {error}")),
            }
        }
        for id in &client.disabled_rules {
            match id.parse::<RuleSelector>() {
                Ok(selector) => {
                    settings.disabled.insert(selector);
                }
                Err(error) => problems.push(format!("disabledRules: {error}")),
            }
        }
        let log_level = match client.log_level.as_deref() {
            None | Some("info") => MessageType::INFO,
            Some("error") => MessageType::ERROR,
            Some("warn" | "warning") => MessageType::WARNING,
            Some("debug" | "log" | "trace") => MessageType::LOG,
            Some(other) => {
                problems.push(format!(
                    "logLevel: `{other}` is not one of error, warn, info, debug"
                ));
                MessageType::INFO
            }
        };
        let config = Self {
            settings,
            max_document_size: client
                .max_document_size
                .unwrap_or(DEFAULT_MAX_DOCUMENT_SIZE),
            log_level,
            group_missing_controls: client.diagnostics.group_missing_controls.unwrap_or(true),
        };
        (config, problems)
    }
}

/// An immutable view of one document for a request.
pub struct Snapshot {
    pub uri: lsp::Uri,
    pub version: i32,
    pub rope: Rope,
    pub state: Arc<FileState>,
    /// The JSON of the document's last publication, by workload (see [`crate::publication`]).
    pub published_runs: Arc<Mutex<SerialisedRuns>>,
    pub encoding: Encoding,
    pub base_dir: Option<PathBuf>,
    pub root: Option<PathBuf>,
    pub environment: SharedEnvironment,
    /// Missing controls are shown as one diagnostic per workload.
    pub group_missing_controls: bool,
    /// Send related information (the client declares it shows it).
    pub related_information: bool,
}

impl Snapshot {
    pub fn converter(&self) -> Converter<'_> {
        Converter {
            rope: &self.rope,
            encoding: self.encoding,
        }
    }
}

/// Where a document is and what applies to it, resolved once per change of settings,
/// folders or files (see [`Session::resolved`]).
#[derive(Clone)]
struct Resolved {
    base_dir: Option<PathBuf>,
    root: Option<PathBuf>,
    settings: Settings,
    max_document_size: usize,
    /// The project's `iac = [...]` infrastructure, read (drift).
    infrastructure: Option<Arc<Infrastructure>>,
    group_missing_controls: bool,
}

#[derive(Default)]
pub struct Session {
    documents: RwLock<HashMap<lsp::Uri, Document>>,
    /// The client's settings, per workspace folder.
    index: RwLock<Index>,
    /// Each open document's [`Resolved`], while nothing it depends on changed.
    resolved: RwLock<HashMap<lsp::Uri, Resolved>>,
    encoding: RwLock<Encoding>,
    flags: RwLock<ClientFlags>,
    /// The projects' `genai-scope.toml` files, re-read when their modification time changes.
    project_configs: genai_scope_analysis::config::CachedConfigs,
    /// The settings each document was last analysed with, to re-analyse it when its
    /// project configuration changes.
    analysed_with: RwLock<HashMap<lsp::Uri, Settings>>,
    /// Each project configuration met, with its problem when it is invalid.
    config_states: RwLock<HashMap<PathBuf, Option<ConfigError>>>,
    /// Configurations whose validity changed since the server last reported them.
    config_changes: RwLock<Vec<PathBuf>>,
    /// The file system and clock (the real ones, but for tests).
    environment: SharedEnvironment,
    /// Each project configuration's infrastructure, read once until a watched file under it
    /// changes (kept only for clients that watch files).
    infrastructures: RwLock<HashMap<PathBuf, Arc<Infrastructure>>>,
}

/// Poisoned locks only mean a panic happened elsewhere; the data is still consistent because
/// every write replaces whole values.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Session {
    pub fn new(environment: SharedEnvironment) -> Self {
        Self {
            environment,
            ..Self::default()
        }
    }

    pub fn set_client(&self, encoding: Encoding, flags: ClientFlags, folders: Vec<lsp::Uri>) {
        *write(&self.encoding) = encoding;
        *write(&self.flags) = flags;
        let mut index = write(&self.index);
        *index = Index::default();
        index.add_folders(folders);
    }

    pub fn encoding(&self) -> Encoding {
        *read(&self.encoding)
    }

    pub fn flags(&self) -> ClientFlags {
        read(&self.flags).clone()
    }

    /// The settings of documents outside every workspace folder (and the server's own, such
    /// as the log level).
    pub fn config(&self) -> Config {
        read(&self.index).global().clone()
    }

    pub fn set_config(&self, config: Config) {
        write(&self.index).set_global(config);
        self.forget_resolved();
    }

    /// Gives a workspace folder its own settings.
    pub fn set_folder_config(&self, folder: &lsp::Uri, config: Config) {
        write(&self.index).set_folder(folder, config);
        self.forget_resolved();
    }

    /// A file's text, through the environment.
    pub fn read_text(&self, path: &Path) -> Option<String> {
        self.environment.read_to_string(path).ok()
    }

    /// The workspace folders (local ones only).
    pub fn folders(&self) -> Vec<lsp::Uri> {
        read(&self.index)
            .folders()
            .iter()
            .map(|f| f.uri.clone())
            .collect()
    }

    pub fn change_folders(&self, added: Vec<lsp::Uri>, removed: &[lsp::Uri]) {
        let mut index = write(&self.index);
        index.remove_folders(removed);
        index.add_folders(added);
        drop(index);
        self.forget_resolved();
    }

    fn forget_resolved(&self) {
        write(&self.resolved).clear();
    }

    /// What applies to `uri`. A client that watches files tells the server of every change
    /// that matters (configurations, files created or deleted), so the result is kept until
    /// then; for one that does not, it is resolved again for each use, as the project
    /// configuration's modification time is the only sign of its change.
    fn resolved(&self, uri: &lsp::Uri) -> Resolved {
        let keep = self.flags().watch_files;
        if keep && let Some(resolved) = read(&self.resolved).get(uri) {
            return resolved.clone();
        }
        let resolved = self.resolve(uri);
        if keep && read(&self.documents).contains_key(uri) {
            write(&self.resolved).insert(uri.clone(), resolved.clone());
        }
        resolved
    }

    fn resolve(&self, uri: &lsp::Uri) -> Resolved {
        let path = local_path(uri);
        let base_dir = path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let index = read(&self.index);
        let client = index.config_for(path.as_deref()).clone();
        // The evidence workspace, as for `check`: the nearest directory with
        // genai-scope.toml or .git, else the workspace folder that holds the file, else its
        // own directory.
        let root = base_dir.as_deref().map(|dir| {
            let folder = path
                .as_deref()
                .and_then(|p| index.folder_of(p))
                .map_or(dir, |f| f.path.as_path());
            evidence_workspace(&*self.environment, dir, folder)
        });
        drop(index);
        // The nearest genai-scope.toml's settings, with the client's on top. An invalid
        // file is remembered (for the server to report) and contributes nothing.
        let mut infrastructure = None;
        let settings = match base_dir.as_deref().and_then(|dir| {
            self.project_configs.for_dir(
                &*self.environment,
                dir,
                genai_scope_analysis::catalog::catalog(),
            )
        }) {
            Some(Ok(project)) => {
                self.note_config(&project.path, None);
                infrastructure = self.infrastructure(&project);
                genai_scope_analysis::config::merge(&project.settings, &client.settings)
            }
            Some(Err(error)) => {
                self.note_config(&error.path.clone(), Some(error));
                client.settings
            }
            None => client.settings,
        };
        Resolved {
            base_dir,
            root,
            settings,
            max_document_size: client.max_document_size,
            infrastructure,
            group_missing_controls: client.group_missing_controls,
        }
    }

    /// The infrastructure of a project configuration's `iac` paths; read again for each use
    /// unless the client watches files (and so says when one changes).
    fn infrastructure(
        &self,
        project: &genai_scope_analysis::config::Config,
    ) -> Option<Arc<Infrastructure>> {
        if project.iac.is_empty() {
            return None;
        }
        let keep = self.flags().watch_files;
        if keep && let Some(found) = read(&self.infrastructures).get(&project.path) {
            return Some(found.clone());
        }
        let loaded = Arc::new(infrastructure::load(
            &*self.environment,
            &project.iac,
            &project.dir,
        ));
        if keep {
            write(&self.infrastructures).insert(project.path.clone(), loaded.clone());
        }
        Some(loaded)
    }

    /// Whether a changed file is infrastructure code some open document is held to (or may
    /// become so: a new file under a configured path); forgets what was read when it is.
    pub fn infrastructure_changed(&self, path: &Path) -> bool {
        let covered = read(&self.infrastructures)
            .values()
            .any(|infrastructure| infrastructure.covers(path));
        if covered {
            write(&self.infrastructures).clear();
            self.forget_resolved();
        }
        covered
    }

    fn options(&self, resolved: &Resolved) -> AnalysisOptions {
        AnalysisOptions {
            today: Some(self.environment.today()),
            base_dir: resolved.base_dir.clone(),
            workspace_root: resolved.root.clone(),
            settings: resolved.settings.clone(),
            environment: self.environment.clone(),
            infrastructure: resolved.infrastructure.clone(),
        }
    }

    /// Remembers whether a configuration is valid; a change is queued for reporting.
    fn note_config(&self, path: &std::path::Path, problem: Option<ConfigError>) {
        let mut states = write(&self.config_states);
        // A first valid reading has nothing to report (no diagnostics to clear).
        let unchanged = match states.get(path) {
            Some(previous) => *previous == problem,
            None => problem.is_none(),
        };
        states.insert(path.to_path_buf(), problem);
        if unchanged {
            return;
        }
        drop(states);
        let mut changes = write(&self.config_changes);
        if !changes.iter().any(|p| p == path) {
            changes.push(path.to_path_buf());
        }
    }

    /// The configurations whose validity changed since the last call, with their problem
    /// (`None`: valid now, or gone).
    pub fn take_config_changes(&self) -> Vec<(PathBuf, Option<ConfigError>)> {
        let changed = std::mem::take(&mut *write(&self.config_changes));
        let states = read(&self.config_states);
        changed
            .into_iter()
            .map(|path| {
                let problem = states.get(&path).cloned().flatten();
                (path, problem)
            })
            .collect()
    }

    /// Forgets the project configurations read so far (one changed on disk); those that
    /// are gone are reported as valid, to clear their diagnostics.
    pub fn forget_configs(&self) {
        self.project_configs.clear();
        write(&self.infrastructures).clear();
        self.forget_resolved();
        let gone: Vec<PathBuf> = read(&self.config_states)
            .keys()
            .filter(|path| !self.environment.is_file(path))
            .cloned()
            .collect();
        for path in gone {
            self.note_config(&path, None);
            write(&self.config_states).remove(&path);
        }
    }

    pub fn open(&self, uri: lsp::Uri, text: String, version: i32) {
        write(&self.resolved).remove(&uri);
        let resolved = self.resolve(&uri);
        let options = self.options(&resolved);
        let document = Document::open(text, version, &options, resolved.max_document_size);
        let mut documents = write(&self.documents);
        documents.insert(uri.clone(), document);
        evict_cold(&mut documents);
        drop(documents);
        if self.flags().watch_files {
            write(&self.resolved).insert(uri, resolved);
        }
    }

    /// Applies changes (analysis follows on the next snapshot); `Err` says why they were
    /// ignored.
    pub fn change(
        &self,
        uri: &lsp::Uri,
        version: i32,
        changes: Vec<lsp::TextDocumentContentChangeEvent>,
    ) -> Result<(), String> {
        let encoding = self.encoding();
        let mut documents = write(&self.documents);
        let Some(document) = documents.get_mut(uri) else {
            return Err(format!(
                "change for a document that is not open: {}",
                uri.as_str()
            ));
        };
        if version <= document.version {
            return Err(format!(
                "stale change (version {version} after {}) for {}",
                document.version,
                uri.as_str()
            ));
        }
        document.change(version, changes, encoding);
        Ok(())
    }

    pub fn close(&self, uri: &lsp::Uri) -> bool {
        write(&self.analysed_with).remove(uri);
        write(&self.resolved).remove(uri);
        write(&self.documents).remove(uri).is_some()
    }

    /// Re-analyses every open document (after a change of settings, folders or files).
    pub fn reanalyse_all(&self) -> Vec<lsp::Uri> {
        self.forget_resolved();
        let mut documents = write(&self.documents);
        documents.values_mut().for_each(Document::invalidate);
        documents.keys().cloned().collect()
    }

    /// The version of an open document.
    pub fn version(&self, uri: &lsp::Uri) -> Option<i32> {
        read(&self.documents).get(uri).map(|d| d.version)
    }

    /// An immutable view of a document, analysing pending edits first.
    pub fn snapshot(&self, uri: &lsp::Uri) -> Option<Snapshot> {
        let resolved = self.resolved(uri);
        let options = self.options(&resolved);
        let max = resolved.max_document_size;
        let mut documents = write(&self.documents);
        let document = documents.get_mut(uri)?;
        {
            let mut analysed_with = write(&self.analysed_with);
            match analysed_with.get(uri) {
                Some(settings) if *settings == options.settings => {}
                previous => {
                    // The project configuration changed since the last analysis.
                    if previous.is_some() {
                        document.invalidate();
                    }
                    analysed_with.insert(uri.clone(), options.settings.clone());
                }
            }
        }
        let state = document.analysed(&options, max);
        let (version, rope) = (document.version, document.rope.clone());
        let published_runs = document.published_runs.clone();
        evict_cold(&mut documents);
        let Resolved {
            base_dir,
            root,
            group_missing_controls,
            ..
        } = resolved;
        Some(Snapshot {
            uri: uri.clone(),
            version,
            rope,
            state,
            published_runs,
            encoding: self.encoding(),
            base_dir,
            root,
            environment: self.environment.clone(),
            group_missing_controls,
            related_information: self.flags().related_information,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::diagnostic::Code;

    #[test]
    fn client_settings_are_parsed_into_selectors_and_levels_and_problems_are_reported() {
        let client = ClientSettings {
            severity_overrides: HashMap::from([
                ("scope-mismatch".to_string(), "none".to_string()),
                ("risk.threat_model".to_string(), "hint".to_string()),
                ("no-model".to_string(), "fatal".to_string()),
                ("nope".to_string(), "off".to_string()),
            ]),
            disabled_rules: vec!["overdue-control".into(), "risk".into()],
            ..ClientSettings::default()
        };
        let (config, mut problems) = Config::from_client(&client);
        let overrides = &config.settings.severity_overrides;
        assert_eq!(
            overrides.get(&RuleSelector::Code(Code::ScopeMismatch)),
            Some(&Level::Off)
        );
        assert_eq!(
            overrides.get(&"risk.threat_model".parse().unwrap()),
            Some(&Level::Hint)
        );
        assert_eq!(overrides.len(), 2);
        assert_eq!(
            config.settings.disabled,
            [RuleSelector::Code(Code::OverdueControl)].into()
        );
        problems.sort();
        assert_eq!(
            problems,
            [
                "disabledRules: `risk` is neither a diagnostic code nor a control id",
                "severityOverrides.no-model: `fatal` is not one of error, warning, info, hint, off",
                "severityOverrides.nope: `nope` is neither a diagnostic code nor a control id",
            ]
        );
    }

    use genai_scope_analysis::environment::memory::MemoryEnvironment;

    const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  scope = 2\n  model \"m\" { hosting = managed_api }\n}\n";

    fn codes(session: &Session, uri: &lsp::Uri) -> Vec<Code> {
        session
            .snapshot(uri)
            .unwrap()
            .state
            .analysis
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    /// A session over an in-memory file system: each write there is a new modification
    /// time, so a change is seen without waiting for the clock.
    fn memory_session() -> (Arc<MemoryEnvironment>, Session) {
        let memory = Arc::new(MemoryEnvironment::default());
        let session = Session::new(SharedEnvironment(memory.clone()));
        (memory, session)
    }

    #[test]
    fn the_nearest_project_configuration_applies_under_the_client_settings_and_reloads() {
        let (memory, session) = memory_session();
        let config = Path::new("/project").join(genai_scope_analysis::config::FILE_NAME);
        memory.write(&config, "disabled = [\"scope-mismatch\"]\n");
        let uri: lsp::Uri = "file:///project/w.genai".parse().unwrap();
        session.open(uri.clone(), TEXT.into(), 1);
        assert!(!codes(&session, &uri).contains(&Code::ScopeMismatch));

        // The file changes: the next snapshot sees it (its modification time differs).
        memory.write(&config, "disabled = [\"control-not-applicable\"]\n");
        assert!(codes(&session, &uri).contains(&Code::ScopeMismatch));

        // The client's settings win.
        let mut client = Config::default();
        client
            .settings
            .severity_overrides
            .insert(RuleSelector::Code(Code::ScopeMismatch), Level::Off);
        session.set_config(client);
        assert!(!codes(&session, &uri).contains(&Code::ScopeMismatch));

        // An invalid file is reported, and the client's settings still apply.
        memory.write(&config, "disabled = [\"nope\"]\n");
        assert!(!codes(&session, &uri).contains(&Code::ScopeMismatch));
        let changes = session.take_config_changes();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].0, config);
        let problem = changes[0].1.as_ref().expect("the file is invalid");
        assert!(problem.message.contains("`nope`"), "{problem}");
        assert_eq!(problem.line, Some(1));
        assert!(session.take_config_changes().is_empty(), "reported once");

        // Fixed: reported again, as valid.
        memory.write(&config, "disabled = [\"no-model\"]\n");
        assert!(!codes(&session, &uri).contains(&Code::NoModel));
        let changes = session.take_config_changes();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert!(changes[0].1.is_none());

        // Invalid again, then deleted: forgotten, and the file's diagnostics are cleared.
        memory.write(&config, "disabled = [\"nope\"]\n");
        let _ = codes(&session, &uri);
        assert!(session.take_config_changes()[0].1.is_some());
        memory.remove(&config);
        session.forget_configs();
        let changes = session.take_config_changes();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert!(changes[0].1.is_none());
    }

    #[test]
    fn a_client_that_watches_files_has_settings_resolved_once_until_told_of_a_change() {
        let (memory, session) = memory_session();
        let flags = ClientFlags {
            watch_files: true,
            ..ClientFlags::default()
        };
        session.set_client(Encoding::Utf16, flags, vec![]);
        let config = Path::new("/project").join(genai_scope_analysis::config::FILE_NAME);
        memory.write(&config, "disabled = [\"scope-mismatch\"]\n");
        let uri: lsp::Uri = "file:///project/w.genai".parse().unwrap();
        session.open(uri.clone(), TEXT.into(), 1);
        assert!(!codes(&session, &uri).contains(&Code::ScopeMismatch));
        // Not re-read on each request: the change is picked up when the client reports it.
        memory.write(&config, "disabled = []\n");
        assert!(!codes(&session, &uri).contains(&Code::ScopeMismatch));
        session.forget_configs();
        assert!(codes(&session, &uri).contains(&Code::ScopeMismatch));
    }

    #[test]
    fn each_document_takes_the_settings_of_its_innermost_workspace_folder() {
        let (_, session) = memory_session();
        let folders: Vec<lsp::Uri> = ["file:///repo", "file:///repo/team"]
            .iter()
            .map(|u| u.parse().unwrap())
            .collect();
        session.set_client(Encoding::Utf16, ClientFlags::default(), folders.clone());
        let off = |code: Code| {
            let mut config = Config::default();
            config
                .settings
                .severity_overrides
                .insert(RuleSelector::Code(code), Level::Off);
            config
        };
        session.set_config(off(Code::NoModel));
        session.set_folder_config(&folders[1], off(Code::ScopeMismatch));
        let outer: lsp::Uri = "file:///repo/w.genai".parse().unwrap();
        let inner: lsp::Uri = "file:///repo/team/w.genai".parse().unwrap();
        let untitled: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        for uri in [&outer, &inner, &untitled] {
            session.open(uri.clone(), TEXT.into(), 1);
        }
        // The outer folder has no settings of its own: the global ones.
        assert!(codes(&session, &outer).contains(&Code::ScopeMismatch));
        assert!(!codes(&session, &inner).contains(&Code::ScopeMismatch));
        assert!(codes(&session, &untitled).contains(&Code::ScopeMismatch));

        // The inner folder is removed: its documents fall back to the outer one's.
        session.change_folders(vec![], &folders[1..]);
        assert!(codes(&session, &inner).contains(&Code::ScopeMismatch));
    }

    #[test]
    fn documents_that_are_not_local_files_have_no_directory() {
        let memory = Arc::new(MemoryEnvironment::default().with_current_dir("/home/user"));
        memory.write("/home/user/docs/tm.md", "# threat model\n");
        let session = Session::new(SharedEnvironment(memory.clone()));
        let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  control risk.threat_model {\n    status = implemented\n    evidence = \"missing.md\"\n  }\n}\n";
        for uri in [
            "untitled:Untitled-1",
            "http://host/x.genai",
            "file://otherhost/x.genai",
        ] {
            let uri: lsp::Uri = uri.parse().unwrap();
            session.open(uri.clone(), text.into(), 1);
            let snapshot = session.snapshot(&uri).unwrap();
            assert_eq!(
                (snapshot.base_dir.as_deref(), snapshot.root.as_deref()),
                (None, None),
                "{uri:?}"
            );
            // Not resolved against the working directory: nothing is found missing.
            assert!(
                !codes(&session, &uri).contains(&Code::EvidenceNotFound),
                "{uri:?}"
            );
        }
        let local: lsp::Uri = "file://localhost/home/user/w.genai".parse().unwrap();
        session.open(local.clone(), text.into(), 1);
        assert_eq!(
            session.snapshot(&local).unwrap().base_dir,
            Some("/home/user".into())
        );
        assert!(codes(&session, &local).contains(&Code::EvidenceNotFound));
    }
}
