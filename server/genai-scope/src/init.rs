//! `genai-scope init --from PATH [--output FILE] [--force]`: a draft declaration from the
//! infrastructure code under PATH (Terraform, plan JSON, CloudFormation, CDK output), through
//! `genai-scope-iac`, in the layout of `fmt`. To standard output by default; an existing file
//! is replaced only with `--force` (through `safe_write`).

use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use super::{EXIT_CLEAN, EXIT_USAGE_OR_INPUT};
use genai_scope_iac::discover::{self, FileSystem};

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// A directory (searched for *.tf, *.json, *.yaml, *.yml, *.template) or one file.
    #[arg(long, value_name = "PATH")]
    pub from: PathBuf,
    /// Write the draft to FILE instead of standard output; paths in it are then relative
    /// to FILE's directory.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE when it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// The real file system, for the discovery.
struct Disk;

impl FileSystem for Disk {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect()
    }
    fn file_size(&self, path: &Path) -> std::io::Result<u64> {
        std::fs::metadata(path).map(|m| m.len())
    }
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

pub fn run(args: &InitArgs) -> ExitCode {
    if !args.from.exists() {
        eprintln!(
            "genai-scope: {}: no such file or directory",
            args.from.display()
        );
        return ExitCode::from(EXIT_USAGE_OR_INPUT);
    }
    if let Some(output) = &args.output
        && output.exists()
        && !args.force
    {
        eprintln!(
            "genai-scope: {} already exists; not overwritten (--force replaces it)",
            output.display()
        );
        return ExitCode::from(EXIT_USAGE_OR_INPUT);
    }
    // Paths in the draft are relative to where it is read from: the output's directory, or
    // the working directory for standard output.
    let base = match &args.output {
        Some(output) => output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        None => PathBuf::from("."),
    };
    let text = draft_text(&args.from, &base);
    match &args.output {
        None => {
            super::print_stdout(&text);
            ExitCode::from(EXIT_CLEAN)
        }
        Some(output) => match write(output, &text, args.force) {
            Ok(()) => {
                eprintln!("genai-scope: wrote {}", output.display());
                ExitCode::from(EXIT_CLEAN)
            }
            Err(message) => {
                eprintln!("genai-scope: {}: {message}", output.display());
                ExitCode::from(EXIT_USAGE_OR_INPUT)
            }
        },
    }
}

/// The formatted draft of the infrastructure under `from`, paths relative to `base`;
/// unreadable files are reported on standard error (and named in the draft).
pub fn draft_text(from: &Path, base: &Path) -> String {
    let display = |path: &Path| relative_display(path, base);
    let (files, mut unreadable) = discover::collect(&Disk, from, &display);
    let mut inventory = genai_scope_iac::read_sources(&files);
    inventory.unreadable.append(&mut unreadable);
    inventory
        .unreadable
        .sort_by(|a, b| a.location.sort_key().cmp(&b.location.sort_key()));
    for finding in &inventory.unreadable {
        eprintln!(
            "{}:{}: warning: iac-unreadable: {}",
            finding.location.path,
            finding.location.start_line + 1,
            finding.reason
        );
    }
    let draft = genai_scope_iac::facts::draft(&inventory);
    let text = genai_scope_iac::draft::write(&draft);
    genai_scope_ide::format::format(&text).unwrap_or(text)
}

/// `path` relative to `base` with `/` separators, or as given when there is no relative path.
fn relative_display(path: &Path, base: &Path) -> String {
    let relative = match (std::path::absolute(path), std::path::absolute(base)) {
        (Ok(path), Ok(base)) => relative_to(&normalize(&path), &normalize(&base)),
        _ => None,
    };
    let shown = relative.unwrap_or_else(|| path.to_path_buf());
    let text = shown.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    if path.first() != base.first() {
        return None;
    }
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &path[common..] {
        out.push(component);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
}

/// Writes a new file, or replaces an existing one (only called so with `--force`).
fn write(path: &Path, text: &str, force: bool) -> Result<(), String> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write: {e}")),
        Err(e) if e.kind() == ErrorKind::AlreadyExists && force => {
            let original =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
            super::safe_write::replace_text(path, &original, text).map_err(|r| r.to_string())
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            Err("already exists; not overwritten (--force replaces it)".to_string())
        }
        Err(e) => Err(format!("cannot write: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::diagnostic::Code;
    use genai_scope_analysis::{AnalysisOptions, analyze};

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/iac")
    }

    #[test]
    fn names_from_the_infrastructure_cannot_break_the_syntax() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            "resource \"aws_bedrockagent_agent\" \"a\" {\n  agent_name = \"a\\\"b\\\\c\\n}{ # x\"\n  description = \"line\\nbreak\\u0007\"\n  foundation_model = \"m\\\" # not a comment\"\n}\n",
        )
        .unwrap();
        let text = draft_text(dir.path(), dir.path());
        // Line breaks become spaces; quotes and backslashes are escaped.
        assert!(text.contains("agent \"a\\\"b\\\\c }{ # x\" {"), "{text}");
        let tree = genai_scope_syntax::parse_tree(&text, None);
        assert!(!tree.root_node().has_error(), "{text}");
        assert_eq!(
            genai_scope_ide::format::format(&text).as_deref(),
            Some(text.as_str())
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to(Path::new("/a/b/c.tf"), Path::new("/a/d")),
            Some(PathBuf::from("../b/c.tf"))
        );
        assert_eq!(
            relative_to(Path::new("/a"), Path::new("/a")),
            Some(PathBuf::from("."))
        );
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn every_fixture_drafts_a_formatted_file_without_syntax_errors() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(fixtures())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();
        assert!(entries.len() >= 8, "{entries:?}");
        for dir in entries {
            let text = draft_text(&dir, &fixtures());
            assert_eq!(
                genai_scope_ide::format::format(&text).as_deref(),
                Some(text.as_str()),
                "{}: fmt changes the draft",
                dir.display()
            );
            let analysis = analyze(&text, &AnalysisOptions::default());
            let syntax: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::SyntaxError)
                .collect();
            assert!(syntax.is_empty(), "{}:\n{text}\n{syntax:#?}", dir.display());
            assert_eq!(text, draft_text(&dir, &fixtures()), "not deterministic");
        }
    }
}
