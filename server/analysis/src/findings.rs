//! An analysis's diagnostics, kept as the language server reuses them: each workload's own
//! findings shared (not copied) between the analyses of successive edits, with the offset
//! its lines stand at now, beside the few findings of the file as a whole. Read as one sorted
//! slice (`Deref`), that list is put together the first time it is asked for; the language
//! server's publication reads the pieces instead, so that an edit costs what it changed.

use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use genai_scope_syntax::text::TextRange;

use crate::diagnostic::Diagnostic;

/// One workload's findings (what lowering its block reported and what the rules found) after
/// attribution and the settings, sorted, as of the analysis that made them.
#[derive(Debug)]
pub struct WorkloadFindings {
    /// Unique for the life of the process: an analysis that reuses these findings reuses the
    /// id, so a cache keyed by it (with where the workload stands) stays valid.
    id: u64,
    /// The workload's whole lines where it was analysed.
    lines: TextRange,
    diagnostics: Vec<Diagnostic>,
    /// See [`Self::fits`]; found once, since the findings never change.
    fits: bool,
}

impl WorkloadFindings {
    /// `diagnostics` must be sorted and lie inside `lines` (see [`Self::fits`]).
    pub(crate) fn new(lines: TextRange, mut diagnostics: Vec<Diagnostic>) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        // Kept for as long as the workload is unchanged: the rules' pushes left the vector up
        // to twice as long as it is (5 MB of a 20,000-line document's 47,000 findings).
        diagnostics.shrink_to_fit();
        let fits = diagnostics.iter().all(|d| {
            lines.contains_range(d.range) && d.related.iter().all(|r| lines.contains_range(r.range))
        });
        Self {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            lines,
            diagnostics,
            fits,
        }
    }

    /// Whether every diagnostic (its related places included) lies inside its lines.
    pub(crate) fn fits(&self) -> bool {
        self.fits
    }
}

/// A workload's findings, placed where its lines start in the current text.
#[derive(Clone, Debug)]
pub struct Placed {
    findings: Arc<WorkloadFindings>,
    start: usize,
}

impl Placed {
    pub(crate) fn new(findings: Arc<WorkloadFindings>, start: usize) -> Self {
        Self { findings, start }
    }

    /// Names these findings: equal ids, equal findings relative to [`Self::lines`].
    pub fn id(&self) -> u64 {
        self.findings.id
    }

    /// The workload's whole lines in the current text.
    pub fn lines(&self) -> TextRange {
        let len = self.findings.lines.end - self.findings.lines.start;
        TextRange::new(self.start, self.start + len)
    }

    pub fn len(&self) -> usize {
        self.findings.diagnostics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.diagnostics.is_empty()
    }

    /// Whether every diagnostic starts before `offset` of the current text.
    pub fn ends_before(&self, offset: usize) -> bool {
        let delta = self.start as isize - self.findings.lines.start as isize;
        self.findings
            .diagnostics
            .last()
            .is_none_or(|d| (d.range.start as isize + delta) < offset as isize)
    }

    /// The diagnostics as they were analysed, with how far they have moved since (add it to
    /// each offset for the current text): what [`Self::diagnostics`] copies and moves.
    pub fn unmoved(&self) -> (&[Diagnostic], isize) {
        let delta = self.start as isize - self.findings.lines.start as isize;
        (&self.findings.diagnostics, delta)
    }

    /// The diagnostics as they stand in the current text (copies, moved by how far the
    /// workload moved).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        let delta = self.start as isize - self.findings.lines.start as isize;
        self.findings.diagnostics.iter().map(move |d| {
            let mut d = d.clone();
            shift_diagnostic(&mut d, delta);
            d
        })
    }
}

/// The diagnostics of one analysis, sorted by position (then code): the file's own findings
/// and each workload's, merged when first read.
#[derive(Clone, Default)]
pub struct Findings {
    /// Sorted. With no workload pieces: every diagnostic.
    file: Vec<Diagnostic>,
    /// In file order; their lines do not overlap.
    workloads: Vec<Placed>,
    all: OnceLock<Vec<Diagnostic>>,
}

