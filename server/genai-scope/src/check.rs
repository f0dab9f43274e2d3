//! `genai-scope check`: find the files, analyse them on every core, print, pick the exit code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use super::{CheckArgs, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE_OR_INPUT, output};
use genai_scope_analysis::catalog::catalog;
use genai_scope_analysis::config::{ConfigError, Configs, SearchBound};
use genai_scope_analysis::environment::infrastructure::{self, Infrastructure};
use genai_scope_analysis::{Analysis, AnalysisOptions, analyze_syntax};
use genai_scope_environment::today;
use genai_scope_syntax::SourceFile;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// One analysed file.
pub struct Checked {
    /// The path as shown to the user (relative where possible).
    pub path: String,
    pub text: String,
    pub analysis: Analysis,
    /// This file's part of the text report, when it was written while the file's syntax
    /// tree was at hand (the grouped fixes need the tree; parsing each file again cost as
    /// much as the analysis, and keeping every tree until the end, 280 MB on 10,000 files).
    pub rendered: Option<String>,
}

/// A file or directory that could not be read.
pub struct InputError {
    pub path: String,
    pub message: String,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let today = args.today.unwrap_or_else(today);
    let discovery = Discovery {
        stdin_filename: args.stdin_filename.as_deref(),
        workspace: args.root.as_deref(),
        config_bound: if args.config_above_repository {
            SearchBound::FileSystemRoot
        } else {
            SearchBound::RepositoryRoot
        },
        verbose: args.verbose,
        iac: &args.iac,
    };
    if let Some(missing) = args.iac.iter().find(|path| !path.exists()) {
        eprintln!(
            "genai-scope: --iac {}: no such file or directory",
            display(missing)
        );
        return ExitCode::from(EXIT_USAGE_OR_INPUT);
    }
    let (files, mut errors) = match files_for(&args.paths, today, &discovery) {
        Ok(found) => found,
        Err(code) => return code,
    };
    if args.fix {
        // A stream is read, never rewritten: its findings are reported, not fixed.
        let (streams, on_disk): (Vec<&FileToCheck>, Vec<&FileToCheck>) = files
            .iter()
            .partition(|(path, _)| super::input::is_stream(path));
        for (path, _) in streams {
            errors.push(InputError {
                path: display(path),
                message: "not fixed: --fix rewrites files, and this is a stream (`genai-scope fmt -` formats standard input to standard output)".into(),
            });
        }
        let fixed: Vec<Result<super::fix::Fixed, InputError>> = on_disk
            .par_iter()
            .map(|(path, options)| super::fix::fix_file(path, options, args.max_file_size))
            .collect();
        for result in fixed {
            match result {
                Ok(fixed) => eprint!("{}", fixed.describe()),
                Err(error) => errors.push(error),
            }
        }
    }
    let baseline = args
        .baseline
        .as_ref()
        .map(|path| (path, super::baseline::read(path)));
    let accepted = match &baseline {
        Some((path, Ok(baseline))) => Some(super::baseline::Accepted::new(baseline, path)),
        _ => None,
    };
    let color = match args.color {
        super::ColorChoice::Always => true,
        super::ColorChoice::Never => false,
        super::ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    let render_text = args.format == super::Format::Text && !args.list_suppressions;
    // Each file is filtered by the baseline (whose entries are per file) and, for the text
    // report, written while its syntax tree is still at hand.
    let checked = check_all_then(&files, args.max_file_size, &mut errors, |file, syntax| {
        if let Some(accepted) = &accepted {
            accepted.filter(file);
        }
        if render_text {
            file.rendered = Some(output::text::render_file(file, syntax, color));
        }
    });
    if let Some((_, Err(message))) = &baseline {
        eprintln!("genai-scope: {message}");
        return ExitCode::from(EXIT_USAGE_OR_INPUT);
    }
    let mut wrote_baseline = false;
    if let Some(path) = &args.write_baseline {
        match super::baseline::write(path, &checked) {
            Ok(count) => {
                eprintln!(
                    "genai-scope: wrote {count} finding{} to the baseline {}",
                    if count == 1 { "" } else { "s" },
                    display(path)
                );
                wrote_baseline = true;
            }
            Err(message) => {
                eprintln!("genai-scope: {message}");
                return ExitCode::from(EXIT_USAGE_OR_INPUT);
            }
        }
    }
    let rendered = match args.format {
        super::Format::Text if args.list_suppressions => super::suppressions::render_text(&checked),
        super::Format::Json if args.list_suppressions => super::suppressions::render_json(&checked),
        super::Format::Text => output::text::render(&checked, color),
        super::Format::Json => {
            output::json::print(&checked);
            String::new()
        }
        super::Format::Sarif => {
            // Streamed: a large run's whole log need not be held in memory.
            output::sarif::print(&checked);
            String::new()
        }
    };
    // A path that does not exist was reported on stderr already; "No .genai files found"
    // would say it twice.
    let nothing_to_say = checked.is_empty()
        && !errors.is_empty()
        && args.format == super::Format::Text
        && !args.list_suppressions;
    if !nothing_to_say {
        // Only the suppressions' text listing quotes the files as they are (their reasons), so
        // only it is stripped of escapes when colours were not asked for. The text report is
        // printable by construction (`output::printable`) and coloured only when asked, and
        // JSON escapes every control character: both are written as they are, not scanned
        // (on one core, after the rest: 2% of a run's instructions for 10,000 files).
        let as_it_is = color || args.format != super::Format::Text || !args.list_suppressions;
        super::print_stdout_styled(&rendered, as_it_is);
    }

    let code = if !errors.is_empty() {
        EXIT_USAGE_OR_INPUT
    } else if wrote_baseline {
        EXIT_CLEAN
    } else if args.fail_on.threshold().is_some_and(|threshold| {
        checked
            .iter()
            .flat_map(|file| &file.analysis.diagnostics)
            .any(|d| d.severity >= threshold)
    }) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // The process ends next, and the system takes its memory back at once: freeing every
    // file's analysis one allocation at a time took longer than writing the report.
    std::mem::forget(checked);
    std::mem::forget(files);
    ExitCode::from(code)
}

/// Explicit files as given, whatever their name; `-` (standard input) and what is neither a
/// file nor a directory (a named pipe, `/dev/stdin`) as streams ([`super::input`]);
/// directories searched for `*.genai`, without following links (so link loops cannot trap the
/// walk). Sorted; a file reached twice (`./a.genai` and `.`, a relative and an absolute path)
/// is checked and reported once.
fn collect_files(
    roots: &[PathBuf],
    stdin_filename: Option<&Path>,
) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        if root.as_os_str() == "-" {
            files.push(super::input::register_stdin(stdin_filename));
            continue;
        }
        match std::fs::metadata(root) {
            Err(error) => errors.push(InputError {
                path: display(root),
                message: describe_io(&error),
            }),
            Ok(meta) if meta.is_file() => files.push(root.clone()),
            Ok(meta) if !meta.is_dir() => {
                super::input::register_named(root);
                files.push(root.clone());
            }
            Ok(_) => {
                for entry in walkdir::WalkDir::new(root)
                    .follow_links(false)
                    .sort_by_file_name()
                {
                    match entry {
                        Ok(entry) if entry.file_type().is_file() && is_genai(entry.path()) => {
                            files.push(entry.into_path());
                        }
                        Ok(_) => {}
                        Err(error) => errors.push(InputError {
                            path: error.path().map_or_else(|| display(root), display),
                            message: error
                                .io_error()
                                .map_or_else(|| error.to_string(), describe_io),
                        }),
                    }
                }
            }
        }
    }
    // `./a.genai` and `a.genai` are the same file; so are any two paths that resolve alike.
    let mut files: Vec<PathBuf> = files.iter().map(|path| without_cur_dir(path)).collect();
    files.sort();
    // One root cannot reach a file twice (a walk visits each path once and follows no links),
    // so only several roots need each file resolved, a system call per path component.
    if roots.len() < 2 {
        return (files, errors);
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|path| {
        // A stream is its own input, even where its name is a file's (`--stdin-filename`).
        let identity = if super::input::is_stream(path) {
            path.clone()
        } else {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())
        };
        seen.insert((super::input::is_stream(path), identity))
    });
    (files, errors)
}

