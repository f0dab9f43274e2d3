//! Folding ranges, selection ranges, semantic tokens and inlay hints: views of the syntax tree.

use super::FileState;
use genai_scope_syntax::text::TextRange;

/// Byte ranges worth folding: multi-line block bodies and lists, and runs of comment lines.
pub fn folding_ranges(file: &FileState) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut cursor = file.tree.walk();
    let mut comment_run: Option<TextRange> = None;
    'walk: loop {
        let node = cursor.node();
        match node.kind() {
            "block_body" | "list" if file.text[node.byte_range()].contains('\n') => {
                out.push(TextRange::new(node.start_byte(), node.end_byte()));
            }
            "comment" => {
                let range = TextRange::new(node.start_byte(), node.end_byte());
                comment_run = match comment_run {
                    Some(run)
                        if file.text[run.end..range.start].trim().is_empty()
                            && file.text[run.end..range.start].matches('\n').count() == 1 =>
                    {
                        Some(run.cover(range))
                    }
                    Some(run) => {
                        push_multiline(&mut out, &file.text, run);
                        Some(range)
                    }
                    None => Some(range),
                };
            }
            _ => {}
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    if let Some(run) = comment_run {
        push_multiline(&mut out, &file.text, run);
    }
    out.sort_by_key(|r| (r.start, r.end));
    out
}

fn push_multiline(out: &mut Vec<TextRange>, text: &str, range: TextRange) {
    if text[range.start..range.end].contains('\n') {
        out.push(range);
    }
}

