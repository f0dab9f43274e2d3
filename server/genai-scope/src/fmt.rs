//! `genai-scope fmt`: rewrites files in the canonical layout (`ide::format`), through
//! `safe_write` (links, mode and owner kept; unwritable or meanwhile changed files refused).
//! Files that cannot be formatted safely (syntax errors, comments that cannot be kept in
//! place) are reported and left alone. A stream (`-`, a named pipe) is formatted to standard
//! output, never written back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check::{Discovery, display, files_for, read_text};
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE_OR_INPUT};
use genai_scope_ide::format::format;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files or directories; directories are searched for *.genai files; `-` is standard
    /// input, formatted to standard output (as is a named pipe). Default: `.`
    pub paths: Vec<PathBuf>,
    /// The name standard input (`-`) goes by in messages.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Change nothing; list the files that would change and exit 1 when there are any.
    #[arg(long)]
    pub check: bool,
    /// Files larger than this many bytes are reported and not formatted (as for `check`).
    #[arg(long, default_value_t = super::check::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
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
    let discovery = Discovery {
        stdin_filename: args.stdin_filename.as_deref(),
        ..Discovery::default()
    };
    let (files, mut errors) =
        match files_for(&args.paths, genai_scope_environment::today(), &discovery) {
            Ok(found) => found,
            Err(code) => return code,
        };
    let files: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    let mut changed = Vec::new();
    let mut unformattable = Vec::new();
    for path in &files {
        match format_file(path, args.check, args.max_file_size) {
            Ok(Outcome::Unchanged) => {}
            // A formatted stream went to stdout already: a "formatted" line would corrupt it.
            Ok(Outcome::Changed) if !args.check && super::input::is_stream(path) => {}
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
        let _ = writeln!(stdout, "{verb} {}", crate::output::printable(path));
    }
    let _ = stdout.flush();
    for path in &unformattable {
        eprintln!(
            "genai-scope: {}: not formatted: it has syntax errors or comments that cannot be kept in place; left unchanged",
            crate::output::printable(path)
        );
    }
    for error in &errors {
        eprintln!(
            "genai-scope: {}: {}",
            crate::output::printable(&error.path),
            crate::output::printable(&error.message)
        );
    }
    if !errors.is_empty() {
        ExitCode::from(EXIT_USAGE_OR_INPUT)
    } else if !unformattable.is_empty() || (args.check && !changed.is_empty()) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_CLEAN)
    }
}

fn format_file(
    path: &Path,
    check_only: bool,
    max_size: u64,
) -> Result<Outcome, super::check::InputError> {
    let text = read_text(path, max_size)?;
    if super::input::is_stream(path) {
        return Ok(format_stream(&text, check_only));
    }
    let Some(formatted) = format(&text) else {
        return Ok(Outcome::Unformattable);
    };
    if formatted == text {
        return Ok(Outcome::Unchanged);
    }
    if !check_only {
        super::safe_write::replace_text(path, &text, &formatted).map_err(|e| {
            super::check::InputError {
                path: display(path),
                message: format!("cannot write: {e}"),
            }
        })?;
    }
    Ok(Outcome::Changed)
}

/// A stream's formatted text goes to standard output (with `--check`, nothing does). Text that
/// cannot be formatted safely is written back unchanged, so a pipe through `fmt -` never
/// loses it.
fn format_stream(text: &str, check_only: bool) -> Outcome {
    let formatted = format(text);
    if !check_only {
        super::print_stdout(formatted.as_deref().unwrap_or(text));
    }
    match formatted {
        None => Outcome::Unformattable,
        Some(formatted) if formatted == text => Outcome::Unchanged,
        Some(_) => Outcome::Changed,
    }
}
