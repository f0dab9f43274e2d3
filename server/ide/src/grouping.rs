//! The findings as an editor shows them: a workload's (or an agent's) missing controls as one
//! diagnostic instead of a pile on its name. The group's message names each control, by
//! discipline; a member found somewhere other than the group's own place is related
//! information (one found on the same name is not: its location would add nothing, and its
//! full message, repeated, was most of a dense document's publication). The per-control
//! findings stay in the analysis (and in `check --format json|sarif`, which machines read)
//! and in the per-control setting.

use std::collections::{HashMap, HashSet};

use super::FileState;
use super::actions::add_to_agent_edit;
use genai_scope_analysis::catalog::{Catalog, ControlId, Discipline};
use genai_scope_analysis::diagnostic::{Code, Diagnostic, Fix, Message, Related};
use genai_scope_analysis::{Analysis, insert_controls_into_workload, workload_blocks};
use genai_scope_syntax::SourceFile;

/// One diagnostic as shown, with the findings of the analysis it stands for.
#[derive(Clone, Debug)]
pub struct Shown {
    pub diagnostic: Diagnostic,
    /// Indices into `file.analysis.diagnostics`: the finding itself, or a group's members.
    pub members: Vec<usize>,
}

impl Shown {
    /// Whether this is several missing controls in one.
    pub fn is_group(&self) -> bool {
        self.members.len() > 1
    }
}

/// The file's diagnostics as shown: with `group`, the missing controls of each workload (or
/// agent: each name a finding is anchored on) become one diagnostic, placed where the first
/// of them was; a single missing control stays as it is.
pub fn shown_diagnostics(file: &FileState, group: bool) -> Vec<Shown> {
    shown_findings(&file.text, &file.syntax, &file.analysis, group)
}

/// [`shown_diagnostics`] of an analysis with its text and syntax tree (the command line's text
/// output groups the same way).
pub fn shown_findings(
    text: &str,
    syntax: &SourceFile,
    analysis: &Analysis,
    group: bool,
) -> Vec<Shown> {
    shown(text, syntax, analysis, group)
}

/// The file's diagnostics as published, missing controls grouped: without their fixes, which
/// never travel with a diagnostic (code actions rebuild them from the analysis). Building a
/// group's "add all" edit and copying every member's fixes is most of the grouping's cost
/// on each keystroke, for every workload of the document.
pub fn shown_for_publication(file: &FileState) -> Vec<Diagnostic> {
    published(file.analysis.catalog(), &file.analysis.diagnostics)
}

/// [`shown_for_publication`] of any stretch of sorted diagnostics that holds every member of
/// each group it starts (a workload's lines do: a group's members share one name), so that
/// the language server can group one workload's findings alone.
pub fn published(catalog: &Catalog, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    groups(diagnostics, true)
        .into_iter()
        .map(|members| match members.as_slice() {
            [single] => without_fixes(&diagnostics[*single]),
            _ => {
                let findings: Vec<&Diagnostic> = members.iter().map(|i| &diagnostics[*i]).collect();
                group_without_fixes(catalog, &findings)
            }
        })
        .collect()
}

fn shown(text: &str, syntax: &SourceFile, analysis: &Analysis, group: bool) -> Vec<Shown> {
    let all = &analysis.diagnostics;
    groups(all, group)
        .into_iter()
        .map(|members| {
            let diagnostic = match members.as_slice() {
                [single] => all[*single].clone(),
                _ => {
                    let findings: Vec<&Diagnostic> = members.iter().map(|i| &all[*i]).collect();
                    let mut diagnostic = group_without_fixes(analysis.catalog(), &findings);
                    diagnostic.set_fixes(group_fixes(text, syntax, analysis, &findings));
                    diagnostic
                }
            };
            Shown {
                diagnostic,
                members,
            }
        })
        .collect()
}

