//! Bad input never crashes `check`: empty and garbage files, a 10 MB file, very deep nesting,
//! symbolic-link loops, odd Unicode. Each run must end by itself, with exit code 0, 1 or 2 and
//! a well-formed report in every format.

use std::time::Duration;

use crate::support::{Outcome, temp_dir, write_file};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use super::{check, check_output::assert_contract, cli, diagnostics, example, paths};

/// A small deterministic generator (xorshift64*), so failures can be reproduced.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The number of lines as an editor counts them (`\n`, `\r\n` and `\r` end a line).
fn line_count(text: &str) -> usize {
    text.replace("\r\n", "\n").split(['\n', '\r']).count()
}

/// Runs `check` on `contents` in every format; asserts no crash, a valid report and ranges
/// inside the file; returns the JSON run.
fn survives(name: &str, contents: &[u8]) -> Outcome {
    let dir = temp_dir();
    write_file(dir.path(), name, contents);
    let text = std::str::from_utf8(contents).ok();
    for format in ["text", "sarif"] {
        let outcome = check(["--format", format, "--color", "never", name])
            .current_dir(dir.path())
            .run();
        outcome.expect_no_crash();
        assert!(
            matches!(outcome.code, Some(0..=2)),
            "{name}: exit {:?}",
            outcome.code
        );
        if format == "sarif" {
            let log = outcome.json();
            assert_eq!(log["version"], "2.1.0");
        }
    }
    let outcome = check(["--format", "json", name])
        .current_dir(dir.path())
        .run();
    outcome.expect_no_crash();
    let report = outcome.json();
    assert_contract(&report);
    match text {
        Some(text) => {
            assert!(
                matches!(outcome.code, Some(0 | 1)),
                "{name}: exit {:?}",
                outcome.code
            );
            assert_eq!(paths(&report), [name]);
            let lines = line_count(text) as u64;
            for (_, d) in diagnostics(&report) {
                for end in ["start", "end"] {
                    let line = d["range"][end]["line"].as_u64().unwrap();
                    assert!(line <= lines, "{name}: line {line} of {lines}: {d}");
                }
            }
        }
        None => {
            // Not UTF-8: refused, named, not analysed.
            outcome.expect_code(2);
            assert!(outcome.stderr.contains(name), "{}", outcome.stderr);
            assert_eq!(paths(&report), Vec::<String>::new());
        }
    }
    outcome
}

fn error_count(outcome: &Outcome) -> u64 {
    outcome.json()["summary"]["errors"].as_u64().unwrap()
}

#[test]
fn empty_and_blank_files() {
    for (name, contents) in [
        ("empty.genai", ""),
        ("blank.genai", " \n\t\n\r\n"),
        ("comment.genai", "# nothing declared yet"),
    ] {
        let outcome = survives(name, contents.as_bytes());
        let report = outcome.json();
        assert_eq!(
            report["files"][0]["workloads"],
            Value::Array(vec![]),
            "{name}"
        );
    }
}

#[test]
fn binary_garbage() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..4 {
        let bytes: Vec<u8> = (0..4096).map(|_| rng.next() as u8).collect();
        survives(&format!("garbage-{round}.genai"), &bytes);
    }
    // Valid UTF-8, but not the language: a soup of its tokens, control characters and
    // random characters. It must be read and reported, not refused.
    let pieces = [
        "workload",
        "model",
        "data",
        "control",
        "{",
        "}",
        "[",
        "]",
        "=",
        ",",
        "\"",
        "\\",
        "#",
        "\n",
        " ",
        "\t",
        "\r",
        "owner",
        "\"x\"",
        "30s",
        "99999999999999999999999",
        "true",
        "risk.threat_model",
        "\u{0}",
        "\u{7}",
        "\u{1b}[31m",
        "\u{feff}",
        "😀",
        "é",
        "\u{202e}",
    ];
    for round in 0..4 {
        let mut text = String::new();
        for _ in 0..3000 {
            if rng.below(10) == 0 {
                text.push(char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('?'));
            } else {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
        }
        let outcome = survives(&format!("soup-{round}.genai"), text.as_bytes());
        assert!(
            error_count(&outcome) > 0,
            "a soup of tokens is not a valid declaration"
        );
    }
}

