//! The real `genai-scope check` (the bench-profile binary) over 10,000 generated files in a
//! temporary directory tree: finding the files, reading them, analysing them on every core and
//! writing the report. Criterion times whole runs, with a small sample.
//!
//!   cargo bench -p genai-scope --bench check_many
//!
//! Before the timed runs it prints one run's wall time and the CPU time it used, so the use of
//! both cores shows (CPU time / wall time > 100%). Figures: docs/performance.md.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

const FILES: usize = 10_000;
const PER_DIRECTORY: usize = 100;

const EXAMPLES: &[&str] = &[
    include_str!("../../../examples/clean-internal-summarizer.genai"),
    include_str!("../../../examples/scope1-consumer-chat.genai"),
    include_str!("../../../examples/scope2-enterprise-scheduling.genai"),
    include_str!("../../../examples/scope3-support-assistant.genai"),
    include_str!("../../../examples/scope4-marketing-generator.genai"),
    include_str!("../../../examples/scope5-industry-llm.genai"),
];

/// `FILES` files, `PER_DIRECTORY` to a directory, each an example with its workload renamed.
fn generate(root: &Path) -> u64 {
    let mut bytes = 0;
    for i in 0..FILES {
        let dir = root.join(format!("team-{:03}", i / PER_DIRECTORY));
        if i % PER_DIRECTORY == 0 {
            std::fs::create_dir_all(&dir).expect("create a directory");
        }
        let text =
            EXAMPLES[i % EXAMPLES.len()].replace("workload \"", &format!("workload \"w{i}-"));
        bytes += text.len() as u64;
        std::fs::write(dir.join(format!("workload-{i:05}.genai")), text).expect("write a file");
    }
    bytes
}

/// One `check` of the tree, its report discarded; panics unless it exits 0 or 1.
fn check(root: &Path, format: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_genai-scope"))
        .args(["check", "--format", format, "--today", "2026-11-25", "."])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .expect("run genai-scope");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "genai-scope check failed: {status}"
    );
}

/// User + system CPU time of this process's waited-for children, from /proc (Linux).
fn children_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): cutime and cstime are the
    // 16th and 17th fields of the line, in clock ticks (USER_HZ, 100 on Linux).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn check_many(c: &mut Criterion) {
    let dir = tempfile::Builder::new()
        .prefix("genai-scope-bench-")
        .tempdir()
        .expect("create a temporary directory");
    let bytes = generate(dir.path());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!(
        "input: {FILES} files in {} directories, {bytes} bytes; {cores} cores available",
        FILES / PER_DIRECTORY
    );
    for format in ["text", "json"] {
        check(dir.path(), format); // warm the page cache
        let cpu_before = children_cpu_time();
        let started = Instant::now();
        check(dir.path(), format);
        let wall = started.elapsed();
        match (cpu_before, children_cpu_time()) {
            (Some(before), Some(after)) => {
                let cpu = after - before;
                eprintln!(
                    "one run (--format {format}): {:.2} s wall, {:.2} s CPU: {:.0}% CPU",
                    wall.as_secs_f64(),
                    cpu.as_secs_f64(),
                    100.0 * cpu.as_secs_f64() / wall.as_secs_f64()
                );
            }
            _ => eprintln!(
                "one run (--format {format}): {:.2} s wall",
                wall.as_secs_f64()
            ),
        }
    }

    let mut group = c.benchmark_group("check");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    group.bench_function("check_10000_files_text", |b| {
        b.iter(|| check(dir.path(), "text"))
    });
    group.bench_function("check_10000_files_json", |b| {
        b.iter(|| check(dir.path(), "json"))
    });
    group.finish();
}

criterion_group!(benches, check_many);
criterion_main!(benches);
