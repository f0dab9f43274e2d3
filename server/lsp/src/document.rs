//! One open document: its rope, the syntax tree edited in step with it, and its analysis.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, mpsc};

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;
use tree_sitter::{InputEdit, Point};

use super::convert::Converter;
use super::publication::SerialisedRuns;
use genai_scope_analysis::AnalysisOptions;
use genai_scope_analysis::diagnostic::{Code, Diagnostic};
use genai_scope_ide::FileState;
use genai_scope_syntax::text::{Encoding, TextRange, position_of};

pub struct Document {
    pub version: i32,
    pub rope: Rope,
    /// The analysis of the text as of the last [`Document::analysed`] call; `None` once
    /// evicted (see [`evict_cold`]) or invalidated, to be recomputed when next needed.
    state: Option<Arc<FileState>>,
    /// Edits applied to the rope but not yet analysed, with the tree edited to match
    /// (`None` inside: reparse from scratch).
    pending: Option<Option<tree_sitter::Tree>>,
    /// When the analysis was last asked for, on [`CLOCK`]; the least recently used
    /// documents are evicted first.
    last_used: u64,
    /// The JSON of the last publication, by workload, for the next one to reuse.
    pub published_runs: Arc<Mutex<SerialisedRuns>>,
}

/// A counter of analysis requests across documents (an order, not a time).
static CLOCK: AtomicU64 = AtomicU64::new(0);

fn tick() -> u64 {
    CLOCK.fetch_add(1, Ordering::Relaxed)
}

/// How many documents keep their analysis (text, syntax trees, findings) in memory, and how
/// much text they may hold together; the most recently used one is always kept. The others
/// keep only their text and are analysed again, from scratch, when next needed.
const HOT_DOCUMENTS: usize = 8;
const HOT_TEXT_BYTES: usize = 4 * 1024 * 1024;

impl Document {
    pub fn open(text: String, version: i32, options: &AnalysisOptions, max_size: usize) -> Self {
        let rope = Rope::from_str(&text);
        let state = Arc::new(analyse(text, &rope, None, None, options, max_size));
        Self {
            version,
            rope,
            state: Some(state),
            pending: None,
            last_used: tick(),
            published_runs: Arc::default(),
        }
    }

    /// The analysis of the current text, computed now if edits are pending or it was
    /// evicted. Analysis is deferred so that a burst of changes is analysed once.
    pub fn analysed(&mut self, options: &AnalysisOptions, max_size: usize) -> Arc<FileState> {
        self.last_used = tick();
        let tree = match (self.pending.take(), &self.state) {
            (None, Some(state)) => return state.clone(),
            (Some(tree), _) => tree,
            (None, None) => None,
        };
        // The previous analysis, when no snapshot holds it any more, gives its unchanged
        // top-level items to the new one.
        let mut previous = match self.state.take().map(Arc::try_unwrap) {
            Some(Ok(previous)) if tree.is_some() => Some(previous),
            Some(Ok(previous)) => {
                retire(Some(Arc::new(previous)));
                None
            }
            Some(Err(shared)) => {
                retire(Some(shared));
                None
            }
            None => None,
        };
        let state = Arc::new(analyse(
            // Chunk by chunk into a string sized once (`to_string` goes through `fmt`).
            String::from(&self.rope),
            &self.rope,
            tree.as_ref(),
            previous.as_mut(),
            options,
            max_size,
        ));
        retire(previous.map(Arc::new));
        self.state = Some(state.clone());
        state
    }

