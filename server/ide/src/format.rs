//! The canonical layout: one item per line, two-space indentation, `=` aligned within a run of
//! consecutive attributes, single blank lines kept, comments kept. It never changes meaning:
//! files with syntax errors, or comments where they cannot be kept in place, are left alone,
//! and the result is checked to hold the same tokens as the input, and every suppression
//! comment to cover the same tokens (a suppression covers its own line, or the next line that
//! holds more than a comment: moving it to another line changes what it hides).

use tree_sitter::Node;

use genai_scope_analysis::suppressions::MARKER;
use genai_scope_syntax::{MAX_NESTING, parse_tree};

const INDENT: &str = "  ";

/// The formatted text, or `None` when the file cannot be formatted safely.
pub fn format(text: &str) -> Option<String> {
    let tree = parse_tree(text, None);
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut formatter = Formatter {
        text,
        out: String::with_capacity(text.len() + text.len() / 8),
    };
    formatter.items(root, 0, None)?;
    let mut out = formatter.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out == "\n" {
        out.clear();
    }
    let same_meaning =
        tokens(text) == tokens(&out) && suppression_targets(text) == suppression_targets(&out);
    same_meaning.then_some(out)
}

/// The leaves of the syntax tree (a string is one leaf): their text, the line they start on,
/// and whether they are comments.
fn leaves(text: &str) -> Option<Vec<(usize, bool, &str)>> {
    let tree = parse_tree(text, None);
    let mut cursor = tree.walk();
    let mut out = Vec::new();
    'walk: loop {
        let node = cursor.node();
        if node.child_count() == 0 || node.kind() == "string" {
            let source = text.get(node.byte_range())?.trim_end();
            out.push((node.start_position().row, node.kind() == "comment", source));
        } else if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    Some(out)
}

/// Each suppression comment with the tokens on the line it covers: its own line when that
/// holds more than the comment, else the next line that does.
fn suppression_targets(text: &str) -> Option<Vec<(String, Vec<String>)>> {
    let leaves = leaves(text)?;
    let code_on = |row: usize| -> Vec<String> {
        leaves
            .iter()
            .filter(|(r, comment, _)| *r == row && !comment)
            .map(|(_, _, t)| t.to_string())
            .collect()
    };
    let mut out = Vec::new();
    for (index, &(row, comment, source)) in leaves.iter().enumerate() {
        let is_suppression = comment
            && source
                .strip_prefix('#')
                .is_some_and(|rest| rest.trim_start().starts_with(MARKER));
        if !is_suppression {
            continue;
        }
        let mut covered = code_on(row);
        if covered.is_empty() {
            let next_row = leaves[index..]
                .iter()
                .find(|(r, comment, _)| *r > row && !comment)
                .map(|(r, _, _)| *r);
            covered = next_row.map(code_on).unwrap_or_default();
        }
        out.push((source.to_string(), covered));
    }
    Some(out)
}

/// Every token of the text, in order (the meaning-bearing content).
fn tokens(text: &str) -> Option<Vec<String>> {
    let tree = parse_tree(text, None);
    let mut cursor = tree.walk();
    let mut out = Vec::new();
    'walk: loop {
        let node = cursor.node();
        if node.child_count() == 0 || node.kind() == "string" {
            out.push(text.get(node.byte_range())?.trim_end().to_string());
        } else if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    // A trailing comma in a list is layout, not meaning.
    let mut cleaned: Vec<String> = Vec::with_capacity(out.len());
    for token in out {
        if token == "]" && cleaned.last().is_some_and(|t| t == ",") {
            cleaned.pop();
        }
        cleaned.push(token);
    }
    Some(cleaned)
}

struct Formatter<'a> {
    text: &'a str,
    out: String,
}

