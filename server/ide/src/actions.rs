//! Code actions: each shown diagnostic's fixes (the first one preferred) and one way to
//! suppress it; "declare scope N" on a workload's header; the workload- and discipline-wide
//! additions of missing controls as source actions (offered wherever the cursor is in the
//! workload, but never as quick fixes without a diagnostic); an agent's, inside its block, in
//! [`agent`]; and the safe fixes together.

mod agent;

use super::FileState;
use super::grouping::{Shown, shown_diagnostics};
use genai_scope_analysis::catalog::ControlId;
use genai_scope_analysis::diagnostic::{Code, Diagnostic, TextEdit};
use genai_scope_analysis::{Coverage, insert_controls_into_workload, suppressions};
use genai_scope_syntax::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    FixAll,
    Refactor,
    /// Adds a workload's missing controls: all of them, or one discipline's.
    AddMissingControls {
        discipline: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<TextEdit>,
    /// The shown diagnostics the action resolves.
    pub diagnostics: Vec<Diagnostic>,
    pub preferred: bool,
}

/// What to offer.
#[derive(Clone, Copy, Debug)]
pub struct ActionOptions {
    /// Missing controls are shown as one diagnostic per workload (see [`crate::grouping`]).
    pub group_missing_controls: bool,
    /// Include the source actions (the editor asked for them, or for everything).
    pub source_actions: bool,
}

impl Default for ActionOptions {
    fn default() -> Self {
        Self {
            group_missing_controls: true,
            source_actions: true,
        }
    }
}

/// The actions for a cursor or selection `range`, with the default options.
pub fn actions(file: &FileState, range: TextRange) -> Vec<Action> {
    actions_with(file, range, ActionOptions::default())
}

/// The actions for a cursor or selection `range`: quick fixes of the diagnostics it touches
/// (a group's "add all" first), then the refactoring and source actions, then one
/// suppression per diagnostic, as a way out rather than a fix.
pub fn actions_with(file: &FileState, range: TextRange, options: ActionOptions) -> Vec<Action> {
    let shown: Vec<Shown> = shown_diagnostics(file, options.group_missing_controls)
        .into_iter()
        .filter(|s| overlaps(s.diagnostic.range, range))
        .collect();
    let mut out = Vec::new();
    // Several per-control findings under the cursor: adding them all comes first.
    let single_missing: Vec<&Shown> = shown
        .iter()
        .filter(|s| s.diagnostic.code == Code::MissingControl && !s.is_group())
        .collect();
    let add_all = (single_missing.len() > 1)
        .then(|| add_all_quick_fix(file, &single_missing))
        .flatten();
    let add_all_first = add_all.is_some();
    out.extend(add_all);
    for item in &shown {
        for (position, fix) in item.diagnostic.fixes().iter().enumerate() {
            let diagnostic_is_covered =
                add_all_first && item.diagnostic.code == Code::MissingControl;
            out.push(Action {
                title: fix.title.clone(),
                kind: ActionKind::QuickFix,
                edits: fix.edits.clone(),
                diagnostics: vec![item.diagnostic.clone()],
                preferred: position == 0 && !diagnostic_is_covered,
            });
        }
    }
    if let Some((_, block, report)) = file.workload_at(range.start)
        && report.declared_scope.is_none()
        && let Some(scope) = report.inferred_scope
        // Only on the header: not a light bulb on every line of the workload.
        && range.start <= block.open_brace.end
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
    if options.source_actions {
        out.extend(agent::source_actions(file, range.start));
        out.extend(source_actions(file, range.start));
    }
    for item in &shown {
        let diagnostic = &item.diagnostic;
        if !suppressions::can_suppress(diagnostic, &file.analysis.settings) {
            continue;
        }
        out.push(Action {
            title: format!(
                "Suppress {} on this line (needs a reason)",
                suppressions::suppression_id(diagnostic)
            ),
            kind: ActionKind::QuickFix,
            edits: vec![suppressions::suppress_edit(&file.text, diagnostic)],
            diagnostics: vec![diagnostic.clone()],
            preferred: false,
        });
    }
    out
}

