//! genai-scope-ide: editor features over one analysed file (hover, completion, actions and
//! fix-all, formatting, navigation, symbols, structure), the documentation of controls, codes
//! and scopes ([`docs`]), the reviewers' reports ([`report`]) and the CycloneDX inventory
//! ([`inventory`]); all in byte offsets and plain
//! data. The language server converts positions and protocol types: nothing here knows of LSP.
//!
//! May depend on: `genai-scope-syntax`, `genai-scope-analysis`, `genai-scope-iac` (the
//! infrastructure model, for [`infrastructure`]). Never on lsp or the CLI.

pub mod docs;
pub mod inventory;
pub mod report;

pub mod actions;
pub mod agents;
pub mod completion;
pub mod format;
pub mod grouping;
pub mod hover;
pub mod infrastructure;
pub mod lens;
pub mod markdown_table;
pub mod navigation;
pub mod snippets;
pub mod structure;
pub mod symbols;

use genai_scope_analysis::Settings;
use genai_scope_analysis::catalog::Catalog;
use genai_scope_analysis::environment::infrastructure::Infrastructure;
use genai_scope_analysis::incremental::{self, AnalysisCache};
use genai_scope_analysis::{Analysis, AnalysisOptions, WorkloadReport};
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{self as syntax, Attribute, Block, Item, SourceFile};

/// A file with everything derived from it, immutable once built.
pub struct FileState {
    pub text: String,
    pub tree: tree_sitter::Tree,
    pub syntax: SourceFile,
    pub analysis: Analysis,
    /// The infrastructure code it was held to (drift), for hover, definition and completion
    /// of `resource` and `iac:` evidence; `None` when none is configured.
    pub infrastructure: Option<std::sync::Arc<Infrastructure>>,
    /// What the next analysis of an edited text reuses (the unchanged workloads).
    analysis_cache: AnalysisCache,
}

impl FileState {
    /// Parses (reusing `old_tree`, already edited, when given) and analyses `text`.
    pub fn new(
        text: String,
        old_tree: Option<&tree_sitter::Tree>,
        options: &AnalysisOptions,
    ) -> Self {
        Self::reusing(text, old_tree, None, options)
    }

    /// [`FileState::new`] that also moves the unchanged top-level items of `previous` (the
    /// state `old_tree` was edited from) into the new syntax tree instead of lowering them
    /// again; `previous` is left without them.
    pub fn reusing(
        text: String,
        old_tree: Option<&tree_sitter::Tree>,
        previous: Option<&mut FileState>,
        options: &AnalysisOptions,
    ) -> Self {
        let mut tree = syntax::parse_tree(&text, old_tree);
        let mut previous = previous.filter(|_| old_tree.is_some());
        // Error recovery after an incremental reparse can differ from a fresh parse; a tree
        // with errors is always rebuilt from scratch so that both agree. (The analysis still
        // reuses workloads: it finds them by their text.)
        let rebuilt = old_tree.is_some() && tree.root_node().has_error();
        if rebuilt {
            tree = syntax::parse_tree(&text, None);
        }
        let syntax = match previous.as_deref_mut().filter(|_| !rebuilt) {
            Some(previous) => {
                syntax::lower_tree_reusing(&text, &tree, &previous.text, &mut previous.syntax)
            }
            None => syntax::lower_tree(&text, &tree),
        };
        let reuse = previous.map(|previous| incremental::Previous {
            text: &previous.text,
            cache: &mut previous.analysis_cache,
            reports: &mut previous.analysis.workloads,
        });
        let (analysis, analysis_cache) =
            incremental::analyze_incremental(reuse, &text, &syntax, options);
        Self {
            text,
            tree,
            syntax,
            analysis,
            infrastructure: options.infrastructure.clone(),
            analysis_cache,
        }
    }

    /// A file whose analysis failed or was skipped: the text is kept, nothing is reported.
    pub fn unanalysed(
        text: String,
        diagnostics: Vec<genai_scope_analysis::diagnostic::Diagnostic>,
    ) -> Self {
        Self {
            text,
            tree: syntax::parse_tree("", None),
            syntax: SourceFile::default(),
            analysis: Analysis {
                diagnostics: diagnostics.into(),
                workloads: Vec::new(),
                suppressed: Vec::new(),
                settings: Settings::default(),
            },
            infrastructure: None,
            analysis_cache: AnalysisCache::default(),
        }
    }

    /// How much of the previous analysis this one reused.
    pub fn analysis_statistics(&self) -> incremental::Statistics {
        self.analysis_cache.statistics()
    }

    /// The catalog it was analysed with (built-in, or with the project's custom controls).
    pub fn catalog(&self) -> &Catalog {
        self.analysis.catalog()
    }

    /// The workload blocks with their reports, in order.
    pub fn workloads(&self) -> impl Iterator<Item = (&Block, &WorkloadReport)> {
        genai_scope_analysis::workload_blocks(&self.syntax).zip(&self.analysis.workloads)
    }

    /// The workload around `offset`.
    pub fn workload_at(&self, offset: usize) -> Option<(usize, &Block, &WorkloadReport)> {
        self.workloads()
            .enumerate()
            .find(|(_, (block, _))| block.range.touches(offset))
            .map(|(index, (block, report))| (index, block, report))
    }
}

/// What lies under a cursor, innermost first.
#[derive(Debug)]
pub enum Target<'a> {
    BlockKeyword(&'a Block),
    Label(&'a Block),
    AttributeKey(&'a Block, &'a Attribute),
    AttributeValue(&'a Block, &'a Attribute),
}

/// The blocks containing `offset`, outermost first.
pub fn enclosing_blocks(file: &SourceFile, offset: usize) -> Vec<&Block> {
    let mut chain = Vec::new();
    let mut items = &file.items;
    loop {
        let next = items.iter().find_map(|item| match item {
            Item::Block(block) if block_touches(block, offset) => Some(block),
            _ => None,
        });
        match next {
            Some(block) => {
                chain.push(block);
                items = &block.items;
            }
            None => return chain,
        }
    }
}

/// A block contains the cursor from its keyword to its closing brace (to the end of the
/// file when the brace is missing, so that completion works while typing).
fn block_touches(block: &Block, offset: usize) -> bool {
    let end = block.close_brace.map_or(usize::MAX, |close| close.start);
    block.range.start <= offset && offset <= end.max(block.open_brace.end)
}

/// The innermost thing under `offset`.
pub fn target_at(file: &SourceFile, offset: usize) -> Option<Target<'_>> {
    let chain = enclosing_blocks(file, offset);
    let block = *chain.last()?;
    if block.keyword.range.touches(offset) {
        return Some(Target::BlockKeyword(block));
    }
    if block
        .label
        .as_ref()
        .is_some_and(|l| l.range.touches(offset))
    {
        return Some(Target::Label(block));
    }
    for attribute in block.attributes() {
        if attribute.key.range.touches(offset) {
            return Some(Target::AttributeKey(block, attribute));
        }
        if attribute
            .value
            .as_ref()
            .is_some_and(|v| v.range.touches(offset))
        {
            return Some(Target::AttributeValue(block, attribute));
        }
    }
    None
}

/// The range of `range` within the text, clamped, for results.
pub fn clamp(range: TextRange, text: &str) -> TextRange {
    TextRange::new(range.start.min(text.len()), range.end.min(text.len()))
}

#[cfg(test)]
mod custom_controls_tests;
#[cfg(test)]
mod reuse_tests;
