//! Lowering the tree-sitter tree to the owned syntax tree.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use super::ast::{Attribute, Block, Ident, Item, Label, LabelKind, SourceFile, Value, ValueKind};
use super::errors::{SyntaxError, collect_syntax_errors, unfinished_header};
use crate::BlockKind;
use crate::text::TextRange;

/// Blocks and lists nested deeper than this are kept without their contents (and reported),
/// so that hostile nesting cannot exhaust the stack.
pub const MAX_NESTING: usize = 64;

pub(super) fn lower(text: &str, tree: &Tree) -> SourceFile {
    lower_with(text, tree, Reusable::default())
}

/// [`lower`] for a new version of `old_text`, whose lowering is `old`: top-level items whose
/// text is unchanged, at the same offset or shifted by the change in length (before and after
/// the edits), are moved out of `old` and shifted to their new place instead of being lowered
/// again. The lowering of an item depends on its text only, at top level and without errors.
pub(super) fn lower_reusing(
    text: &str,
    tree: &Tree,
    old_text: &str,
    old: &mut SourceFile,
) -> SourceFile {
    let mut reusable = Reusable::default();
    if old.errors.is_empty() && !tree.root_node().has_error() {
        reusable.delta = text.len() as isize - old_text.len() as isize;
        reusable.old_text = old_text;
        reusable.items = std::mem::take(&mut old.items)
            .into_iter()
            .map(|item| (item.range().start, item))
            .collect();
    }
    lower_with(text, tree, reusable)
}

/// Items of the previous version by their start, with what is needed to check them.
#[derive(Default)]
struct Reusable<'a> {
    items: HashMap<usize, Item>,
    old_text: &'a str,
    /// New length minus old length.
    delta: isize,
}

impl Reusable<'_> {
    /// The old item that lowers to what `node` (of `text`) would, moved to it.
    fn take(&mut self, text: &str, node: Node, is_block: bool) -> Option<Item> {
        if self.items.is_empty() || node.has_error() {
            return None;
        }
        let range = range_of(node);
        let new = text.as_bytes().get(range.start..range.end)?;
        let candidates = [
            Some(range.start),
            range.start.checked_add_signed(-self.delta),
        ];
        for old_start in candidates.into_iter().flatten() {
            let Some(item) = self.items.get(&old_start) else {
                continue;
            };
            let old_range = item.range();
            if old_range.len() != range.len()
                || matches!(item, Item::Block(_)) != is_block
                || self.old_text.as_bytes().get(old_range.start..old_range.end) != Some(new)
            {
                continue;
            }
            let mut item = self.items.remove(&old_start)?;
            shift_item(&mut item, range.start as isize - old_start as isize);
            return Some(item);
        }
        None
    }
}

fn lower_with(text: &str, tree: &Tree, reusable: Reusable<'_>) -> SourceFile {
    let root = tree.root_node();
    let mut lowering = Lowering {
        text,
        errors: collect_syntax_errors(text, tree),
        too_deep: None,
        ids: ids(),
        reusable,
    };
    let mut items = lowering.items(root, 0);
    if root.has_error() {
        super::recovery::give_back_borrowed_braces(text, &mut items);
    }
    if let Some(range) = lowering.too_deep {
        lowering.errors.push(SyntaxError {
            range,
            message: format!("nesting deeper than {MAX_NESTING} levels is not analysed"),
        });
    }
    SourceFile {
        items,
        errors: lowering.errors,
        comments: comments(text, tree),
    }
}

/// Node kinds and fields by number, looked up once: comparing names costs a `strlen` and a
/// UTF-8 check per node.
struct Ids {
    block: u16,
    attribute: u16,
    comment: u16,
    string: u16,
    string_content: u16,
    escape_sequence: u16,
    type_: u16,
    label: u16,
    body: u16,
    key: u16,
    value: u16,
}

fn ids() -> &'static Ids {
    static IDS: std::sync::OnceLock<Ids> = std::sync::OnceLock::new();
    IDS.get_or_init(|| {
        let language = super::language();
        let kind = |name: &str| language.id_for_node_kind(name, true);
        let field = |name: &str| {
            language
                .field_id_for_name(name)
                .expect("the grammar has this field")
                .get()
        };
        Ids {
            block: kind("block"),
            attribute: kind("attribute"),
            comment: kind("comment"),
            string: kind("string"),
            string_content: kind("string_content"),
            escape_sequence: kind("escape_sequence"),
            type_: field("type"),
            label: field("label"),
            body: field("body"),
            key: field("key"),
            value: field("value"),
        }
    })
}

