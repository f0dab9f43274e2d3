use std::path::PathBuf;

use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::analyze_syntax;
use crate::diagnostic::Level;
use crate::environment::memory::MemoryEnvironment;
use crate::rule_selector::RuleSelector;
use genai_scope_syntax::BlockKind;

const EXAMPLES: &[&str] = &[
    include_str!("../../../../examples/clean-internal-summarizer.genai"),
    include_str!("../../../../examples/mixed-models-sales.genai"),
    include_str!("../../../../examples/public-web-research.genai"),
    include_str!("../../../../examples/scope1-consumer-chat.genai"),
    include_str!("../../../../examples/scope2-enterprise-scheduling.genai"),
    include_str!("../../../../examples/scope3-support-assistant.genai"),
    include_str!("../../../../examples/scope4-marketing-generator.genai"),
    include_str!("../../../../examples/scope5-industry-llm.genai"),
    include_str!("../../../../examples/text-to-sql-analytics.genai"),
    include_str!("../../../../examples/training-only-pretraining.genai"),
    include_str!("../../../../examples/agents/agency1-lookup-assistant.genai"),
    include_str!("../../../../examples/agents/agency2-ticketing-agent.genai"),
    include_str!("../../../../examples/agents/agency3-refund-agent.genai"),
    include_str!("../../../../examples/agents/agency4-follow-up-scheduler.genai"),
];

/// Every example in one document: many workloads, agents, and a suppression between them.
fn multi_workload() -> String {
    let mut text = String::new();
    for (i, example) in EXAMPLES.iter().enumerate() {
        if i == 3 {
            text.push_str("# genai-scope: ignore[missing-control] reason=\"accepted\"\n");
        }
        text.push_str(example);
        text.push('\n');
    }
    text
}

/// A few option sets sharing one environment, as a server holds them.
fn option_sets() -> Vec<AnalysisOptions> {
    let environment =
        SharedEnvironment::new(MemoryEnvironment::default().with_today(date!(2026 - 12 - 02)));
    let base = AnalysisOptions {
        environment: environment.clone(),
        ..AnalysisOptions::default()
    };
    let dated = AnalysisOptions {
        today: Some(date!(2026 - 12 - 02)),
        ..base.clone()
    };
    let mut disabled = base.clone();
    disabled
        .settings
        .disabled
        .insert(RuleSelector::Code(Code::MissingControl));
    disabled
        .settings
        .severity_overrides
        .insert(RuleSelector::Code(Code::ScopeMismatch), Level::Error);
    let with_files = AnalysisOptions {
        base_dir: Some(PathBuf::from("/project")),
        workspace_root: Some(PathBuf::from("/project")),
        ..dated.clone()
    };
    vec![base, dated, disabled, with_files]
}

fn assert_same(incremental: &Analysis, fresh: &Analysis) {
    assert_eq!(incremental.diagnostics, fresh.diagnostics);
    assert_eq!(incremental.workloads, fresh.workloads);
    assert_eq!(incremental.suppressed, fresh.suppressed);
    assert_eq!(incremental.settings, fresh.settings);
}

/// One step of an editing session.
#[derive(Clone, Debug)]
enum Edit {
    /// Inserts one of [`SNIPPETS`] at a fraction of the text.
    Insert { at: f64, snippet: usize },
    /// Deletes up to `len` bytes at a fraction of the text.
    Delete { at: f64, len: usize },
    /// Deletes the line at a fraction of the text.
    DeleteLine { at: f64 },
    /// Copies the line at a fraction of the text under itself.
    DuplicateLine { at: f64 },
    /// Renames the `n`th workload (wrapping) to one of a few names (so duplicates happen).
    Rename { n: usize, name: usize },
    /// Analyses with another option set.
    Options { set: usize },
}

