//! Syntax errors: one per ERROR node (with the tokens the parser expected there) and one per
//! token the parser had to assume (MISSING). A missing `}` is reported once, where the block
//! that lacks it opens, naming it.

use std::collections::HashSet;

use tree_sitter::{Node, Tree};

use crate::BlockKind;
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// Walks the tree without recursion (nesting may be hostile) and reports every error.
pub(super) fn collect_syntax_errors(text: &str, tree: &Tree) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    let root = tree.root_node();
    if !root.has_error() {
        return errors;
    }
    let mut cursor = root.walk();
    // Blocks already reported as unclosed (by node id), so none is named twice.
    let mut unclosed = HashSet::new();
    // Looking for the block that took another's brace visits a block's insides once per
    // missing brace; a budget keeps hostile nesting linear.
    let mut budget = SEARCH_BUDGET;
    'walk: loop {
        let node = cursor.node();
        let descend = if node.is_error() {
            errors.push(unfinished_block(text, node).unwrap_or_else(|| error_node(text, node)));
            false
        } else if node.is_missing() && node.kind() == "}" {
            errors.push(unclosed_block(text, node, &mut unclosed, &mut budget));
            false
        } else if node.is_missing() {
            let message = match node.kind() {
                "\"" => "unterminated string: expected a closing `\"`".to_string(),
                kind => format!("expected {}", describe_symbol(kind)),
            };
            errors.push(SyntaxError {
                range: TextRange::empty(node.start_byte()),
                message,
            });
            false
        } else {
            node.has_error()
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    errors
}

/// The error for a `}` the parser had to assume (`missing`): named after the block that lacks
/// it and placed on its first line. The parser gives the brace to the outermost block that
/// can take it, so with `model "m" {` left open inside a workload, the workload seems
/// unclosed and the model's body runs to the workload's `}`. The indentation tells them apart:
/// a block inside whose own `}` starts a line less indented than the block's first line took
/// an outer block's brace, and is the one reported.
fn unclosed_block(
    text: &str,
    missing: Node,
    reported: &mut HashSet<usize>,
    budget: &mut usize,
) -> SyntaxError {
    let owner = missing
        .parent()
        .filter(|body| body.kind() == "block_body")
        .and_then(|body| body.parent())
        .filter(|block| block.kind() == "block");
    let Some(owner) = owner else {
        return SyntaxError {
            range: TextRange::empty(missing.start_byte()),
            message: "expected `}`".into(),
        };
    };
    let block = borrowed_a_brace(text, owner, reported, budget)
        .filter(|block| !reported.contains(&block.id()))
        .unwrap_or(owner);
    reported.insert(block.id());
    let header_end = block
        .child_by_field_name("label")
        .or_else(|| block.child_by_field_name("type"))
        .map_or(block.start_byte(), |n| n.end_byte());
    let header = text
        .get(block.start_byte()..header_end)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let header = if header.chars().count() > 40 {
        format!("{}…", header.chars().take(40).collect::<String>())
    } else {
        header
    };
    SyntaxError {
        range: TextRange::new(block.start_byte(), header_end.max(block.start_byte())),
        message: format!("`{header}` is not closed: expected a `}}` to end it"),
    }
}

/// How many nodes the search for a block that took another's brace may visit in one file.
const SEARCH_BUDGET: usize = 100_000;

/// The first block inside `outer` (in document order, not yet `reported`) whose closing `}`
/// begins a line that is less indented than the line the block opens on; `None` when there is
/// none or the `budget` of nodes to visit runs out. The walk uses a cursor, not recursion, as
/// nesting may be hostile.
fn borrowed_a_brace<'t>(
    text: &str,
    outer: Node<'t>,
    reported: &HashSet<usize>,
    budget: &mut usize,
) -> Option<Node<'t>> {
    let mut cursor = outer.walk();
    if !cursor.goto_first_child() {
        return None;
    }
    let mut depth = 1usize;
    loop {
        *budget = budget.checked_sub(1)?;
        let node = cursor.node();
        if node.kind() == "block"
            && !reported.contains(&node.id())
            && closes_too_far_left(text, node)
        {
            return Some(node);
        }
        if matches!(node.kind(), "block" | "block_body") && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
            depth -= 1;
            if depth == 0 {
                return None;
            }
        }
    }
}

