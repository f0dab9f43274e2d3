//! Inputs that are streams, not files: standard input (`-`), and what the command line names
//! that is neither a regular file nor a directory (a named pipe, `<(…)`, `/dev/stdin`). A
//! stream can be read once: the first read keeps its text for the rest of the run (`check
//! --fix` and then `check` read a file twice), and nothing is ever written back to it.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The name of standard input in messages when `--stdin-filename` gives none.
pub const STDIN_NAME: &str = "<stdin>";

/// Where a stream's text comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    Stdin,
    /// A path that is not a regular file, opened and read to its end.
    Named(PathBuf),
}

struct Stream {
    source: Source,
    /// Resolve configuration and evidence as for this path (its directory), not the stream's.
    resolve_as: PathBuf,
    /// The text once read, or why it could not be.
    text: Option<Result<String, String>>,
}

fn streams() -> &'static Mutex<HashMap<PathBuf, Stream>> {
    static STREAMS: OnceLock<Mutex<HashMap<PathBuf, Stream>>> = OnceLock::new();
    STREAMS.get_or_init(Default::default)
}

/// Registers standard input under `name` (`--stdin-filename`, else [`STDIN_NAME`]); returns
/// the path it goes by.
pub fn register_stdin(name: Option<&Path>) -> PathBuf {
    let path = name.map_or_else(|| PathBuf::from(STDIN_NAME), Path::to_path_buf);
    register(path.clone(), Source::Stdin, path.clone());
    path
}

/// Registers `path`, which is neither a regular file nor a directory, as a stream. A process's
/// own descriptors (`/dev/stdin`, `/dev/fd/N` from `<(…)`, `/proc/self/fd/N`) have no project
/// around them: their configuration and evidence are resolved from the working directory.
pub fn register_named(path: &Path) {
    let resolve_as = if path.starts_with("/dev") || path.starts_with("/proc") {
        PathBuf::from(STDIN_NAME)
    } else {
        path.to_path_buf()
    };
    register(
        path.to_path_buf(),
        Source::Named(path.to_path_buf()),
        resolve_as,
    );
}

fn register(path: PathBuf, source: Source, resolve_as: PathBuf) {
    let mut all = streams().lock().unwrap_or_else(|p| p.into_inner());
    all.entry(path).or_insert(Stream {
        source,
        resolve_as,
        text: None,
    });
}

/// Whether `path` is read as a stream (so it cannot be rewritten in place).
pub fn is_stream(path: &Path) -> bool {
    streams()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .contains_key(path)
}

/// The path whose directory gives `path` its configuration and evidence workspace.
pub fn resolve_as(path: &Path) -> PathBuf {
    streams()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(path)
        .map_or_else(|| path.to_path_buf(), |stream| stream.resolve_as.clone())
}

/// The text of a stream, read once: `None` when `path` is no stream; an error message when it
/// cannot be read, is not UTF-8 or holds more than `max_size` bytes.
pub fn read(path: &Path, max_size: u64) -> Option<Result<String, String>> {
    let mut all = streams().lock().unwrap_or_else(|p| p.into_inner());
    let stream = all.get_mut(path)?;
    Some(
        stream
            .text
            .get_or_insert_with(|| read_source(&stream.source, max_size))
            .clone(),
    )
}

/// Reads at most `max_size` bytes and one more, to tell a stream over the limit.
fn read_source(source: &Source, max_size: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    let limit = max_size.saturating_add(1);
    let read = match source {
        Source::Stdin => std::io::stdin().lock().take(limit).read_to_end(&mut bytes),
        Source::Named(path) => {
            std::fs::File::open(path).and_then(|file| file.take(limit).read_to_end(&mut bytes))
        }
    };
    read.map_err(|e| super::check::describe_io(&e))?;
    if bytes.len() as u64 > max_size {
        return Err(format!(
            "more than the limit of {max_size} bytes; not analysed (raise it with --max-file-size)"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); .genai files are UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}
