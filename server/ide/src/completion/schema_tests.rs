//! Completion, hover and the block snippets checked against the schema, so a value or an
//! attribute added to `schema.rs` cannot be missing from the editor (or one removed linger).

use super::*;
use crate::hover::hover;
use genai_scope_analysis::AnalysisOptions;
use genai_scope_analysis::diagnostic::Code;
use genai_scope_analysis::schema::{AttributeSpec, BLOCKS};

/// A file with `line` inside a block of `kind` (in a workload, and a tool in an agent), and
/// the byte offset where `line` starts.
fn inside(kind: BlockKind, line: &str) -> (String, usize) {
    let (open, close) = match kind {
        BlockKind::Workload => ("workload \"w\" {\n  owner = \"o\"\n  ", "\n}\n"),
        BlockKind::Model => ("workload \"w\" {\n  model \"m\" {\n    ", "\n  }\n}\n"),
        BlockKind::Data => ("workload \"w\" {\n  data \"d\" {\n    ", "\n  }\n}\n"),
        BlockKind::Agent => ("workload \"w\" {\n  agent \"a\" {\n    ", "\n  }\n}\n"),
        BlockKind::Tool => (
            "workload \"w\" {\n  agent \"a\" {\n    tool \"t\" {\n      ",
            "\n    }\n  }\n}\n",
        ),
        BlockKind::Control => (
            "workload \"w\" {\n  control risk.threat_model {\n    ",
            "\n  }\n}\n",
        ),
        BlockKind::Unknown => ("", ""),
    };
    (format!("{open}{line}{close}"), open.len())
}

fn file(text: String) -> FileState {
    FileState::new(text, None, &AnalysisOptions::default())
}

/// Every attribute of every block, with the block's kind.
fn attributes() -> impl Iterator<Item = (BlockKind, &'static AttributeSpec)> {
    BLOCKS
        .into_iter()
        .flat_map(|spec| spec.attributes.iter().map(move |a| (spec.kind, a)))
}

#[test]
fn completion_offers_exactly_the_schemas_values_of_each_enum_attribute() {
    let mut checked = 0;
    for (kind, attribute) in attributes() {
        let expected: Vec<String> = match attribute.ty {
            ValueType::Enum(values) => values.iter().map(|v| v.name.to_string()).collect(),
            ValueType::EnumList(values) => values.iter().map(|v| format!("[{}]", v.name)).collect(),
            _ => continue,
        };
        let line = format!("{} = ", attribute.name);
        let (text, start) = inside(kind, &line);
        let offered: Vec<String> = complete(&file(text), start + line.len())
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(offered, expected, "{}.{}", kind.keyword(), attribute.name);
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} enum attributes found");
}

#[test]
fn inside_a_list_completion_offers_the_schemas_names_not_yet_listed() {
    for (kind, attribute) in attributes() {
        let ValueType::EnumList(values) = attribute.ty else {
            continue;
        };
        let [first, rest @ ..] = values else {
            panic!("{}.{} lists no value", kind.keyword(), attribute.name);
        };
        let line = format!("{} = [{}, ", attribute.name, first.name);
        let (text, start) = inside(kind, &format!("{line}]"));
        let offered: Vec<String> = complete(&file(text), start + line.len())
            .into_iter()
            .map(|c| c.label)
            .collect();
        let expected: Vec<&str> = rest.iter().map(|v| v.name).collect();
        assert_eq!(offered, expected, "{}.{}", kind.keyword(), attribute.name);
    }
}

#[test]
fn every_attribute_hovers_with_its_schema_type_and_documentation() {
    for (kind, attribute) in attributes() {
        let (text, start) = inside(kind, &format!("{} = x", attribute.name));
        let found = hover(&file(text), start + 1);
        let markdown = found.map(|h| h.markdown).unwrap_or_default();
        let context = format!("{}.{}", kind.keyword(), attribute.name);
        assert!(
            markdown.starts_with(&format!("**{}**", attribute.name)),
            "{context}: {markdown:?}"
        );
        assert!(markdown.contains(attribute.doc), "{context}: {markdown:?}");
        assert!(
            markdown.contains(&attribute.ty.describe()),
            "{context}: {markdown:?}"
        );
    }
}

