//! genai-scope: the command line (`check`, `fmt`, `new`, `init`, `report`, `export`, `explain`, `matrix`,
//! `lsp`, `completions`),
//! a thin shell over the analysis with text, JSON and SARIF output.
//!
//! May depend on: every genai-scope crate below it (syntax, analysis, ide, lsp, iac) and the CLI's
//! own crates (clap, clap_complete, clap_mangen, rayon, walkdir, annotate-snippets, serde-sarif). Nothing depends on it.

mod baseline;
mod check;
mod export;
mod fix;
mod fmt;
mod init;
mod input;
mod new;
mod output;
mod report;
mod safe_write;
mod suppressions;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use genai_scope_analysis::catalog::catalog;
use genai_scope_analysis::diagnostic::Severity;

#[derive(Parser, Debug)]
#[command(
    name = "genai-scope",
    version,
    about = "The Generative AI Security Scoping Matrix, executable: checks *.genai workload declarations",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files and directories (recursing for *.genai) and report findings.
    Check(CheckArgs),
    /// Rewrite files in the canonical layout (files with syntax errors are left alone).
    Fmt(fmt::FmtArgs),
    /// Write NAME.genai: a starter workload at scope N with the controls it requires planned.
    New(new::NewArgs),
    /// Draft a declaration from infrastructure code (Terraform, plan JSON, CloudFormation, CDK
    /// output): every block bound to its resource, unreadable facts marked `review:`.
    Init(init::InitArgs),
    /// Write a report for reviewers (HTML or Markdown): scopes, heat map, missing controls,
    /// findings.
    Report(report::ReportArgs),
    /// Write the AI inventory (workloads, models, data, declared controls) as one CycloneDX
    /// 1.6 JSON BOM.
    Export(export::ExportArgs),
    /// Print a shell completion script (bash, zsh or fish) to standard output.
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print the man page (roff) to standard output; man/genai-scope.1 is its output.
    #[command(hide = true)]
    Man,
    /// Print the documentation of a diagnostic code, a control id or a scope ("scope 3").
    Explain {
        /// e.g. `scope-mismatch`, `risk.threat_model`, `3`
        #[arg(required = true)]
        id: Vec<String>,
    },
    /// Print the scope × discipline table of required controls.
    Matrix,
    /// Run the language server on standard input and output.
    Lsp {
        /// Accepted for compatibility with clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories; directories are searched for *.genai files; `-` is standard
    /// input, and a named pipe or `/dev/stdin` is read as given. Default: `.`
    pub paths: Vec<PathBuf>,
    /// The name standard input (`-`) goes by in messages, and whose directory gives it its
    /// configuration and evidence workspace (default: `<stdin>` in the working directory).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Also say on standard error which `genai-scope.toml` applies to each file, or why none
    /// does (where the search stopped).
    #[arg(long, short)]
    pub verbose: bool,
    /// Let the search for `genai-scope.toml` go on above the repository root (by default it
    /// stops at the nearest directory with `.git`).
    #[arg(long)]
    pub config_above_repository: bool,
    /// Infrastructure code (a Terraform directory, a plan JSON, a CloudFormation or CDK
    /// template) to hold bound declarations to: drift. Repeatable; replaces the
    /// configuration's `iac = [...]`.
    #[arg(long, value_name = "PATH")]
    pub iac: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// When to colour the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Files larger than this many bytes are reported and not analysed.
    #[arg(long, default_value_t = check::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// The date `overdue-control` compares `due` dates with (default: today, UTC); set it for
    /// reports that do not change from one day to the next.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<time::Date>,
    /// Apply the safe fixes (missing controls as `status = planned`, …) to each file first,
    /// then report what remains. Files with syntax errors are not touched.
    #[arg(long)]
    pub fix: bool,
    /// Instead of the findings, list those that inline suppressions silence (path, line,
    /// rule, reason, until); `--format json` gives them as JSON. The exit code is unchanged.
    #[arg(long)]
    pub list_suppressions: bool,
    /// Record every current finding in FILE (JSON) and exit 0: findings it holds are not
    /// reported by `--baseline FILE`.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings that are not in the baseline FILE (matched by file and
    /// fingerprint, so moved lines do not matter).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The workspace that `evidence` paths may not leave (default: the nearest directory at
    /// or above each file with `genai-scope.toml` or `.git`, else the file's directory).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<time::Date, String> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Exit codes of `check`.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE_OR_INPUT: u8 = 2;

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::New(args) => new::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Completions { shell } => {
            print_stdout(&completions(shell));
            ExitCode::SUCCESS
        }
        Command::Man => match man_page() {
            Ok(page) => {
                print_stdout(&page);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("genai-scope: cannot render the man page: {e}");
                ExitCode::from(EXIT_USAGE_OR_INPUT)
            }
        },
        Command::Explain { id } => explain(&id.join(" ")),
        Command::Matrix => match project_settings() {
            Ok(settings) => {
                let catalog = &settings.catalog;
                print_stdout(&format!(
                    "{}\nAgentic AI Security Scoping Matrix (agency scope × security dimension):\n\n{}",
                    genai_scope_ide::docs::matrix_markdown(catalog),
                    genai_scope_ide::docs::agentic_matrix_markdown(catalog)
                ));
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Command::Lsp { .. } => genai_scope_lsp::run_stdio(),
    }
}

/// The completion script for `shell`, generated from the command-line definition.
pub fn completions(shell: CompletionShell) -> String {
    use clap::CommandFactory as _;
    use clap_complete::Shell;
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "genai-scope", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The man page (roff), generated from the command-line definition.
pub fn man_page() -> std::io::Result<String> {
    use clap::CommandFactory as _;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The settings of the `genai-scope.toml` that applies to the working directory (the
/// defaults when there is none); an invalid one is reported and is exit code 2.
pub(crate) fn project_settings() -> Result<genai_scope_analysis::Settings, ExitCode> {
    let environment = genai_scope_environment::RealEnvironment;
    let Some(path) = genai_scope_analysis::config::find_from(&environment, Path::new(".")) else {
        return Ok(genai_scope_analysis::Settings::default());
    };
    match genai_scope_analysis::config::Config::load(&environment, &path, catalog()) {
        Ok(config) => Ok(config.settings),
        Err(error) => {
            eprintln!("genai-scope: {error}");
            Err(ExitCode::from(EXIT_USAGE_OR_INPUT))
        }
    }
}

fn explain(id: &str) -> ExitCode {
    let settings = match project_settings() {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    match genai_scope_ide::docs::explain(&settings.catalog, id.trim()) {
        Some(text) => {
            print_stdout(&text);
            ExitCode::SUCCESS
        }
        None => {
            let shown = output::printable(id.trim());
            match nearest_explainable(&settings.catalog, id.trim()) {
                Some(suggestion) => eprintln!(
                    "genai-scope: `{shown}` is neither a diagnostic code, a control id nor a scope; did you mean `{suggestion}`? (`genai-scope explain {suggestion}`)"
                ),
                None => eprintln!(
                    "genai-scope: `{shown}` is neither a diagnostic code, a control id nor a scope; `genai-scope matrix` lists the controls"
                ),
            }
            ExitCode::from(EXIT_USAGE_OR_INPUT)
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`genai-scope matrix | head`).
pub(crate) fn print_stdout(text: &str) {
    let mut stdout = anstream::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes text whose colouring was already decided (`--color`): kept as is when `color`,
/// stripped of any escape otherwise. Unlike [`print_stdout`], it keeps the colours in a pipe
/// when asked to (`--color always | less -R`).
pub(crate) fn print_stdout_styled(text: &str, color: bool) {
    let choice = if color {
        anstream::ColorChoice::Always
    } else {
        anstream::ColorChoice::Never
    };
    let mut stdout = anstream::AutoStream::new(std::io::stdout().lock(), choice);
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// The diagnostic code or control id (the project's custom controls included) closest to a
/// misspelt `id`, when one is close enough to suggest: a control named without its discipline
/// (`threat_model`), or an id a few edits away (at most one in four characters).
fn nearest_explainable(
    catalog: &genai_scope_analysis::catalog::Catalog,
    id: &str,
) -> Option<String> {
    // Arguments are the user's: a long one is no typo of a short id.
    if id.is_empty() || id.chars().count() > 100 {
        return None;
    }
    let codes = genai_scope_analysis::diagnostic::Code::ALL
        .iter()
        .map(|code| code.as_str());
    let controls = catalog.controls.iter().map(|control| control.id.as_str());
    let candidates: Vec<&str> = codes.chain(controls).collect();
    let wanted = id.to_lowercase().replace([' ', '_'], "-");
    let normal = |candidate: &str| candidate.to_lowercase().replace('_', "-");
    let by_name: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| {
            c.split_once('.')
                .is_some_and(|(_, name)| normal(name) == wanted)
        })
        .collect();
    if let [only] = by_name.as_slice() {
        return Some(only.to_string());
    }
    let allowed = (wanted.chars().count() / 4).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(&wanted, &normal(candidate)), candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_string())
}

/// The Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("missng", "missing"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }
}
