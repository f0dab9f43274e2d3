//! What the analysis asks of its surroundings: whether a path exists, where links lead,
//! configuration files, the working directory and today's date. The analysis never reaches
//! the file system or the clock itself; the CLI and the language server hand in the real one
//! (the `genai-scope-environment` crate), tests an in-memory one.

pub mod infrastructure;
pub mod memory;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use time::Date;

/// The file system and clock, as far as the analysis needs them.
pub trait Environment: Send + Sync {
    /// Today's date (UTC).
    fn today(&self) -> Date;
    /// The working directory, for relative paths; `None` when unknown.
    fn current_dir(&self) -> Option<PathBuf>;
    /// Whether something exists at `path` (links followed).
    fn exists(&self, path: &Path) -> bool;
    /// Whether `path` is a regular file (links followed).
    fn is_file(&self, path: &Path) -> bool;
    /// `path` absolute with every link resolved; `None` when it does not exist.
    fn canonicalize(&self, path: &Path) -> Option<PathBuf>;
    /// The text of a (configuration) file.
    fn read_to_string(&self, path: &Path) -> std::io::Result<String>;
    /// When the file was last modified, when known.
    fn modified(&self, path: &Path) -> Option<SystemTime>;
    /// Whether `path` is a directory (links followed). For reading infrastructure code.
    fn is_dir(&self, _path: &Path) -> bool {
        false
    }
    /// The entries of a directory, in any order (infrastructure code).
    fn read_dir(&self, _path: &Path) -> std::io::Result<Vec<PathBuf>> {
        Err(std::io::ErrorKind::NotFound.into())
    }
    /// The size of a file in bytes (large infrastructure files are not read).
    fn file_size(&self, path: &Path) -> std::io::Result<u64> {
        self.read_to_string(path).map(|text| text.len() as u64)
    }
}

/// An environment with nothing in it: no files, no working directory, a fixed date. The
/// default of [`crate::AnalysisOptions`], so analysing text alone never touches the disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEnvironment;

impl Environment for NoEnvironment {
    fn today(&self) -> Date {
        Date::MIN
    }
    fn current_dir(&self) -> Option<PathBuf> {
        None
    }
    fn exists(&self, _: &Path) -> bool {
        false
    }
    fn is_file(&self, _: &Path) -> bool {
        false
    }
    fn canonicalize(&self, _: &Path) -> Option<PathBuf> {
        None
    }
    fn read_to_string(&self, _: &Path) -> std::io::Result<String> {
        Err(std::io::ErrorKind::NotFound.into())
    }
    fn modified(&self, _: &Path) -> Option<SystemTime> {
        None
    }
}

/// A shared environment, cheap to clone into every file's options.
#[derive(Clone)]
pub struct SharedEnvironment(pub Arc<dyn Environment>);

impl SharedEnvironment {
    pub fn new(environment: impl Environment + 'static) -> Self {
        Self(Arc::new(environment))
    }
}

impl Default for SharedEnvironment {
    fn default() -> Self {
        Self::new(NoEnvironment)
    }
}

impl fmt::Debug for SharedEnvironment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedEnvironment")
    }
}

impl std::ops::Deref for SharedEnvironment {
    type Target = dyn Environment;
    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

/// The directory evidence paths may not leave, for a file in `dir`: the nearest directory at
/// or above it that holds `genai-scope.toml` or is a repository root (`.git`), else
/// `fallback` (the editor's workspace folder, or the file's own directory).
pub fn evidence_workspace(env: &dyn Environment, dir: &Path, fallback: &Path) -> PathBuf {
    let absolute = absolute(env, dir);
    absolute
        .ancestors()
        .find(|candidate| {
            env.is_file(&candidate.join(crate::config::FILE_NAME))
                || is_repository_root(env, candidate)
        })
        .map_or_else(|| fallback.to_path_buf(), Path::to_path_buf)
}

/// Whether `dir` is the root of a repository (a `.git` directory, or file for worktrees).
pub fn is_repository_root(env: &dyn Environment, dir: &Path) -> bool {
    env.exists(&dir.join(".git"))
}

/// `path` made absolute against the working directory (lexically, `..` folded).
pub fn absolute(env: &dyn Environment, path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        env.current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
