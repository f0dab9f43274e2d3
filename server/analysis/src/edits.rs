//! Building and applying text edits: inserting control blocks where a person would put them.

use crate::diagnostic::{Fix, TextEdit};
use genai_scope_syntax::Block;
use genai_scope_syntax::text::{TextRange, line_start};

/// One edit that inserts a `status = planned` block for each of `ids` at the end of the
/// `index`-th workload block of a parsed file, indented like its other items.
pub fn insert_controls_into_workload(
    text: &str,
    file: &genai_scope_syntax::SourceFile,
    index: usize,
    ids: &[&str],
) -> Option<TextEdit> {
    let block = workload_blocks(file).nth(index)?;
    Some(ControlInsertion::new(text, block).edit(ids))
}

/// One edit that inserts a `status = planned` block for each of `ids` at the end of `block`
/// (an agent's, for its agentic controls), indented like its other items.
pub fn insert_controls_into_block(text: &str, block: &Block, ids: &[&str]) -> TextEdit {
    ControlInsertion::new(text, block).edit(ids)
}

/// The `workload` blocks of a file, in the order the analysis reports them.
pub fn workload_blocks(file: &genai_scope_syntax::SourceFile) -> impl Iterator<Item = &Block> {
    file.items.iter().filter_map(|item| match item {
        genai_scope_syntax::Item::Block(block)
            if block.is(genai_scope_syntax::BlockKind::Workload) =>
        {
            Some(block)
        }
        _ => None,
    })
}

/// A missing control's fix, kept until asked for: where its block goes, as it was when the
/// findings anchored at `anchor` were made. Built for a finding that has moved since, it moves
/// by as much (a finding moves only with its whole block).
#[derive(Debug, PartialEq, Eq)]
pub struct AddControlFix {
    insertion: ControlInsertion,
    anchor: usize,
    /// The agent the block is for, named in the title; `None`: the workload.
    agent: Option<std::sync::Arc<str>>,
}

impl AddControlFix {
    pub fn new(
        insertion: ControlInsertion,
        anchor: usize,
        agent: Option<std::sync::Arc<str>>,
    ) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            insertion,
            anchor,
            agent,
        })
    }

    pub fn anchor(&self) -> usize {
        self.anchor
    }

    /// The title of `control`'s fix.
    pub fn title(&self, control: &str) -> String {
        match &self.agent {
            Some(agent) => format!("Add missing control {control} to agent \"{agent}\""),
            None => format!("Add missing control {control}"),
        }
    }

    /// The fix of `control` for a finding now anchored at `anchor`.
    pub fn build(&self, anchor: usize, control: &str) -> Fix {
        let title = self.title(control);
        let mut edit = self.insertion.edit(&[control]);
        let delta = anchor as isize - self.anchor as isize;
        edit.range = crate::findings::shifted(edit.range, delta);
        Fix {
            title,
            edits: vec![edit],
            // A planned control states a plan the author has not made: not a safe fix, so
            // fix-all and fix-on-save do not insert it.
            safe: false,
        }
    }
}

/// Where and how control blocks go into one workload: worked out once, then used for each
/// missing control's fix (a workload can miss twenty).
#[derive(Debug, PartialEq, Eq)]
pub struct ControlInsertion {
    /// The range replaced: empty after the last item, or up to a `}` on that same line.
    range: TextRange,
    /// `\n` and the items' indentation, which starts each inserted block.
    line_start: String,
    unit: String,
    /// What follows the blocks: the closing brace's own line, when it shared the last item's.
    tail: String,
    /// A blank line goes before each block (so that it stands apart), except before the
    /// first when nothing precedes it in the block.
    after_items: bool,
}

