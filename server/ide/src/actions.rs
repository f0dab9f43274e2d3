//! Code actions: every analyzer fix, "add all missing controls" for a workload and for one
//! discipline, "declare scope N", and fix-all (the safe fixes together).

use super::FileState;
use genai_scope_analysis::catalog::ControlId;
use genai_scope_analysis::diagnostic::{Code, TextEdit};
use genai_scope_analysis::{Coverage, insert_controls_into_workload, suppressions};
use genai_scope_syntax::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    FixAll,
    Refactor,
}

#[derive(Clone, Debug)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<TextEdit>,
    /// Indices into `file.analysis.diagnostics` that the action resolves.
    pub diagnostics: Vec<usize>,
    pub preferred: bool,
}

/// The actions for a cursor or selection `range`.
pub fn actions(file: &FileState, range: TextRange) -> Vec<Action> {
    let mut out = Vec::new();
    // Offered last, as a way out rather than a fix.
    let mut suppressions = Vec::new();
    for (index, diagnostic) in file.analysis.diagnostics.iter().enumerate() {
        if !overlaps(diagnostic.range, range) {
            continue;
        }
        for (position, fix) in diagnostic.fixes.iter().enumerate() {
            out.push(Action {
                title: fix.title.clone(),
                kind: ActionKind::QuickFix,
                edits: fix.edits.clone(),
                diagnostics: vec![index],
                preferred: position == 0 && fix.safe,
            });
        }
        if suppressions::can_suppress(diagnostic, &file.analysis.settings) {
            suppressions.push(Action {
                title: format!(
                    "Suppress `{}` on this line (a reason is required)",
                    suppressions::suppression_id(diagnostic)
                ),
                kind: ActionKind::QuickFix,
                edits: vec![suppressions::suppress_edit(&file.text, diagnostic)],
                diagnostics: vec![index],
                preferred: false,
            });
        }
    }
    if let Some((workload_index, block, report)) = file.workload_at(range.start) {
        let missing: Vec<&str> = report.missing_controls().map(|c| c.id.as_str()).collect();
        let resolves = |ids: &[&str]| -> Vec<usize> {
            file.analysis
                .diagnostics
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    d.code == Code::MissingControl
                        && block.range.contains_range(d.range)
                        && d.control.as_deref().is_some_and(|c| ids.contains(&c))
                })
                .map(|(i, _)| i)
                .collect()
        };
        if missing.len() > 1
            && let Some(edit) =
                insert_controls_into_workload(&file.text, &file.syntax, workload_index, &missing)
        {
            out.push(Action {
                title: format!("Add all missing controls ({})", missing.len()),
                kind: ActionKind::QuickFix,
                edits: vec![edit],
                diagnostics: resolves(&missing),
                preferred: false,
            });
        }
        for discipline in &file.catalog().disciplines {
            let ids: Vec<&str> = missing
                .iter()
                .copied()
                .filter(|id| {
                    id.parse::<ControlId>()
                        .is_ok_and(|id| id.discipline() == discipline.id)
                })
                .collect();
            if ids.len() < 2 || ids.len() == missing.len() {
                continue;
            }
            if let Some(edit) =
                insert_controls_into_workload(&file.text, &file.syntax, workload_index, &ids)
            {
                out.push(Action {
                    title: format!("Add missing {} controls ({})", discipline.name, ids.len()),
                    kind: ActionKind::QuickFix,
                    edits: vec![edit],
                    diagnostics: resolves(&ids),
                    preferred: false,
                });
            }
        }
        if report.declared_scope.is_none()
            && let Some(scope) = report.inferred_scope
        {
            let anchor = block
                .attribute("owner")
                .map(|a| a.range.end)
                .unwrap_or(block.open_brace.end);
            let indent = block
                .items
                .first()
                .map(|item| genai_scope_analysis::edits_line_indent(&file.text, item.range().start))
                .unwrap_or_else(|| "  ".to_string());
            out.push(Action {
                title: format!(
                    "Declare scope {scope} ({})",
                    file.catalog().scope_name(scope)
                ),
                kind: ActionKind::Refactor,
                edits: vec![TextEdit::insert(
                    anchor,
                    format!("\n{indent}scope = {scope}"),
                )],
                diagnostics: Vec::new(),
                preferred: false,
            });
        }
    }
    out.append(&mut suppressions);
    out
}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Every safe fix at once: one insertion of all missing controls per workload, and the other
/// safe fixes whose edits do not overlap.
pub fn fix_all(file: &FileState) -> Vec<TextEdit> {
    let mut edits: Vec<TextEdit> = Vec::new();
    for (index, (_, report)) in file.workloads().enumerate() {
        let missing: Vec<&str> = report
            .controls
            .iter()
            .filter(|c| c.coverage == Coverage::Missing)
            .map(|c| c.id.as_str())
            .filter(|id| {
                // Only controls still reported (settings may have disabled some).
                file.analysis
                    .diagnostics
                    .iter()
                    .any(|d| d.code == Code::MissingControl && d.control.as_deref() == Some(id))
            })
            .collect();
        if !missing.is_empty()
            && let Some(edit) =
                insert_controls_into_workload(&file.text, &file.syntax, index, &missing)
        {
            edits.push(edit);
        }
    }
    for diagnostic in &file.analysis.diagnostics {
        if diagnostic.code == Code::MissingControl {
            continue;
        }
        let Some(fix) = diagnostic.fixes.iter().find(|f| f.safe) else {
            continue;
        };
        let conflicts = fix
            .edits
            .iter()
            .any(|new| edits.iter().any(|old| overlaps(new.range, old.range)));
        if !conflicts {
            edits.extend(fix.edits.iter().cloned());
        }
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::{AnalysisOptions, apply_edits};

    const TEXT: &str = "workload \"w\" {\n  owner    = \"o\"\n  audience = \"customers\"\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

    fn file(text: &str) -> FileState {
        FileState::new(text.to_string(), None, &AnalysisOptions::default())
    }

    #[test]
    fn offers_fixes_bulk_additions_and_scope_declaration() {
        let file = file(TEXT);
        let titles: Vec<String> = actions(&file, TextRange::new(10, 10))
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert!(
            titles
                .iter()
                .any(|t| t == "Add missing control risk.threat_model"),
            "{titles:?}"
        );
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with("Add all missing controls (")),
            "{titles:?}"
        );
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with("Add missing Resilience controls (")),
            "{titles:?}"
        );
        assert!(
            titles
                .iter()
                .any(|t| t == "Declare scope 3 (Pre-trained models)"),
            "{titles:?}"
        );
    }

    #[test]
    fn declaring_the_scope_lands_after_the_owner() {
        let file = file(TEXT);
        let action = actions(&file, TextRange::new(10, 10))
            .into_iter()
            .find(|a| a.title.starts_with("Declare"))
            .unwrap();
        let fixed = apply_edits(TEXT, &action.edits).unwrap();
        assert!(fixed.contains("owner    = \"o\"\n  scope = 3\n"), "{fixed}");
    }

    #[test]
    fn fix_all_applies_every_safe_fix_and_leaves_only_unsafe_findings() {
        let once = apply_edits(TEXT, &fix_all(&file(TEXT))).unwrap();
        // Unquoting `"customers"` makes the workload customer-facing, which requires one more
        // control: a second pass adds it (as `check --fix` does).
        let fixed = apply_edits(&once, &fix_all(&file(&once))).unwrap();
        let after = file(&fixed);
        let codes: Vec<Code> = after.analysis.diagnostics.iter().map(|d| d.code).collect();
        assert!(!codes.contains(&Code::MissingControl), "{fixed}");
        assert!(
            !codes.contains(&Code::InvalidValue),
            "the quoted enum is unquoted:\n{fixed}"
        );
        assert!(!codes.contains(&Code::SyntaxError), "{fixed}");
        assert!(fix_all(&after).is_empty(), "fix-all is idempotent");
    }

    #[test]
    fn suppressing_needs_a_reason_and_then_silences_only_that_finding() {
        let text = "workload \"w\" {\r\n  owner = \"o\"\r\n  model \"m\" {\r\n    hosting = managed_api\r\n  }\r\n}\r\n";
        let before = file(text);
        let target = before
            .analysis
            .diagnostics
            .iter()
            .find(|d| d.control.as_deref() == Some("risk.threat_model"))
            .unwrap();
        let all = actions(&before, target.range);
        let suppress = all
            .iter()
            .position(|a| {
                a.title == "Suppress `risk.threat_model` on this line (a reason is required)"
            })
            .expect("offered");
        assert!(
            all[suppress..]
                .iter()
                .all(|a| a.title.starts_with("Suppress")),
            "suppressions come after the fixes: {:?}",
            all.iter().map(|a| &a.title).collect::<Vec<_>>()
        );
        let inserted = apply_edits(text, &all[suppress].edits).unwrap();
        assert!(
            inserted.starts_with(
                "# genai-scope: ignore[risk.threat_model] reason=\"\"\r\nworkload \"w\" {\r\n"
            ),
            "{inserted:?}"
        );
        // Without its reason it silences nothing and says so.
        let pending = file(&inserted);
        let codes = |f: &FileState, control: Option<&str>| -> Vec<Code> {
            f.analysis
                .diagnostics
                .iter()
                .filter(|d| control.is_none() || d.control.as_deref() == control)
                .map(|d| d.code)
                .collect()
        };
        assert!(codes(&pending, None).contains(&Code::InvalidSuppression));
        assert!(codes(&pending, Some("risk.threat_model")).contains(&Code::MissingControl));
        // With one, that finding is suppressed and the others stay.
        let reasoned = inserted.replace("reason=\"\"", "reason=\"accepted, RISK-1\"");
        let done = file(&reasoned);
        assert!(!codes(&done, None).contains(&Code::InvalidSuppression));
        assert!(codes(&done, Some("risk.threat_model")).is_empty());
        assert!(codes(&done, Some("risk.prompt_injection")).contains(&Code::MissingControl));
        assert_eq!(done.analysis.suppressed.len(), 1);
    }

    #[test]
    fn no_suppression_is_offered_where_the_project_forbids_it_or_for_syntax_errors() {
        let mut options = AnalysisOptions::default();
        options
            .settings
            .no_inline_suppressions
            .insert("missing-control".parse().unwrap());
        let forbidden = FileState::new(TEXT.to_string(), None, &options);
        let titles: Vec<String> = actions(&forbidden, TextRange::new(10, 10))
            .into_iter()
            .map(|a| a.title)
            .collect();
        assert!(
            !titles.iter().any(|t| t.starts_with("Suppress `risk.")),
            "{titles:?}"
        );
        let broken = file("workload \"w\" {\n  owner = = \"o\"\n}\n");
        let syntax = broken
            .analysis
            .diagnostics
            .iter()
            .find(|d| d.code == Code::SyntaxError)
            .unwrap();
        assert!(
            !actions(&broken, syntax.range)
                .iter()
                .any(|a| a.title.starts_with("Suppress `syntax-error`"))
        );
    }
}
