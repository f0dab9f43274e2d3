//! Syntax errors: one per ERROR node (with the tokens the parser expected there) and one per
//! token the parser had to assume (MISSING).

use tree_sitter::{Node, Tree};

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
    'walk: loop {
        let node = cursor.node();
        let descend = if node.is_error() {
            errors.push(error_node(text, node));
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
            ["expected `}`"]
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
}
