//! genai-scope-lsp: the language server, a thin shell over `genai-scope-ide` and
//! `genai-scope-analysis` (tower-lsp-server on tokio).
//!
//! - `session.rs`: open documents, settings, negotiated encoding; snapshots for requests.
//! - `document.rs`: incremental edits of the rope and the syntax tree.
//! - `convert.rs`: the one place where positions and ranges cross the protocol boundary.
//! - `handlers/`: one file per LSP method (or family).
//!
//! Document changes are applied synchronously, before any `.await`, so edits and requests
//! cannot overtake each other; requests work on immutable snapshots.
//!
//! May depend on: syntax, analysis, ide and the protocol crates. Never on the CLI.

mod convert;
mod document;
mod handlers;
mod server;
mod session;
mod transport;

use std::process::ExitCode;

use tower_lsp_server::{LspService, Server};

pub use server::GenaiScopeServer;

/// Serves LSP on stdin/stdout until the client exits.
pub fn run_stdio() -> ExitCode {
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
    runtime.block_on(transport::guarded(
        tokio::io::stdin(),
        tokio::io::stdout(),
        |input, output, outbox| async move {
            let (service, socket) =
                LspService::build(move |client| GenaiScopeServer::new(client, outbox))
                    .custom_method("genaiScope/workloads", GenaiScopeServer::workloads)
                    .custom_method("genaiScope/report", GenaiScopeServer::report)
                    .custom_method("genaiScope/debugPanic", GenaiScopeServer::debug_panic)
                    .custom_method(
                        "genaiScope/debugSyntaxTree",
                        GenaiScopeServer::debug_syntax_tree,
                    )
                    .finish();
            Server::new(input, output, socket).serve(service).await;
        },
    ));
    // Do not wait for the blocking stdin reader.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    ExitCode::SUCCESS
}
