//! Which files of a directory are read: `*.tf`, `*.json`, `*.yaml`/`*.yml`/`*.template`,
//! recursing into subdirectories (each Terraform directory is a unit of its own), skipping
//! what holds no infrastructure of the project: hidden directories (`.terraform`, `.git`),
//! `node_modules`, and the assets CDK copies into `cdk.out`. IO goes through [`FileSystem`].

use std::io;
use std::path::{Path, PathBuf};

use crate::model::Location;
use crate::{FileKind, SourceFile, Unreadable};

/// The directory listing and reading the discovery needs; the caller's IO.
pub trait FileSystem {
    fn is_dir(&self, path: &Path) -> bool;
    /// The entries of a directory (any order).
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
    fn file_size(&self, path: &Path) -> io::Result<u64>;
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
}

/// How deep the discovery recurses below the given directory.
pub const MAX_DEPTH: usize = 8;
/// At most this many files are read from one directory tree.
pub const MAX_FILES: usize = 5_000;

fn skipped_directory(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules" || name.starts_with("asset.")
}

/// Every infrastructure file under `root` (or `root` itself when it is a file), read, in a
/// stable order; `display` gives each path as it should appear in the draft and findings.
/// Files that cannot be read are reported, not fatal.
pub fn collect(
    fs: &impl FileSystem,
    root: &Path,
    display: &dyn Fn(&Path) -> String,
) -> (Vec<SourceFile>, Vec<Unreadable>) {
    let mut paths = Vec::new();
    let mut unreadable = Vec::new();
    if fs.is_dir(root) {
        walk(fs, root, 0, &mut paths, &mut unreadable, display);
    } else {
        paths.push(root.to_path_buf());
    }
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let shown = display(&path);
        let fail = |reason: String| Unreadable {
            location: Location::new(&shown, "", 0..0),
            reason,
        };
        match fs.file_size(&path) {
            Ok(size) if size > crate::MAX_FILE_BYTES as u64 => {
                unreadable.push(fail(format!(
                    "larger than {} MiB: not read",
                    crate::MAX_FILE_BYTES / (1024 * 1024)
                )));
                continue;
            }
            Err(error) => {
                unreadable.push(fail(format!("cannot read: {error}")));
                continue;
            }
            Ok(_) => {}
        }
        match fs.read_to_string(&path) {
            Ok(text) => files.push(SourceFile { path: shown, text }),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                unreadable.push(fail("not UTF-8 text".to_string()));
            }
            Err(error) => unreadable.push(fail(format!("cannot read: {error}"))),
        }
    }
    (files, unreadable)
}

fn walk(
    fs: &impl FileSystem,
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    unreadable: &mut Vec<Unreadable>,
    display: &dyn Fn(&Path) -> String,
) {
    let mut entries = match fs.read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            unreadable.push(Unreadable {
                location: Location::new(&display(dir), "", 0..0),
                reason: format!("cannot list the directory: {error}"),
            });
            return;
        }
    };
    entries.sort();
    for entry in entries {
        if out.len() >= MAX_FILES {
            return;
        }
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if fs.is_dir(&entry) {
            if depth < MAX_DEPTH && !skipped_directory(&name) {
                walk(fs, &entry, depth + 1, out, unreadable, display);
            }
        } else if FileKind::of(&name).is_some() {
            out.push(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A directory tree in memory.
    struct Memory(BTreeMap<PathBuf, Option<String>>);

    impl FileSystem for Memory {
        fn is_dir(&self, path: &Path) -> bool {
            matches!(self.0.get(path), Some(None))
        }
        fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
            Ok(self
                .0
                .keys()
                .filter(|p| p.parent() == Some(path))
                .cloned()
                .collect())
        }
        fn file_size(&self, path: &Path) -> io::Result<u64> {
            Ok(self
                .0
                .get(path)
                .and_then(|t| t.as_ref())
                .map_or(0, |t| t.len() as u64))
        }
        fn read_to_string(&self, path: &Path) -> io::Result<String> {
            self.0
                .get(path)
                .cloned()
                .flatten()
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
        }
    }

    #[test]
    fn recurses_skipping_hidden_dirs_modules_and_cdk_assets() {
        let mut tree = BTreeMap::new();
        for dir in [
            "r",
            "r/.terraform",
            "r/node_modules",
            "r/cdk.out",
            "r/cdk.out/asset.1",
            "r/b",
        ] {
            tree.insert(PathBuf::from(dir), None);
        }
        for file in [
            "r/main.tf",
            "r/README.md",
            "r/.terraform/x.tf",
            "r/node_modules/y.json",
            "r/cdk.out/App.template.json",
            "r/cdk.out/asset.1/z.json",
            "r/b/stack.yaml",
        ] {
            tree.insert(PathBuf::from(file), Some(String::new()));
        }
        let (files, unreadable) = collect(&Memory(tree), Path::new("r"), &|p| {
            p.to_string_lossy().into_owned()
        });
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["r/b/stack.yaml", "r/cdk.out/App.template.json", "r/main.tf"]
        );
        assert!(unreadable.is_empty());
    }
}
