//! Model names: definition, references and rename between `model "name"` and
//! `data { model = "name" }`; links for evidence files.

use std::path::{Path, PathBuf};

use super::{FileState, Target, target_at};
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{Block, BlockKind, LabelKind, ValueKind};

/// A model name occurrence: the range of its text inside the quotes.
fn inner(range: TextRange) -> TextRange {
    TextRange::new(
        range.start + 1,
        range.end.saturating_sub(1).max(range.start + 1),
    )
}

/// The workload and model name under the cursor, if the cursor is on one.
fn model_name_at(file: &FileState, offset: usize) -> Option<(&Block, String)> {
    let (_, workload, _) = file.workload_at(offset)?;
    match target_at(&file.syntax, offset)? {
        Target::Label(block) if block.is(BlockKind::Model) => {
            let label = block
                .label
                .as_ref()
                .filter(|l| l.kind == LabelKind::String)?;
            Some((workload, label.text.clone()))
        }
        Target::AttributeValue(block, attribute)
            if block.is(BlockKind::Data) && attribute.key.text == "model" =>
        {
            match &attribute.value.as_ref()?.kind {
                ValueKind::String(name) => Some((workload, name.clone())),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Where a model is declared.
fn declaration(workload: &Block, name: &str) -> Option<TextRange> {
    workload
        .blocks_of(BlockKind::Model)
        .filter_map(|b| b.label.as_ref())
        .find(|l| l.kind == LabelKind::String && l.text == name)
        .map(|l| l.range)
}

/// The model declaration for the name under the cursor.
pub fn definition(file: &FileState, offset: usize) -> Option<TextRange> {
    let (workload, name) = model_name_at(file, offset)?;
    declaration(workload, &name)
}

/// Every occurrence (declaration first) of the model name under the cursor, as string ranges.
pub fn references(file: &FileState, offset: usize) -> Vec<TextRange> {
    let Some((workload, name)) = model_name_at(file, offset) else {
        return Vec::new();
    };
    let mut out: Vec<TextRange> = declaration(workload, &name).into_iter().collect();
    for data in workload.blocks_of(BlockKind::Data) {
        for attribute in data.attributes().filter(|a| a.key.text == "model") {
            if let Some(value) = &attribute.value
                && value.kind == ValueKind::String(name.clone())
            {
                out.push(value.range);
            }
        }
    }
    out
}

/// The range a rename would change at the cursor (inside the quotes).
pub fn prepare_rename(file: &FileState, offset: usize) -> Option<TextRange> {
    let occurrences = references(file, offset);
    occurrences
        .iter()
        .find(|r| r.touches(offset))
        .map(|r| inner(*r))
}

/// Edits renaming the model under the cursor everywhere in its workload. `None` when the
/// cursor is not on a model name or the new name cannot be a string's content.
pub fn rename(
    file: &FileState,
    offset: usize,
    new_name: &str,
) -> Option<Vec<genai_scope_analysis::diagnostic::TextEdit>> {
    // A string's content: no quote, backslash or control character (a NUL or a line break
    // would break the syntax).
    if new_name.is_empty()
        || new_name
            .chars()
            .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        return None;
    }
    let occurrences = references(file, offset);
    if occurrences.is_empty() {
        return None;
    }
    Some(
        occurrences
            .into_iter()
            .map(|range| {
                genai_scope_analysis::diagnostic::TextEdit::replace(inner(range), new_name)
            })
            .collect(),
    )
}

/// An evidence path that exists inside the workspace.
pub struct Link {
    pub range: TextRange,
    pub target: PathBuf,
}

/// Links for `evidence` paths that exist and stay inside `root`.
/// Links through which the path would leave the workspace are not made.
pub fn evidence_links(
    env: &dyn genai_scope_analysis::environment::Environment,
    file: &FileState,
    base_dir: &Path,
    root: &Path,
) -> Vec<Link> {
    use genai_scope_analysis::evidence::{Evidence, resolve_evidence};
    let mut links = Vec::new();
    for workload in genai_scope_analysis::workload_blocks(&file.syntax) {
        for control in workload.blocks_of(BlockKind::Control) {
            for attribute in control.attributes().filter(|a| a.key.text == "evidence") {
                let Some(value) = &attribute.value else {
                    continue;
                };
                let ValueKind::String(path) = &value.kind else {
                    continue;
                };
                if let Evidence::Inside(target) = resolve_evidence(env, base_dir, root, path)
                    && env.exists(&target)
                {
                    links.push(Link {
                        range: inner(value.range),
                        target,
                    });
                }
            }
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::AnalysisOptions;

    const TEXT: &str = "workload \"w\" {\n  model \"tuned\" { hosting = managed_api }\n  data \"d\" { model = \"tuned\" }\n  data \"e\" { model = \"tuned\" }\n}\nworkload \"v\" {\n  model \"tuned\" { hosting = managed_api }\n}\n";

    fn file() -> FileState {
        FileState::new(TEXT.to_string(), None, &AnalysisOptions::default())
    }

    #[test]
    fn definition_and_references_stay_in_the_workload() {
        let file = file();
        let use_site = TEXT.find("model = \"tuned\"").unwrap() + 10;
        let declared = definition(&file, use_site).unwrap();
        assert_eq!(&TEXT[declared.start..declared.end], "\"tuned\"");
        assert_eq!(declared.start, TEXT.find("\"tuned\"").unwrap());
        assert_eq!(references(&file, declared.start + 1).len(), 3);
    }

    #[test]
    fn rename_changes_every_occurrence_inside_the_quotes() {
        let file = file();
        let at = TEXT.find("\"tuned\"").unwrap() + 2;
        let edits = rename(&file, at, "copywriter").unwrap();
        let renamed = genai_scope_analysis::apply_edits(TEXT, &edits).unwrap();
        assert_eq!(renamed.matches("\"copywriter\"").count(), 3);
        assert_eq!(
            renamed.matches("\"tuned\"").count(),
            1,
            "the other workload keeps its model"
        );
        assert!(rename(&file, at, "bad\"name").is_none());
        assert_eq!(
            prepare_rename(&file, at).map(|r| &TEXT[r.start..r.end]),
            Some("tuned")
        );
    }
}