/// The ranges of all comment nodes (they are extras, so they may sit anywhere in the tree).
/// A comment starts with `#`, so nodes whose text has none are not entered.
fn comments(text: &str, tree: &Tree) -> Vec<TextRange> {
    let comment = ids().comment;
    let may_hold_comment = |node: Node| {
        text.as_bytes()
            .get(node.byte_range())
            .is_none_or(|bytes| bytes.contains(&b'#'))
    };
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if node.kind_id() == comment {
            out.push(range_of(node));
        } else if node.child_count() > 0 && may_hold_comment(node) && cursor.goto_first_child() {
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

struct Lowering<'a> {
    reusable: Reusable<'a>,
    text: &'a str,
    errors: Vec<SyntaxError>,
    too_deep: Option<TextRange>,
    ids: &'static Ids,
}

fn range_of(node: Node) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

impl Lowering<'_> {
    fn text_of(&self, node: Node) -> &str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn ident(&self, node: Node) -> Ident {
        Ident {
            text: self.text_of(node).to_string(),
            range: range_of(node),
        }
    }

    /// Items among `parent`'s children; recovers items inside ERROR nodes.
    fn items(&mut self, parent: Node, depth: usize) -> Vec<Item> {
        let mut items = Vec::new();
        let mut cursor = parent.walk();
        for child in parent.named_children(&mut cursor) {
            let kind = child.kind_id();
            let reusable = depth == 0 && (kind == self.ids.block || kind == self.ids.attribute);
            if reusable
                && let Some(item) = self.reusable.take(self.text, child, kind == self.ids.block)
            {
                items.push(item);
            } else if kind == self.ids.block {
                items.push(Item::Block(self.block(child, depth)));
            } else if kind == self.ids.attribute {
                items.push(Item::Attribute(self.attribute(child, depth)));
            } else if child.is_error() && depth < MAX_NESTING {
                items.extend(self.items(child, depth + 1));
            }
        }
        items
    }

    fn block(&mut self, node: Node, depth: usize) -> Block {
        // A keyword typed alone above a block took that block's type as an error: the block is
        // the one below (its own type, from its own line); the keyword is reported.
        let swallowed = unfinished_header(node).map(|(_, next_type)| next_type);
        let start = swallowed.map_or(node.start_byte(), |n| n.start_byte());
        let keyword = swallowed
            .or_else(|| node.child_by_field_id(self.ids.type_))
            .map(|n| self.ident(n))
            .unwrap_or(Ident {
                text: String::new(),
                range: TextRange::empty(node.start_byte()),
            });
        let label = node
            .child_by_field_id(self.ids.label)
            .map(|n| self.label(n));
        let body = node.child_by_field_id(self.ids.body);
        let (open_brace, close_brace) = match body {
            Some(body) => braces(body),
            None => (TextRange::empty(node.end_byte()), None),
        };
        let truncated = depth >= MAX_NESTING;
        let items = match body {
            Some(body) if !truncated => self.items(body, depth + 1),
            Some(body) => {
                self.too_deep.get_or_insert(range_of(body));
                Vec::new()
            }
            None => Vec::new(),
        };
        Block {
            kind: BlockKind::from_keyword(&keyword.text),
            keyword,
            label,
            items,
            range: TextRange::new(start, node.end_byte()),
            open_brace,
            close_brace,
            truncated,
        }
    }

    fn label(&mut self, node: Node) -> Label {
        match node.kind_id() == self.ids.string {
            true => Label {
                kind: LabelKind::String,
                text: self.string(node),
                range: range_of(node),
            },
            false => Label {
                kind: LabelKind::Dotted,
                text: self.text_of(node).to_string(),
                range: range_of(node),
            },
        }
    }

    fn attribute(&mut self, node: Node, depth: usize) -> Attribute {
        let key = node
            .child_by_field_id(self.ids.key)
            .map(|n| self.ident(n))
            .unwrap_or(Ident {
                text: String::new(),
                range: TextRange::empty(node.start_byte()),
            });
        let value = node
            .child_by_field_id(self.ids.value)
            .filter(|n| !n.is_missing())
            .and_then(|n| self.value(n, depth + 1));
        Attribute {
            key,
            value,
            range: range_of(node),
        }
    }

    fn value(&mut self, node: Node, depth: usize) -> Option<Value> {
        let text = self.text_of(node);
        let kind = match node.kind() {
            "string" => ValueKind::String(self.string(node)),
            "integer" => ValueKind::Integer(text.parse().ok()),
            "duration" => ValueKind::Duration(parse_duration_ms(text)),
            "boolean" => ValueKind::Boolean(text == "true"),
            "identifier" => ValueKind::Identifier(text.to_string()),
            "list" if depth >= MAX_NESTING => {
                self.too_deep.get_or_insert(range_of(node));
                ValueKind::List(Vec::new())
            }
            "list" => {
                let mut cursor = node.walk();
                let elements: Vec<Node> = node
                    .named_children(&mut cursor)
                    .filter(|n| n.kind_id() != self.ids.comment)
                    .collect();
                ValueKind::List(
                    elements
                        .into_iter()
                        .filter_map(|n| self.value(n, depth + 1))
                        .collect(),
                )
            }
            _ => return None,
        };
        Some(Value {
            kind,
            range: range_of(node),
        })
    }

    /// The unescaped content of a string node; invalid `\u{…}` escapes are reported.
    fn string(&mut self, node: Node) -> String {
        // Most strings are one piece of content between their quotes: taken as it is, without
        // walking the node's children (a cursor is an allocation).
        let text = self.text_of(node);
        if !node.has_error()
            && text.len() >= 2
            && text.starts_with('"')
            && text.ends_with('"')
            && !text.contains('\\')
        {
            return text[1..text.len() - 1].to_string();
        }
        let mut out = String::new();
        let mut cursor = node.walk();
        for part in node.named_children(&mut cursor) {
            let text = self.text_of(part);
            match part.kind_id() {
                kind if kind == self.ids.string_content => out.push_str(text),
                kind if kind == self.ids.escape_sequence => match unescape(text) {
                    Some(c) => out.push(c),
                    None => {
                        out.push(char::REPLACEMENT_CHARACTER);
                        self.errors.push(SyntaxError {
                            range: range_of(part),
                            message: format!("`{text}` is not a Unicode scalar value"),
                        });
                    }
                },
                _ => {}
            }
        }
        out
    }
}