#[test]
fn every_block_keyword_hovers_with_its_schema_documentation() {
    for spec in BLOCKS {
        let (text, _) = inside(BlockKind::Workload, "");
        let (text, at) = match spec.kind {
            BlockKind::Workload => (text, 0),
            kind => {
                let (text, start) = inside(kind, "");
                // The keyword of the innermost block opens the line above the cursor.
                let at = text[..start].rfind(kind.keyword()).unwrap_or(0);
                (text, at)
            }
        };
        let markdown = hover(&file(text), at + 1)
            .map(|h| h.markdown)
            .unwrap_or_default();
        assert_eq!(
            markdown,
            format!("**{}**\n\n{}", spec.keyword(), spec.doc),
            "{}",
            spec.keyword()
        );
    }
}

/// A snippet's tab stops: the text between them, and for each `${n|a,b|}` its choices.
enum Piece<'s> {
    Text(&'s str),
    Choice(Vec<&'s str>),
}

fn pieces(snippet: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = snippet;
    while let Some(dollar) = rest.find('$') {
        out.push(Piece::Text(&rest[..dollar]));
        let after = &rest[dollar + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}').expect("a closed tab stop");
            let stop = &inner[..end];
            let body = stop.trim_start_matches(|c: char| c.is_ascii_digit());
            if let Some(choices) = body.strip_prefix('|') {
                let choices = choices.strip_suffix('|').expect("a closed choice");
                out.push(Piece::Choice(choices.split(',').collect()));
            } else {
                out.push(Piece::Text(body.strip_prefix(':').unwrap_or(body)));
            }
            rest = &inner[end + 1..];
        } else {
            rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    out.push(Piece::Text(rest));
    out
}

/// The snippet as typed when choice `picked` takes its option `option` and every other
/// choice its first.
fn expand(pieces: &[Piece<'_>], picked: usize, option: usize) -> String {
    let mut choice = 0;
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Choice(options) => {
                out.push_str(options[if choice == picked { option } else { 0 }]);
                choice += 1;
            }
        }
    }
    out
}

#[test]
fn every_block_snippet_parses_with_schema_attributes_and_values_only() {
    let snippets = [
        (BlockKind::Workload, WORKLOAD_SNIPPET),
        (BlockKind::Model, MODEL_SNIPPET),
        (BlockKind::Data, DATA_SNIPPET),
        (BlockKind::Agent, AGENT_SNIPPET),
        (BlockKind::Tool, TOOL_SNIPPET),
        (BlockKind::Control, CONTROL_SNIPPET),
    ];
    for (kind, snippet) in snippets {
        assert!(snippet.starts_with(kind.keyword()), "{snippet}");
        let pieces = pieces(snippet);
        let choices: Vec<usize> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Choice(options) => Some(options.len()),
                Piece::Text(_) => None,
            })
            .collect();
        assert!(!choices.is_empty(), "{snippet}");
        for (picked, options) in choices.iter().enumerate() {
            for option in 0..*options {
                let typed = expand(&pieces, picked, option);
                // A control's id is the author's to choose; a real one keeps the check to
                // the schema.
                let typed = typed.replacen("control id", "control risk.threat_model", 1);
                let text = match kind {
                    BlockKind::Workload => typed.clone(),
                    BlockKind::Tool => inside(BlockKind::Agent, &typed).0,
                    _ => inside(BlockKind::Workload, &typed).0,
                };
                let state = file(text.clone());
                assert!(
                    state.syntax.errors.is_empty(),
                    "{text}\n{:?}",
                    state.syntax.errors
                );
                let schema_findings: Vec<_> = state
                    .analysis
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        matches!(
                            d.code,
                            Code::UnknownAttribute | Code::UnknownBlock | Code::InvalidValue
                        )
                    })
                    .collect();
                assert!(schema_findings.is_empty(), "{text}\n{schema_findings:#?}");
            }
        }
    }
}
