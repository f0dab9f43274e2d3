//! One fixture per diagnostic code, `fixtures/rules/<code>.genai`: the diagnostics of that
//! code, with their severities, ranges, messages and fixes, are pinned in a snapshot each.

use std::path::Path;

use genai_scope_analysis::diagnostic::{Code, Diagnostic};
use genai_scope_analysis::{AnalysisOptions, analyze, apply_edits};
use genai_scope_syntax::text::TextRange;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rules");

/// The same surroundings for every fixture: a fixed date, a directory without evidence, and
/// the one project policy that `missing-evidence` needs.
fn options(dir: &Path) -> AnalysisOptions {
    let mut options = AnalysisOptions {
        today: Some(time::macros::date!(2026 - 11 - 25)),
        base_dir: Some(dir.to_path_buf()),
        ..AnalysisOptions::default()
    };
    options.settings.require_evidence.insert(
        genai_scope_analysis::rule_selector::EvidenceSelector::Control(
            "risk.threat_model".parse().expect("a control id"),
        ),
    );
    options
}

/// `line:column` (both 1-based, columns in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> String {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{line}:{column}")
}

fn range(text: &str, range: TextRange) -> String {
    format!(
        "{}-{}",
        line_column(text, range.start),
        line_column(text, range.end)
    )
}

fn render(text: &str, diagnostics: &[&Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out += &format!(
            "{} {} at {}: {}\n",
            diagnostic.severity.as_str(),
            diagnostic.code,
            range(text, diagnostic.range),
            diagnostic.message()
        );
        for fix in diagnostic.fixes().iter() {
            let safety = if fix.safe { "safe" } else { "unsafe" };
            out += &format!("  fix ({safety}): {}\n", fix.title);
            for edit in &fix.edits {
                out += &format!("    {} -> {:?}\n", range(text, edit.range), edit.new_text);
            }
            // Every fix applies to the text it was made for.
            apply_edits(text, &fix.edits).expect("the fix's edits apply");
        }
    }
    out
}

/// Each fix, applied alone, leaves fewer findings like the one it was offered for (same code,
/// control, workload, agent and message): a fix that only looks like one (a second attribute
/// line the first still overrides, say) fails here.
fn assert_every_fix_removes_its_finding(
    text: &str,
    before: &genai_scope_analysis::Analysis,
    found: &[&Diagnostic],
    options: &AnalysisOptions,
) {
    for diagnostic in found {
        let like = |d: &&Diagnostic| {
            d.code == diagnostic.code
                && d.control == diagnostic.control
                && d.workload == diagnostic.workload
                && d.agent == diagnostic.agent
                && d.message() == diagnostic.message()
        };
        let count_before = before.diagnostics.iter().filter(like).count();
        for fix in diagnostic.fixes().iter() {
            let fixed = apply_edits(text, &fix.edits).expect("the fix's edits apply");
            let after = analyze(&fixed, options);
            let count_after = after.diagnostics.iter().filter(like).count();
            assert!(
                count_after < count_before,
                "fix \"{}\" leaves {count_after} of {count_before} findings \"{}\":\n{fixed}",
                fix.title,
                diagnostic.message()
            );
        }
    }
}

#[test]
fn rules() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    insta::glob!("fixtures/rules/*.genai", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let code = Code::parse(stem).unwrap_or_else(|| panic!("{stem} is not a code"));
        let mut options = options(dir.path());
        // `# infrastructure: <dir>`: the drift codes' fixtures are held to that directory.
        if let Some(iac) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# infrastructure: "))
        {
            let environment = genai_scope_environment::RealEnvironment;
            options.infrastructure = Some(std::sync::Arc::new(
                genai_scope_analysis::environment::infrastructure::load(
                    &environment,
                    &[Path::new(FIXTURES).join(iac)],
                    Path::new(FIXTURES),
                ),
            ));
        }
        let analysis = analyze(&text, &options);
        let found: Vec<&Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .collect();
        assert!(!found.is_empty(), "{code} does not fire on its fixture");
        insta::assert_snapshot!(render(&text, &found));
        assert_every_fix_removes_its_finding(&text, &analysis, &found, &options);
    });
}

#[test]
fn every_code_has_a_fixture() {
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|code| code.as_str())
        .filter(|code| !Path::new(FIXTURES).join(format!("{code}.genai")).exists())
        .collect();
    assert!(missing.is_empty(), "no fixture for {missing:?}");
}
