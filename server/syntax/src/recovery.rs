//! Recovery while typing: a block header typed above existing blocks (`control gov {` with
//! nothing closed yet) makes the parser close that block with its parent's `}`, so the blocks
//! below it seem to be inside it and the parent seems unclosed. The analysis then loses them
//! (a workload whose model vanished has no scope) until the `}` is typed. The indentation says
//! where they belong, as it does for the error message: items of the open block that start a
//! line no more indented than the block itself go back to its parent, with the `}`.

use crate::ast::{Block, Item};
use crate::text::line_start;

/// Gives each `}` that an unclosed block took from its parent back to the parent, with the
/// items that follow at the parent's indentation. Only for files with syntax errors.
pub(super) fn give_back_borrowed_braces(text: &str, items: &mut [Item]) {
    for item in items {
        if let Item::Block(block) = item {
            give_back_in(text, block);
        }
    }
}

/// Inner blocks first, so that a brace taken from two levels up goes back one level at a time.
/// Nesting is bounded by the lowering (`MAX_NESTING`), so the recursion is too.
fn give_back_in(text: &str, parent: &mut Block) {
    let mut position = 0;
    while position < parent.items.len() {
        let Item::Block(child) = &mut parent.items[position] else {
            position += 1;
            continue;
        };
        give_back_in(text, child);
        if parent.close_brace.is_none()
            && let Some(close) = child.close_brace
            && let Some(close_indent) = indent_if_first_on_line(text, close.start)
            && close_indent < line_indent(text, child.range.start)
        {
            let child_indent = line_indent(text, child.range.start);
            let split = child
                .items
                .iter()
                .position(|item| {
                    indent_if_first_on_line(text, item.range().start)
                        .is_some_and(|indent| indent <= child_indent)
                })
                .unwrap_or(child.items.len());
            let moved: Vec<Item> = child.items.drain(split..).collect();
            child.close_brace = None;
            child.range.end = child
                .items
                .last()
                .map_or(child.open_brace.end, |item| item.range().end);
            parent.close_brace = Some(close);
            parent.range.end = parent.range.end.max(close.end);
            parent.items.splice(position + 1..position + 1, moved);
        }
        position += 1;
    }
}

/// The width of the white space before `offset` when only white space precedes it on its line.
fn indent_if_first_on_line(text: &str, offset: usize) -> Option<usize> {
    let before = text.get(line_start(text, offset)..offset)?;
    before
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
        .then_some(before.len())
}

/// The width of the white space that starts the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> usize {
    let start = line_start(text, offset);
    text[start..]
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count()
}

#[cfg(test)]
mod tests {
    use crate::{Block, Item, parse};

    /// Each block as `type label [items…] closed|open`, nested.
    fn outline(items: &[Item]) -> String {
        items
            .iter()
            .map(|item| match item {
                Item::Block(block) => block_outline(block),
                Item::Attribute(attribute) => attribute.key.text.clone(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn block_outline(block: &Block) -> String {
        let label = block.label.as_ref().map_or("", |l| l.text.as_str());
        let state = if block.close_brace.is_some() {
            "closed"
        } else {
            "open"
        };
        format!(
            "{}{label}[{}]{state}",
            block.keyword.text,
            outline(&block.items)
        )
    }

    #[test]
    fn a_header_typed_above_a_block_leaves_the_block_to_its_parent() {
        let text = "workload \"w\" {\n  owner = \"o\"\n  control gov {\n  model \"m\" {\n    hosting = managed_api\n  }\n}\n";
        let file = parse(text);
        assert!(!file.errors.is_empty());
        assert_eq!(
            outline(&file.items),
            "workloadw[owner control[]open modelm[hosting]closed]closed"
        );
    }

    #[test]
    fn a_brace_taken_from_two_levels_up_goes_back_to_its_owner() {
        let text = "workload \"w\" {\n  agent \"a\" {\n    tool \"t\" {\n      effect = read\n    tool \"u\" { effect = pay }\n}\n";
        let file = parse(text);
        let Some(Item::Block(workload)) = file.items.first() else {
            panic!("no workload: {:?}", file.items);
        };
        assert!(workload.close_brace.is_some(), "{}", outline(&file.items));
        assert_eq!(
            outline(&file.items),
            "workloadw[agenta[toolt[effect]open toolu[effect]closed]open]closed"
        );
    }

    #[test]
    fn closed_files_and_files_without_indentation_are_left_as_parsed() {
        // A `}` at the left margin that is the block's own: its parent is closed too.
        let text = "workload \"w\" {\n  model \"m\" {\n    hosting = managed_api\n}\n}\n";
        assert_eq!(
            outline(&parse(text).items),
            "workloadw[modelm[hosting]closed]closed"
        );
        // Nothing to go by: the parser's reading stands.
        let text = "workload \"w\" {\nmodel \"m\" {\nhosting = managed_api\n}\n";
        assert_eq!(
            outline(&parse(text).items),
            "workloadw[modelm[hosting]closed]open"
        );
    }
}
