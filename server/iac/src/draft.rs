//! Writes a [`Draft`] as `.genai` text (format v2) in the canonical layout of
//! `genai-scope fmt`: two-space indentation, `=` aligned within a run of attributes, a single
//! space before a trailing comment, blank lines between blocks. Same draft, same bytes.

use crate::facts::{Block, Control, Draft, Fact, FactValue, Tool, Workload};
use crate::terraform::one_line;

/// One line of a block body.
enum Item {
    Attribute {
        key: String,
        value: String,
        comment: Option<String>,
    },
    Comment(String),
    Blank,
    Block {
        header: String,
        items: Vec<Item>,
    },
}

/// The draft as the text of a `.genai` file.
pub fn write(draft: &Draft) -> String {
    let mut out = String::new();
    out.push_str(
        "# Drafted by `genai-scope init --from` from infrastructure code. Each block names the\n",
    );
    out.push_str(
        "# resource it was read from (`resource`); facts marked `review:` could not be read from\n",
    );
    out.push_str("# the infrastructure: confirm or correct them.\n");
    for unreadable in &draft.unreadable {
        out.push_str(&comment_line(
            0,
            &format!(
                "not read: {} (line {}): {}",
                unreadable.location.path,
                unreadable.location.start_line + 1,
                unreadable.reason
            ),
        ));
    }
    for skipped in &draft.skipped {
        let controls: Vec<String> = skipped
            .controls
            .iter()
            .map(|c| format!("{} (iac:{})", c.id, c.evidence))
            .collect();
        out.push_str(&comment_line(
            0,
            &format!(
                "{}: no model, so no workload: {}{}",
                skipped.unit,
                skipped.resources.join(", "),
                if controls.is_empty() {
                    String::new()
                } else {
                    format!("; add to the workload they serve: {}", controls.join(", "))
                }
            ),
        ));
    }
    if draft.workloads.is_empty() {
        out.push_str("# No workload: no model, agent, knowledge base or endpoint was found.\n");
    }
    for workload in &draft.workloads {
        out.push('\n');
        let item = Item::Block {
            header: format!("workload {}", quote(&workload.name)),
            items: workload_items(workload),
        };
        render(&item, 0, &mut out);
    }
    out
}

/// One block of a draft alone (with its tools), as it would stand in a workload, for a quick
/// fix that declares its resource: two-space indentation from column 0.
pub fn write_block(block: &Block) -> String {
    let mut out = String::new();
    render(&block_item(block), 0, &mut out);
    out
}

/// One tool of a drafted agent alone, for a quick fix that declares its function.
pub fn write_tool(tool: &Tool) -> String {
    let mut out = String::new();
    render(&tool_item(tool), 0, &mut out);
    out
}

fn workload_items(workload: &Workload) -> Vec<Item> {
    let mut items = vec![Item::Comment(format!("From {}.", workload.unit))];
    for note in &workload.notes {
        items.push(Item::Comment(format!("note: {note}")));
    }
    items.push(Item::Attribute {
        key: "owner".into(),
        value: quote("TODO"),
        comment: Some(
            "review: the accountable team or person cannot be read from infrastructure".into(),
        ),
    });
    if !workload.regions.is_empty() {
        items.push(Item::Attribute {
            key: "regions".into(),
            value: list(&workload.regions),
            comment: None,
        });
    }
    items.push(Item::Comment(
        "review: audience, criticality, stage, access and outputs cannot be read from infrastructure; the defaults apply (employees, medium, production, authenticated, [shown])".into(),
    ));
    for block in workload.blocks() {
        items.push(Item::Blank);
        items.push(block_item(block));
    }
    for control in &workload.controls {
        items.push(Item::Blank);
        items.push(control_item(control));
    }
    items
}

fn fact_item(fact: &Fact) -> Item {
    Item::Attribute {
        key: fact.attribute.to_string(),
        value: value(&fact.value),
        comment: fact.review.as_ref().map(|r| format!("review: {r}")),
    }
}

fn block_item(block: &Block) -> Item {
    let keyword = block.kind.keyword();
    let mut items = vec![Item::Attribute {
        key: "resource".into(),
        value: quote(&block.resource),
        comment: None,
    }];
    items.extend(block.facts.iter().map(fact_item));
    items.extend(block.comments.iter().map(|c| Item::Comment(c.clone())));
    for tool in &block.tools {
        items.push(Item::Blank);
        items.push(tool_item(tool));
    }
    Item::Block {
        header: format!("{keyword} {}", quote(&block.name)),
        items,
    }
}