/// Whether `block` has a real closing `}` that starts its line, indented less than the line
/// where the block starts.
fn closes_too_far_left(text: &str, block: Node) -> bool {
    let Some(body) = block.child_by_field_name("body") else {
        return false;
    };
    let Some(close) = body.child(body.child_count().saturating_sub(1)) else {
        return false;
    };
    if close.kind() != "}" || close.is_missing() {
        return false;
    }
    // Tree-sitter's columns are bytes from the line's start, so no line is scanned twice.
    let before = |node: Node| {
        let at = node.start_byte();
        text.get(at - node.start_position().column.min(at)..at)
            .unwrap_or("")
    };
    let close_prefix = before(close);
    if !close_prefix.chars().all(|c| c == ' ' || c == '\t') {
        return false;
    }
    let opening = before(block);
    let opening_indent = opening.len() - opening.trim_start_matches([' ', '\t']).len();
    close_prefix.len() < opening_indent
}

fn error_node(text: &str, node: Node) -> SyntaxError {
    let snippet: String = text
        .get(node.byte_range())
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let snippet = if snippet.chars().count() > 30 {
        format!("{}…", snippet.chars().take(30).collect::<String>())
    } else {
        snippet
    };
    let expected = expected_before(node);
    let message = match (snippet.is_empty(), expected.is_empty()) {
        (true, true) => "syntax error".to_string(),
        (true, false) => format!("expected {}", join_alternatives(&expected)),
        (false, true) => format!("unexpected `{snippet}`"),
        (false, false) => format!(
            "unexpected `{snippet}`; expected {}",
            join_alternatives(&expected)
        ),
    };
    // Report on the first line of the error only, so the squiggle stays readable.
    let first_line_end = text
        .get(node.start_byte()..node.end_byte())
        .and_then(|s| s.find(['\n', '\r']))
        .map(|i| node.start_byte() + i)
        .unwrap_or(node.end_byte());
    SyntaxError {
        range: TextRange::new(node.start_byte(), first_line_end.max(node.start_byte())),
        message,
    }
}

/// A block header being typed: `control` (or `control gov`) on a line of its own, before the
/// next block. Said as the one thing missing rather than as every token the parser could take.
fn unfinished_block(text: &str, error: Node) -> Option<SyntaxError> {
    let word = |node: Node| text.get(node.byte_range()).unwrap_or("").to_string();
    // `control` alone: the parser took the next block's type as an error in this header.
    if let Some((kind, _)) = unfinished_header(error.parent()?) {
        let kind_word = word(kind);
        return Some(SyntaxError {
            range: range_of(kind),
            message: format!("expected {} after `{kind_word}`", what_label(&kind_word)),
        });
    }
    // `control gov`: a type and a label with no body, on one line.
    let mut cursor = error.walk();
    let children: Vec<Node> = error.children(&mut cursor).collect();
    match children.as_slice() {
        [kind, label]
            if kind.kind() == "identifier"
                && matches!(label.kind(), "identifier" | "dotted_name" | "string")
                && kind.start_position().row == label.end_position().row =>
        {
            Some(SyntaxError {
                range: TextRange::new(error.start_byte(), label.end_byte()),
                message: match BlockKind::from_keyword(&word(*kind)) {
                    BlockKind::Control => "expected `{` after the control id".to_string(),
                    _ => {
                        let header = text.get(error.start_byte()..label.end_byte()).unwrap_or("");
                        match header.char_indices().nth(40) {
                            Some((cut, _)) => format!("expected `{{` after `{}…`", &header[..cut]),
                            None => format!("expected `{{` after `{header}`"),
                        }
                    }
                },
            })
        }
        _ => None,
    }
}

