//! Incremental analysis: after an edit, only the workloads whose text changed are analysed
//! again; the others keep their findings, fixes and reports, moved by how far their text
//! moved. What looks across workloads (syntax errors, top-level items, duplicate workload
//! names, `no-workload`, attribution, settings, suppressions and their own findings, the
//! order) runs over the whole file every time, exactly as [`crate::analyze_syntax`] does it,
//! so that the result is the same as a fresh analysis.
//!
//! A workload's result is a function of its own lines (the rules read the indentation of the
//! line its keyword stands on and what follows its closing brace on that line, so the key is
//! its whole lines, not just the block) and of the shared inputs: the options (settings and
//! catalog, date, directories, environment and infrastructure, compared by identity for the
//! last two). Two inputs are not captured by the text and are never reused: evidence paths,
//! which ask the file system (it may have changed since), and infrastructure with unreadable
//! files, whose finding is said once per file on the first workload it concerns (that reads
//! the other workloads' findings). A workload next to a syntax error is analysed again too,
//! since error recovery depends on its surroundings.

use std::collections::HashMap;
use std::sync::Arc;

use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{BlockKind, Item, SourceFile};
use time::Date;

use crate::diagnostic::{Code, Diagnostic};
use crate::environment::SharedEnvironment;
use crate::environment::infrastructure::Infrastructure;
use crate::findings::{self, Findings, Placed, WorkloadFindings, shifted};
use crate::model::Spanned;
use crate::{Analysis, AnalysisOptions, Settings, WorkloadReport, lower, rules, scope};

/// What one analysis keeps so that the next can reuse its workloads; it belongs with the
/// text it was made from (see [`Previous`]).
#[derive(Debug, Default)]
pub struct AnalysisCache {
    /// The inputs every workload shares; `None`: nothing may be reused.
    inputs: Option<Inputs>,
    /// One per workload, in file order.
    workloads: Vec<CachedWorkload>,
    statistics: Statistics,
}

/// How much of the last analysis was reused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Workloads analysed from their text.
    pub analysed: usize,
    /// Workloads whose previous result was kept (moved).
    pub reused: usize,
}

impl AnalysisCache {
    pub fn statistics(&self) -> Statistics {
        self.statistics
    }
}

/// The previous analysis to reuse: the text it was made from, its cache and its workload
/// reports (the reused workloads are moved out of both, not copied).
pub struct Previous<'a> {
    pub text: &'a str,
    pub cache: &'a mut AnalysisCache,
    /// The previous analysis's [`Analysis::workloads`], one per cached workload.
    pub reports: &'a mut Vec<WorkloadReport>,
}

#[derive(Debug)]
struct Inputs {
    today: Option<Date>,
    base_dir: Option<std::path::PathBuf>,
    workspace_root: Option<std::path::PathBuf>,
    settings: Settings,
    environment: SharedEnvironment,
    infrastructure: Option<Arc<Infrastructure>>,
}

impl Inputs {
    /// The shared inputs of `options`, or `None` when results may not be reused under them.
    fn of(options: &AnalysisOptions) -> Option<Self> {
        let unreadable = options
            .infrastructure
            .as_ref()
            .is_some_and(|infrastructure| !infrastructure.inventory.unreadable.is_empty());
        (!unreadable).then(|| Self {
            today: options.today,
            base_dir: options.base_dir.clone(),
            workspace_root: options.workspace_root.clone(),
            settings: options.settings.clone(),
            environment: options.environment.clone(),
            infrastructure: options.infrastructure.clone(),
        })
    }

    fn same(&self, other: &Self) -> bool {
        self.today == other.today
            && self.base_dir == other.base_dir
            && self.workspace_root == other.workspace_root
            && Arc::ptr_eq(&self.environment.0, &other.environment.0)
            && match (&self.infrastructure, &other.infrastructure) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
            && self.settings == other.settings
    }
}

/// One workload's own results: its findings after attribution and the settings, sorted
/// (shared with the analysis that made them). Its report is the analysis's.
#[derive(Debug)]
struct CachedWorkload {
    /// Its whole lines in the text it was analysed in.
    lines: TextRange,
    /// Whether it may be reused when those lines come again.
    reusable: bool,
    name: Option<Spanned<String>>,
    findings: Arc<WorkloadFindings>,
}

/// A previous workload with its report, as reused.
#[derive(Debug)]
struct Reused {
    cached: CachedWorkload,
    report: WorkloadReport,
}

impl Reused {
    fn shift(&mut self, delta: isize) {
        if delta == 0 {
            return;
        }
        let cached = &mut self.cached;
        cached.lines = shifted(cached.lines, delta);
        if let Some(name) = &mut cached.name {
            name.range = shifted(name.range, delta);
        }
        let report = &mut self.report;
        report.range = shifted(report.range, delta);
        report.name_range = shifted(report.name_range, delta);
        for model in &mut report.models {
            model.range = shifted(model.range, delta);
        }
        for agent in &mut report.agents {
            agent.range = shifted(agent.range, delta);
        }
    }
}

