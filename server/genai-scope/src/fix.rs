//! `genai-scope check --fix`: applies the safe fixes (`ide::actions::fix_all`) to a file,
//! atomically, before it is checked. A file with syntax errors is never touched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::check::{InputError, display, read_text};
use genai_scope_analysis::diagnostic::{Code, Diagnostic};
use genai_scope_analysis::{AnalysisOptions, apply_edits};
use genai_scope_ide::FileState;
use genai_scope_ide::actions::fix_all;

/// Fix-all is applied again while it still finds something, at most this many times (one
/// pass is normally enough; a fix can make another one possible).
const MAX_PASSES: usize = 4;

/// What `--fix` did to one file.
#[derive(Debug)]
pub struct Fixed {
    pub path: String,
    pub outcome: FixOutcome,
    /// How many of the controls it inserted (as `planned`) a production workload requires,
    /// so that each is now `control-not-implemented`.
    pub planned_in_production: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum FixOutcome {
    /// Nothing to fix.
    Unchanged,
    /// Not touched: the file has syntax errors.
    SyntaxErrors,
    /// Rewritten; the findings that went away, per rule (`code` or `missing-control
    /// <control>`).
    Changed(BTreeMap<String, usize>),
}

impl Fixed {
    /// The line(s) to print for this file (empty when nothing happened).
    pub fn describe(&self) -> String {
        match &self.outcome {
            FixOutcome::Unchanged => String::new(),
            FixOutcome::SyntaxErrors => format!(
                "genai-scope: {}: not fixed: the file has syntax errors\n",
                self.path
            ),
            FixOutcome::Changed(fixed) => {
                let total: usize = fixed.values().sum();
                let mut out = format!(
                    "fixed {}: {total} finding{}\n",
                    self.path,
                    if total == 1 { "" } else { "s" }
                );
                for (rule, count) in fixed {
                    out.push_str(&format!("  {rule} ×{count}\n"));
                }
                match self.planned_in_production {
                    0 => {}
                    1 => out.push_str(
                        "  note: the inserted control says `status = planned`; in a production workload it stays a finding (control-not-implemented) until it is implemented\n",
                    ),
                    n => out.push_str(&format!(
                        "  note: the {n} inserted controls say `status = planned`; in a production workload each stays a finding (control-not-implemented) until it is implemented\n"
                    )),
                }
                out
            }
        }
    }
}

pub fn fix_file(
    path: &Path,
    options: &AnalysisOptions,
    max_size: u64,
) -> Result<Fixed, InputError> {
    let text = read_text(path, max_size)?;
    let (outcome, new_text, planned_in_production) = fix_text_noting(text.clone(), options);
    if let (FixOutcome::Changed(_), Some(new_text)) = (&outcome, new_text) {
        super::safe_write::replace_text(path, &text, &new_text).map_err(|e| InputError {
            path: display(path),
            message: format!("cannot write the fixed file: {e}"),
        })?;
    }
    Ok(Fixed {
        path: display(path),
        outcome,
        planned_in_production,
    })
}

/// The fixed text (when anything changed), what changed, and how many inserted controls are
/// now `control-not-implemented`: the missing-control fix records a gap as `planned`; in
/// production that is still a finding.
fn fix_text_noting(text: String, options: &AnalysisOptions) -> (FixOutcome, Option<String>, usize) {
    let original = FileState::new(text, None, options);
    if original.tree.root_node().has_error() || !original.syntax.errors.is_empty() {
        return (FixOutcome::SyntaxErrors, None, 0);
    }
    let mut current = original.text.clone();
    let mut state_after = None;
    // Per pass, what went away: a fix can make a control required (a corrected `audience`)
    // that the next pass then inserts, so comparing only the first and last analyses would
    // leave it out of the summary.
    let mut fixed: BTreeMap<String, usize> = BTreeMap::new();
    let mut ever_missing: BTreeSet<std::sync::Arc<str>> = BTreeSet::new();
    for _ in 0..MAX_PASSES {
        let state = match state_after.take() {
            Some(state) => state,
            None => FileState::new(current.clone(), None, options),
        };
        let edits = fix_all(&state);
        let Some(next) = (!edits.is_empty())
            .then(|| apply_edits(&current, &edits))
            .flatten()
        else {
            state_after = Some(state);
            break;
        };
        let next_state = FileState::new(next.clone(), None, options);
        // A fix that breaks the syntax is never written.
        if next_state.tree.root_node().has_error() {
            state_after = Some(state);
            break;
        }
        let after = counts(&next_state.analysis.diagnostics);
        for (rule, before) in counts(&state.analysis.diagnostics) {
            let gone = before.saturating_sub(after.get(&rule).copied().unwrap_or(0));
            if gone > 0 {
                *fixed.entry(rule).or_insert(0) += gone;
            }
        }
        ever_missing.extend(
            state
                .analysis
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::MissingControl)
                .filter_map(|d| d.control.clone()),
        );
        current = next;
        state_after = Some(next_state);
    }
    if current == original.text {
        return (FixOutcome::Unchanged, None, 0);
    }
    let after = state_after.map_or_else(Vec::new, |s| s.analysis.diagnostics.into_vec());
    let planned_in_production = after
        .iter()
        .filter(|d| d.code == Code::ControlNotImplemented)
        .filter(|d| {
            d.control
                .as_deref()
                .is_some_and(|c| ever_missing.contains(c))
        })
        .count();
    (
        FixOutcome::Changed(fixed),
        Some(current),
        planned_in_production,
    )
}