/// "Add all N missing controls" for several per-control findings of one workload.
fn add_all_quick_fix(file: &FileState, findings: &[&Shown]) -> Option<Action> {
    // An agent's controls belong in its own block.
    if findings[0].diagnostic.agent.is_some() {
        return agent::add_all_quick_fix(file, findings);
    }
    let (index, _, _) = file.workload_at(findings[0].diagnostic.range.start)?;
    let ids: Vec<&str> = findings
        .iter()
        .filter_map(|s| s.diagnostic.control.as_deref())
        .collect();
    let edit = insert_controls_into_workload(&file.text, &file.syntax, index, &ids)?;
    Some(Action {
        title: format!("Add all {} missing controls", ids.len()),
        kind: ActionKind::QuickFix,
        edits: vec![edit],
        diagnostics: findings.iter().map(|s| s.diagnostic.clone()).collect(),
        preferred: true,
    })
}

/// The workload-wide additions for the workload around `offset`: all its missing controls,
/// then each discipline's (when that is not all of them).
pub fn source_actions(file: &FileState, offset: usize) -> Vec<Action> {
    let mut out = Vec::new();
    let Some((workload_index, _, report)) = file.workload_at(offset) else {
        return out;
    };
    let missing = reported_missing(file, report);
    let name = report.name.as_deref().unwrap_or("this workload");
    if let Some(edit) = (!missing.is_empty())
        .then(|| insert_controls_into_workload(&file.text, &file.syntax, workload_index, &missing))
        .flatten()
    {
        out.push(Action {
            title: format!("Add {} to {name}", count_controls(missing.len())),
            kind: ActionKind::AddMissingControls { discipline: None },
            edits: vec![edit],
            diagnostics: Vec::new(),
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
        if ids.is_empty() || ids.len() == missing.len() {
            continue;
        }
        if let Some(edit) =
            insert_controls_into_workload(&file.text, &file.syntax, workload_index, &ids)
        {
            out.push(Action {
                title: format!(
                    "Add {} of the {} discipline to {name}",
                    count_controls(ids.len()),
                    discipline.name
                ),
                kind: ActionKind::AddMissingControls {
                    discipline: Some(discipline.id.clone()),
                },
                edits: vec![edit],
                diagnostics: Vec::new(),
                preferred: false,
            });
        }
    }
    out
}

pub use agent::add_to_agent_edit;

/// "1 missing control", "3 missing controls".
pub fn count_controls(n: usize) -> String {
    match n {
        1 => "1 missing control".to_string(),
        n => format!("{n} missing controls"),
    }
}

/// A workload's missing controls that are still reported (settings may have disabled some).
pub fn reported_missing<'a>(
    file: &'a FileState,
    report: &'a genai_scope_analysis::WorkloadReport,
) -> Vec<&'a str> {
    report
        .controls
        .iter()
        .filter(|c| c.coverage == Coverage::Missing)
        .map(|c| c.id.as_str())
        .filter(|id| {
            file.analysis.diagnostics.iter().any(|d| {
                d.code == Code::MissingControl
                    && d.control.as_deref() == Some(id)
                    && report.range.contains_range(d.range)
            })
        })
        .collect()
}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The safe fixes together (fix-all, fix-on-save): those that change no fact the author
/// stated, whose edits do not overlap. Inserting a missing control as `planned` states a
/// plan, so it is not among them.
pub fn safe_fixes(file: &FileState) -> Vec<TextEdit> {
    let mut edits: Vec<TextEdit> = Vec::new();
    add_safe_fixes(file, &mut edits);
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits
}

