//! Inline suppressions, applied after every rule has run:
//!
//! ```text
//! # genai-scope: ignore[missing-control] reason="accepted by the risk board" until=2027-01-31
//! workload "x" {                      # genai-scope: ignore[scope-mismatch] reason="…"
//! ```
//!
//! A suppression on a line of its own applies to the next line that holds more than a
//! comment; at the end of a line, to that line. It names codes or control ids; a reason is
//! required; `until` (optional) is the last day it holds. Suppressions without a reason, with
//! unknown ids or forbidden by the project's settings are `invalid-suppression`; those past
//! their date are `expired-suppression` (and suppress nothing); those that match nothing are
//! `unused-suppression`. Only real comments count (the syntax tree's comment nodes), never
//! text inside strings.

use time::Date;

use super::Settings;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Fix, TextEdit};
use crate::rule_selector::RuleSelector;
use genai_scope_syntax::SourceFile;
use genai_scope_syntax::text::TextRange;

/// The marker that starts a suppression inside a comment.
pub const MARKER: &str = "genai-scope:";

/// One valid inline suppression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The comment.
    pub range: TextRange,
    /// The 0-based line whose findings it suppresses.
    pub line: usize,
    /// Codes or control ids.
    pub ids: Vec<String>,
    pub reason: String,
    /// The last day it holds.
    pub until: Option<Date>,
}

/// A suppression comment as written, before it is judged.
#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    ids: Vec<String>,
    reason: Option<String>,
    until: Option<Date>,
}

/// The comments that are suppressions (well formed or not), with what follows the marker.
fn marked<'t>(text: &'t str, file: &SourceFile) -> impl Iterator<Item = (TextRange, &'t str)> {
    file.comments.iter().filter_map(|range| {
        let body = text.get(range.start..range.end)?;
        let rest = body.strip_prefix('#')?.trim_start();
        rest.strip_prefix(MARKER).map(|rest| (*range, rest))
    })
}

/// Whether the file has any suppression comment (without one, [`apply`] changes nothing).
pub(crate) fn any(text: &str, file: &SourceFile) -> bool {
    marked(text, file).next().is_some()
}