impl Findings {
    /// The file's findings and each workload's: `file` sorted, the pieces in file order with
    /// lines that do not overlap.
    pub(crate) fn pieces(file: Vec<Diagnostic>, workloads: Vec<Placed>) -> Self {
        Self {
            file,
            workloads,
            all: OnceLock::new(),
        }
    }

    /// The findings of the file as a whole (all of them when [`Self::workloads`] is empty),
    /// sorted.
    pub fn file_level(&self) -> &[Diagnostic] {
        &self.file
    }

    /// Each workload's own findings, in file order (none when the analysis is kept whole).
    pub fn workloads(&self) -> &[Placed] {
        &self.workloads
    }

    /// The list to change in place; the workload pieces are merged into it first.
    pub fn make_mut(&mut self) -> &mut Vec<Diagnostic> {
        if !self.workloads.is_empty() {
            let all = match self.all.take() {
                Some(all) => all,
                None => merge(&self.file, &self.workloads),
            };
            self.file = all;
            self.workloads = Vec::new();
        }
        self.all = OnceLock::new();
        &mut self.file
    }

    pub fn into_vec(mut self) -> Vec<Diagnostic> {
        std::mem::take(self.make_mut())
    }
}

/// Merges the sorted file-level findings with each piece's (file-level first on ties, as a
/// stable sort of the file's findings before the workloads' gives): the order of the whole
/// list, or of one piece's run with the file's findings inside its lines.
pub fn merge(file: &[Diagnostic], workloads: &[Placed]) -> Vec<Diagnostic> {
    let total = file.len() + workloads.iter().map(Placed::len).sum::<usize>();
    let mut all = Vec::with_capacity(total);
    let mut file = file.iter().peekable();
    for piece in workloads {
        for diagnostic in piece.diagnostics() {
            while let Some(first) = file.next_if(|f| order(f) <= order(&diagnostic)) {
                all.push(first.clone());
            }
            all.push(diagnostic);
        }
    }
    all.extend(file.cloned());
    all
}

/// The order of a file's diagnostics.
pub(crate) fn order(d: &Diagnostic) -> (usize, usize, crate::diagnostic::Code) {
    (d.range.start, d.range.end, d.code)
}

pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(order);
}

impl From<Vec<Diagnostic>> for Findings {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Self::pieces(diagnostics, Vec::new())
    }
}

impl Deref for Findings {
    type Target = [Diagnostic];

    fn deref(&self) -> &[Diagnostic] {
        if self.workloads.is_empty() {
            return &self.file;
        }
        self.all.get_or_init(|| merge(&self.file, &self.workloads))
    }
}

impl PartialEq for Findings {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<const N: usize> PartialEq<[Diagnostic; N]> for Findings {
    fn eq(&self, other: &[Diagnostic; N]) -> bool {
        **self == other[..]
    }
}

impl PartialEq<Vec<Diagnostic>> for Findings {
    fn eq(&self, other: &Vec<Diagnostic>) -> bool {
        **self == other[..]
    }
}

impl std::fmt::Debug for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Findings {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl IntoIterator for Findings {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

/// `range` moved by `delta` bytes.
pub fn shifted(range: TextRange, delta: isize) -> TextRange {
    TextRange::new(
        range.start.saturating_add_signed(delta),
        range.end.saturating_add_signed(delta),
    )
}

/// Moves `diagnostic` (its related places and fixes too) by `delta` bytes.
pub(crate) fn shift_diagnostic(diagnostic: &mut Diagnostic, delta: isize) {
    if delta == 0 {
        return;
    }
    diagnostic.range = shifted(diagnostic.range, delta);
    for related in &mut diagnostic.related {
        related.range = shifted(related.range, delta);
    }
    // A fix kept as how to build it is built where the finding is: it moves with it.
    if let crate::diagnostic::Fixes::Built(fixes) = &mut diagnostic.fixes {
        for fix in fixes {
            for edit in &mut fix.edits {
                edit.range = shifted(edit.range, delta);
            }
        }
    }
}
