//! The `LanguageServer` implementation: notifications mutate the session synchronously, then
//! publish; requests take a snapshot and run a handler under a panic guard.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{self as lsp, MessageType};
use tower_lsp_server::{Client, LanguageServer};

use super::handlers;
use super::outbox::{self, Outbox};
use super::protocol::{self, ReportResult, WorkloadsResult};
use super::session::{ClientFlags, ClientSettings, Config, Session, Snapshot};
use genai_scope_syntax::text::Encoding;

pub struct GenaiScopeServer {
    client: Client,
    /// Diagnostics go out through here, serialised once.
    outbox: Outbox,
    session: Arc<Session>,
    /// Set by `shutdown`: `exit` without it is exit code 1 (the LSP specification).
    shut_down: Arc<std::sync::atomic::AtomicBool>,
}

fn rank(level: MessageType) -> i32 {
    serde_json::to_value(level)
        .ok()
        .and_then(|v| v.as_i64())
        .unwrap_or(4) as i32
}

/// Turns a panic payload into text.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

impl GenaiScopeServer {
    pub fn new(
        client: Client,
        outbox: Outbox,
        shut_down: Arc<std::sync::atomic::AtomicBool>,
    ) -> Self {
        Self {
            client,
            outbox,
            session: Arc::new(Session::new(genai_scope_environment::shared())),
            shut_down,
        }
    }

    fn publish_diagnostics(
        &self,
        uri: lsp::Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.outbox
            .publish_diagnostics(params.uri.as_str(), &params);
    }

    async fn log(&self, level: MessageType, message: impl std::fmt::Display) {
        // ERROR = 1 … LOG = 4: show what is at least as important as the configured level.
        if rank(level) <= rank(self.session.config().log_level) {
            self.client.log_message(level, message).await;
        }
    }

    /// Runs a read-only handler on a snapshot; unknown documents and panics become errors.
    fn request<R>(&self, uri: &lsp::Uri, handler: impl FnOnce(&Snapshot) -> R) -> Result<R> {
        let Some(snapshot) = self.session.snapshot(uri) else {
            return Err(Error::invalid_params(format!(
                "document not open: {}",
                uri.as_str()
            )));
        };
        catch_unwind(AssertUnwindSafe(|| handler(&snapshot))).map_err(|payload| Error {
            code: ErrorCode::InternalError,
            message: format!(
                "genai-scope failed on this request: {}",
                panic_message(payload.as_ref())
            )
            .into(),
            data: None,
        })
    }

    async fn publish(&self, uri: &lsp::Uri) {
        if self.session.flags().pull_diagnostics {
            return;
        }
        let Some(version) = self.session.version(uri) else {
            return;
        };
        // Let queued changes apply first, so that a burst of edits is analysed once.
        tokio::task::yield_now().await;
        if self.session.version(uri) != Some(version) {
            return; // a newer version has been applied; its own publication follows
        }
        let Some(snapshot) = self.session.snapshot(uri) else {
            return;
        };
        let extra: Vec<lsp::Diagnostic> = handlers::diagnostics::not_a_file(&snapshot)
            .into_iter()
            .collect();
        self.outbox.publish_frame(
            uri.as_str(),
            handlers::diagnostics::publication(&snapshot, &extra),
        );
    }

    /// Publishes the diagnostics of each project configuration whose validity changed (in
    /// the `genai-scope.toml` itself) and logs its problem.
    async fn report_configs(&self) {
        let encoding = self.session.encoding();
        for (path, problem) in self.session.take_config_changes() {
            if let Some(problem) = &problem {
                self.log(
                    MessageType::ERROR,
                    format!("invalid project configuration: {problem}"),
                )
                .await;
                // Shown once per change to invalid: until it is fixed the project's settings
                // and custom controls are not applied, which must not pass unnoticed.
                self.client
                    .show_message(
                        MessageType::ERROR,
                        format!(
                            "genai-scope: {problem} — this project's settings and custom controls are not applied until it is fixed"
                        ),
                    )
                    .await;
            }
            let Some(uri) = lsp::Uri::from_file_path(&path) else {
                continue;
            };
            let text = match &problem {
                Some(_) => self.session.read_text(&path).unwrap_or_default(),
                None => String::new(),
            };
            let diagnostics = handlers::config::to_lsp(&text, problem.as_ref(), encoding);
            self.publish_diagnostics(uri, diagnostics, None);
        }
    }