/// The path without `.` components (`./a/./b.genai` → `a/b.genai`).
fn without_cur_dir(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        cleaned
    }
}

fn is_genai(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "genai")
}

/// Reads and analyses one file; `then` sees it with its syntax tree before the tree is
/// dropped.
fn check_file(
    path: &Path,
    options: &AnalysisOptions,
    max_size: u64,
    then: &(impl Fn(&mut Checked, &SourceFile) + Sync),
) -> Result<Checked, InputError> {
    let text = read_text(path, max_size)?;
    let syntax = genai_scope_syntax::parse(&text);
    let analysis = analyze_syntax(&text, &syntax, options);
    let mut checked = Checked {
        path: display(path),
        text,
        analysis,
        rendered: None,
    };
    then(&mut checked, &syntax);
    Ok(checked)
}

/// Each file with its analysis options, the settings of its nearest `genai-scope.toml`
/// included. Files found by walking a directory are dropped when that configuration's
/// `include`/`exclude` leave them out; files named on the command line are always checked.
/// The first invalid configuration is an error.
/// With `verbose`, which configuration applies to each file is said on stderr.
fn with_options(
    roots: &[PathBuf],
    files: Vec<PathBuf>,
    today: time::Date,
    discovery: &Discovery<'_>,
) -> Result<Vec<(PathBuf, AnalysisOptions)>, ConfigError> {
    let environment = genai_scope_environment::shared();
    let configs = Configs::new(discovery.config_bound);
    let explicit: Vec<PathBuf> = roots
        .iter()
        .filter(|root| !root.is_dir())
        .map(|root| without_cur_dir(root))
        .collect();
    let mut out = Vec::with_capacity(files.len());
    // Infrastructure is read once: for the command line's `--iac`, or per configuration.
    let from_command_line = (!discovery.iac.is_empty()).then(|| {
        Arc::new(infrastructure::load(
            &*environment,
            discovery.iac,
            Path::new("."),
        ))
    });
    let mut by_config: HashMap<PathBuf, Arc<Infrastructure>> = HashMap::new();
    // Everything but `include`/`exclude` depends on the file's directory only: worked out once
    // per directory, not once per file (the evidence workspace is a walk up the tree).
    let mut by_dir: HashMap<PathBuf, ForDirectory> = HashMap::new();
    for path in files {
        // A stream is resolved as the path it stands for (`--stdin-filename`, or the working
        // directory for standard input).
        let resolve_as = super::input::resolve_as(&path);
        let explicitly_named = super::input::is_stream(&path) || explicit.contains(&path);
        if discovery.verbose {
            let search = configs.search(&*environment, &resolve_as);
            eprintln!(
                "genai-scope: {}: {}",
                crate::output::printable(&display(&path)),
                crate::output::printable(&search.describe())
            );
        }
        let dir = resolve_as
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let prepared = match by_dir.entry(dir) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                let mut options =
                    AnalysisOptions::for_file(&environment, &resolve_as, discovery.workspace);
                options.today = Some(today);
                let config = configs.for_file(&*environment, &resolve_as, catalog())?;
                if let Some(config) = &config {
                    if from_command_line.is_none() && !config.iac.is_empty() {
                        let loaded = by_config.entry(config.path.clone()).or_insert_with(|| {
                            Arc::new(infrastructure::load(
                                &*environment,
                                &config.iac,
                                &config.dir,
                            ))
                        });
                        options.infrastructure = Some(loaded.clone());
                    }
                    options.settings = config.settings.clone();
                }
                if from_command_line.is_some() {
                    options.infrastructure = from_command_line.clone();
                }
                entry.insert(ForDirectory { options, config })
            }
        };
        if let Some(config) = &prepared.config
            && !explicitly_named
            && !config.includes(&*environment, &path)
        {
            continue;
        }
        out.push((path, prepared.options.clone()));
    }
    Ok(out)
}

