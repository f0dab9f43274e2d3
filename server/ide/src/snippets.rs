//! Edits that put the cursor where the author has to type next: the placeholders of a new
//! control block (`due`, then `owner`) and the inside of a suppression's `reason=""`. In byte
//! offsets; the language server turns them into snippet text for clients that apply snippet
//! edits, and sends the plain edit to the others.

use super::FileState;
use super::actions::{Action, ActionKind};
use genai_scope_analysis::diagnostic::{Code, TextEdit};
use genai_scope_analysis::suppressions;
use genai_scope_syntax::text::TextRange;

/// One edit with tab stops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetEdit {
    /// The edit as it is applied when no placeholder is filled in.
    pub edit: TextEdit,
    /// Byte ranges inside `edit.new_text`, in the order the cursor visits them; an empty range
    /// is a cursor position.
    pub placeholders: Vec<TextRange>,
}

/// The snippet form of `action`, when it is a single control's insertion as `planned` or a
/// suppression comment; `None` for everything else (and then the plain edits are used).
pub fn snippet_edit(file: &FileState, action: &Action) -> Option<SnippetEdit> {
    if action.kind != ActionKind::QuickFix {
        return None;
    }
    let ([edit], [diagnostic]) = (action.edits.as_slice(), action.diagnostics.as_slice()) else {
        return None;
    };
    if *edit == suppressions::suppress_edit(&file.text, diagnostic) {
        return reason_placeholder(edit);
    }
    // One of the diagnostic's own fixes (a group's carry its members' single fixes).
    let own_fix = diagnostic.fixes().iter().any(|f| f.edits == action.edits);
    if diagnostic.code == Code::MissingControl && own_fix {
        return planned_control_placeholders(edit);
    }
    None
}

/// The cursor between the quotes of `reason=""`.
fn reason_placeholder(edit: &TextEdit) -> Option<SnippetEdit> {
    let at = edit.new_text.rfind("reason=\"\"")? + "reason=\"".len();
    Some(SnippetEdit {
        edit: edit.clone(),
        placeholders: vec![TextRange::empty(at)],
    })
}

/// A single `status = planned` block gains `due` and `owner` lines, aligned with `status`:
/// the date is selected first, then the cursor goes inside the owner's quotes.
fn planned_control_placeholders(edit: &TextEdit) -> Option<SnippetEdit> {
    const STATUS: &str = "status = planned";
    let text = &edit.new_text;
    let status = text.find(STATUS)?;
    if text[status + STATUS.len()..].contains(STATUS) {
        return None;
    }
    let line_start = text[..status].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..status];
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let at = status + STATUS.len();
    let due_prefix = format!("{newline}{indent}due    = \"");
    let owner_prefix = format!("\"{newline}{indent}owner  = \"");
    const DATE: &str = "YYYY-MM-DD";
    let inserted = format!("{due_prefix}{DATE}{owner_prefix}\"");
    let date_start = at + due_prefix.len();
    let owner_at = date_start + DATE.len() + owner_prefix.len();
    let mut new_text = text.clone();
    new_text.insert_str(at, &inserted);
    Some(SnippetEdit {
        edit: TextEdit::replace(edit.range, new_text),
        placeholders: vec![
            TextRange::new(date_start, date_start + DATE.len()),
            TextRange::empty(owner_at),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{ActionOptions, actions_with};
    use genai_scope_analysis::AnalysisOptions;

    const TEXT: &str =
        "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

    fn per_control_actions(text: &str) -> (FileState, Vec<Action>) {
        let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
        let target = file
            .analysis
            .diagnostics
            .iter()
            .find(|d| d.control.as_deref() == Some("risk.threat_model"))
            .expect("a missing control")
            .range;
        let options = ActionOptions {
            group_missing_controls: false,
            source_actions: false,
        };
        let found = actions_with(&file, target, options);
        (file, found)
    }

    fn placeholder_texts(snippet: &SnippetEdit) -> Vec<&str> {
        snippet
            .placeholders
            .iter()
            .map(|r| &snippet.edit.new_text[r.start..r.end])
            .collect()
    }

    #[test]
    fn a_single_control_gets_its_due_date_then_its_owner() {
        let (file, found) = per_control_actions(TEXT);
        let fix = found
            .iter()
            .find(|a| a.title == "Add missing control risk.threat_model")
            .unwrap();
        let snippet = snippet_edit(&file, fix).expect("a snippet");
        assert!(
            snippet.edit.new_text.ends_with(
                "\n\n  control risk.threat_model {\n    status = planned\n    due    = \"YYYY-MM-DD\"\n    owner  = \"\"\n  }"
            ),
            "{:?}",
            snippet.edit.new_text
        );
        assert_eq!(placeholder_texts(&snippet), ["YYYY-MM-DD", ""]);
        let owner = snippet.placeholders[1].start;
        assert!(snippet.edit.new_text[..owner].ends_with("owner  = \""));
    }

    #[test]
    fn a_suppression_puts_the_cursor_inside_its_reason() {
        let (file, found) = per_control_actions(TEXT);
        let suppress = found
            .iter()
            .find(|a| a.title.starts_with("Suppress risk.threat_model"))
            .unwrap();
        let snippet = snippet_edit(&file, suppress).expect("a snippet");
        assert_eq!(snippet.edit, suppress.edits[0], "the same text");
        let at = snippet.placeholders[0].start;
        assert!(snippet.edit.new_text[..at].ends_with("reason=\""));
        assert!(snippet.edit.new_text[at..].starts_with('"'));
    }

    #[test]
    fn a_single_fix_under_a_grouped_diagnostic_gets_placeholders_too() {
        let file = FileState::new(TEXT.to_string(), None, &AnalysisOptions::default());
        let found = crate::actions::actions(&file, TextRange::new(10, 10));
        let fix = found
            .iter()
            .find(|a| a.title == "Add missing control risk.threat_model")
            .unwrap();
        let snippet = snippet_edit(&file, fix).expect("a snippet");
        assert_eq!(placeholder_texts(&snippet), ["YYYY-MM-DD", ""]);
        let add_all = found
            .iter()
            .find(|a| a.title.starts_with("Add all "))
            .unwrap();
        assert!(snippet_edit(&file, add_all).is_none());
    }

    #[test]
    fn adding_several_controls_has_no_placeholders() {
        let (file, found) = per_control_actions(TEXT);
        let add_all = found
            .iter()
            .find(|a| a.title.starts_with("Add all "))
            .unwrap();
        assert!(snippet_edit(&file, add_all).is_none());
    }
}