    /// Forgets the analysis (after a change of settings); the next [`Document::analysed`]
    /// starts from the text.
    pub fn invalidate(&mut self) {
        retire(self.state.take());
        self.pending = None;
        // Also after a change of settings: a custom control's link may have changed.
        self.published_runs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn is_hot(&self) -> bool {
        self.state.is_some() || self.pending.as_ref().is_some_and(Option::is_some)
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
            None => self
                .state
                .as_ref()
                .map(|state| state.tree.clone())
                .filter(|tree| !tree.root_node().has_error()),
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

/// Drops the analyses of all but the most recently used documents (see [`HOT_DOCUMENTS`]):
/// with many documents open, memory stays bounded by their text.
pub fn evict_cold<K>(documents: &mut HashMap<K, Document>) {
    evict(documents, HOT_DOCUMENTS, HOT_TEXT_BYTES);
}

fn evict<K>(documents: &mut HashMap<K, Document>, keep: usize, keep_bytes: usize) {
    let mut hot: Vec<&mut Document> = documents.values_mut().filter(|d| d.is_hot()).collect();
    if hot.len() <= 1 {
        return;
    }
    hot.sort_unstable_by_key(|d| std::cmp::Reverse(d.last_used));
    let mut text = 0;
    for (rank, document) in hot.into_iter().enumerate() {
        text += document.rope.len_bytes();
        if rank > 0 && (rank >= keep || text > keep_bytes) {
            document.invalidate();
        }
    }
}

/// Drops a replaced analysis. Freeing a large one takes milliseconds that the publication of
/// the new one need not wait for, so it happens on a thread of its own.
fn retire(state: Option<Arc<FileState>>) {
    static DROPPER: OnceLock<Option<mpsc::Sender<Arc<FileState>>>> = OnceLock::new();
    let Some(state) = state else { return };
    if state.text.len() < 16 * 1024 {
        return;
    }
    let dropper = DROPPER.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Arc<FileState>>();
        std::thread::Builder::new()
            .name("genai-scope-drop".into())
            .spawn(move || receiver.into_iter().for_each(drop))
            .ok()
            .map(|_| sender)
    });
    if let Some(sender) = dropper {
        // On failure the state comes back in the error and is dropped here.
        let _ = sender.send(state);
    }
}

fn point(rope: &Rope, offset: usize) -> Point {
    let at = position_of(rope, offset, Encoding::Utf8);
    Point {
        row: at.line,
        column: at.col,
    }
}

/// Analyses `text` (`rope`'s); a document over `max_size` bytes, or one the analysis fails
/// on, keeps its text and reports why it is not analysed.
fn analyse(
    text: String,
    rope: &Rope,
    old_tree: Option<&tree_sitter::Tree>,
    previous: Option<&mut FileState>,
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
    // The text moves into the analysis; after a panic it is taken from the rope again.
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        FileState::reusing(text, old_tree, previous, options)
    }));
    attempt.unwrap_or_else(|_| {
        let message =
            "genai-scope failed to analyse this document (a bug; please report it with the file)";
        FileState::unanalysed(
            rope.to_string(),
            vec![Diagnostic::new(
                Code::SyntaxError,
                TextRange::empty(0),
                message,
            )],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  scope = 2\n  model \"m\" { hosting = managed_api }\n}\n";

    #[test]
    fn only_the_most_recently_used_documents_keep_their_analysis() {
        let options = AnalysisOptions::default();
        let mut documents: HashMap<usize, Document> = (0..HOT_DOCUMENTS + 4)
            .map(|i| (i, Document::open(TEXT.into(), 1, &options, usize::MAX)))
            .collect();
        let expected = documents
            .get_mut(&0)
            .unwrap()
            .analysed(&options, usize::MAX);
        evict_cold(&mut documents);
        let hot: Vec<usize> = (0..documents.len())
            .filter(|i| documents[i].is_hot())
            .collect();
        assert_eq!(hot.len(), HOT_DOCUMENTS);
        assert!(documents[&0].is_hot(), "the last one used stays: {hot:?}");

        // An evicted document is analysed again, with the same findings, and edits to it
        // start from a fresh parse.
        let cold = (0..documents.len()).find(|i| !hot.contains(i)).unwrap();
        let document = documents.get_mut(&cold).unwrap();
        let again = document.analysed(&options, usize::MAX);
        assert_eq!(again.analysis.diagnostics, expected.analysis.diagnostics);
        document.invalidate();
        let at = lsp::Position::new(1, 2);
        document.change(
            2,
            vec![lsp::TextDocumentContentChangeEvent {
                range: Some(lsp::Range::new(at, at)),
                range_length: None,
                text: "#".into(),
            }],
            Encoding::Utf16,
        );
        let edited = document.analysed(&options, usize::MAX);
        assert!(edited.text.contains("  #owner"), "{}", edited.text);
    }

    #[test]
    fn one_large_document_stays_analysed_alone() {
        let options = AnalysisOptions::default();
        let mut documents = HashMap::from([
            (0, Document::open(TEXT.into(), 1, &options, usize::MAX)),
            (1, Document::open(TEXT.repeat(3), 1, &options, usize::MAX)),
        ]);
        evict(&mut documents, HOT_DOCUMENTS, 2 * TEXT.len());
        assert!(documents[&1].is_hot() && !documents[&0].is_hot());
    }
}