fn what_label(keyword: &str) -> &'static str {
    match BlockKind::from_keyword(keyword) {
        BlockKind::Control => "a control id",
        _ => "a label and `{`",
    }
}

fn range_of(node: Node) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

/// For a `block` whose header runs onto a later line through an error (`control` typed alone
/// above `model "m" { … }`), its type and the error holding the next block's type.
pub(super) fn unfinished_header(block: Node) -> Option<(Node, Node)> {
    // Without an error inside there is nothing to find, and looking is not free: a node's
    // next sibling is found from the root of the tree down.
    if !block.has_error() || block.kind() != "block" {
        return None;
    }
    let kind = block.child_by_field_name("type")?;
    let error = kind.next_sibling().filter(|n| n.is_error())?;
    let mut cursor = error.walk();
    let inner: Vec<Node> = error.children(&mut cursor).collect();
    match inner.as_slice() {
        [next_type]
            if next_type.kind() == "identifier"
                && next_type.start_position().row > kind.end_position().row =>
        {
            Some((kind, *next_type))
        }
        _ => None,
    }
}

/// What the parser would have accepted where `node` starts.
fn expected_before(node: Node) -> Vec<String> {
    let Some(previous) = node.prev_sibling() else {
        return Vec::new();
    };
    let Some(mut lookahead) = node
        .language()
        .lookahead_iterator(previous.next_parse_state())
    else {
        return Vec::new();
    };
    let mut expected: Vec<String> = Vec::new();
    for name in lookahead.iter_names() {
        // Only tokens a person can type; the grammar's internal rules mean nothing to users.
        if !matches!(
            name,
            "{" | "}"
                | "["
                | "]"
                | "="
                | ","
                | "identifier"
                | "\""
                | "integer"
                | "duration"
                | "true"
                | "false"
                | "dotted_name"
                | "end"
        ) {
            continue;
        }
        let described = describe_symbol(name);
        if !expected.contains(&described) {
            expected.push(described);
        }
    }
    expected
}

fn describe_symbol(kind: &str) -> String {
    match kind {
        "identifier" => "a name".into(),
        "string" | "\"" => "a string".into(),
        "integer" => "an integer".into(),
        "duration" => "a duration".into(),
        "boolean" | "true" | "false" => "a boolean".into(),
        "dotted_name" => "a control id".into(),
        "end" => "end of file".into(),
        other => format!("`{other}`"),
    }
}