impl CachedWorkload {
    fn placed(&self) -> Placed {
        Placed::new(self.findings.clone(), self.lines.start)
    }
}

/// The whole lines `range` stands on, with the line break that ends the last one.
fn whole_lines(text: &str, range: TextRange) -> TextRange {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    TextRange::new(line_start, line_end)
}

fn touches_error(file: &SourceFile, lines: TextRange) -> bool {
    file.errors
        .iter()
        .any(|error| error.range.start <= lines.end && error.range.end >= lines.start)
}

/// The previous workloads still available, found by their lines' text: first where the
/// last one was found (edits rarely reorder), else by an index built when first needed.
struct Pool<'a> {
    text: &'a str,
    workloads: Vec<Option<Reused>>,
    cursor: usize,
    index: Option<HashMap<(usize, &'a str), Vec<usize>, foldhash::fast::RandomState>>,
}

/// Enough of a workload's text to tell most apart cheaply; equality is checked in full.
fn index_key(text: &str) -> (usize, &str) {
    let mut end = text.len().min(128);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text.len(), &text[..end])
}

impl<'a> Pool<'a> {
    fn new(previous: Option<Previous<'a>>, inputs: Option<&Inputs>) -> Self {
        let mut pool = Self {
            text: "",
            workloads: Vec::new(),
            cursor: 0,
            index: None,
        };
        let (Some(previous), Some(inputs)) = (previous, inputs) else {
            return pool;
        };
        if !previous
            .cache
            .inputs
            .as_ref()
            .is_some_and(|old| old.same(inputs))
        {
            return pool;
        }
        let cached = std::mem::take(&mut previous.cache.workloads);
        let reports = std::mem::take(previous.reports);
        if cached.len() != reports.len() {
            return pool;
        }
        pool.text = previous.text;
        pool.workloads = cached
            .into_iter()
            .zip(reports)
            .map(|(cached, report)| {
                let valid = cached.reusable && previous.text.get(range(cached.lines)).is_some();
                valid.then_some(Reused { cached, report })
            })
            .collect();
        pool
    }

    fn old_text(&self, reused: &Reused) -> &'a str {
        &self.text[range(reused.cached.lines)]
    }

    fn take(&mut self, lines: &str) -> Option<Reused> {
        let at_cursor = self
            .workloads
            .get(self.cursor)
            .and_then(Option::as_ref)
            .is_some_and(|cached| self.old_text(cached) == lines);
        let found = if at_cursor {
            Some(self.cursor)
        } else {
            self.find(lines)
        };
        // A miss most often is the workload being edited, in its old place.
        self.cursor = found.map_or(self.cursor + 1, |i| i + 1);
        found.and_then(|i| self.workloads[i].take())
    }

    fn find(&mut self, lines: &str) -> Option<usize> {
        if self.workloads.is_empty() {
            return None;
        }
        let text = self.text;
        let index = self.index.get_or_insert_with(|| {
            // Built on the first miss, which is most edits (the edited workload): sized once,
            // with a fast hash, as it holds every workload.
            let mut index: HashMap<(usize, &str), Vec<usize>, _> =
                HashMap::with_capacity_and_hasher(
                    self.workloads.len(),
                    foldhash::fast::RandomState::default(),
                );
            for (i, reused) in self.workloads.iter().enumerate() {
                if let Some(reused) = reused {
                    index
                        .entry(index_key(&text[range(reused.cached.lines)]))
                        .or_default()
                        .push(i);
                }
            }
            index
        });
        let candidates = index.get(&index_key(lines))?;
        candidates.iter().copied().find(|&i| {
            self.workloads[i]
                .as_ref()
                .is_some_and(|reused| &text[range(reused.cached.lines)] == lines)
        })
    }
}

fn range(range: TextRange) -> std::ops::Range<usize> {
    range.start..range.end
}

/// A workload of the new file: reused from the previous analysis, or to analyse.
// One per workload for the length of one analysis: boxing either side would only add an
// allocation per workload.
#[expect(clippy::large_enum_variant)]
enum Slot<'f> {
    Reused(Reused),
    Fresh {
        workload: crate::model::Workload<'f>,
        lines: TextRange,
        reusable: bool,
        lowering: Vec<Diagnostic>,
    },
}

