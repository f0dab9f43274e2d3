//! An in-memory environment for tests: files, directories and links that exist only here.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use time::Date;

use super::Environment;

#[derive(Default)]
struct Tree {
    files: HashMap<PathBuf, (String, SystemTime)>,
    dirs: HashSet<PathBuf>,
    /// Link → target (absolute, or relative to the link's directory).
    links: HashMap<PathBuf, PathBuf>,
    /// Counts writes, so that each one has a new modification time.
    clock: u64,
}

/// Paths are absolute; the working directory is `/`, unless set.
pub struct MemoryEnvironment {
    tree: Mutex<Tree>,
    today: Date,
    current_dir: PathBuf,
}

impl Default for MemoryEnvironment {
    fn default() -> Self {
        Self {
            tree: Mutex::default(),
            today: Date::MIN,
            current_dir: PathBuf::from("/"),
        }
    }
}

impl MemoryEnvironment {
    pub fn with_today(mut self, today: Date) -> Self {
        self.today = today;
        self
    }

    pub fn with_current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.current_dir = dir.into();
        self
    }

    fn tree(&self) -> MutexGuard<'_, Tree> {
        self.tree.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds (or replaces) a file, with its parent directories; each write is a new
    /// modification time.
    pub fn write(&self, path: impl AsRef<Path>, text: &str) -> &Self {
        let path = path.as_ref();
        let mut tree = self.tree();
        tree.clock += 1;
        let modified = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(tree.clock);
        for dir in path.ancestors().skip(1) {
            tree.dirs.insert(dir.to_path_buf());
        }
        tree.files
            .insert(path.to_path_buf(), (text.to_string(), modified));
        self
    }

    /// Adds a directory with its parents.
    pub fn mkdir(&self, path: impl AsRef<Path>) -> &Self {
        let mut tree = self.tree();
        for dir in path.as_ref().ancestors() {
            tree.dirs.insert(dir.to_path_buf());
        }
        self
    }

    /// Adds a symbolic link at `path` to `target`.
    pub fn link(&self, path: impl AsRef<Path>, target: impl Into<PathBuf>) -> &Self {
        let path = path.as_ref();
        let mut tree = self.tree();
        for dir in path.ancestors().skip(1) {
            tree.dirs.insert(dir.to_path_buf());
        }
        tree.links.insert(path.to_path_buf(), target.into());
        self
    }

    pub fn remove(&self, path: impl AsRef<Path>) -> &Self {
        let mut tree = self.tree();
        tree.files.remove(path.as_ref());
        tree.links.remove(path.as_ref());
        self
    }

    /// Every link resolved (at most 40 hops, like the kernel); the path need not exist.
    fn resolve(&self, path: &Path) -> Option<PathBuf> {
        let tree = self.tree();
        let mut pending: Vec<PathBuf> = vec![super::absolute(self, path)];
        let mut hops = 0;
        'again: while let Some(path) = pending.pop() {
            let mut out = PathBuf::from("/");
            let components: Vec<Component<'_>> = path.components().collect();
            for (i, component) in components.iter().enumerate() {
                match component {
                    Component::Normal(part) => out.push(part),
                    Component::ParentDir => {
                        out.pop();
                        continue;
                    }
                    _ => continue,
                }
                if let Some(target) = tree.links.get(&out) {
                    hops += 1;
                    if hops > 40 {
                        return None;
                    }
                    let mut next = out.parent().unwrap_or(Path::new("/")).join(target);
                    for rest in &components[i + 1..] {
                        next.push(rest);
                    }
                    pending.push(next);
                    continue 'again;
                }
            }
            return Some(out);
        }
        None
    }
}

impl Environment for MemoryEnvironment {
    fn today(&self) -> Date {
        self.today
    }
    fn current_dir(&self) -> Option<PathBuf> {
        Some(self.current_dir.clone())
    }
    fn exists(&self, path: &Path) -> bool {
        self.resolve(path).is_some_and(|path| {
            let tree = self.tree();
            tree.files.contains_key(&path) || tree.dirs.contains(&path)
        })
    }
    fn is_file(&self, path: &Path) -> bool {
        self.resolve(path)
            .is_some_and(|path| self.tree().files.contains_key(&path))
    }
    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        self.resolve(path).filter(|path| {
            let tree = self.tree();
            tree.files.contains_key(path) || tree.dirs.contains(path)
        })
    }
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        self.resolve(path)
            .and_then(|path| self.tree().files.get(&path).map(|(text, _)| text.clone()))
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }
    fn modified(&self, path: &Path) -> Option<SystemTime> {
        self.resolve(path)
            .and_then(|path| self.tree().files.get(&path).map(|(_, time)| *time))
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.resolve(path)
            .is_some_and(|path| self.tree().dirs.contains(&path))
    }
    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<PathBuf>> {
        let Some(dir) = self.resolve(path).filter(|p| self.tree().dirs.contains(p)) else {
            return Err(std::io::ErrorKind::NotFound.into());
        };
        let tree = self.tree();
        // Entries are named under the path asked for, as a real listing names them.
        let child = |entry: &PathBuf| {
            (entry.parent() == Some(dir.as_path()))
                .then(|| entry.file_name().map(|name| path.join(name)))
                .flatten()
        };
        let mut entries: Vec<PathBuf> = tree
            .files
            .keys()
            .chain(tree.dirs.iter())
            .chain(tree.links.keys())
            .filter_map(child)
            .collect();
        entries.sort();
        entries.dedup();
        Ok(entries)
    }
}