const SNIPPETS: &[&str] = &[
    " ",
    "\n",
    "x",
    "\"",
    "{",
    "}",
    "\n\n\n",
    "  scope = 2\n",
    "  owner = \"team@example.com\"\n",
    "workload \"added\" {\n  owner = \"a@example.com\"\n}\n",
    "# genai-scope: ignore[missing-control] reason=\"later\"\n",
    "# genai-scope: ignore[scope-mismatch]\n",
    "  control risk.threat_model {\n    status = implemented\n    evidence = \"docs/tm.md\"\n  }\n",
    "  agent \"helper\" {\n    autonomy = supervised\n  }\n",
    "é",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0.0..1.0f64, 0..SNIPPETS.len()).prop_map(|(at, snippet)| Edit::Insert { at, snippet }),
        2 => (0.0..1.0f64, 1..60usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        1 => (0.0..1.0f64).prop_map(|at| Edit::DeleteLine { at }),
        1 => (0.0..1.0f64).prop_map(|at| Edit::DuplicateLine { at }),
        1 => (0..20usize, 0..3usize).prop_map(|(n, name)| Edit::Rename { n, name }),
        1 => (0..4usize).prop_map(|set| Edit::Options { set }),
    ]
}

fn boundary(text: &str, at: f64) -> usize {
    let mut offset = ((text.len() as f64) * at) as usize;
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn line_around(text: &str, offset: usize) -> std::ops::Range<usize> {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1);
    start..end
}

/// Applies `edit` to `text`; an option change returns the new option set instead.
fn apply(text: &mut String, edit: &Edit) -> Option<usize> {
    match *edit {
        Edit::Insert { at, snippet } => {
            let offset = boundary(text, at);
            text.insert_str(offset, SNIPPETS[snippet]);
        }
        Edit::Delete { at, len } => {
            let start = boundary(text, at);
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(start..end, "");
        }
        Edit::DeleteLine { at } => {
            let line = line_around(text, boundary(text, at));
            text.replace_range(line, "");
        }
        Edit::DuplicateLine { at } => {
            let line = line_around(text, boundary(text, at));
            let copy = text[line.clone()].to_string();
            text.insert_str(line.end, &copy);
        }
        Edit::Rename { n, name } => {
            let labels: Vec<usize> = text
                .match_indices("workload \"")
                .map(|(i, m)| i + m.len())
                .collect();
            if !labels.is_empty() {
                let start = labels[n % labels.len()];
                if let Some(len) = text[start..].find('"') {
                    let new = ["renamed", "support-assistant", "x"][name];
                    text.replace_range(start..start + len, new);
                }
            }
        }
        Edit::Options { set } => return Some(set),
    }
    None
}

/// Runs an editing session, checking every step against a fresh analysis; the statistics
/// of each step.
fn session(mut text: String, edits: &[Edit]) -> Vec<Statistics> {
    let options = option_sets();
    let mut current = 0;
    let file = genai_scope_syntax::parse(&text);
    let (mut analysis, mut cache) = analyze_incremental(None, &text, &file, &options[current]);
    assert_same(&analysis, &analyze_syntax(&text, &file, &options[current]));
    let mut statistics = vec![cache.statistics()];
    for edit in edits {
        let old_text = text.clone();
        if let Some(set) = apply(&mut text, edit) {
            current = set;
        }
        let file = genai_scope_syntax::parse(&text);
        let previous = Previous {
            text: &old_text,
            cache: &mut cache,
            reports: &mut analysis.workloads,
        };
        let (next_analysis, next) =
            analyze_incremental(Some(previous), &text, &file, &options[current]);
        let fresh = analyze_syntax(&text, &file, &options[current]);
        assert_same(&next_analysis, &fresh);
        analysis = next_analysis;
        cache = next;
        statistics.push(cache.statistics());
    }
    statistics
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_fresh_on_the_examples(
        example in 0..EXAMPLES.len(),
        edits in proptest::collection::vec(edit(), 1..12),
    ) {
        session(EXAMPLES[example].to_string(), &edits);
    }

    #[test]
    fn incremental_equals_fresh_on_many_workloads(
        edits in proptest::collection::vec(edit(), 1..16),
    ) {
        session(multi_workload(), &edits);
    }
}