fn counts(diagnostics: &[Diagnostic]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for diagnostic in diagnostics {
        let key = match &diagnostic.control {
            Some(control) => format!("{} {control}", diagnostic.code),
            None => diagnostic.code.to_string(),
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "workload \"w\" {\n  owner    = \"o\"\n  audience = \"customers\"\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

    #[test]
    fn fixes_missing_controls_and_quoted_values() {
        let (outcome, text, _) = fix_text_noting(TEXT.to_string(), &AnalysisOptions::default());
        let FixOutcome::Changed(fixed) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(fixed.get("invalid-value"), Some(&1), "{fixed:?}");
        assert_eq!(
            fixed.get("missing-control risk.threat_model"),
            Some(&1),
            "{fixed:?}"
        );
        let text = text.unwrap();
        assert!(text.contains("audience = customers"), "{text}");
        assert!(text.contains("control risk.threat_model {"), "{text}");
        let (again, _, _) = fix_text_noting(text, &AnalysisOptions::default());
        assert_eq!(again, FixOutcome::Unchanged);
    }

    #[test]
    fn says_that_planned_controls_stay_findings_in_production() {
        let (_, _, planned) = fix_text_noting(TEXT.to_string(), &AnalysisOptions::default());
        assert!(planned >= 10, "{planned}");
        let fixed = Fixed {
            path: "a.genai".into(),
            outcome: FixOutcome::Changed(BTreeMap::from([("missing-control x".into(), 2)])),
            planned_in_production: 2,
        };
        assert!(
            fixed
                .describe()
                .contains("the 2 inserted controls say `status = planned`; in a production workload each stays a finding (control-not-implemented)"),
            "{}",
            fixed.describe()
        );
        let prototype = TEXT.replace(
            "  owner    = \"o\"\n",
            "  owner    = \"o\"\n  stage    = prototype\n",
        );
        let (_, _, planned) = fix_text_noting(prototype, &AnalysisOptions::default());
        assert_eq!(planned, 0);
    }

    #[test]
    fn leaves_files_with_syntax_errors_alone() {
        let broken = TEXT.replace("owner    =", "owner");
        let (outcome, text, _) = fix_text_noting(broken, &AnalysisOptions::default());
        assert_eq!(outcome, FixOutcome::SyntaxErrors);
        assert_eq!(text, None);
    }
}