/// [`crate::analyze_syntax`], reusing the workloads of `previous` whose lines and shared
/// inputs did not change. The result is the same as [`crate::analyze_syntax`]'s; the cache
/// is for the next call (with `text`), and tells how much was reused.
///
/// Each workload's findings stay apart in the result ([`Findings::workloads`]), shared with
/// the cache, unless the file has suppressions or a workload's findings reach outside its
/// lines: then the result is one list, made as [`crate::analyze_syntax`] makes it.
pub fn analyze_incremental(
    previous: Option<Previous<'_>>,
    text: &str,
    file: &SourceFile,
    options: &AnalysisOptions,
) -> (Analysis, AnalysisCache) {
    let catalog = &*options.settings.catalog;
    let inputs = Inputs::of(options);
    let mut pool = Pool::new(previous, inputs.as_ref());
    let mut statistics = Statistics::default();

    // The file's own findings, as in `analyze_syntax`: syntax errors, what lowering reports
    // of the top-level items, duplicate workload names, `no-workload`.
    let mut file_level: Vec<Diagnostic> = file
        .errors
        .iter()
        .map(|error| Diagnostic::new(Code::SyntaxError, error.range, error.message.clone()))
        .collect();
    let mut lowering = lower::Lowering::new(catalog);
    let mut slots: Vec<Slot<'_>> = Vec::new();
    for item in &file.items {
        match item {
            Item::Block(block) if block.is(BlockKind::Workload) => {
                let lines = whole_lines(text, block.range);
                let own_text = &text[range(lines)];
                let reusable = inputs.is_some()
                    && !touches_error(file, lines)
                    && !(options.base_dir.is_some() && own_text.contains("evidence"));
                let reused = reusable.then(|| pool.take(own_text)).flatten();
                match reused {
                    Some(mut reused) => {
                        reused.shift(lines.start as isize - reused.cached.lines.start as isize);
                        slots.push(Slot::Reused(reused));
                    }
                    None => {
                        let before = lowering.diagnostics.len();
                        let workload = lowering.workload(block);
                        slots.push(Slot::Fresh {
                            workload,
                            lines,
                            reusable,
                            lowering: lowering.diagnostics.split_off(before),
                        });
                    }
                }
            }
            other => lowering.top_level_non_workload(other),
        }
    }
    let names: Vec<Option<&Spanned<String>>> = slots
        .iter()
        .map(|slot| match slot {
            Slot::Reused(reused) => reused.cached.name.as_ref(),
            Slot::Fresh { workload, .. } => workload.name.as_ref(),
        })
        .collect();
    lowering.duplicate_names(names.into_iter(), BlockKind::Workload, "in this file");
    file_level.append(&mut lowering.diagnostics);
    if slots.is_empty() {
        file_level.push(crate::no_workload(file));
    }

    let mut reports = Vec::with_capacity(slots.len());
    let mut cached_workloads = Vec::with_capacity(slots.len());
    for slot in slots {
        let Reused { cached, report } = match slot {
            Slot::Reused(reused) => {
                statistics.reused += 1;
                reused
            }
            Slot::Fresh {
                workload,
                lines,
                reusable,
                lowering,
            } => {
                statistics.analysed += 1;
                let scope = scope::infer_workload(catalog, &workload);
                let cx = rules::Context {
                    catalog,
                    text,
                    workload: &workload,
                    scope: &scope,
                    options,
                };
                let mut own = lowering;
                rules::run(&cx, &mut own);
                let report = crate::report(catalog, &workload, &scope);
                crate::attribute_to_workloads(&mut own, std::slice::from_ref(&report));
                crate::apply_settings(&mut own, &options.settings);
                findings::sort(&mut own);
                let cached = CachedWorkload {
                    lines,
                    reusable,
                    name: workload.name.clone(),
                    findings: Arc::new(WorkloadFindings::new(lines, own)),
                };
                Reused { cached, report }
            }
        };
        reports.push(report);
        cached_workloads.push(cached);
    }

    crate::attribute_to_workloads(&mut file_level, &reports);
    crate::apply_settings(&mut file_level, &options.settings);
    let apart = !crate::suppressions::any(text, file)
        && cached_workloads.iter().all(|cached| cached.findings.fits())
        && cached_workloads
            .windows(2)
            .all(|pair| pair[0].lines.end <= pair[1].lines.start);
    let pieces: Vec<Placed> = cached_workloads
        .iter()
        .map(CachedWorkload::placed)
        .collect();
    findings::sort(&mut file_level);
    let analysis = if apart {
        Analysis {
            diagnostics: Findings::pieces(file_level, pieces),
            workloads: reports,
            suppressed: Vec::new(),
            settings: options.settings.clone(),
        }
    } else {
        let all = Findings::pieces(file_level, pieces).into_vec();
        crate::suppress(text, file, options, all, reports)
    };
    let cache = AnalysisCache {
        inputs,
        workloads: cached_workloads,
        statistics,
    };
    (analysis, cache)
}

#[cfg(test)]
mod tests;