fn tool_item(tool: &Tool) -> Item {
    let mut items: Vec<Item> = tool.facts.iter().map(fact_item).collect();
    items.extend(tool.comments.iter().map(|c| Item::Comment(c.clone())));
    Item::Block {
        header: format!("tool {}", quote(&tool.name)),
        items,
    }
}

fn control_item(control: &Control) -> Item {
    Item::Block {
        header: format!("control {}", control.id),
        items: vec![Item::Attribute {
            key: "evidence".into(),
            value: quote(&format!("iac:{}", control.evidence)),
            comment: None,
        }],
    }
}

fn value(value: &FactValue) -> String {
    match value {
        FactValue::Word(w) => w.clone(),
        FactValue::Text(t) => quote(t),
        FactValue::Flag(b) => b.to_string(),
        FactValue::Texts(items) => list(items),
    }
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| quote(i))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A string literal of the format: `"`, `\`, and control characters escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn comment_line(depth: usize, text: &str) -> String {
    format!("{}# {}\n", "  ".repeat(depth), one_line(text).trim_end())
}

fn render(item: &Item, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    match item {
        Item::Block { header, items } => {
            out.push_str(&format!("{indent}{header} {{\n"));
            let mut index = 0;
            while index < items.len() {
                if let Item::Attribute { .. } = items[index] {
                    // A run of consecutive attributes aligns `=` (comments on their own line
                    // and blank lines end a run, as in `genai-scope fmt`).
                    let end = items[index..]
                        .iter()
                        .position(|i| !matches!(i, Item::Attribute { .. }))
                        .map_or(items.len(), |p| index + p);
                    let width = items[index..end]
                        .iter()
                        .map(|i| match i {
                            Item::Attribute { key, .. } => key.chars().count(),
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    for item in &items[index..end] {
                        if let Item::Attribute {
                            key,
                            value,
                            comment,
                        } = item
                        {
                            let padding = " ".repeat(width - key.chars().count());
                            out.push_str(&format!("{indent}  {key}{padding} = {value}"));
                            if let Some(comment) = comment {
                                out.push_str(&format!(" # {}", one_line(comment).trim_end()));
                            }
                            out.push('\n');
                        }
                    }
                    index = end;
                    continue;
                }
                match &items[index] {
                    Item::Comment(text) => out.push_str(&comment_line(depth + 1, text)),
                    Item::Blank => out.push('\n'),
                    block @ Item::Block { .. } => render(block, depth + 1, out),
                    Item::Attribute { .. } => {}
                }
                index += 1;
            }
            out.push_str(&format!("{indent}}}\n"));
        }
        Item::Comment(text) => out.push_str(&comment_line(depth, text)),
        Item::Blank => out.push('\n'),
        Item::Attribute { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::BlockKind;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u{1}\"");
    }

    #[test]
    fn a_block_alone_is_written_as_in_a_workload() {
        let tool = Tool {
            name: "issue_refund".into(),
            action_group: "aws_bedrockagent_agent_action_group.refunds".into(),
            facts: vec![Fact {
                attribute: "approval",
                value: FactValue::Word("required".into()),
                review: None,
            }],
            comments: vec!["review: check it".into()],
        };
        assert_eq!(
            write_tool(&tool),
            "tool \"issue_refund\" {\n  approval = required\n  # review: check it\n}\n"
        );
        let block = Block {
            kind: BlockKind::Agent,
            name: "claims".into(),
            resource: "aws_bedrockagent_agent.claims".into(),
            facts: Vec::new(),
            comments: Vec::new(),
            tools: vec![tool],
        };
        let text = write_block(&block);
        assert!(
            text.starts_with("agent \"claims\" {\n  resource = \"aws_bedrockagent_agent.claims\"\n\n  tool \"issue_refund\" {\n    approval = required\n"),
            "{text}"
        );
    }

    #[test]
    fn an_empty_draft_says_so() {
        let text = write(&Draft::default());
        assert!(text.contains("# No workload"));
        assert!(text.lines().all(|l| l.starts_with('#')));
    }
}
