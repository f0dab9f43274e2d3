//! One open document: its rope, the syntax tree edited in step with it, and its analysis.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;
use tree_sitter::{InputEdit, Point};

use super::convert::Converter;
use crate::analysis::AnalysisOptions;
use crate::diagnostic::{Code, Diagnostic};
use crate::ide::FileState;
use crate::text::{Encoding, TextRange, position_of};

pub struct Document {
    pub version: i32,
    pub rope: Rope,
    /// The analysis of the text as of the last [`Document::analysed`] call.
    state: Arc<FileState>,
    /// Edits applied to the rope but not yet analysed, with the tree edited to match
    /// (`None` inside: reparse from scratch).
    pending: Option<Option<tree_sitter::Tree>>,
}

impl Document {
    pub fn open(text: String, version: i32, options: &AnalysisOptions, max_size: usize) -> Self {
        let rope = Rope::from_str(&text);
        let state = Arc::new(analyse(text, None, options, max_size));
        Self {
            version,
            rope,
            state,
            pending: None,
        }
    }

    /// The analysis of the current text, computed now if edits are pending. Analysis is
    /// deferred so that a burst of changes is analysed once.
    pub fn analysed(&mut self, options: &AnalysisOptions, max_size: usize) -> Arc<FileState> {
        if let Some(tree) = self.pending.take() {
            self.state = Arc::new(analyse(
                self.rope.to_string(),
                tree.as_ref(),
                options,
                max_size,
            ));
        }
        self.state.clone()
    }

    /// Applies the changes in order to the rope and the syntax tree; analysis waits for
    /// [`Document::analysed`].
    pub fn change(
        &mut self,
        version: i32,
        changes: Vec<lsp::TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) {
        let mut tree = match self.pending.take() {
            Some(tree) => tree,
            // Error recovery may differ after an incremental reparse; reuse only clean trees.
            None => Some(self.state.tree.clone()).filter(|tree| !tree.root_node().has_error()),
        };
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    tree = None;
                }
                Some(range) => {
                    let converter = Converter {
                        rope: &self.rope,
                        encoding,
                    };
                    let TextRange { start, end } = converter.text_range(range);
                    let start_point = point(&self.rope, start);
                    let old_end_point = point(&self.rope, end);
                    let start_char = self.rope.byte_to_char(start);
                    let end_char = self.rope.byte_to_char(end);
                    self.rope.remove(start_char..end_char);
                    self.rope.insert(start_char, &change.text);
                    let new_end = start + change.text.len();
                    if let Some(tree) = tree.as_mut() {
                        tree.edit(&InputEdit {
                            start_byte: start,
                            old_end_byte: end,
                            new_end_byte: new_end,
                            start_position: start_point,
                            old_end_position: old_end_point,
                            new_end_position: point(&self.rope, new_end),
                        });
                    }
                }
            }
        }
        self.version = version;
        self.pending = Some(tree);
    }
}

fn point(rope: &Rope, offset: usize) -> Point {
    let at = position_of(rope, offset, Encoding::Utf8);
    Point {
        row: at.line,
        column: at.col,
    }
}

/// Analyses `text`; a document over `max_size` bytes, or one the analysis fails on, keeps its
/// text and reports why it is not analysed.
fn analyse(
    text: String,
    old_tree: Option<&tree_sitter::Tree>,
    options: &AnalysisOptions,
    max_size: usize,
) -> FileState {
    if text.len() > max_size {
        let message = format!(
            "this document is {} bytes, more than the limit of {max_size} (setting `genaiScope.maxDocumentSize`); it is not analysed",
            text.len()
        );
        let first_line = text.find(['\n', '\r']).unwrap_or(text.len()).min(200);
        let end = (0..=first_line)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        return FileState::unanalysed(
            text,
            vec![Diagnostic::new(
                Code::SyntaxError,
                TextRange::new(0, end),
                message,
            )],
        );
    }
    // The analysis is not expected to panic; if it does, the user's text must survive.
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        FileState::new(text.clone(), old_tree, options)
    }));
    attempt.unwrap_or_else(|_| {
        let message =
            "genai-scope failed to analyse this document (a bug; please report it with the file)";
        FileState::unanalysed(
            text,
            vec![Diagnostic::new(
                Code::SyntaxError,
                TextRange::empty(0),
                message,
            )],
        )
    })
}