/// Moves the findings that a valid suppression covers out of `diagnostics`, and returns them
/// with their suppression, together with the diagnostics about the suppressions themselves.
pub fn apply(
    catalog: &Catalog,
    text: &str,
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
    settings: &Settings,
    today: Option<Date>,
) -> (Vec<(Diagnostic, Suppression)>, Vec<Diagnostic>) {
    let marked: Vec<(TextRange, &str)> = marked(text, file).collect();
    if marked.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let lines = LineStarts::new(text);
    let mut problems = Vec::new();
    let mut active: Vec<Suppression> = Vec::new();
    let mut expired: Vec<Suppression> = Vec::new();
    for (range, rest) in marked {
        let parsed = match parse(rest) {
            Ok(parsed) => parsed,
            Err(message) => {
                problems.push(invalid(range, message));
                continue;
            }
        };
        if let Some(unknown) = parsed
            .ids
            .iter()
            .find(|id| Code::parse(id).is_none() && catalog.control(id).is_none())
        {
            problems.push(invalid(
                range,
                format!("`{unknown}` is neither a diagnostic code nor a control id"),
            ));
            continue;
        }
        if let Some(forbidden) = parsed.ids.iter().find(|id| {
            id.parse::<RuleSelector>()
                .is_ok_and(|s| settings.no_inline_suppressions.contains(&s))
        }) {
            problems.push(invalid(
                range,
                format!(
                    "`{forbidden}` may not be suppressed inline in this project (`no_inline_suppressions` in genai-scope.toml)"
                ),
            ));
            continue;
        }
        let Some(reason) = parsed.reason.filter(|r| !r.trim().is_empty()) else {
            problems.push(invalid(
                range,
                "a suppression needs a reason: add `reason=\"…\"`; until then it suppresses nothing".to_string(),
            ));
            continue;
        };
        let suppression = Suppression {
            range,
            line: target_line(text, &lines, range),
            ids: parsed.ids,
            reason,
            until: parsed.until,
        };
        match (suppression.until, today) {
            (Some(until), Some(today)) if until < today => expired.push(suppression),
            _ => active.push(suppression),
        }
    }

    let mut used: Vec<Vec<bool>> = active.iter().map(|s| vec![false; s.ids.len()]).collect();
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics.drain(..) {
        let line = lines.line_of(diagnostic.range.start);
        let found = active.iter().enumerate().find_map(|(s, suppression)| {
            (suppression.line == line)
                .then(|| {
                    suppression.ids.iter().position(|id| {
                        id == diagnostic.code.as_str() || diagnostic.control.as_deref() == Some(id)
                    })
                })
                .flatten()
                .map(|i| (s, i))
        });
        match found {
            Some((s, i)) => {
                used[s][i] = true;
                suppressed.push((diagnostic, active[s].clone()));
            }
            None => kept.push(diagnostic),
        }
    }
    *diagnostics = kept;

    for suppression in &expired {
        let until = suppression.until.map(|d| d.to_string()).unwrap_or_default();
        problems.push(Diagnostic::new(
            Code::ExpiredSuppression,
            suppression.range,
            format!(
                "this suppression of {} expired on {until}; it suppresses nothing: fix the finding, or renew the suppression with a new date and reason",
                quoted(&suppression.ids)
            ),
        ));
    }
    for (suppression, used) in active.iter().zip(&used) {
        let unused: Vec<String> = suppression
            .ids
            .iter()
            .zip(used)
            .filter(|(_, used)| !**used)
            .map(|(id, _)| id.clone())
            .collect();
        if unused.is_empty() {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnusedSuppression,
            suppression.range,
            format!(
                "nothing on line {} is reported as {}: this suppression is unused",
                suppression.line + 1,
                quoted(&unused)
            ),
        );
        if unused.len() == suppression.ids.len() {
            diagnostic = diagnostic.with_fix(Fix {
                title: "Remove the unused suppression".into(),
                edits: vec![remove_comment(text, suppression.range)],
                safe: false,
            });
        }
        problems.push(diagnostic);
    }
    (suppressed, problems)
}

/// The id a new suppression of `diagnostic` names: the control of a `missing-control` (so
/// that only that control is silenced), else the code.
pub fn suppression_id(diagnostic: &Diagnostic) -> &str {
    match (&diagnostic.code, &diagnostic.control) {
        (Code::MissingControl, Some(control)) => control,
        _ => diagnostic.code.as_str(),
    }
}

/// Whether a finding may be silenced inline: not a syntax error nor a finding about
/// suppressions, and neither its code nor its control is in `no_inline_suppressions`.
pub fn can_suppress(diagnostic: &Diagnostic, settings: &Settings) -> bool {
    let about_suppressions = matches!(
        diagnostic.code,
        Code::SyntaxError
            | Code::InvalidSuppression
            | Code::ExpiredSuppression
            | Code::UnusedSuppression
    );
    let forbidden = |selector: RuleSelector| settings.no_inline_suppressions.contains(&selector);
    !about_suppressions
        && !forbidden(RuleSelector::Code(diagnostic.code))
        && !diagnostic
            .control
            .as_deref()
            .and_then(|id| id.parse().ok())
            .is_some_and(|id| forbidden(RuleSelector::Control(id)))
}

/// A suppression comment for `diagnostic` on a line of its own above the finding's line,
/// indented like it. The reason is left empty for its author to write: until then the
/// comment is `invalid-suppression` and silences nothing.
pub fn suppress_edit(text: &str, diagnostic: &Diagnostic) -> TextEdit {
    let offset = diagnostic.range.start.min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent = super::edits_line_indent(text, offset);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    TextEdit::replace(
        TextRange::new(line_start, line_start),
        format!(
            "{indent}# {MARKER} ignore[{}] reason=\"\"{newline}",
            suppression_id(diagnostic)
        ),
    )
}

