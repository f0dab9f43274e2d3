//! genai-scope-syntax: the bottom layer. Text positions (byte offsets ↔ line/column in UTF-8,
//! UTF-16 or characters, in [`text`]), tree-sitter parsing, the owned syntax tree the analyzer
//! reads, and syntax errors with what was expected.
//!
//! May depend on: the grammar (`tree-sitter-genai`), tree-sitter, ropey and serde. Nothing of
//! genai-scope above it.

mod ast;
mod errors;
mod kind;
mod lower;
mod recovery;
pub mod text;

pub use ast::{Attribute, Block, Ident, Item, Label, LabelKind, SourceFile, Value, ValueKind};
pub use errors::SyntaxError;
pub use kind::BlockKind;
pub use lower::MAX_NESTING;
pub use lower::parse_duration_ms;

use tree_sitter::{Parser, Tree};

/// The tree-sitter language of `.genai` files.
pub fn language() -> tree_sitter::Language {
    tree_sitter_genai::LANGUAGE.into()
}

/// Parses `text`, reusing `old` (already edited with `Tree::edit`) when given.
pub fn parse_tree(text: &str, old: Option<&Tree>) -> Tree {
    thread_local! {
        static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new({
            let mut parser = Parser::new();
            parser
                .set_language(&language())
                .expect("the bundled grammar matches the tree-sitter ABI");
            parser
        });
    }
    PARSER.with(|parser| {
        parser
            .borrow_mut()
            .parse(text, old)
            .expect("parsing without a timeout or cancellation flag always yields a tree")
    })
}

/// Parses and lowers `text` to the owned syntax tree.
pub fn parse(text: &str) -> SourceFile {
    let tree = parse_tree(text, None);
    lower::lower(text, &tree)
}

/// Lowers an existing tree of `text`.
pub fn lower_tree(text: &str, tree: &Tree) -> SourceFile {
    lower::lower(text, tree)
}

/// Lowers `tree` of `text`, a new version of `old_text`, moving the top-level items of `old`
/// (the lowering of `old_text`) whose text did not change out of it.
pub fn lower_tree_reusing(
    text: &str,
    tree: &Tree,
    old_text: &str,
    old: &mut SourceFile,
) -> SourceFile {
    lower::lower_reusing(text, tree, old_text, old)
}