fn count_workloads(text: &str) -> usize {
    genai_scope_syntax::parse(text)
        .items
        .iter()
        .filter(|item| matches!(item, Item::Block(b) if b.is(BlockKind::Workload)))
        .count()
}

#[test]
fn an_edit_inside_one_workload_analyses_only_that_one() {
    let text = multi_workload();
    let workloads = count_workloads(&text);
    assert!(workloads > 10, "the document has {workloads} workloads");
    // Inside the last example's first description: the other workloads only move or stay.
    let at = text.rfind("description").expect("a description") + "description".len();
    let statistics = session(
        text.clone(),
        &[Edit::Insert {
            at: at as f64 / text.len() as f64,
            snippet: 0,
        }],
    );
    assert_eq!(
        statistics[0],
        Statistics {
            analysed: workloads,
            reused: 0
        }
    );
    assert_eq!(
        statistics[1],
        Statistics {
            analysed: 1,
            reused: workloads - 1
        }
    );
}

#[test]
fn lines_added_above_move_every_workload_without_analysing_it() {
    let text = multi_workload();
    let workloads = count_workloads(&text);
    let statistics = session(
        text,
        &[
            Edit::Insert {
                at: 0.0,
                snippet: 6,
            },
            Edit::Insert {
                at: 0.0,
                snippet: 10,
            },
        ],
    );
    assert_eq!(statistics[1].reused, workloads);
    assert_eq!(statistics[2].reused, workloads);
}

#[test]
fn other_settings_analyse_everything_again() {
    let statistics = session(multi_workload(), &[Edit::Options { set: 2 }]);
    assert_eq!(statistics[1].reused, 0);
}

#[test]
fn evidence_paths_are_checked_again_when_files_are_read() {
    // Under options with a base directory, a workload naming evidence asks the file system
    // every time (a file may have appeared); the others are reused.
    let text = format!(
        "{}\n{}",
        EXAMPLES[5], "workload \"plain\" {\n  owner = \"a@example.com\"\n}\n"
    );
    let statistics = session(
        text,
        &[
            Edit::Options { set: 3 },
            Edit::Insert {
                at: 1.0,
                snippet: 1,
            },
        ],
    );
    assert_eq!(
        statistics[2],
        Statistics {
            analysed: 1,
            reused: 1
        }
    );
}

#[test]
fn reused_workloads_share_their_findings_with_the_previous_analysis() {
    // Without suppressions each workload's findings stay apart in the analysis; those of the
    // workloads an edit did not touch are the previous analysis's own (same ids), not copies.
    let mut text = EXAMPLES
        .iter()
        .filter(|example| !example.contains("# genai-scope:"))
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    let options = AnalysisOptions::default();
    let file = genai_scope_syntax::parse(&text);
    let (mut before, mut cache) = analyze_incremental(None, &text, &file, &options);
    let ids = |analysis: &Analysis| -> Vec<u64> {
        analysis
            .diagnostics
            .workloads()
            .iter()
            .map(Placed::id)
            .collect()
    };
    let old_ids = ids(&before);
    assert_eq!(old_ids.len(), count_workloads(&text));

    let old_text = text.clone();
    let at = text.rfind("description = \"").expect("a description") + "description = \"".len();
    text.insert(at, 'x');
    let file = genai_scope_syntax::parse(&text);
    let previous = Previous {
        text: &old_text,
        cache: &mut cache,
        reports: &mut before.workloads,
    };
    let (after, _) = analyze_incremental(Some(previous), &text, &file, &options);
    assert_same(&after, &analyze_syntax(&text, &file, &options));
    let new_ids = ids(&after);
    assert_eq!(new_ids.len(), old_ids.len());
    let changed: Vec<usize> = (0..new_ids.len())
        .filter(|&i| new_ids[i] != old_ids[i])
        .collect();
    assert_eq!(
        changed,
        [new_ids.len() - 1],
        "only the last workload was edited"
    );
}