/// The options and configuration of the files of one directory.
struct ForDirectory {
    options: AnalysisOptions,
    config: Option<genai_scope_analysis::config::Config>,
}

/// How `check`, `fmt` and `report` find their inputs and what applies to them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Discovery<'a> {
    /// The name of standard input (`-`), for messages and to resolve it as that path.
    pub stdin_filename: Option<&'a Path>,
    /// `--root`: the workspace evidence paths may not leave.
    pub workspace: Option<&'a Path>,
    /// How far up a `genai-scope.toml` is looked for.
    pub config_bound: SearchBound,
    /// Say which configuration applies to each file.
    pub verbose: bool,
    /// `--iac`: infrastructure code for every file (else each configuration's `iac`).
    pub iac: &'a [PathBuf],
}

/// A file found, with the options to analyse it with.
pub type FileToCheck = (PathBuf, AnalysisOptions);

/// The `.genai` files of `paths` (default: the working directory) with their analysis
/// options, and the inputs that could not be read, for `check`, `fmt` and `report`. An invalid
/// configuration is printed and is exit code 2.
pub fn files_with_options(
    paths: &[PathBuf],
    today: time::Date,
) -> Result<(Vec<FileToCheck>, Vec<InputError>), ExitCode> {
    files_for(paths, today, &Discovery::default())
}