fn invalid(range: TextRange, message: String) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidSuppression,
        range,
        format!("invalid suppression: {message}"),
    )
}

fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses what follows the marker: `ignore[a, b] reason="…" until=YYYY-MM-DD`.
fn parse(rest: &str) -> Result<Parsed, String> {
    // Trailing white space is layout (the formatter removes it); it must not reach a message.
    let rest = rest.trim();
    let Some(rest) = rest.strip_prefix("ignore[") else {
        return Err("expected `ignore[<code or control id>]` after `genai-scope:`".into());
    };
    let Some(close) = rest.find(']') else {
        return Err("`ignore[` is not closed by `]`".into());
    };
    let ids: Vec<String> = rest[..close]
        .split(',')
        .map(|id| id.trim().to_string())
        .collect();
    if ids.iter().any(String::is_empty) {
        return Err("name one or more codes or control ids, separated by commas".into());
    }
    let mut parsed = Parsed {
        ids,
        reason: None,
        until: None,
    };
    let mut rest = &rest[close + 1..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(parsed);
        }
        let Some(eq) = rest.find('=') else {
            return Err(format!(
                "expected `reason=\"…\"` or `until=YYYY-MM-DD`, found `{rest}`"
            ));
        };
        let key = rest[..eq].trim();
        rest = rest[eq + 1..].trim_start();
        let value = if let Some(quoted) = rest.strip_prefix('"') {
            let (value, after) = read_string(quoted)
                .ok_or_else(|| format!("the value of `{key}` is not a closed string"))?;
            rest = after;
            value
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let value = rest[..end].to_string();
            rest = &rest[end..];
            value
        };
        match key {
            "reason" if parsed.reason.is_none() => parsed.reason = Some(value),
            "until" if parsed.until.is_none() => {
                parsed.until = Some(
                    Date::parse(
                        &value,
                        time::macros::format_description!("[year]-[month]-[day]"),
                    )
                    .map_err(|_| format!("`until={value}` is not a date written YYYY-MM-DD"))?,
                );
            }
            "reason" | "until" => return Err(format!("`{key}` is given twice")),
            _ => {
                return Err(format!(
                    "unknown key `{key}` (expected `reason` or `until`)"
                ));
            }
        }
    }
}

/// A string's content up to its closing quote (`\"` and `\\` escaped), and what follows.
fn read_string(text: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &text[i + 1..])),
            '\\' => match chars.next() {
                Some((_, escaped)) => value.push(escaped),
                None => return None,
            },
            c => value.push(c),
        }
    }
    None
}

/// The line a suppression applies to: its own when code precedes it, else the next line
/// holding more than white space and comments.
fn target_line(text: &str, lines: &LineStarts, comment: TextRange) -> usize {
    let line = lines.line_of(comment.start);
    let before = &text[lines.start(line)..comment.start];
    if !before.trim().is_empty() {
        return line;
    }
    let mut next = line + 1;
    while next < lines.count() {
        let content = lines.text(text, next).trim();
        if !content.is_empty() && !content.starts_with('#') {
            return next;
        }
        next += 1;
    }
    line + 1
}

/// Deletes a comment: its whole line when it stands alone, else it and the space before it.
fn remove_comment(text: &str, comment: TextRange) -> TextEdit {
    let line_start = text[..comment.start]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let before = &text[line_start..comment.start];
    if before.trim().is_empty() {
        let mut end = comment.end;
        if text[end..].starts_with("\r\n") {
            end += 2;
        } else if text[end..].starts_with(['\n', '\r']) {
            end += 1;
        }
        return TextEdit::replace(TextRange::new(line_start, end), "");
    }
    let start = line_start + before.trim_end().len();
    TextEdit::replace(TextRange::new(start, comment.end), "")
}

