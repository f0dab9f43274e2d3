//! genai-scope-lsp: the language server, a thin shell over `genai-scope-ide` and
//! `genai-scope-analysis` (tower-lsp-server on tokio).
//!
//! - `session.rs`: open documents, settings, negotiated encoding; snapshots for requests.
//! - `index.rs`: the client's settings per workspace folder; `local.rs`: which documents
//!   are local files (and so have a directory).
//! - `document.rs`: incremental edits of the rope and the syntax tree.
//! - `convert.rs`: the one place where positions and ranges cross the protocol boundary.
//! - `transport.rs`: frames read and parsed once; `outbox.rs`: the bounded output queue.
//! - `handlers/`: one file per LSP method (or family).
//!
//! Document changes are applied synchronously, before any `.await`, so edits and requests
//! cannot overtake each other; requests work on immutable snapshots.
//!
//! May depend on: syntax, analysis, ide and the protocol crates. Never on the CLI.

mod convert;
mod document;
mod handlers;
mod index;
mod local;
mod outbox;
pub mod protocol;
mod publication;
mod server;
mod session;
mod snippet_edits;
mod transport;

use std::process::ExitCode;

use tower_lsp_server::LspService;
use tower_lsp_server::ls_types::request::Request;

use protocol::{DebugOutbox, DebugPanic, DebugSyntaxTree, Report, Workloads};

pub use server::GenaiScopeServer;

/// Serves LSP on stdin/stdout until the client exits: exit code 0 after `shutdown`, 1 when
/// the session ended without it (`exit` alone, or the end of input).
pub fn run_stdio() -> ExitCode {
    let shut_down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let shut_down_flag = shut_down.clone();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("genai-scope: cannot start the language server: {error}");
            return ExitCode::from(2);
        }
    };
    let outbox = outbox::Outbox::default();
    let server_outbox = outbox.clone();
    let (service, socket) = LspService::build(move |client| {
        GenaiScopeServer::new(client, server_outbox, shut_down_flag)
    })
    .custom_method(Workloads::METHOD, GenaiScopeServer::workloads)
    .custom_method(Report::METHOD, GenaiScopeServer::report)
    .custom_method(DebugPanic::METHOD, GenaiScopeServer::debug_panic)
    .custom_method(DebugSyntaxTree::METHOD, GenaiScopeServer::debug_syntax_tree)
    .custom_method(DebugOutbox::METHOD, GenaiScopeServer::debug_outbox)
    .finish();
    runtime.block_on(transport::serve(
        tokio::io::stdin(),
        std::io::stdout(),
        service,
        socket,
        outbox,
    ));
    // Do not wait for the blocking stdin reader.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    if shut_down.load(std::sync::atomic::Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
