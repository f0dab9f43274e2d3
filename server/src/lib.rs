//! genai-scope: the Generative AI Security Scoping Matrix as an analyzer of `*.genai`
//! workload declarations, with a command-line checker and a language server as thin shells.
//!
//! Where things live (see also `docs/architecture.md`):
//! - [`syntax`]: tree-sitter parsing and the owned syntax tree;
//! - [`schema`]: the blocks, attributes and values of the format, as data;
//! - [`catalog`]: the matrix (scopes, disciplines, controls, rule docs), as embedded data;
//! - [`analysis`]: the typed model, scope inference, rules and fixes;
//! - [`text`]: byte offsets ↔ line/column in any encoding;
//! - [`cli`], [`lsp`]: the presentations.

pub mod analysis;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod ide;
pub mod lsp;
pub mod report;
pub mod schema;
pub mod syntax;
pub mod text;

#[cfg(test)]
mod test_support;
