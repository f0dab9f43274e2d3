//! Throughput of the analyzer on one generated file of about 2,000 lines: parsing alone
//! (tree-sitter, then lowering to the owned syntax tree) and parsing plus analysis (the work
//! `check` does per file, and the language server per edit). Single-threaded.
//!
//!   cargo bench -p genai-scope-analysis --bench analysis
//!
//! Figures measured on the project's machine are in docs/performance.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use genai_scope_analysis::{AnalysisOptions, analyze};
use genai_scope_syntax as syntax;

const EXAMPLES: &[&str] = &[
    include_str!("../../../examples/clean-internal-summarizer.genai"),
    include_str!("../../../examples/scope1-consumer-chat.genai"),
    include_str!("../../../examples/scope2-enterprise-scheduling.genai"),
    include_str!("../../../examples/scope3-support-assistant.genai"),
    include_str!("../../../examples/scope4-marketing-generator.genai"),
    include_str!("../../../examples/scope5-industry-llm.genai"),
];

/// The examples, one after another with their workloads renamed apart, until the text has
/// at least `lines` lines: every scope, clean workloads and workloads with findings.
pub fn generated_file(lines: usize) -> String {
    let mut text = String::new();
    let mut copy = 0;
    while text.lines().count() < lines {
        let example = EXAMPLES[copy % EXAMPLES.len()];
        text.push_str(&example.replace("workload \"", &format!("workload \"copy{copy}-")));
        text.push('\n');
        copy += 1;
    }
    text
}

fn options() -> AnalysisOptions {
    AnalysisOptions {
        // A fixed date, so `overdue-control` findings do not change from day to day; no base
        // directory, so no evidence path touches the disk: this measures the analyzer alone.
        today: Some(time::macros::date!(2026 - 11 - 25)),
        ..AnalysisOptions::default()
    }
}

fn analysis(c: &mut Criterion) {
    let text = generated_file(2_000);
    let options = options();
    let findings = analyze(&text, &options).diagnostics.len();
    eprintln!(
        "input: {} lines, {} bytes, {} workloads, {findings} findings",
        text.lines().count(),
        text.len(),
        text.matches("workload \"").count()
    );

    let mut group = c.benchmark_group("analysis");
    group
        .throughput(Throughput::Bytes(text.len() as u64))
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.bench_function("parse_and_analyze_2000_lines", |b| {
        b.iter(|| analyze(black_box(&text), &options))
    });
    group.bench_function("parse_2000_lines", |b| {
        b.iter(|| syntax::parse(black_box(&text)))
    });
    group.bench_function("tree_sitter_only_2000_lines", |b| {
        b.iter(|| syntax::parse_tree(black_box(&text), None))
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