impl<'a> Formatter<'a> {
    fn src(&self, node: Node) -> &'a str {
        let text: &'a str = self.text;
        &text[node.byte_range()]
    }

    /// Blank lines in the source between two nodes.
    fn blank_line_between(&self, before: Node, after: Node) -> bool {
        let gap = &self.text[before.end_byte()..after.start_byte()];
        gap.matches('\n').count() >= 2
    }

    fn same_line(&self, before: Node, after: Node) -> bool {
        !self.text[before.end_byte()..after.start_byte()].contains('\n')
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }

    /// The items among `parent`'s children, one per line. `opener` is the block's `{`: a
    /// comment on its line stays after it.
    fn items(&mut self, parent: Node, depth: usize, opener: Option<Node>) -> Option<()> {
        if depth > MAX_NESTING {
            return None;
        }
        let mut cursor = parent.walk();
        let children: Vec<Node> = parent
            .children(&mut cursor)
            .filter(|n| matches!(n.kind(), "block" | "attribute" | "comment"))
            .collect();
        let mut index = 0;
        let mut previous: Option<Node> = None;
        while index < children.len() {
            let node = children[index];
            if let Some(previous) = previous
                && self.blank_line_between(previous, node)
            {
                self.out.push('\n');
            }
            match node.kind() {
                "attribute" => {
                    // A run of consecutive attributes (with their trailing comments) aligns `=`.
                    let mut run = vec![node];
                    let mut next = index + 1;
                    while next < children.len() {
                        let candidate = children[next];
                        let last = *run.last().expect("the run is not empty");
                        if candidate.kind() == "comment" && self.same_line(last, candidate) {
                            next += 1;
                            continue;
                        }
                        if candidate.kind() != "attribute"
                            || self.blank_line_between(children[next - 1], candidate)
                        {
                            break;
                        }
                        run.push(candidate);
                        next += 1;
                    }
                    let width = run
                        .iter()
                        .map(|a| {
                            a.child_by_field_name("key")
                                .map_or(0, |k| self.src(k).chars().count())
                        })
                        .max()
                        .unwrap_or(0);
                    for &node in &children[index..next] {
                        if node.kind() == "comment" {
                            // Trailing comment of the attribute before it.
                            self.out.pop();
                            self.out.push(' ');
                            self.out.push_str(self.src(node).trim_end());
                            self.out.push('\n');
                        } else {
                            self.indent(depth);
                            self.attribute(node, width, depth)?;
                            self.out.push('\n');
                        }
                    }
                    previous = Some(children[next - 1]);
                    index = next;
                    continue;
                }
                "block" => {
                    self.indent(depth);
                    // A one-line block followed by a suppression on its line stays one line:
                    // spreading it would leave the suppression covering only its last line.
                    let suppressed_one_liner = !self.src(node).contains('\n')
                        && children.get(index + 1).is_some_and(|next| {
                            next.kind() == "comment"
                                && self.same_line(node, *next)
                                && self.src(*next)[1..].trim_start().starts_with(MARKER)
                        });
                    if suppressed_one_liner {
                        self.out.push_str(self.src(node));
                    } else {
                        self.block(node, depth)?;
                    }
                    self.out.push('\n');
                }
                _ => {
                    let trailing = match previous {
                        Some(p) => self.same_line(p, node),
                        None => opener.is_some_and(|o| self.same_line(o, node)),
                    };
                    if trailing {
                        self.out.pop();
                        self.out.push(' ');
                    } else {
                        self.indent(depth);
                    }
                    self.out.push_str(self.src(node).trim_end());
                    self.out.push('\n');
                }
            }
            previous = Some(node);
            index += 1;
        }
        Some(())
    }

    fn attribute(&mut self, node: Node, width: usize, depth: usize) -> Option<()> {
        let key = node.child_by_field_name("key")?;
        let value = node.child_by_field_name("value")?;
        if node.named_child_count() > 2 {
            return None; // a comment inside the attribute: cannot keep it in place
        }
        let key_text = self.src(key);
        self.out.push_str(key_text);
        for _ in key_text.chars().count()..width {
            self.out.push(' ');
        }
        self.out.push_str(" = ");
        self.value(value, depth)
    }

    fn value(&mut self, node: Node, depth: usize) -> Option<()> {
        if node.kind() != "list" {
            self.out.push_str(self.src(node));
            return Some(());
        }
        if depth > MAX_NESTING {
            return None;
        }
        let mut cursor = node.walk();
        let elements: Vec<Node> = node.named_children(&mut cursor).collect();
        let multiline =
            self.src(node).contains('\n') || elements.iter().any(|e| e.kind() == "comment");
        if elements.is_empty() {
            self.out.push_str("[]");
            return Some(());
        }
        if !multiline {
            self.out.push('[');
            for (i, element) in elements.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.value(*element, depth + 1)?;
            }
            self.out.push(']');
            return Some(());
        }
        self.out.push_str("[\n");
        let mut previous: Option<Node> = None;
        for element in elements {
            if element.kind() == "comment" {
                if previous.is_some_and(|p| self.same_line(p, element)) {
                    self.out.pop();
                    self.out.push(' ');
                } else {
                    self.indent(depth + 1);
                }
                self.out.push_str(self.src(element).trim_end());
                self.out.push('\n');
            } else {
                self.indent(depth + 1);
                self.value(element, depth + 1)?;
                self.out.push_str(",\n");
            }
            previous = Some(element);
        }
        self.indent(depth);
        self.out.push(']');
        Some(())
    }

    fn block(&mut self, node: Node, depth: usize) -> Option<()> {
        let kind = node.child_by_field_name("type")?;
        let body = node.child_by_field_name("body")?;
        self.out.push_str(self.src(kind));
        if let Some(label) = node.child_by_field_name("label") {
            self.out.push(' ');
            self.out.push_str(self.src(label));
        }
        // A comment between the header and `{` has no place to go.
        if node.named_child_count()
            > if node.child_by_field_name("label").is_some() {
                3
            } else {
                2
            }
        {
            return None;
        }
        let mut cursor = body.walk();
        let has_items = body.named_children(&mut cursor).next().is_some();
        if !has_items {
            self.out.push_str(" {}");
            return Some(());
        }
        self.out.push_str(" {\n");
        // A comment right after `{` on the same line stays there.
        let opener = body.child(0).filter(|c| c.kind() == "{");
        self.items(body, depth + 1, opener)?;
        self.indent(depth);
        self.out.push('}');
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_indents_and_keeps_comments() {
        let input = "# top\nworkload \"w\" {\nowner = \"o\" # who\n    scope=3\n\n\n\n  model \"m\" { hosting = managed_api\n training = none }\n  control risk.threat_model {   }\n  regions = [\"a\",\"b\",]\n}\n\n\n";
        let expected = "# top\nworkload \"w\" {\n  owner = \"o\" # who\n  scope = 3\n\n  model \"m\" {\n    hosting  = managed_api\n    training = none\n  }\n  control risk.threat_model {}\n  regions = [\"a\", \"b\"]\n}\n";
        assert_eq!(format(input).as_deref(), Some(expected));
        assert_eq!(format(expected).as_deref(), Some(expected), "idempotent");
    }

    #[test]
    fn version_2_attributes_are_aligned_and_kept() {
        let input = "workload \"w\" {\nowner = \"o\"\nstage=prototype\n  outputs = [shown,executed]\ndata_residency = \"EU\"\n  model \"m\" {\nhosting = self_hosted\norigin = public_hub\ninference = false\n  }\n}\n";
        let expected = "workload \"w\" {\n  owner          = \"o\"\n  stage          = prototype\n  outputs        = [shown, executed]\n  data_residency = \"EU\"\n  model \"m\" {\n    hosting   = self_hosted\n    origin    = public_hub\n    inference = false\n  }\n}\n";
        assert_eq!(format(input).as_deref(), Some(expected));
        assert_eq!(format(expected).as_deref(), Some(expected), "idempotent");
    }

    #[test]
    fn multi_line_lists_stay_multi_line() {
        let input = "a = [\n\"x\", # first\n\"y\"\n]\n";
        assert_eq!(
            format(input).as_deref(),
            Some("a = [\n  \"x\", # first\n  \"y\",\n]\n")
        );
    }

    #[test]
    fn refuses_files_with_errors_or_unplaceable_comments() {
        assert_eq!(format("workload \"w\" {"), None);
        assert_eq!(format("a # c\n = 1\n"), None);
        assert_eq!(format("workload \"w\" # c\n {}\n"), None);
    }

    #[test]
    fn the_examples_are_already_formatted_or_converge() {
        for text in genai_scope_test_support::example_texts() {
            let once = format(&text).expect("examples format");
            assert_eq!(format(&once).as_deref(), Some(once.as_str()));
        }
    }

    #[test]
    fn suppressions_stay_on_the_line_they_cover() {
        // After `{`: stays after `{` (else it would cover the next line's invalid value).
        let input = "workload \"w\" {  # genai-scope: ignore[invalid-value] reason=\"r\"\n  audience = martians\n}\n";
        let expected = "workload \"w\" { # genai-scope: ignore[invalid-value] reason=\"r\"\n  audience = martians\n}\n";
        assert_eq!(format(input).as_deref(), Some(expected));
        assert_eq!(format(expected).as_deref(), Some(expected), "idempotent");
        // After a one-line block: the block stays on one line.
        let input = "workload \"w\" {\n  model \"m\" { hosting = bogus } # genai-scope: ignore[invalid-value] reason=\"r\"\n}\n";
        assert_eq!(format(input).as_deref(), Some(input));
        // After two items on one line: they cannot both stay covered, so nothing changes.
        let input = "workload \"w\" {\n  owner = \"o\" scope = 3 # genai-scope: ignore[invalid-value] reason=\"r\"\n}\n";
        assert_eq!(format(input), None);
        // Ordinary comments after `{` or after two items still move as before.
        assert_eq!(
            format("w \"x\" { # note\n a = 1 b = 2 # c\n}\n").as_deref(),
            Some("w \"x\" { # note\n  a = 1\n  b = 2 # c\n}\n")
        );
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(format("").as_deref(), Some(""));
        assert_eq!(format("\n\n").as_deref(), Some(""));
        assert_eq!(format("# only\n").as_deref(), Some("# only\n"));
    }
}
