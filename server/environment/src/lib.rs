//! genai-scope-environment: the real file system and clock, the [`Environment`] the shells
//! (the CLI and the language server) hand to the analysis. The analysis crate itself never
//! touches either, so that every rule can be tested against an in-memory environment.
//!
//! May depend on: genai-scope-analysis (for the trait) and `time`. Used by the CLI and lsp
//! crates only.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use genai_scope_analysis::environment::{Environment, SharedEnvironment};
use time::Date;

/// The real file system and clock, shared: what the CLI and the language server analyse with.
pub fn shared() -> SharedEnvironment {
    SharedEnvironment::new(RealEnvironment)
}

/// Today's date in UTC, from the real clock.
pub fn today() -> Date {
    RealEnvironment.today()
}

#[derive(Clone, Copy, Debug, Default)]
pub struct RealEnvironment;

impl Environment for RealEnvironment {
    fn today(&self) -> Date {
        time::OffsetDateTime::now_utc().date()
    }
    fn current_dir(&self) -> Option<PathBuf> {
        std::env::current_dir().ok()
    }
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
    fn modified(&self, path: &Path) -> Option<SystemTime> {
        std::fs::metadata(path).and_then(|m| m.modified()).ok()
    }
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
}