#[test]
fn a_10_mb_file_with_many_workloads() {
    // The clean example, repeated under distinct names; every 500th copy declares the wrong
    // scope, so the report must find exactly those, on the right lines.
    let clean = example("clean-internal-summarizer.genai");
    let header = "workload \"ticket-summarizer\" {";
    let scope_line = "  scope       = 3\n";
    assert!(
        clean.contains(header) && clean.contains(scope_line),
        "the clean example changed"
    );
    let mut text = String::with_capacity(10_600_000);
    let mut wrong_lines = Vec::new();
    let mut workloads = 0;
    let mut lines_so_far = 0;
    while text.len() < 10 * 1024 * 1024 {
        let mut copy = clean.replace(header, &format!("workload \"summarizer-{workloads}\" {{"));
        if workloads % 500 == 0 {
            let before = &copy[..copy.find(scope_line).unwrap()];
            wrong_lines.push((lines_so_far + before.matches('\n').count() + 1) as u64);
            copy = copy.replace(scope_line, "  scope       = 2\n");
        }
        lines_so_far += copy.matches('\n').count();
        text.push_str(&copy);
        workloads += 1;
    }
    let dir = temp_dir();
    write_file(dir.path(), "big.genai", &text);
    let outcome = check(["--format", "json", "big.genai"])
        .current_dir(dir.path())
        .timeout(Duration::from_secs(300))
        .run();
    println!(
        "{} bytes, {workloads} workloads: checked in {:.1?} (debug build)",
        text.len(),
        outcome.elapsed
    );
    outcome.expect_code(1);
    let report = outcome.json();
    assert_contract(&report);
    assert_eq!(
        report["files"][0]["workloads"].as_array().unwrap().len(),
        workloads
    );
    let found: Vec<u64> = diagnostics(&report)
        .iter()
        .map(|(_, d)| {
            assert_eq!(d["code"], "scope-mismatch", "only the seeded findings: {d}");
            d["range"]["start"]["line"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(found, wrong_lines);
    // About 12 s for a debug build alone on this machine; allow for a loaded CI machine.
    assert!(
        outcome.elapsed < Duration::from_secs(120),
        "10 MB took {:?}",
        outcome.elapsed
    );
}

#[test]
fn deep_nesting_of_blocks_and_lists() {
    const DEPTH: usize = 10_000;
    let cases = [
        (
            "blocks.genai",
            format!(
                "workload \"w\" {{\n{}{}}}\n",
                "a {\n".repeat(DEPTH),
                "}\n".repeat(DEPTH)
            ),
        ),
        (
            "lists.genai",
            format!(
                "workload \"w\" {{\n  regions = {}{}\n}}\n",
                "[".repeat(DEPTH),
                "]".repeat(DEPTH)
            ),
        ),
        ("unclosed-blocks.genai", "a {\n".repeat(DEPTH)),
        (
            "unclosed-lists.genai",
            format!("workload \"w\" {{\n  regions = {}\n", "[".repeat(DEPTH)),
        ),
        ("closing-only.genai", "}\n]\n".repeat(DEPTH)),
        (
            "labelled-blocks.genai",
            format!("{}{}", "model \"m\" {\n".repeat(DEPTH), "}\n".repeat(DEPTH)),
        ),
    ];
    for (name, text) in cases {
        let outcome = survives(name, text.as_bytes());
        assert!(
            error_count(&outcome) > 0,
            "{name}: deep nesting is reported"
        );
    }
}

#[test]
fn symlink_loops_do_not_trap_the_walk() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir();
    let root = dir.path();
    write_file(
        root,
        "tree/d/x.genai",
        example("clean-internal-summarizer.genai"),
    );
    symlink("..", root.join("tree/d/up")).unwrap(); // a loop through the parent
    symlink("../d", root.join("tree/d/self")).unwrap(); // a loop through itself
    symlink("b.genai", root.join("tree/a.genai")).unwrap(); // a loop of two links
    symlink("a.genai", root.join("tree/b.genai")).unwrap();
    symlink("nowhere", root.join("tree/dangling.genai")).unwrap();
    let outcome = check(["--format", "json", "tree"])
        .current_dir(root)
        .timeout(Duration::from_secs(30))
        .run();
    outcome.expect_no_crash();
    // Links are not followed inside directories: the real file is reported once.
    assert_eq!(paths(&outcome.json()), ["tree/d/x.genai"]);
    outcome.expect_code(0);
    // A looping link named explicitly is an input error, named on stderr.
    let outcome = check(["--format", "json", "tree/a.genai", "tree/d/x.genai"])
        .current_dir(root)
        .timeout(Duration::from_secs(30))
        .run();
    outcome.expect_code(2);
    assert!(
        outcome.stderr.contains("tree/a.genai"),
        "{}",
        outcome.stderr
    );
    assert_eq!(paths(&outcome.json()), ["tree/d/x.genai"]);
    // A directory named through a looping path is walked like any other.
    let outcome = check(["--format", "json", "tree/d/self/self/up/d"])
        .current_dir(root)
        .timeout(Duration::from_secs(30))
        .run();
    outcome.expect_code(0);
    assert_eq!(paths(&outcome.json()), ["tree/d/self/self/up/d/x.genai"]);
}

#[test]
fn odd_unicode() {
    let clean = example("clean-internal-summarizer.genai");
    // A byte-order mark, as some Windows editors write: the file is still read normally.
    let bom = survives("bom.genai", format!("\u{feff}{clean}").as_bytes());
    assert_eq!(bom.code, Some(0), "a BOM is not a finding: {}", bom.stdout);
    let cases = [
        ("line-separator.genai", clean.replacen('\n', "\u{2028}", 3)),
        (
            "paragraph-separator.genai",
            clean.replace("  scope", "\u{2029}  scope"),
        ),
        (
            "nul-in-string.genai",
            clean.replace("Summarises", "Sum\u{0}marises"),
        ),
        (
            "nul-between-tokens.genai",
            clean.replace("scope       = 3", "scope = 3\u{0}"),
        ),
        (
            "bom-in-the-middle.genai",
            clean.replace("  model", "\u{feff}  model"),
        ),
        (
            "bidi-override.genai",
            clean.replace("ticket-summarizer", "ticket\u{202e}rezirammus"),
        ),
        (
            "combining.genai",
            clean.replace("ticket-summarizer", "tic\u{301}\u{302}\u{303}ket"),
        ),
        (
            "escape-codes.genai",
            clean.replace("Summarises", "\u{1b}[2J\u{1b}[31mSummarises"),
        ),
        (
            "non-characters.genai",
            clean.replace("Summarises", "\u{fffe}\u{ffff}\u{10ffff}"),
        ),
        ("lone-cr.genai", clean.replace('\n', "\r")),
        (
            "mixed-endings.genai",
            clean.replacen('\n', "\r\n", 10).replacen('\n', "\r", 5),
        ),
    ];
    for (name, text) in cases {
        survives(name, text.as_bytes());
    }
    // Overlong and surrogate encodings are not UTF-8: refused like any other.
    survives("overlong.genai", b"workload \"\xC0\xAF\" {}");
    survives("surrogate.genai", b"workload \"\xED\xA0\x80\" {}");
}

#[test]
fn output_into_a_closed_pipe_does_not_panic() {
    // `genai-scope check … | head -c 10`: the reader goes away while a long report is written.
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = temp_dir();
    let many = example("scope3-support-assistant.genai").repeat(300);
    write_file(dir.path(), "many.genai", &many);
    for format in ["text", "json", "sarif"] {
        let mut child = Command::new(crate::support::binary())
            .args(["check", "--format", format, "many.genai"])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then closed
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(
            status.code().is_some_and(|c| c != 101),
            "{format}: {status:?}"
        );
    }
}

/// Engine bug (grammar): the `comment` token is `#` up to the next `\n`, while positions count
/// `\r` as a line break too. In a file with CR-only line endings, a comment on the first line
/// swallows the whole file: no workload, no finding, exit 0.
#[test]
fn lone_cr_line_endings_read_like_lf() {
    let lf = example("scope3-support-assistant.genai");
    let dir = temp_dir();
    write_file(dir.path(), "lf/a.genai", &lf);
    write_file(dir.path(), "cr/a.genai", lf.replace('\n', "\r"));
    let lf_report = check(["--format", "json", "lf"])
        .current_dir(dir.path())
        .run()
        .json();
    let cr_report = check(["--format", "json", "cr"])
        .current_dir(dir.path())
        .run()
        .json();
    assert_eq!(
        lf_report["files"][0]["workloads"],
        cr_report["files"][0]["workloads"]
    );
    assert_eq!(
        lf_report["files"][0]["diagnostics"],
        cr_report["files"][0]["diagnostics"]
    );
}

/// Engine bug (grammar): the format allows any character but `"`, `\` and a newline in a
/// string, yet a NUL inside one is a syntax error (and a follow-on invalid-value).
#[test]
#[ignore = "engine bug: NUL inside a string literal is a syntax error (grammar/grammar.js `string_content`)"]
fn nul_inside_a_string_is_string_content() {
    let clean = example("clean-internal-summarizer.genai");
    let dir = temp_dir();
    write_file(
        dir.path(),
        "nul.genai",
        clean.replace("Summarises", "Sum\u{0}marises"),
    );
    let outcome = check(["--format", "json", "nul.genai"])
        .current_dir(dir.path())
        .run();
    assert_eq!(diagnostics(&outcome.json()), vec![], "{}", outcome.stdout);
    outcome.expect_code(0);
}

/// A message quotes at most a bounded prefix of an identifier: a 100 KB key does not make a
/// 100 KB message.
#[test]
fn messages_quote_a_bounded_prefix_of_an_identifier() {
    let dir = temp_dir();
    let key = "k".repeat(100_000);
    write_file(
        dir.path(),
        "long.genai",
        format!("workload \"w\" {{\n  owner = \"o\"\n  {key} = 1\n}}\n"),
    );
    let outcome = check(["--format", "json", "long.genai"])
        .current_dir(dir.path())
        .run();
    let unknown: Vec<_> = diagnostics(&outcome.json())
        .into_iter()
        .filter(|(_, d)| d["code"] == "unknown-attribute")
        .collect();
    assert_eq!(unknown.len(), 1);
    let message = unknown[0].1["message"].as_str().unwrap();
    assert!(message.len() < 200, "{} bytes", message.len());
}

/// Control characters from a file (its name, its text, the messages quoting it) are printed
/// escaped, with `--color always` too: file content cannot drive the terminal.
#[test]
fn control_characters_from_input_are_escaped_on_the_terminal() {
    let evil = "\u{1b}[999mX\u{1b}]0;title\u{7}";
    let dir = temp_dir();
    let name = format!("e{}.genai", "\u{1b}[998m");
    write_file(
        dir.path(),
        &name,
        format!(
            "workload \"w{evil}\" {{\n  owner = \"o\"\n  audience = \"a{evil}\"\n  k{evil} = 1\n}}\n"
        ),
    );
    for color in ["always", "never"] {
        let outcome = check(["--color", color, name.as_str()])
            .current_dir(dir.path())
            .run();
        outcome.expect_no_crash();
        for raw in ["\u{1b}[999m", "\u{1b}]0;", "\u{7}", "\u{1b}[998m"] {
            assert!(
                !outcome.stdout.contains(raw) && !outcome.stderr.contains(raw),
                "--color {color} passed {raw:?} through:\n{}",
                outcome.stdout
            );
        }
        assert!(
            outcome.stdout.contains("\\u{1b}[999m"),
            "{}",
            outcome.stdout
        );
    }
    // The quoted lines show each control character as one picture (`␛`), so the columns of
    // the `-->` lines are the file's, as in the JSON and SARIF reports.
    assert_cmd_snapshot!(
        "control_characters_text_report",
        super::cli_check(dir.path(), ["--color", "never", name.as_str()])
    );
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "--check", name.as_str()]), @r"
    success: false
    exit_code: 1
    ----- stdout -----

    ----- stderr -----
    genai-scope: e\u{1b}[998m.genai: not formatted: it has syntax errors or comments that cannot be kept in place; left unchanged
    ");
    let outcome = crate::support::genai_scope(["fmt", "--check", name.as_str()])
        .current_dir(dir.path())
        .run();
    assert!(
        !outcome.stdout.contains("\u{1b}[998m"),
        "{}",
        outcome.stdout
    );
}