/// The ranges around `offset`, innermost first: token, attribute, block body, block, …
pub fn selection_ranges(file: &FileState, offset: usize) -> Vec<TextRange> {
    let offset = offset.min(file.text.len());
    let mut node = file
        .tree
        .root_node()
        .descendant_for_byte_range(offset, offset);
    let mut out: Vec<TextRange> = Vec::new();
    while let Some(current) = node {
        let range = TextRange::new(current.start_byte(), current.end_byte());
        if out.last() != Some(&range) {
            out.push(range);
        }
        node = current.parent();
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Keyword,
    Type,
    Property,
    EnumMember,
    String,
    Number,
    Comment,
    Operator,
}

impl TokenKind {
    pub const ALL: [TokenKind; 8] = [
        TokenKind::Keyword,
        TokenKind::Type,
        TokenKind::Property,
        TokenKind::EnumMember,
        TokenKind::String,
        TokenKind::Number,
        TokenKind::Comment,
        TokenKind::Operator,
    ];
}

/// Classified tokens in document order (single-line ranges only).
pub fn semantic_tokens(file: &FileState) -> Vec<(TextRange, TokenKind)> {
    let mut out = Vec::new();
    let mut cursor = file.tree.walk();
    'walk: loop {
        let node = cursor.node();
        let field = cursor.field_name();
        let parent = node.parent().map(|p| p.kind());
        let kind = match (node.kind(), field, parent) {
            ("identifier", Some("type"), _) => Some(TokenKind::Keyword),
            ("identifier", Some("key"), _) => Some(TokenKind::Property),
            ("identifier", Some("value"), _) | ("identifier", None, Some("list")) => {
                Some(TokenKind::EnumMember)
            }
            ("dotted_name", _, _) => Some(TokenKind::Type),
            ("string", _, _) => Some(TokenKind::String),
            ("integer" | "duration" | "boolean", _, _) => Some(TokenKind::Number),
            ("comment", _, _) => Some(TokenKind::Comment),
            ("=", _, _) => Some(TokenKind::Operator),
            _ => None,
        };
        let range = TextRange::new(node.start_byte(), node.end_byte());
        if let Some(kind) = kind
            && !file.text[range.start..range.end].contains(['\n', '\r'])
        {
            out.push((range, kind));
        } else if node.kind() != "string" && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

/// An inlay hint: text shown at a byte offset.
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: String,
}

/// The inferred scope after each model label and each workload name, and the inferred agency
/// scope after each agent's.
pub fn inlay_hints(file: &FileState, range: TextRange) -> Vec<InlayHint> {
    let catalog = file.catalog();
    let mut out = Vec::new();
    for (_, report) in file.workloads() {
        if let Some(scope) = report.inferred_scope
            && range.touches(report.name_range.end)
        {
            out.push(InlayHint {
                offset: report.name_range.end,
                label: format!("scope {scope}"),
                tooltip: format!(
                    "{}: {}",
                    catalog.scope_name(scope),
                    report.reasons.join("; ")
                ),
            });
        }
        for model in &report.models {
            if let Some(scope) = model.scope
                && range.touches(model.range.end)
            {
                out.push(InlayHint {
                    offset: model.range.end,
                    label: format!("scope {scope}"),
                    tooltip: model.reason.clone(),
                });
            }
        }
        out.extend(agency_hints(catalog, report, range));
    }
    out.sort_by_key(|h| h.offset);
    out
}

/// "agency N" after each agent's label, with the reasons as tooltip.
fn agency_hints<'r>(
    catalog: &'r genai_scope_analysis::catalog::Catalog,
    report: &'r genai_scope_analysis::WorkloadReport,
    range: TextRange,
) -> impl Iterator<Item = InlayHint> + 'r {
    report
        .agents
        .iter()
        .filter(move |agent| range.touches(agent.range.end))
        .map(|agent| {
            let scope = agent.inferred_agency_scope;
            let name = catalog
                .agency_scope(scope.number())
                .map_or("unknown agency scope", |s| s.name.as_str());
            InlayHint {
                offset: agent.range.end,
                label: format!("agency {scope}"),
                tooltip: format!("{name}: {}", agent.reasons.join("; ")),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::AnalysisOptions;

    const TEXT: &str = "# one\n# two\nworkload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n}\n";

    fn file() -> FileState {
        FileState::new(TEXT.to_string(), None, &AnalysisOptions::default())
    }

    #[test]
    fn folds_bodies_and_comment_runs() {
        let folds: Vec<&str> = folding_ranges(&file())
            .iter()
            .map(|r| &TEXT[r.start..r.end])
            .collect();
        assert_eq!(folds.len(), 2);
        assert_eq!(folds[0], "# one\n# two");
        assert!(folds[1].starts_with('{') && folds[1].ends_with('}'));
    }

    #[test]
    fn selection_grows_from_the_token() {
        let at = TEXT.find("managed_api").unwrap() + 2;
        let ranges: Vec<&str> = selection_ranges(&file(), at)
            .iter()
            .map(|r| &TEXT[r.start..r.end])
            .collect();
        assert_eq!(ranges[0], "managed_api");
        assert_eq!(ranges[1], "hosting = managed_api");
        assert_eq!(*ranges.last().unwrap(), TEXT);
    }

    #[test]
    fn tokens_are_classified() {
        let tokens = semantic_tokens(&file());
        let find = |text: &str| {
            tokens
                .iter()
                .find(|(r, _)| &TEXT[r.start..r.end] == text)
                .map(|(_, k)| *k)
        };
        assert_eq!(find("workload"), Some(TokenKind::Keyword));
        assert_eq!(find("owner"), Some(TokenKind::Property));
        assert_eq!(find("managed_api"), Some(TokenKind::EnumMember));
        assert_eq!(find("\"o\""), Some(TokenKind::String));
        assert_eq!(find("# one"), Some(TokenKind::Comment));
    }

    #[test]
    fn names_in_a_list_are_enum_members() {
        let text = "workload \"w\" {\n  outputs = [shown, executed]\n  stage = prototype\n}\n";
        let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
        let tokens = semantic_tokens(&file);
        for name in ["shown", "executed", "prototype"] {
            assert!(
                tokens
                    .iter()
                    .any(|(r, k)| &text[r.start..r.end] == name && *k == TokenKind::EnumMember),
                "{name}"
            );
        }
    }

    #[test]
    fn inlay_hints_show_the_scope() {
        let hints = inlay_hints(&file(), TextRange::new(0, TEXT.len()));
        let labels: Vec<&str> = hints.iter().map(|h| h.label.as_str()).collect();
        assert_eq!(labels, ["scope 3", "scope 3"]);
        assert_eq!(
            &TEXT[..hints[1].offset],
            &TEXT[..TEXT.find("\"m\"").unwrap() + 3]
        );
    }

    #[test]
    fn inlay_hints_show_each_agents_agency_with_its_reasons() {
        let text = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  agent \"reader\" {\n    tool \"t\" { effect = read }\n  }\n  agent \"payer\" {\n    tool \"p\" { effect = pay }\n  }\n}\n";
        let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
        let hints = inlay_hints(&file, TextRange::new(0, text.len()));
        let agency: Vec<(&str, &str)> = hints
            .iter()
            .filter(|h| h.label.starts_with("agency"))
            .map(|h| (&text[..h.offset], h.label.as_str()))
            .collect();
        assert_eq!(agency.len(), 2, "{agency:?}");
        assert!(agency[0].0.ends_with("agent \"reader\""), "{agency:?}");
        assert_eq!(agency[0].1, "agency 1");
        assert!(agency[1].0.ends_with("agent \"payer\""), "{agency:?}");
        assert_eq!(agency[1].1, "agency 3");
        let payer = hints.iter().find(|h| h.label == "agency 3").unwrap();
        assert!(
            payer
                .tooltip
                .starts_with("Supervised agency: tool \"p\" pays without approval"),
            "{}",
            payer.tooltip
        );
        // Outside the requested range: no hint.
        let first_only = inlay_hints(
            &file,
            TextRange::new(0, text.find("agent \"payer\"").unwrap()),
        );
        assert!(first_only.iter().all(|h| h.label != "agency 3"));
    }
}
