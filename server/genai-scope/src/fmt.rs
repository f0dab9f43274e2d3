//! `genai-scope fmt`: rewrites files in the canonical layout (`ide::format`), atomically.
//! Files that cannot be formatted safely (syntax errors, comments that cannot be kept in
//! place) are reported and left alone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::{display, files_with_options, read_text};
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE_OR_INPUT};
use genai_scope_ide::format::format;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files or directories; directories are searched for *.genai files. Default: `.`
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that would change and exit 1 when there are any.
    #[arg(long)]
    pub check: bool,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Unformattable,
}

/// Exit codes: 0 when every file is (or, with `--check`, already was) formatted; 1 when a
/// file would change (`--check`) or cannot be formatted safely; 2 when input is unreadable.
pub fn run(args: &FmtArgs) -> ExitCode {
    // The same files as `check`: a project's `include`/`exclude` apply to directory walks.
    let (files, mut errors) = match files_with_options(&args.paths, genai_scope_analysis::today()) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let files: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    let mut changed = Vec::new();
    let mut unformattable = Vec::new();
    for path in &files {
        match format_file(path, args.check) {
            Ok(Outcome::Unchanged) => {}
            Ok(Outcome::Changed) => changed.push(display(path)),
            Ok(Outcome::Unformattable) => unformattable.push(display(path)),
            Err(error) => errors.push(error),
        }
    }
    let mut stdout = anstream::stdout().lock();
    for path in &changed {
        let verb = if args.check {
            "would reformat"
        } else {
            "formatted"
        };
        let _ = writeln!(stdout, "{verb} {path}");
    }
    let _ = stdout.flush();
    for path in &unformattable {
        eprintln!(
            "genai-scope: {path}: not formatted: it has syntax errors or comments that cannot be kept in place; left unchanged"
        );
    }
    for error in &errors {
        eprintln!("genai-scope: {}: {}", error.path, error.message);
    }
    if !errors.is_empty() {
        ExitCode::from(EXIT_USAGE_OR_INPUT)
    } else if !unformattable.is_empty() || (args.check && !changed.is_empty()) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}

fn format_file(path: &Path, check_only: bool) -> Result<Outcome, super::check::InputError> {
    let text = read_text(path, u64::MAX)?;
    let Some(formatted) = format(&text) else {
        return Ok(Outcome::Unformattable);
    };
    if formatted == text {
        return Ok(Outcome::Unchanged);
    }
    if !check_only {
        write_atomic(path, &formatted).map_err(|e| super::check::InputError {
            path: display(path),
            message: format!("cannot write: {e}"),
        })?;
    }
    Ok(Outcome::Changed)
}

/// Replaces the contents of `path` with `text` atomically: a temporary file in the same
/// directory (so the rename does not cross file systems), with the original's permissions,
/// synced, then renamed over the original. Readers see the old or the new file, never half.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let permissions = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(
            ".{name}.genai-scope-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        if let Some(permissions) = permissions {
            std::fs::set_permissions(&temp, permissions)?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_the_contents_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("genai-scope-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.genai");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, "new text").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new text");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.genai")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