/// The indices of the diagnostics each shown one stands for, in shown order: with `group`,
/// the missing controls on one name (of one workload) together, where the first of them is.
fn groups(all: &[Diagnostic], group: bool) -> Vec<Vec<usize>> {
    if !group {
        return (0..all.len()).map(|index| vec![index]).collect();
    }
    let mut out: Vec<Vec<usize>> = Vec::with_capacity(all.len());
    // The groups started so far: (workload, anchor) → position in `out`.
    let mut started: HashMap<(Option<&str>, usize, usize), usize, _> =
        HashMap::with_hasher(foldhash::fast::FixedState::default());
    for (index, diagnostic) in all.iter().enumerate() {
        if diagnostic.code != Code::MissingControl || diagnostic.control.is_none() {
            out.push(vec![index]);
            continue;
        }
        let key = (
            diagnostic.workload.as_deref(),
            diagnostic.range.start,
            diagnostic.range.end,
        );
        match started.get(&key) {
            Some(at) => out[*at].push(index),
            None => {
                started.insert(key, out.len());
                out.push(vec![index]);
            }
        }
    }
    out
}

/// A copy of `diagnostic` with no fixes (without copying them first).
fn without_fixes(diagnostic: &Diagnostic) -> Diagnostic {
    Diagnostic {
        code: diagnostic.code,
        severity: diagnostic.severity,
        message: diagnostic.message.clone(),
        range: diagnostic.range,
        workload: diagnostic.workload.clone(),
        control: diagnostic.control.clone(),
        model: diagnostic.model.clone(),
        agent: diagnostic.agent.clone(),
        fixes: Default::default(),
        related: diagnostic.related.clone(),
    }
}

/// Whether some name carries more than one missing control (else grouping changes nothing).
pub fn has_groups(file: &FileState) -> bool {
    let mut seen = HashSet::new();
    file.analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingControl && d.control.is_some())
        .any(|d| !seen.insert((d.workload.as_deref(), d.range.start, d.range.end)))
}

/// One diagnostic for several missing controls on the same name (`findings`, in order), with
/// no fixes yet.
fn group_without_fixes(catalog: &Catalog, findings: &[&Diagnostic]) -> Diagnostic {
    use std::fmt::Write;
    let first = findings[0];
    let severity = findings
        .iter()
        .map(|d| d.severity)
        .max()
        .unwrap_or(first.severity);

    // Grouped by discipline (an agent's: by the agentic matrix's dimension), in catalog order,
    // then the rest as "Other". Written on every keystroke for the edited workload: each
    // member's discipline is looked up once, by the control it keeps where it can.
    let headings: Vec<&Discipline> = catalog
        .disciplines
        .iter()
        .chain(&catalog.dimensions)
        .collect();
    let mut members: Vec<(usize, &str)> = findings
        .iter()
        .filter_map(|d| {
            let id = d.control.as_deref()?;
            let heading = discipline_of(catalog, d, id)
                .and_then(|of| headings.iter().position(|h| h.id == of))
                .unwrap_or(headings.len());
            Some((heading, id))
        })
        .collect();
    // Stable: within a heading, in the findings' order.
    members.sort_by_key(|(heading, _)| *heading);

    let subject = match (&first.agent, &first.workload) {
        (Some(agent), _) => format!("agent \"{agent}\""),
        (None, Some(name)) => format!("workload \"{name}\""),
        (None, None) => "this workload".to_string(),
    };
    let mut message = String::with_capacity(64 + members.len() * 32);
    let _ = write!(
        message,
        "{subject} is missing {} controls{}:",
        members.len(),
        severity_summary(findings)
    );
    let mut current = None;
    for (heading, id) in &members {
        if current == Some(*heading) {
            message.push_str(", ");
        } else {
            current = Some(*heading);
            let name = headings.get(*heading).map_or("Other", |h| h.name.as_str());
            let _ = write!(message, "\n{name}: ");
        }
        message.push_str(id);
    }

    Diagnostic {
        code: Code::MissingControl,
        severity,
        message: message.into(),
        range: first.range,
        workload: first.workload.clone(),
        control: None,
        model: None,
        agent: first.agent.clone(),
        fixes: Default::default(),
        // A member found where the group is adds nothing but its message, and the group's
        // message already names it (by discipline): sending each one's full message again
        // was 87% of a dense document's publication. Only a member found elsewhere is
        // related information (none is today: every missing control is found on the name
        // the group is on); each control's own message stays in the per-control setting,
        // its quick fix in the group's code actions.
        related: findings
            .iter()
            .filter(|d| d.range != first.range)
            .map(|d| Related {
                range: d.range,
                message: d.message().into_owned(),
            })
            .collect(),
    }
}