fn join_alternatives(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    fn messages(text: &str) -> Vec<String> {
        parse(text).errors.into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn clean_files_have_no_errors() {
        assert!(messages("workload \"w\" { owner = \"o\" }").is_empty());
    }

    #[test]
    fn missing_tokens_say_what_was_expected() {
        assert_eq!(
            messages("workload \"w\" {\n  owner = \"o\"\n"),
            ["`workload \"w\"` is not closed: expected a `}` to end it"]
        );
        assert_eq!(
            messages("workload \"w\" {\n  owner =\n}"),
            ["expected a name"]
        );
        assert_eq!(
            messages("a = \"open\n"),
            ["unterminated string: expected a closing `\"`"]
        );
    }

    #[test]
    fn stray_tokens_are_named() {
        let found = messages("workload \"w\" {\n  owner = \"o\" )\n}");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("unexpected `)`"), "{found:?}");
    }

    /// `(line, message)` of each error, lines from 1.
    fn placed(text: &str) -> Vec<(usize, String)> {
        parse(text)
            .errors
            .into_iter()
            .map(|e| (text[..e.range.start].matches('\n').count() + 1, e.message))
            .collect()
    }

    #[test]
    fn an_unclosed_block_is_named_once_where_it_opens() {
        // The model's `}` is missing: reported on the model's line, not at the end.
        let text = "workload \"w\" {\n  model \"m\" {\n    hosting = x\n\n  data \"d\" {\n    use = rag\n  }\n}\n";
        assert_eq!(
            placed(text),
            [(
                2,
                "`model \"m\"` is not closed: expected a `}` to end it".to_string()
            )]
        );
        // Two blocks left open: each named once, at its own first line.
        let text =
            "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n";
        let mut found = placed(text);
        found.sort();
        assert_eq!(
            found,
            [
                (
                    1,
                    "`workload \"w\"` is not closed: expected a `}` to end it".to_string()
                ),
                (
                    3,
                    "`model \"m\"` is not closed: expected a `}` to end it".to_string()
                ),
            ]
        );
        // A workload left open before the next one: the first is named, not the file's end.
        let text = "workload \"w\" {\n  owner = \"o\"\n\nworkload \"v\" {\n  owner = \"o\"\n}\n";
        assert_eq!(
            placed(text),
            [(
                1,
                "`workload \"w\"` is not closed: expected a `}` to end it".to_string()
            )]
        );
        // Without indentation there is nothing to go by: the parser's choice stands.
        let text =
            "workload \"w\" {\nmodel \"m\" {\nhosting = x\n\ndata \"d\" {\nuse = rag\n}\n}\n";
        assert_eq!(
            placed(text),
            [(
                1,
                "`workload \"w\"` is not closed: expected a `}` to end it".to_string()
            )]
        );
    }

    #[test]
    fn a_long_block_header_is_quoted_in_part() {
        let label = "x".repeat(100_000);
        let found = messages(&format!("workload \"{label}\" {{\n"));
        assert_eq!(found.len(), 1);
        assert!(found[0].len() < 120, "{}", found[0].len());
        assert!(found[0].contains("…` is not closed"), "{}", found[0]);
    }

    #[test]
    fn a_large_unclosed_block_is_reported_once() {
        let text = format!(
            "workload \"w\" {{\n{}",
            "  model \"m\" {\n    hosting = x\n  }\n".repeat(30_000)
        );
        let started = std::time::Instant::now();
        assert_eq!(
            messages(&text),
            ["`workload \"w\"` is not closed: expected a `}` to end it"]
        );
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn a_block_header_being_typed_says_the_one_thing_missing() {
        let around = |typed: &str| {
            format!(
                "workload \"w\" {{\n  owner = \"o\"\n  {typed}\n  model \"m\" {{\n    hosting = managed_api\n  }}\n}}\n"
            )
        };
        for typed in ["control gov", "control governance.data"] {
            assert_eq!(
                placed(&around(typed)),
                [(3, "expected `{` after the control id".to_string())],
                "{typed}"
            );
        }
        assert_eq!(
            placed(&around("control")),
            [(3, "expected a control id after `control`".to_string())]
        );
        assert_eq!(
            placed(&around("data \"d\"")),
            [(3, "expected `{` after `data \"d\"`".to_string())]
        );
    }

    #[test]
    fn the_block_after_a_header_being_typed_is_kept() {
        for typed in ["control", "control gov", "data \"d\""] {
            let text = format!(
                "workload \"w\" {{\n  owner = \"o\"\n  {typed}\n  model \"m\" {{\n    hosting = managed_api\n  }}\n}}\n"
            );
            let file = parse(&text);
            let crate::Item::Block(workload) = &file.items[0] else {
                panic!("a workload block: {:?}", file.items);
            };
            let blocks: Vec<(&str, Option<&str>)> = workload
                .blocks()
                .map(|b| {
                    (
                        b.keyword.text.as_str(),
                        b.label.as_ref().map(|l| l.text.as_str()),
                    )
                })
                .collect();
            assert_eq!(blocks, [("model", Some("m"))], "{typed}");
            let model = workload.blocks().next().unwrap();
            assert!(
                text[model.range.start..].starts_with("model \"m\""),
                "{typed}"
            );
            assert!(model.attribute("hosting").is_some(), "{typed}");
        }
    }
}