impl ControlInsertion {
    pub fn new(text: &str, block: &Block) -> Self {
        let block_indent = line_indent(text, block.range.start);
        let first_item = block.items.first().map(|item| item.range().start);
        let item_indent = first_item
            .filter(|start| starts_line(text, *start))
            .map(|start| line_indent(text, start))
            .unwrap_or_else(|| format!("{block_indent}  "));
        let unit = item_indent
            .strip_prefix(block_indent.as_str())
            .filter(|unit| !unit.is_empty())
            .unwrap_or("  ")
            .to_string();

        // After the last item (and any comment that ends its line), else after `{`.
        let mut at = block
            .items
            .last()
            .map_or(block.open_brace.end, |item| item.range().end);
        let rest_of_line = &text[at..text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i)];
        let close_on_this_line = block
            .close_brace
            .is_some_and(|close| close.start >= at && close.start < at + rest_of_line.len());
        if !close_on_this_line {
            let trimmed = rest_of_line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                at += rest_of_line.len();
            }
        }

        match block.close_brace.filter(|_| close_on_this_line) {
            // Put the closing brace on a line of its own, in place of the space before it.
            Some(close) => Self {
                range: TextRange::new(at, close.start),
                line_start: format!("\n{item_indent}"),
                unit,
                tail: format!("\n{block_indent}"),
                after_items: !block.items.is_empty(),
            },
            None => Self {
                range: TextRange::new(at, at),
                line_start: format!("\n{item_indent}"),
                unit,
                tail: String::new(),
                after_items: !block.items.is_empty(),
            },
        }
    }

    /// The edit that inserts one attribute line (`approval = required`) after the block's
    /// last item, indented like its items.
    pub fn attribute_edit(&self, attribute: &str) -> TextEdit {
        TextEdit::replace(
            self.range,
            format!("{}{attribute}{}", self.line_start, self.tail),
        )
    }

    /// The edit that inserts whole blocks written from column 0 with two-space indentation
    /// (a drafted declaration), each after a blank line, re-indented like the block's items.
    pub fn blocks_edit(&self, blocks: &[String]) -> TextEdit {
        let mut new_text = String::new();
        for (position, block) in blocks.iter().enumerate() {
            if position > 0 || self.after_items {
                new_text.push('\n');
            }
            for line in block.lines() {
                if line.trim().is_empty() {
                    new_text.push('\n');
                    continue;
                }
                let body = line.trim_start_matches(' ');
                let depth = (line.len() - body.len()) / 2;
                new_text.push_str(&self.line_start);
                new_text.push_str(&self.unit.repeat(depth));
                new_text.push_str(body);
            }
        }
        new_text.push_str(&self.tail);
        TextEdit::replace(self.range, new_text)
    }

    /// The edit that inserts a `status = planned` block for each of `ids`.
    pub fn edit(&self, ids: &[&str]) -> TextEdit {
        let mut new_text = String::with_capacity(
            ids.iter()
                .map(|id| 3 * self.line_start.len() + 1 + self.unit.len() + id.len() + 30)
                .sum::<usize>()
                + self.tail.len(),
        );
        for (position, id) in ids.iter().enumerate() {
            if position > 0 || self.after_items {
                new_text.push('\n');
            }
            new_text.push_str(&self.line_start);
            new_text.push_str("control ");
            new_text.push_str(id);
            new_text.push_str(" {");
            new_text.push_str(&self.line_start);
            new_text.push_str(&self.unit);
            new_text.push_str("status = planned");
            new_text.push_str(&self.line_start);
            new_text.push('}');
        }
        new_text.push_str(&self.tail);
        TextEdit::replace(self.range, new_text)
    }
}

/// The edits that move `block` to the end of `into`'s items: its lines are cut whole (with a
/// comment after its `}`, which may be a suppression of it) and written again indented like
/// `into`'s items, each line keeping its indentation relative to the block's first one, so
/// nothing typed in it is lost or rewritten. `None` for a block without its closing brace.
pub fn move_block(text: &str, block: &Block, into: &Block) -> Option<Vec<TextEdit>> {
    block.close_brace?;
    let base_indent = line_indent(text, block.range.start);
    let own_lines = starts_line(text, block.range.start);
    let line_end = text[block.range.end..]
        .find('\n')
        .map_or(text.len(), |i| block.range.end + i);
    let after = text[block.range.end..line_end].trim_matches([' ', '\t', '\r']);
    let (moved_end, cut) = if own_lines && (after.is_empty() || after.starts_with('#')) {
        let cut_end = (line_end + 1).min(text.len());
        (
            line_end,
            TextRange::new(line_start(text, block.range.start), cut_end),
        )
    } else {
        (block.range.end, block.range)
    };
    let moved: Vec<&str> = text[block.range.start..moved_end]
        .lines()
        .enumerate()
        .map(|(n, line)| match n {
            0 => line,
            _ => line
                .strip_prefix(base_indent.as_str())
                .unwrap_or_else(|| line.trim_start_matches([' ', '\t'])),
        })
        .collect();
    let insertion = ControlInsertion::new(text, into);
    // In a broken file the block can end where `into` does (an agent left open): no room to
    // move it to.
    if insertion.range.start < cut.end
        && cut.start < insertion.range.end.max(insertion.range.start + 1)
    {
        return None;
    }
    let mut new_text = String::new();
    if insertion.after_items {
        new_text.push('\n');
    }
    for line in moved {
        if line.trim().is_empty() {
            new_text.push('\n');
        } else {
            new_text.push_str(&insertion.line_start);
            new_text.push_str(line.trim_end_matches('\r'));
        }
    }
    new_text.push_str(&insertion.tail);
    Some(vec![
        TextEdit::replace(cut, String::new()),
        TextEdit::replace(insertion.range, new_text),
    ])
}

/// Whether only white space stands between the start of the line and `offset`.
fn starts_line(text: &str, offset: usize) -> bool {
    let line_start = line_start(text, offset);
    text[line_start..offset]
        .chars()
        .all(|c| c == ' ' || c == '\t')
}

