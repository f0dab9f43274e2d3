//! `genai-scope check --fix`: applies the safe fixes (`ide::actions::fix_all`) to a file,
//! atomically, before it is checked. A file with syntax errors is never touched.

use std::collections::BTreeMap;
use std::path::Path;

use super::check::{InputError, display, read_text};
use genai_scope_analysis::diagnostic::Diagnostic;
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
    let (outcome, new_text) = fix_text(text.clone(), options);
    if let (FixOutcome::Changed(_), Some(new_text)) = (&outcome, new_text) {
        super::safe_write::replace_text(path, &text, &new_text).map_err(|e| InputError {
            path: display(path),
            message: format!("cannot write the fixed file: {e}"),
        })?;
    }
    Ok(Fixed {
        path: display(path),
        outcome,
    })
}

/// The fixed text (when anything changed) and what changed.
pub fn fix_text(text: String, options: &AnalysisOptions) -> (FixOutcome, Option<String>) {
    let original = FileState::new(text, None, options);
    if original.tree.root_node().has_error() || !original.syntax.errors.is_empty() {
        return (FixOutcome::SyntaxErrors, None);
    }
    let mut current = original.text.clone();
    let mut state_after = None;
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
        current = next;
        state_after = Some(next_state);
    }
    if current == original.text {
        return (FixOutcome::Unchanged, None);
    }
    let after = state_after.map_or_else(Vec::new, |s| s.analysis.diagnostics);
    let mut fixed = counts(&original.analysis.diagnostics);
    for (rule, count) in counts(&after) {
        if let Some(before) = fixed.get_mut(&rule) {
            *before = before.saturating_sub(count);
        }
    }
    fixed.retain(|_, count| *count > 0);
    (FixOutcome::Changed(fixed), Some(current))
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
        let (outcome, text) = fix_text(TEXT.to_string(), &AnalysisOptions::default());
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
        let (again, _) = fix_text(text, &AnalysisOptions::default());
        assert_eq!(again, FixOutcome::Unchanged);
    }

    #[test]
    fn leaves_files_with_syntax_errors_alone() {
        let broken = TEXT.replace("owner    =", "owner");
        let (outcome, text) = fix_text(broken, &AnalysisOptions::default());
        assert_eq!(outcome, FixOutcome::SyntaxErrors);
        assert_eq!(text, None);
    }
}