/// A group's fixes: "add all" (into the workload, or into the agent for an agent's
/// controls), then each member's own.
fn group_fixes(
    text: &str,
    syntax: &SourceFile,
    analysis: &Analysis,
    findings: &[&Diagnostic],
) -> Vec<Fix> {
    let first = findings[0];
    let ids: Vec<&str> = findings
        .iter()
        .filter_map(|d| d.control.as_deref())
        .collect();
    let ids = ids.as_slice();
    let mut fixes = Vec::new();
    let workload_index = workload_blocks(syntax)
        .zip(&analysis.workloads)
        .position(|(block, _)| block.range.contains_range(first.range));
    // An agent's controls belong in its own block (added there below); its findings keep
    // their single fixes.
    let into_workload = first.agent.is_none();
    if let Some(edit) = workload_index
        .filter(|_| into_workload)
        .and_then(|index| insert_controls_into_workload(text, syntax, index, ids))
    {
        fixes.push(Fix {
            title: format!("Add all {} missing controls", ids.len()),
            edits: vec![edit],
            safe: false,
        });
    }
    if let Some(agent) = &first.agent
        && let Some(edit) = add_to_agent_edit(text, syntax, analysis, first.range, ids)
    {
        fixes.push(Fix {
            title: format!(
                "Add all {} missing controls to agent \"{agent}\"",
                ids.len()
            ),
            edits: vec![edit],
            safe: false,
        });
    }
    fixes.extend(findings.iter().flat_map(|d| d.fixes().into_owned()));
    fixes
}

/// The discipline (or dimension) a missing control's id names: from the catalog's control
/// the finding keeps, else read from the id (`Other` when it is not a control id).
fn discipline_of<'c>(catalog: &'c Catalog, finding: &Diagnostic, id: &'c str) -> Option<&'c str> {
    let kept = match &finding.message {
        Message::MissingControl { control, .. }
        | Message::MissingAgenticControl { control, .. } => catalog.controls.get(*control as usize),
        Message::Text(_) => None,
    };
    match kept.filter(|control| control.id.as_str() == id) {
        Some(control) => Some(control.id.discipline()),
        None => id
            .parse::<ControlId>()
            .ok()
            .map(|parsed| &id[..parsed.discipline().len()]),
    }
}