/// Moves every range of a reused item by `delta` bytes.
fn shift_item(item: &mut Item, delta: isize) {
    // Items before the edit stay where they were: not walking them keeps them out of the cache.
    if delta == 0 {
        return;
    }
    match item {
        Item::Block(block) => {
            shift(&mut block.keyword.range, delta);
            if let Some(label) = &mut block.label {
                shift(&mut label.range, delta);
            }
            shift(&mut block.range, delta);
            shift(&mut block.open_brace, delta);
            if let Some(close) = &mut block.close_brace {
                shift(close, delta);
            }
            for item in &mut block.items {
                shift_item(item, delta);
            }
        }
        Item::Attribute(attribute) => {
            shift(&mut attribute.key.range, delta);
            shift(&mut attribute.range, delta);
            if let Some(value) = &mut attribute.value {
                shift_value(value, delta);
            }
        }
    }
}

fn shift_value(value: &mut Value, delta: isize) {
    shift(&mut value.range, delta);
    if let ValueKind::List(elements) = &mut value.kind {
        for element in elements {
            shift_value(element, delta);
        }
    }
}

fn shift(range: &mut TextRange, delta: isize) {
    range.start = range.start.wrapping_add_signed(delta);
    range.end = range.end.wrapping_add_signed(delta);
}

fn braces(body: Node) -> (TextRange, Option<TextRange>) {
    let open = body
        .child(0)
        .filter(|n| n.kind() == "{")
        .map(range_of)
        .unwrap_or(TextRange::empty(body.start_byte()));
    let close = body
        .child(body.child_count().saturating_sub(1))
        .filter(|n| n.kind() == "}" && !n.is_missing())
        .map(range_of);
    (open, close)
}

/// The character an escape stands for; `None` for `\u{…}` outside Unicode scalar values.
fn unescape(escape: &str) -> Option<char> {
    match escape {
        "\\\"" => Some('"'),
        "\\\\" => Some('\\'),
        "\\n" => Some('\n'),
        "\\t" => Some('\t'),
        _ => escape
            .strip_prefix("\\u{")
            .and_then(|hex| hex.strip_suffix('}'))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32),
    }
}