    /// Re-analyses and republishes every open document (settings or a configuration
    /// changed).
    async fn reanalyse_all(&self) {
        let uris = self.session.reanalyse_all();
        let flags = self.session.flags();
        if flags.pull_diagnostics {
            if flags.diagnostic_refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else {
            for uri in uris {
                self.publish(&uri).await;
            }
        }
        self.report_configs().await;
    }

    /// Reads one `genaiScope` settings value (`null`: the defaults); its problems are
    /// logged. `None` when it is not settings at all (nothing changes then).
    async fn parse_settings(
        &self,
        value: Option<Value>,
        scope: Option<&lsp::Uri>,
    ) -> Option<Config> {
        let whose = match scope {
            Some(folder) => format!("genaiScope settings of {}", folder.as_str()),
            None => "genaiScope settings".to_string(),
        };
        let client_settings: ClientSettings = match value {
            Some(value) if !value.is_null() => match serde_json::from_value(value) {
                Ok(settings) => settings,
                Err(error) => {
                    self.log(MessageType::ERROR, format!("{whose} ignored: {error}"))
                        .await;
                    return None;
                }
            },
            _ => ClientSettings::default(),
        };
        let (config, problems) = Config::from_client(&client_settings);
        for problem in problems {
            self.log(MessageType::WARNING, format!("{whose}: {problem}"))
                .await;
        }
        Some(config)
    }

    /// Settings pushed by the client (without `workspace/configuration`): they apply to
    /// every document.
    async fn apply_settings(&self, settings: Option<Value>) {
        if let Some(config) = self.parse_settings(settings, None).await {
            self.session.set_config(config);
            self.reanalyse_all().await;
        }
    }

    /// Asks the client for the global settings and each workspace folder's (one
    /// `workspace/configuration` request), files them in the index and re-analyses.
    async fn fetch_settings(&self) {
        let folders = self.session.folders();
        let items = std::iter::once(None)
            .chain(folders.iter().cloned().map(Some))
            .map(|scope_uri| lsp::ConfigurationItem {
                scope_uri,
                section: Some("genaiScope".into()),
            })
            .collect();
        let values = match self.client.configuration(items).await {
            Ok(values) => values,
            Err(error) => {
                self.log(
                    MessageType::WARNING,
                    format!("workspace/configuration failed: {error}"),
                )
                .await;
                return;
            }
        };
        let mut values = values.into_iter();
        if let Some(global) = values.next()
            && let Some(config) = self.parse_settings(Some(global), None).await
        {
            self.session.set_config(config);
        }
        for (folder, value) in folders.iter().zip(values) {
            // `null`: nothing of the folder's own; it keeps the global settings.
            if value.is_null() {
                continue;
            }
            if let Some(config) = self.parse_settings(Some(value), Some(folder)).await {
                self.session.set_folder_config(folder, config);
            }
        }
        self.reanalyse_all().await;
    }

    /// [`protocol::Workloads`].
    pub async fn workloads(&self, params: protocol::DocumentParams) -> Result<WorkloadsResult> {
        self.request(&params.text_document.uri, handlers::workloads::handle)
    }

    /// [`protocol::Report`].
    pub async fn report(&self, params: protocol::ReportParams) -> Result<ReportResult> {
        self.request(&params.text_document.uri, |s| {
            handlers::report::handle(s, params.format)
        })
    }

    /// [`protocol::DebugPanic`]: only with the test hooks enabled.
    pub async fn debug_panic(&self, params: protocol::DocumentParams) -> Result<()> {
        test_hooks_enabled()?;
        self.request(&params.text_document.uri, |_| {
            panic!("deliberate panic from genaiScope/debugPanic")
        })
    }
}

/// The `debug*` requests exist only when the tests ask for them.
fn test_hooks_enabled() -> Result<()> {
    match std::env::var_os(protocol::TEST_HOOKS_VARIABLE) {
        Some(_) => Ok(()),
        None => Err(Error::method_not_found()),
    }
}

impl GenaiScopeServer {
    /// [`protocol::DebugOutbox`]: only with the test hooks enabled.
    pub async fn debug_outbox(&self) -> Result<outbox::Statistics> {
        test_hooks_enabled()?;
        Ok(self.outbox.statistics())
    }

