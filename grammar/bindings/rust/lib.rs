//! The tree-sitter grammar of genai-scope workload declarations (`*.genai`).
//!
//! ```
//! let mut parser = tree_sitter::Parser::new();
//! parser.set_language(&tree_sitter_genai::LANGUAGE.into()).unwrap();
//! let tree = parser.parse("workload \"w\" { owner = \"me\" }", None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_genai() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_genai) };

/// The content of the [`node-types.json`] file for this grammar.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Syntax highlighting query.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");
/// Folding query.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");
/// Indentation query.
pub const INDENTS_QUERY: &str = include_str!("../../queries/indents.scm");
/// Local definitions and references (model names).
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");

#[cfg(test)]
mod tests {
    use tree_sitter::{Parser, Query};

    #[test]
    fn loads_the_grammar() {
        let mut parser = Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("Error loading the genai grammar");
    }

    #[test]
    fn queries_compile() {
        let language = super::LANGUAGE.into();
        for query in [
            super::HIGHLIGHTS_QUERY,
            super::FOLDS_QUERY,
            super::INDENTS_QUERY,
            super::LOCALS_QUERY,
        ] {
            Query::new(&language, query).expect("query compiles");
        }
    }
}