/// The leading white space of the line holding `offset`.
pub fn line_indent(text: &str, offset: usize) -> String {
    let line_start = line_start(text, offset);
    text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Applies non-overlapping edits to `text`. Edits at the same offset apply in the given order.
/// Returns `None` when edits overlap or fall outside the text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].range.start, edits[i].range.end, i));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for i in order {
        let edit = &edits[i];
        if edit.range.start < cursor
            || edit.range.end > text.len()
            || edit.range.start > edit.range.end
            || !text.is_char_boundary(edit.range.start)
            || !text.is_char_boundary(edit.range.end)
        {
            return None;
        }
        out.push_str(&text[cursor..edit.range.start]);
        out.push_str(&edit.new_text);
        cursor = edit.range.end;
    }
    out.push_str(&text[cursor..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inserted(text: &str, ids: &[&str]) -> String {
        let file = genai_scope_syntax::parse(text);
        let edit = insert_controls_into_workload(text, &file, 0, ids).unwrap();
        apply_edits(text, &[edit]).unwrap()
    }

    #[test]
    fn inserted_blocks_stand_apart_after_a_blank_line() {
        let text = "workload \"w\" {\n  owner = \"o\"\n}\n";
        assert_eq!(
            inserted(text, &["risk.a", "risk.b"]),
            "workload \"w\" {\n  owner = \"o\"\n\n  control risk.a {\n    status = planned\n  }\n\n  control risk.b {\n    status = planned\n  }\n}\n"
        );
        // Nothing before it in the block: no blank line after the brace.
        assert_eq!(
            inserted("workload \"w\" {\n}\n", &["risk.a"]),
            "workload \"w\" {\n  control risk.a {\n    status = planned\n  }\n}\n"
        );
    }

    #[test]
    fn a_moved_block_keeps_its_text_and_comments_and_takes_the_new_indentation() {
        let text = "workload \"w\" {\n  owner = \"o\"\n  agent \"a\" {\n    model = \"m\"\n    control risk.threat_model { # why: review\n      evidence = \"docs/tm.md\"\n\n      status   = implemented\n    } # kept with it\n  }\n}\n";
        let file = genai_scope_syntax::parse(text);
        let workload = workload_blocks(&file).next().unwrap();
        let agent = workload.blocks().next().unwrap();
        let control = agent.blocks().next().unwrap();
        let edits = move_block(text, control, workload).unwrap();
        assert_eq!(
            apply_edits(text, &edits).unwrap(),
            "workload \"w\" {\n  owner = \"o\"\n  agent \"a\" {\n    model = \"m\"\n  }\n\n  control risk.threat_model { # why: review\n    evidence = \"docs/tm.md\"\n\n    status   = implemented\n  } # kept with it\n}\n"
        );
        // On a line it shares with its agent: only the block itself moves.
        let text = "workload \"w\" {\n  agent \"a\" { control risk.threat_model {} }\n}\n";
        let file = genai_scope_syntax::parse(text);
        let workload = workload_blocks(&file).next().unwrap();
        let control = workload.blocks().next().unwrap().blocks().next().unwrap();
        let edits = move_block(text, control, workload).unwrap();
        assert_eq!(
            apply_edits(text, &edits).unwrap(),
            "workload \"w\" {\n  agent \"a\" {  }\n\n  control risk.threat_model {}\n}\n"
        );
        // The agent left open ends with the block (fuzz): nowhere to move it, no edits.
        let text = "workload \"w\" {\n  agent \"a\" {\n    control risk.threat_model {\n    }\n}\n";
        let file = genai_scope_syntax::parse(text);
        let workload = workload_blocks(&file).next().unwrap();
        let agent = workload.blocks().next().unwrap();
        assert!(agent.close_brace.is_none());
        let control = agent.blocks().next().unwrap();
        assert_eq!(move_block(text, control, workload), None);
    }

    #[test]
    fn drafted_blocks_are_reindented_like_the_items() {
        let text = "workload \"w\" {\n    owner = \"o\"\n    agent \"a\" {\n        model = \"m\"\n    }\n}\n";
        let file = genai_scope_syntax::parse(text);
        let workload = workload_blocks(&file).next().unwrap();
        let drafted = "tool \"t\" {\n  effect = read # review: confirm\n\n  # a comment\n}\n";
        let agent = workload.blocks().next().unwrap();
        let edit = ControlInsertion::new(text, agent).blocks_edit(&[drafted.to_string()]);
        assert_eq!(
            apply_edits(text, &[edit]).unwrap(),
            "workload \"w\" {\n    owner = \"o\"\n    agent \"a\" {\n        model = \"m\"\n\n        tool \"t\" {\n            effect = read # review: confirm\n\n            # a comment\n        }\n    }\n}\n"
        );
    }
}