    /// [`protocol::DebugSyntaxTree`]: only with the test hooks enabled.
    pub async fn debug_syntax_tree(&self, params: protocol::DocumentParams) -> Result<String> {
        test_hooks_enabled()?;
        self.request(&params.text_document.uri, |s| {
            s.state.tree.root_node().to_sexp()
        })
    }
}

impl LanguageServer for GenaiScopeServer {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        let capabilities = &params.capabilities;
        let offers_utf8 = capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&lsp::PositionEncodingKind::UTF8));
        let encoding = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let text_document = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let flags = ClientFlags {
            pull_diagnostics: text_document.is_some_and(|t| t.diagnostic.is_some()),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            snippets: text_document
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
            snippet_text_edits: capabilities
                .experimental
                .as_ref()
                .and_then(|e| e.get("snippetTextEdit"))
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            related_information: text_document
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.related_information)
                .unwrap_or(false),
            resolve_code_action_edits: text_document
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        };
        #[allow(deprecated)]
        let folders: Vec<lsp::Uri> = match &params.workspace_folders {
            Some(folders) => folders.iter().map(|f| f.uri.clone()).collect(),
            None => params.root_uri.iter().cloned().collect(),
        };
        let pull = flags.pull_diagnostics;
        self.session.set_client(encoding, flags, folders);
        if let Some(options) = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("genaiScope").cloned())
        {
            let (config, _) =
                Config::from_client(&serde_json::from_value(options).unwrap_or_default());
            self.session.set_config(config);
        }
        Ok(lsp::InitializeResult {
            capabilities: handlers::capabilities(encoding, pull),
            server_info: Some(lsp::ServerInfo {
                name: "genai-scope".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        if self.session.flags().watch_files {
            // Project configurations are also re-read when their modification time changes;
            // watching them re-checks open files as soon as one is saved, created or deleted.
            // Any file created or deleted may be evidence (or a `.git` that moves the
            // workspace), so open files are re-checked then too (kind 5: create | delete).
            let watchers = serde_json::json!({
                "watchers": [
                    {"globPattern": format!("**/{}", genai_scope_analysis::config::FILE_NAME)},
                    {"globPattern": "**/*", "kind": 5},
                    {"globPattern": "**/*.{tf,json,yaml,yml,template}"}
                ]
            });
            let registration = lsp::Registration {
                id: "genai-scope-config-watcher".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: Some(watchers),
            };
            if let Err(error) = self.client.register_capability(vec![registration]).await {
                self.log(
                    MessageType::WARNING,
                    format!(
                        "cannot watch {} files: {error}",
                        genai_scope_analysis::config::FILE_NAME
                    ),
                )
                .await;
            }
        }
        if self.session.flags().configuration {
            self.fetch_settings().await;
        }
        let encoding = match self.session.encoding() {
            Encoding::Utf8 => "utf-8",
            _ => "utf-16",
        };
        self.log(
            MessageType::INFO,
            format!(
                "genai-scope {} ready (positions in {encoding})",
                env!("CARGO_PKG_VERSION")
            ),
        )
        .await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down
            .store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let document = params.text_document;
        self.session
            .open(document.uri.clone(), document.text, document.version);
        self.publish(&document.uri).await;
        self.report_configs().await;
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Applied before any await: later edits and requests see this one.
        let applied =
            self.session
                .change(&uri, params.text_document.version, params.content_changes);
        match applied {
            Ok(()) => {
                self.publish(&uri).await;
                self.report_configs().await;
            }
            Err(reason) => self.log(MessageType::WARNING, reason).await,
        }
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let configs = params.changes.iter().any(|change| {
            change
                .uri
                .path()
                .as_str()
                .ends_with(genai_scope_analysis::config::FILE_NAME)
        });
        let created_or_deleted = params.changes.iter().any(|change| {
            matches!(
                change.typ,
                lsp::FileChangeType::CREATED | lsp::FileChangeType::DELETED
            )
        });
        if configs {
            self.session.forget_configs();
        }
        // Infrastructure code under a project's `iac` paths: drift is checked again.
        let infrastructure = params.changes.iter().any(|change| {
            crate::local::local_path(&change.uri)
                .is_some_and(|path| self.session.infrastructure_changed(&path))
        });
        if configs || created_or_deleted || infrastructure {
            self.reanalyse_all().await;
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.session.close(&uri) && !self.session.flags().pull_diagnostics {
            self.publish_diagnostics(uri, Vec::new(), None);
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        if self.session.flags().configuration {
            self.fetch_settings().await;
        } else {
            self.apply_settings(params.settings.get("genaiScope").cloned())
                .await;
        }
    }

    async fn did_change_workspace_folders(&self, params: lsp::DidChangeWorkspaceFoldersParams) {
        let removed: Vec<lsp::Uri> = params.event.removed.into_iter().map(|f| f.uri).collect();
        let added = params.event.added.into_iter().map(|f| f.uri).collect();
        self.session.change_folders(added, &removed);
        if self.session.flags().configuration {
            self.fetch_settings().await;
        } else {
            self.reanalyse_all().await;
        }
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> Result<lsp::DocumentDiagnosticReportResult> {
        self.request(&params.text_document.uri, handlers::diagnostics::pull)
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let position = params.text_document_position_params;
        self.request(&position.text_document.uri, |s| {
            handlers::hover::handle(s, position.position)
        })
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let position = params.text_document_position;
        let snippets = self.session.flags().snippets;
        self.request(&position.text_document.uri, |s| {
            handlers::completion::handle(s, position.position, snippets)
        })
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let flags = self.session.flags();
        let support = handlers::code_action::ClientSupport {
            snippet_edits: flags.snippet_text_edits,
            // A client taking snippet edits (the VS Code extension) rebuilds them from this
            // response, not from a resolved action: it gets its edits here.
            resolve_edits: flags.resolve_code_action_edits && !flags.snippet_text_edits,
        };
        self.request(&uri, |s| handlers::code_action::handle(s, &params, support))
    }

    async fn code_action_resolve(&self, action: lsp::CodeAction) -> Result<lsp::CodeAction> {
        let data = handlers::code_action_resolve::data(&action)?;
        self.request(&data.uri.clone(), |s| {
            handlers::code_action_resolve::handle(s, action, &data)
        })?
    }

    async fn code_lens(&self, params: lsp::CodeLensParams) -> Result<Option<Vec<lsp::CodeLens>>> {
        self.request(&params.text_document.uri, handlers::code_lens::handle)
    }

    async fn execute_command(
        &self,
        params: lsp::ExecuteCommandParams,
    ) -> Result<Option<lsp::LSPAny>> {
        if params.command != handlers::code_lens::ADD_MISSING_CONTROLS {
            return Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        let Some((uri, target)) = handlers::code_lens::add_arguments(&params.arguments) else {
            return Err(Error::invalid_params(
                "expected the document's URI, the workload's index and optionally the agent's",
            ));
        };
        let edit = self.request(&uri, |s| {
            handlers::code_lens::add_missing_controls(s, target)
        })?;
        if let Some(edit) = edit
            && let Err(error) = self.client.apply_edit(edit).await
        {
            self.log(
                MessageType::WARNING,
                format!("the edit was not applied: {error}"),
            )
            .await;
        }
        Ok(None)
    }

    async fn formatting(
        &self,
        params: lsp::DocumentFormattingParams,
    ) -> Result<Option<Vec<lsp::TextEdit>>> {
        self.request(&params.text_document.uri, handlers::formatting::handle)
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        self.request(&params.text_document.uri, handlers::symbols::handle)
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> Result<Option<Vec<lsp::FoldingRange>>> {
        self.request(&params.text_document.uri, handlers::structure::folding)
    }

    async fn selection_range(
        &self,
        params: lsp::SelectionRangeParams,
    ) -> Result<Option<Vec<lsp::SelectionRange>>> {
        self.request(&params.text_document.uri, |s| {
            handlers::structure::selection(s, &params.positions)
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: lsp::SemanticTokensParams,
    ) -> Result<Option<lsp::SemanticTokensResult>> {
        self.request(
            &params.text_document.uri,
            handlers::structure::semantic_tokens,
        )
    }

    async fn inlay_hint(
        &self,
        params: lsp::InlayHintParams,
    ) -> Result<Option<Vec<lsp::InlayHint>>> {
        self.request(&params.text_document.uri, |s| {
            handlers::structure::inlay_hints(s, params.range)
        })
    }

    async fn document_link(
        &self,
        params: lsp::DocumentLinkParams,
    ) -> Result<Option<Vec<lsp::DocumentLink>>> {
        self.request(&params.text_document.uri, handlers::navigation::links)
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> Result<Option<lsp::GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        self.request(&position.text_document.uri, |s| {
            handlers::navigation::definition(s, position.position)
        })
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        let position = params.text_document_position;
        self.request(&position.text_document.uri, |s| {
            handlers::navigation::references(s, position.position)
        })
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        self.request(&params.text_document.uri, |s| {
            handlers::navigation::prepare_rename(s, params.position)
        })
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        let position = params.text_document_position;
        self.request(&position.text_document.uri, |s| {
            handlers::navigation::rename(s, position.position, &params.new_name)
        })?
    }
}