/// `30s` → 30 000. `None` when the number overflows.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(digits_end);
    let factor = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(factor)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    /// Every comment node, found by visiting every node.
    fn all_comments(tree: &Tree) -> Vec<TextRange> {
        let mut out = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            let node = cursor.node();
            if node.kind() == "comment" {
                out.push(range_of(node));
            } else if cursor.goto_first_child() {
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

    fn point(text: &str, offset: usize) -> tree_sitter::Point {
        let before = &text.as_bytes()[..offset];
        let row = before.iter().filter(|b| **b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        tree_sitter::Point {
            row,
            column: offset - line_start,
        }
    }

    #[test]
    fn reused_items_are_those_a_fresh_lowering_gives() {
        let workload = include_str!("../../../examples/scope3-support-assistant.genai");
        let mut text: String = (0..6)
            .map(|i| workload.replace("support-assistant", &format!("w{i}")))
            .collect();
        let pieces = [
            "x",
            "\n",
            "# c\n",
            "",
            "}",
            "workload \"n\" {}\n",
            "\"",
            "=",
            "😀",
        ];
        let mut seed: u64 = 7;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % bound.max(1)
        };
        let mut tree = super::super::parse_tree(&text, None);
        let mut file = lower(&text, &tree);
        let mut reused_some = false;
        for _ in 0..300 {
            let mut start = next(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + next(6)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let insert = pieces[next(pieces.len())];
            let (start_position, old_end_position) = (point(&text, start), point(&text, end));
            let mut edited = tree.clone();
            let old_text = text.clone();
            text.replace_range(start..end, insert);
            edited.edit(&tree_sitter::InputEdit {
                start_byte: start,
                old_end_byte: end,
                new_end_byte: start + insert.len(),
                start_position,
                old_end_position,
                new_end_position: point(&text, start + insert.len()),
            });
            let new_tree = super::super::parse_tree(&text, Some(&edited));
            let items_before = file.items.len();
            let incremental = lower_reusing(&text, &new_tree, &old_text, &mut file);
            reused_some |= file.items.len() < items_before;
            let fresh = lower(&text, &new_tree);
            assert_eq!(format!("{incremental:?}"), format!("{fresh:?}"), "{text}");
            tree = new_tree;
            file = incremental;
        }
        assert!(reused_some, "some items were reused");
    }

    /// Texts whose trees hold every shape the lowering meets: the examples, and broken or
    /// unusual pieces (missing values and braces, errors, escapes, comments between tokens).
    fn shapes() -> Vec<String> {
        let mut texts: Vec<String> = [
            "workload \"w\\u{1F600}\\n\\\"\" { owner = \"\" a = [\"x\", \"y\\t\",] }",
            "workload { owner = # dangling\n }\n}} # after junk\n\"#\" = # x\n",
            "control\nmodel \"m\" { hosting = managed_api }",
            "workload # c\n \"w\" # d\n { b = \"unterminated\n c = \"\\q\" }",
            "a = \"\\u{110000}\" b = \"\" c = [",
            "x \"y\" {",
        ]
        .map(String::from)
        .to_vec();
        texts.extend(genai_scope_test_support::example_texts());
        texts
    }

    /// Every node of `tree`, each visited once.
    fn all_nodes(tree: &Tree) -> Vec<Node<'_>> {
        let mut out = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            out.push(cursor.node());
            if cursor.goto_first_child() {
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

    #[test]
    fn a_string_taken_as_it_is_is_its_content_unescaped() {
        for text in shapes() {
            let tree = super::super::parse_tree(&text, None);
            let mut lowering = Lowering {
                reusable: Reusable::default(),
                text: &text,
                errors: Vec::new(),
                too_deep: None,
                ids: ids(),
            };
            for node in all_nodes(&tree) {
                if node.kind_id() != lowering.ids.string {
                    continue;
                }
                let mut cursor = node.walk();
                let pieces: String = node
                    .named_children(&mut cursor)
                    .map(|part| match part.kind_id() {
                        kind if kind == lowering.ids.string_content => {
                            lowering.text_of(part).to_string()
                        }
                        kind if kind == lowering.ids.escape_sequence => {
                            unescape(lowering.text_of(part))
                                .unwrap_or(char::REPLACEMENT_CHARACTER)
                                .to_string()
                        }
                        _ => String::new(),
                    })
                    .collect();
                assert_eq!(lowering.string(node), pieces, "{text:?}: {node:?}");
            }
        }
    }

    #[test]
    fn comments_are_found_wherever_they_sit() {
        let texts = [
            "# top\nworkload \"w#1\" { # after brace\n  owner = \"a#b\" # trailing\n  regions = [\"x\", # in a list\n \"y\"]\n  control # between\n risk.threat_model { status = planned }\n}\n# end",
            "workload { owner = # dangling\n }\n}} # after junk\n\"#\" = # x\n",
            "workload \"w\" {\n  model \"m\" {\n    # deep\n    hosting = managed_api # here\n  }\n",
            "no comments here { a = 1 }",
            "#",
        ];
        for text in texts {
            let tree = super::super::parse_tree(text, None);
            assert_eq!(comments(text, &tree), all_comments(&tree), "{text:?}");
        }
        for text in genai_scope_test_support::example_texts() {
            let tree = super::super::parse_tree(&text, None);
            assert_eq!(comments(&text, &tree), all_comments(&tree));
        }
    }

    #[test]
    fn lowers_blocks_attributes_and_values() {
        let file = parse(
            "workload \"w\\u{1F600}\" {\n  regions = [\"a\", \"b\",]\n  timeout = 2m\n  control risk.threat_model { status = planned }\n}\n",
        );
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let Item::Block(workload) = &file.items[0] else {
            panic!("not a block")
        };
        assert_eq!(workload.keyword.text, "workload");
        assert!(workload.is(BlockKind::Workload));
        assert_eq!(
            workload.blocks().map(Block::kind).collect::<Vec<_>>(),
            [BlockKind::Control]
        );
        assert_eq!(workload.label.as_ref().unwrap().text, "w😀");
        let regions = workload
            .attribute("regions")
            .unwrap()
            .value
            .as_ref()
            .unwrap();
        let ValueKind::List(list) = &regions.kind else {
            panic!()
        };
        assert_eq!(list.len(), 2);
        assert_eq!(
            workload
                .attribute("timeout")
                .unwrap()
                .value
                .as_ref()
                .unwrap()
                .kind,
            ValueKind::Duration(Some(120_000))
        );
        let control = workload.blocks().next().unwrap();
        assert_eq!(control.label.as_ref().unwrap().kind, LabelKind::Dotted);
        assert!(control.close_brace.is_some());
    }

    #[test]
    fn missing_value_and_brace_are_none() {
        let file = parse("workload \"w\" {\n  owner =\n}\nworkload \"v\" {\n  owner = \"o\"\n");
        let Item::Block(first) = &file.items[0] else {
            panic!()
        };
        assert!(first.close_brace.is_some());
        assert!(first.attribute("owner").unwrap().value.is_none());
        let Item::Block(second) = &file.items[1] else {
            panic!()
        };
        assert!(second.close_brace.is_none());
        assert_eq!(file.errors.len(), 2, "{:?}", file.errors);
    }

    #[test]
    fn invalid_unicode_escapes_are_reported() {
        let file = parse("a = \"x\\u{110000}y\\u{D800}\"");
        let messages: Vec<&str> = file.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`\\u{110000}` is not a Unicode scalar value",
                "`\\u{D800}` is not a Unicode scalar value"
            ]
        );
    }

    #[test]
    fn integer_overflow_is_kept_as_none() {
        let file = parse("a = 99999999999999999999999\nb = 99999999999999999999h");
        let Item::Attribute(a) = &file.items[0] else {
            panic!()
        };
        assert_eq!(a.value.as_ref().unwrap().kind, ValueKind::Integer(None));
        let Item::Attribute(b) = &file.items[1] else {
            panic!()
        };
        assert_eq!(b.value.as_ref().unwrap().kind, ValueKind::Duration(None));
    }

    #[test]
    fn deep_nesting_is_cut_and_reported() {
        let depth = 10_000;
        let text = format!("{}{}", "x {".repeat(depth), "}".repeat(depth));
        let file = parse(&text);
        assert!(
            file.errors
                .iter()
                .any(|e| e.message.contains("nesting deeper"))
        );
        let list = format!("a = {}{}", "[".repeat(depth), "]".repeat(depth));
        let file = parse(&list);
        assert!(
            file.errors
                .iter()
                .any(|e| e.message.contains("nesting deeper"))
        );
    }
}
