//! `genai-scope report`: the reviewer's report (HTML or Markdown) of files and directories.

use std::path::PathBuf;
use std::process::ExitCode;

use super::check::{Discovery, check_all, display, files_for};
use super::{EXIT_CLEAN, EXIT_USAGE_OR_INPUT};
use genai_scope_environment::today;
use genai_scope_ide::report::{FileInput, html, markdown};

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Files or directories; directories are searched for *.genai files; `-` is standard
    /// input. Default: `.`
    pub paths: Vec<PathBuf>,
    /// The name standard input (`-`) goes by in the report, and whose directory gives it its
    /// configuration and evidence workspace.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The date `overdue-control` compares `due` dates with (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub today: Option<time::Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Markdown,
}

/// Exit codes: 0 when the report was written (whatever it finds), 2 when input or the
/// configuration could not be read or the output not written.
pub fn run(args: &ReportArgs) -> ExitCode {
    let discovery = Discovery {
        stdin_filename: args.stdin_filename.as_deref(),
        ..Discovery::default()
    };
    let (files, mut errors) =
        match files_for(&args.paths, args.today.unwrap_or_else(today), &discovery) {
            Ok(found) => found,
            Err(code) => return code,
        };
    let checked = check_all(&files, super::check::DEFAULT_MAX_FILE_SIZE, &mut errors);
    let inputs: Vec<FileInput<'_>> = checked
        .iter()
        .map(|file| FileInput {
            path: &file.path,
            text: &file.text,
            analysis: &file.analysis,
        })
        .collect();
    let rendered = match args.format {
        ReportFormat::Html => html(&inputs),
        ReportFormat::Markdown => markdown(&inputs),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, rendered) {
                eprintln!(
                    "genai-scope: {}: cannot write the report: {e}",
                    display(path)
                );
                return ExitCode::from(EXIT_USAGE_OR_INPUT);
            }
        }
        None => super::print_stdout(&rendered),
    }
    if errors.is_empty() {
        ExitCode::from(EXIT_CLEAN)
    } else {
        ExitCode::from(EXIT_USAGE_OR_INPUT)
    }
}
