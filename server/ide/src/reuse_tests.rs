//! A document edited in the language server reuses the analysis of its unchanged workloads.

use genai_scope_analysis::incremental::Statistics;
use genai_scope_analysis::{AnalysisOptions, analyze};

use super::FileState;

const TEXT: &str = include_str!("../../../examples/scope3-support-assistant.genai");

/// `previous` with its first `replaced` bytes replaced by `inserted` (on one line), as the
/// server applies a change.
fn edited(
    previous: &mut FileState,
    replaced: usize,
    inserted: &str,
    options: &AnalysisOptions,
) -> FileState {
    let mut tree = previous.tree.clone();
    let lines = inserted.matches('\n').count();
    let column = inserted.len() - inserted.rfind('\n').map_or(0, |i| i + 1);
    tree.edit(&tree_sitter::InputEdit {
        start_byte: 0,
        old_end_byte: replaced,
        new_end_byte: inserted.len(),
        start_position: tree_sitter::Point::new(0, 0),
        old_end_position: tree_sitter::Point::new(0, replaced),
        new_end_position: tree_sitter::Point::new(lines, column),
    });
    let text = format!("{inserted}{}", &previous.text[replaced..]);
    FileState::reusing(text, Some(&tree), Some(previous), options)
}

#[test]
fn an_edit_above_the_workloads_reuses_them_and_agrees_with_a_fresh_analysis() {
    let options = AnalysisOptions::default();
    let text = format!("{TEXT}\n{}", TEXT.replace("support-assistant", "second"));
    let mut first = FileState::new(text, None, &options);
    assert_eq!(
        first.analysis_statistics(),
        Statistics {
            analysed: 2,
            reused: 0
        }
    );
    // A stray brace before them breaks the syntax far from the workloads: both are reused
    // (a fresh parse of the whole text agrees); then it is commented out: both still are.
    let mut broken = edited(&mut first, 0, "}", &options);
    assert!(broken.tree.root_node().has_error());
    let fresh = analyze(&broken.text, &options);
    assert_eq!(broken.analysis.diagnostics, fresh.diagnostics);
    assert_eq!(broken.analysis.workloads, fresh.workloads);
    assert_eq!(
        broken.analysis_statistics(),
        Statistics {
            analysed: 0,
            reused: 2
        }
    );

    let fixed = edited(&mut broken, 1, "#", &options);
    let fresh = analyze(&fixed.text, &options);
    assert_eq!(fixed.analysis.diagnostics, fresh.diagnostics);
    assert_eq!(fixed.analysis.workloads, fresh.workloads);
    assert_eq!(
        fixed.analysis_statistics(),
        Statistics {
            analysed: 0,
            reused: 2
        }
    );
}