fn add_safe_fixes(file: &FileState, edits: &mut Vec<TextEdit>) {
    for diagnostic in &file.analysis.diagnostics {
        if diagnostic.code == Code::MissingControl {
            continue;
        }
        let fixes = diagnostic.fixes();
        let Some(fix) = fixes.iter().find(|f| f.safe) else {
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
}

/// What `check --fix` applies: one insertion of all missing controls (as `planned`) per
/// workload and per agent (inside its block), and the safe fixes whose edits do not overlap. The command line keeps adding
/// the planned controls: it says how many a production workload now has only planned, and
/// `control-not-implemented` then reports each of them.
pub fn fix_all(file: &FileState) -> Vec<TextEdit> {
    let mut edits: Vec<TextEdit> = Vec::new();
    for (index, (_, report)) in file.workloads().enumerate() {
        let missing = reported_missing(file, report);
        if !missing.is_empty()
            && let Some(edit) =
                insert_controls_into_workload(&file.text, &file.syntax, index, &missing)
        {
            edits.push(edit);
        }
    }
    edits.extend(agent::add_all_edits(file));
    add_safe_fixes(file, &mut edits);
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
        let all = actions(&file, TextRange::new(10, 10));
        let titles: Vec<String> = all.iter().map(|a| a.title.clone()).collect();
        assert!(titles[0].starts_with("Add all "), "{titles:?}");
        assert_eq!(
            all.iter().filter(|a| a.preferred).count(),
            1,
            "one preferred fix for the one diagnostic: {titles:?}"
        );
        assert!(all[0].preferred);
        assert!(
            titles.iter().all(|t| !t.contains('`')),
            "no Markdown in titles: {titles:?}"
        );
        assert_eq!(
            titles.iter().filter(|t| t.starts_with("Suppress")).count(),
            1,
            "one suppression for the one diagnostic: {titles:?}"
        );
        assert!(
            titles
                .iter()
                .any(|t| t == "Add missing control risk.threat_model"),
            "{titles:?}"
        );
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with("Add all ") && t.ends_with(" missing controls")),
            "{titles:?}"
        );
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with("Add 5 missing controls of the Resilience discipline to w")),
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
    fn safe_fixes_change_no_stated_fact() {
        let fixed = apply_edits(TEXT, &safe_fixes(&file(TEXT))).unwrap();
        let after = file(&fixed);
        // The quoted enum is unquoted; no control is stated as planned.
        assert!(fixed.contains("audience = customers\n"), "{fixed}");
        assert!(!fixed.contains("status = planned"), "{fixed}");
        let codes: Vec<Code> = after.analysis.diagnostics.iter().map(|d| d.code).collect();
        assert!(!codes.contains(&Code::InvalidValue), "{fixed}");
        assert!(codes.contains(&Code::MissingControl), "{fixed}");
        assert!(safe_fixes(&after).is_empty(), "idempotent");
    }

    #[test]
    fn a_quick_fix_request_off_the_findings_offers_no_quick_fix() {
        let file = file(TEXT);
        // On `hosting = managed_api`: no diagnostic there.
        let at = TEXT.find("hosting").unwrap();
        let quick: Vec<String> = actions(&file, TextRange::new(at, at))
            .into_iter()
            .filter(|a| a.kind == ActionKind::QuickFix || a.kind == ActionKind::Refactor)
            .map(|a| a.title)
            .collect();
        assert!(quick.is_empty(), "{quick:?}");
        // The workload-wide additions are still there, as source actions.
        assert!(
            source_actions(&file, at)
                .iter()
                .any(|a| a.kind == ActionKind::AddMissingControls { discipline: None })
        );
    }

    #[test]
    fn without_grouping_add_all_comes_first_and_is_the_one_preferred() {
        let file = file(TEXT);
        let options = ActionOptions {
            group_missing_controls: false,
            source_actions: false,
        };
        let all = actions_with(&file, TextRange::new(10, 10), options);
        assert!(all[0].title.starts_with("Add all "), "{:?}", all[0].title);
        let preferred: Vec<&str> = all
            .iter()
            .filter(|a| a.preferred)
            .map(|a| a.title.as_str())
            .collect();
        assert_eq!(preferred, [all[0].title.as_str()]);
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
        let per_control = ActionOptions {
            group_missing_controls: false,
            source_actions: false,
        };
        let all = actions_with(&before, target.range, per_control);
        let suppress = all
            .iter()
            .position(|a| a.title == "Suppress risk.threat_model on this line (needs a reason)")
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
            !titles.iter().any(|t| t.starts_with("Suppress ")),
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
                .any(|a| a.title.starts_with("Suppress syntax-error"))
        );
    }
}