/// As [`files_with_options`], with the choices of [`Discovery`] (`--stdin-filename`,
/// `--root`, `--config-above-repository`, `--verbose`).
pub fn files_for(
    paths: &[PathBuf],
    today: time::Date,
    discovery: &Discovery<'_>,
) -> Result<(Vec<FileToCheck>, Vec<InputError>), ExitCode> {
    let roots = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    if discovery.stdin_filename.is_some() && !roots.iter().any(|root| root.as_os_str() == "-") {
        eprintln!(
            "genai-scope: --stdin-filename names standard input, which is read only when `-` is among the paths"
        );
        return Err(ExitCode::from(EXIT_USAGE_OR_INPUT));
    }
    let (files, errors) = collect_files(&roots, discovery.stdin_filename);
    match with_options(&roots, files, today, discovery) {
        Ok(files) => Ok((files, errors)),
        Err(mut error) => {
            error.path = PathBuf::from(display(&error.path));
            eprintln!("genai-scope: invalid configuration: {error}");
            Err(ExitCode::from(EXIT_USAGE_OR_INPUT))
        }
    }
}

/// A file's text: at most `max_size` bytes of UTF-8.
pub fn read_text(path: &Path, max_size: u64) -> Result<String, InputError> {
    let shown = display(path);
    let error = |message: String| InputError {
        path: shown.clone(),
        message,
    };
    if let Some(read) = super::input::read(path, max_size) {
        return read.map_err(error);
    }
    // Opened once and measured through the handle: a path looked up twice (its size, then
    // its bytes) was a system call and a path walk more per file.
    let mut file = std::fs::File::open(path).map_err(|e| error(describe_io(&e)))?;
    let size = file.metadata().map_err(|e| error(describe_io(&e)))?.len();
    if size > max_size {
        return Err(error(format!(
            "{size} bytes is more than the limit of {max_size}; not analysed (raise it with --max-file-size)"
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(|e| error(describe_io(&e)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        error(format!(
            "not UTF-8 text (invalid byte at offset {}); .genai files are UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(text)
}

/// A path for messages and reports: relative to the working directory when under it, with
/// forward slashes.
pub fn display(path: &Path) -> String {
    // Read once: nothing here changes the working directory, and a run displays every path.
    static WORKING_DIRECTORY: std::sync::LazyLock<Option<PathBuf>> =
        std::sync::LazyLock::new(|| std::env::current_dir().ok());
    let relative = WORKING_DIRECTORY
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

pub(crate) fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// Analyses the files on every core; read errors join `errors`, and all errors so far are
/// printed to stderr.
pub fn check_all(
    files: &[(PathBuf, AnalysisOptions)],
    max_size: u64,
    errors: &mut Vec<InputError>,
) -> Vec<Checked> {
    check_all_then(files, max_size, errors, |_, _| {})
}

/// As [`check_all`], calling `then` on each file (on the core that analysed it) with its
/// syntax tree, which is not kept.
pub fn check_all_then(
    files: &[(PathBuf, AnalysisOptions)],
    max_size: u64,
    errors: &mut Vec<InputError>,
    then: impl Fn(&mut Checked, &SourceFile) + Sync,
) -> Vec<Checked> {
    let results: Vec<Result<Checked, InputError>> = files
        .par_iter()
        .map(|(path, options)| check_file(path, options, max_size, &then))
        .collect();
    let mut checked = Vec::new();
    for result in results {
        match result {
            Ok(file) => checked.push(file),
            Err(error) => errors.push(error),
        }
    }
    for error in errors.iter() {
        eprintln!(
            "genai-scope: {}: {}",
            crate::output::printable(&error.path),
            crate::output::printable(&error.message)
        );
    }
    checked
}