/// " (2 errors, 1 warning)": how many of each severity, most severe first.
fn severity_summary(findings: &[&Diagnostic]) -> String {
    use genai_scope_analysis::diagnostic::Severity;
    let mut counts = [0usize; 4];
    for finding in findings {
        counts[match finding.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
            Severity::Hint => 3,
        }] += 1;
    }
    let names = [
        ("error", "errors"),
        ("warning", "warnings"),
        ("info", "infos"),
        ("hint", "hints"),
    ];
    let mut out = String::from(" (");
    for (n, (one, many)) in counts.into_iter().zip(names) {
        if n == 0 {
            continue;
        }
        if out.len() > 2 {
            out.push_str(", ");
        }
        out.push_str(&n.to_string());
        out.push(' ');
        out.push_str(if n == 1 { one } else { many });
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::AnalysisOptions;
    use genai_scope_analysis::diagnostic::Severity;

    const TEXT: &str = "workload \"w\" {\n  owner    = \"o\"\n  audience = customers\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";

    fn file(text: &str) -> FileState {
        FileState::new(text.to_string(), None, &AnalysisOptions::default())
    }

    #[test]
    fn the_publication_is_the_shown_diagnostics_without_their_fixes() {
        for text in [
            TEXT,
            include_str!("../../../tests/editors/fixtures/ticket-triage.genai"),
        ] {
            let file = file(text);
            let mut expected: Vec<Diagnostic> = shown_diagnostics(&file, true)
                .into_iter()
                .map(|s| s.diagnostic)
                .collect();
            assert!(expected.iter().any(|d| !d.fixes().is_empty()));
            for diagnostic in &mut expected {
                diagnostic.set_fixes(Vec::new());
            }
            assert_eq!(shown_for_publication(&file), expected);
        }
    }

    #[test]
    fn a_workloads_missing_controls_are_one_diagnostic_at_their_highest_severity() {
        let file = file(TEXT);
        let missing: Vec<&Diagnostic> = file
            .analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::MissingControl)
            .collect();
        assert!(missing.len() > 2, "{missing:?}");
        let shown = shown_diagnostics(&file, true);
        let groups: Vec<&Shown> = shown
            .iter()
            .filter(|s| s.diagnostic.code == Code::MissingControl)
            .collect();
        assert_eq!(groups.len(), 1, "{groups:#?}");
        let group = &groups[0].diagnostic;
        assert_eq!(
            group.severity,
            missing.iter().map(|d| d.severity).max().unwrap()
        );
        assert_eq!(group.severity, Severity::Error);
        // Every control is found on the workload's name, where the group is: the message
        // names them, and no related information repeats them.
        assert!(group.related.is_empty(), "{:#?}", group.related);
        for control in missing.iter().filter_map(|d| d.control.as_deref()) {
            assert!(
                group.message().contains(control),
                "{control} in {}",
                group.message()
            );
        }
        assert_eq!(group.range, missing[0].range, "on the workload's name");
        assert!(
            group.message().starts_with(&format!(
                "workload \"w\" is missing {} controls (",
                missing.len()
            )),
            "{}",
            group.message()
        );
        assert!(
            group
                .message()
                .lines()
                .any(|l| l.starts_with("Risk management: ") && l.contains("risk.threat_model")),
            "{}",
            group.message()
        );
        assert_eq!(
            group.fixes()[0].title,
            format!("Add all {} missing controls", missing.len())
        );
        assert!(!group.fixes()[0].safe, "it states controls as planned");
        assert_eq!(group.fixes().len(), missing.len() + 1);
        // The other findings are untouched, in order.
        assert_eq!(
            shown.len(),
            file.analysis.diagnostics.len() - missing.len() + 1
        );
    }

    #[test]
    fn an_agents_missing_controls_are_grouped_by_the_agentic_dimensions() {
        let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n  agent \"a\" {\n    model = \"m\"\n    tool \"t\" { effect = write }\n  }\n}\n";
        let file = file(text);
        let shown = shown_diagnostics(&file, true);
        let group = shown
            .iter()
            .map(|s| &s.diagnostic)
            .find(|d| d.code == Code::MissingControl && d.agent.is_some())
            .expect("the agent's missing controls");
        let dimensions = &file.analysis.catalog().dimensions;
        let message = group.message();
        let lines: Vec<&str> = message.lines().skip(1).collect();
        assert!(!lines.is_empty(), "{}", group.message());
        for line in lines {
            assert!(
                dimensions
                    .iter()
                    .any(|d| line.starts_with(&format!("{}: ", d.name))),
                "{line:?} in {}",
                group.message()
            );
        }
    }

    #[test]
    fn without_grouping_every_finding_is_shown_as_it_is() {
        let file = file(TEXT);
        let shown = shown_diagnostics(&file, false);
        assert_eq!(shown.len(), file.analysis.diagnostics.len());
        assert!(
            shown
                .iter()
                .zip(&file.analysis.diagnostics)
                .all(|(s, d)| s.diagnostic == *d)
        );
    }
}