/// Where each line starts; `\n`, `\r\n` and a lone `\r` end a line, as in the grammar.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Self(starts)
    }

    fn line_of(&self, offset: usize) -> usize {
        self.0
            .partition_point(|start| *start <= offset)
            .saturating_sub(1)
    }

    fn start(&self, line: usize) -> usize {
        self.0.get(line).copied().unwrap_or(usize::MAX)
    }

    fn count(&self) -> usize {
        self.0.len()
    }

    fn text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.start(line).min(text.len());
        let end = self.0.get(line + 1).copied().unwrap_or(text.len());
        text.get(start..end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::rule_selector::selector;
    use crate::{AnalysisOptions, analyze};

    const BASE: &str = "workload \"w\" {\n  owner = \"o\"\n  scope = 2\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

    fn run(text: &str) -> crate::Analysis {
        analyze(
            text,
            &AnalysisOptions {
                today: Some(date!(2026 - 11 - 25)),
                ..AnalysisOptions::default()
            },
        )
    }

    fn codes(analysis: &crate::Analysis) -> Vec<Code> {
        analysis.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn parses_ids_reason_and_date() {
        assert_eq!(
            parse(r#" ignore[a, risk.threat_model] reason="say \"no\"" until=2027-01-31"#),
            Ok(Parsed {
                ids: vec!["a".into(), "risk.threat_model".into()],
                reason: Some("say \"no\"".into()),
                until: Some(date!(2027 - 01 - 31)),
            })
        );
        for bad in [
            "ignore",
            "ignore[a",
            "ignore[] reason=\"x\"",
            "ignore[a] reason=\"x",
            "ignore[a] until=tomorrow",
            "ignore[a] because=\"x\"",
            "ignore[a] reason=\"x\" reason=\"y\"",
            "ignore[a] reason",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_comment_above_or_at_the_end_of_the_line_suppresses() {
        let above = BASE.replace(
            "  scope = 2\n",
            "  # genai-scope: ignore[scope-mismatch] reason=\"migrating\"\n  # another comment\n\n  scope = 2\n",
        );
        let analysis = run(&above);
        assert!(
            !codes(&analysis).contains(&Code::ScopeMismatch),
            "{:#?}",
            analysis.diagnostics
        );
        assert!(!codes(&analysis).contains(&Code::UnusedSuppression));
        assert_eq!(analysis.suppressed.len(), 1);
        assert_eq!(analysis.suppressed[0].0.code, Code::ScopeMismatch);
        assert_eq!(analysis.suppressed[0].1.reason, "migrating");

        let end = BASE.replace(
            "  scope = 2\n",
            "  scope = 2 # genai-scope: ignore[scope-mismatch] reason=\"migrating\"\n",
        );
        let analysis = run(&end);
        assert!(!codes(&analysis).contains(&Code::ScopeMismatch));
        assert_eq!(analysis.suppressed.len(), 1);
    }

    #[test]
    fn control_ids_suppress_their_missing_control() {
        let text = BASE.replace(
            "workload",
            "# genai-scope: ignore[risk.threat_model] reason=\"covered elsewhere\"\nworkload",
        );
        let analysis = run(&text);
        assert!(
            !analysis
                .diagnostics
                .iter()
                .any(|d| d.control.as_deref() == Some("risk.threat_model"))
        );
        // Other missing controls on the same line are still reported.
        assert!(codes(&analysis).contains(&Code::MissingControl));
        assert_eq!(analysis.suppressed.len(), 1);
    }

    #[test]
    fn without_a_reason_nothing_is_suppressed() {
        let text = BASE.replace(
            "  scope = 2\n",
            "  scope = 2 # genai-scope: ignore[scope-mismatch]\n",
        );
        let analysis = run(&text);
        assert!(codes(&analysis).contains(&Code::ScopeMismatch));
        assert!(codes(&analysis).contains(&Code::InvalidSuppression));
        assert!(analysis.suppressed.is_empty());
    }

    #[test]
    fn expired_and_unused_suppressions_are_reported() {
        let text = BASE.replace(
            "  scope = 2\n",
            "  scope = 2 # genai-scope: ignore[scope-mismatch] reason=\"r\" until=2026-11-24\n  # genai-scope: ignore[no-model] reason=\"r\"\n  owner = \"p\"\n",
        );
        let analysis = run(&text);
        let found = codes(&analysis);
        assert!(found.contains(&Code::ScopeMismatch), "{found:?}");
        assert!(found.contains(&Code::ExpiredSuppression), "{found:?}");
        assert!(found.contains(&Code::UnusedSuppression), "{found:?}");
        // The last day still holds.
        let today = text.replace("2026-11-24", "2026-11-25");
        assert!(!codes(&run(&today)).contains(&Code::ExpiredSuppression));
    }

    #[test]
    fn markers_inside_strings_are_not_suppressions() {
        let text = BASE.replace(
            "owner = \"o\"",
            "owner = \"# genai-scope: ignore[scope-mismatch] reason=\\\"x\\\"\"",
        );
        let analysis = run(&text.replace("  scope = 2\n", "  scope = 2 \n"));
        assert!(analysis.suppressed.is_empty());
        assert!(!codes(&analysis).contains(&Code::InvalidSuppression));
    }

    #[test]
    fn unknown_ids_and_forbidden_ids_are_invalid() {
        let text = BASE.replace(
            "  scope = 2\n",
            "  scope = 2 # genai-scope: ignore[scope-mismatchh] reason=\"r\"\n",
        );
        assert!(codes(&run(&text)).contains(&Code::InvalidSuppression));
        let text = BASE.replace(
            "  scope = 2\n",
            "  scope = 2 # genai-scope: ignore[scope-mismatch] reason=\"r\"\n",
        );
        let mut options = AnalysisOptions::default();
        options
            .settings
            .no_inline_suppressions
            .insert(selector("scope-mismatch"));
        let analysis = analyze(&text, &options);
        assert!(codes(&analysis).contains(&Code::InvalidSuppression));
        assert!(codes(&analysis).contains(&Code::ScopeMismatch));
    }

    #[test]
    fn removing_an_unused_suppression_keeps_the_rest_of_the_line() {
        let text = "a = 1 # genai-scope: x\nb\n";
        let edit = remove_comment(text, TextRange::new(6, 22));
        assert_eq!(crate::apply_edits(text, &[edit]).unwrap(), "a = 1\nb\n");
        let text = "a\n  # genai-scope: x\r\nb\n";
        let edit = remove_comment(text, TextRange::new(4, 20));
        assert_eq!(crate::apply_edits(text, &[edit]).unwrap(), "a\nb\n");
    }

    /// Found by the `format` fuzz target: the formatter trims trailing white space after a
    /// comment, and the quoted remainder of an invalid suppression must not change with it.
    #[test]
    fn trailing_white_space_does_not_change_an_invalid_suppression_message() {
        let messages = |text: String| -> Vec<String> {
            run(&text)
                .diagnostics
                .into_iter()
                .filter(|d| d.code == Code::InvalidSuppression)
                .map(|d| d.message().into_owned())
                .collect()
        };
        let comment = "# genai-scope: ignore[scope-mismatch] reason<\"x\"";
        let tight = messages(BASE.replace("  scope = 2\n", &format!("  scope = 2 {comment}\n")));
        let loose = messages(BASE.replace("  scope = 2\n", &format!("  scope = 2 {comment} \t\n")));
        assert_eq!(tight.len(), 1, "{tight:?}");
        assert_eq!(tight, loose);
        assert!(tight[0].ends_with("found `reason<\"x\"`"), "{tight:?}");
    }
}
