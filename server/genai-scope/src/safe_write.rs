//! Replacing a file's text for `check --fix` and `fmt` without harming the file:
//!
//! - a symbolic link is followed and its target is written (the link stays a link);
//! - a file the user may not write is refused, never replaced through the directory;
//! - a file that changed on disk since it was read is refused (the edit saved meanwhile wins);
//! - mode, owner and hard links are kept, and the new text is never in a file more readable
//!   than the original.
//!
//! How: when the target has a single link and a temporary file created beside it gets the
//! same owner and group, the text goes to that temporary file (created no more permissive than
//! `0600` and the original's mode, given the original's mode once written), which is synced
//! and renamed over the target: readers see the old or the new text, never half. Otherwise
//! (hard links, another owner, a directory we may not write) the target is rewritten in place
//! through a handle opened for writing, which keeps its inode and so its links, owner and mode;
//! that is not atomic, so it is the fallback only.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Why a file was left unchanged.
#[derive(Debug)]
pub enum Refusal {
    /// The user may not write it.
    NotWritable,
    /// Its text is not what was read (an edit saved during the run).
    ChangedOnDisk,
    NotARegularFile,
    Io(std::io::Error),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotWritable => f.write_str("permission denied: not writable; left unchanged"),
            Refusal::ChangedOnDisk => {
                f.write_str("changed on disk since it was read; left unchanged (run again)")
            }
            Refusal::NotARegularFile => f.write_str("not a regular file; left unchanged"),
            Refusal::Io(error) => write!(f, "{error}; left unchanged"),
        }
    }
}

impl From<std::io::Error> for Refusal {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == ErrorKind::PermissionDenied {
            Refusal::NotWritable
        } else {
            Refusal::Io(error)
        }
    }
}

/// Replaces the text of `path`, which was `original` when read, with `new_text`.
pub fn replace_text(path: &Path, original: &str, new_text: &str) -> Result<(), Refusal> {
    let target = std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(&target)?;
    if !metadata.is_file() {
        return Err(Refusal::NotARegularFile);
    }
    // Opening for writing (without truncating) asks the system whether we may write it.
    let mut handle = OpenOptions::new().read(true).write(true).open(&target)?;
    if !holds(&mut handle, original)? {
        return Err(Refusal::ChangedOnDisk);
    }
    if single_link(&metadata)
        && let Some(temp) = temporary_beside(&target, &metadata)
    {
        return replace_by_rename(temp, &target, &metadata, original, new_text);
    }
    handle.rewind()?;
    handle.set_len(0)?;
    handle.write_all(new_text.as_bytes())?;
    handle.sync_all()?;
    Ok(())
}

/// Whether the file's contents are `expected`.
fn holds(file: &mut File, expected: &str) -> std::io::Result<bool> {
    file.rewind()?;
    let mut now = Vec::with_capacity(expected.len() + 1);
    file.read_to_end(&mut now)?;
    Ok(now == expected.as_bytes())
}

struct Temporary {
    path: PathBuf,
    file: File,
}

fn replace_by_rename(
    temp: Temporary,
    target: &Path,
    metadata: &std::fs::Metadata,
    original: &str,
    new_text: &str,
) -> Result<(), Refusal> {
    let Temporary { path, mut file } = temp;
    let result = (|| {
        file.write_all(new_text.as_bytes())?;
        file.set_permissions(metadata.permissions())?;
        file.sync_all()?;
        drop(file);
        // Checked again just before the rename, to keep the window for a lost edit short.
        let mut current = File::open(target)?;
        if !holds(&mut current, original)? {
            return Err(Refusal::ChangedOnDisk);
        }
        std::fs::rename(&path, target)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&path);
    }
    result
}

/// A new file in the target's directory, readable by no more than the target and its owner,
/// with the target's owner and group; `None` when there can be none (the directory is not
/// writable, or files made there get another owner or group).
fn temporary_beside(target: &Path, metadata: &std::fs::Metadata) -> Option<Temporary> {
    let dir = target.parent()?;
    let name = target.file_name()?.to_string_lossy().into_owned();
    for attempt in 0..100u32 {
        let path = dir.join(format!(
            ".{name}.genai-scope-{}-{attempt}.tmp",
            std::process::id()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        restrict_mode(&mut options, metadata);
        match options.open(&path) {
            Ok(file) => {
                let temp = Temporary { path, file };
                if same_owner(&temp.file, metadata) {
                    return Some(temp);
                }
                let _ = std::fs::remove_file(&temp.path);
                return None;
            }
            Err(error) if error.kind() == ErrorKind::AlreadyExists => continue,
            Err(_) => return None,
        }
    }
    None
}

#[cfg(unix)]
fn restrict_mode(options: &mut OpenOptions, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    options.mode(0o600 & metadata.permissions().mode());
}

#[cfg(not(unix))]
fn restrict_mode(_: &mut OpenOptions, _: &std::fs::Metadata) {}

#[cfg(unix)]
fn same_owner(file: &File, metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    file.metadata()
        .is_ok_and(|m| m.uid() == metadata.uid() && m.gid() == metadata.gid())
}

#[cfg(not(unix))]
fn same_owner(_: &File, _: &std::fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn single_link(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink() == 1
}

#[cfg(not(unix))]
fn single_link(_: &std::fs::Metadata) -> bool {
    true
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_text_keeps_the_mode_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.genai");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace_text(&path, "old", "new text").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new text");
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o640);
        assert_eq!(names(dir.path()), ["a.genai"]);
    }

    #[test]
    fn a_symbolic_link_stays_a_link_and_its_target_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.genai");
        let link = dir.path().join("link.genai");
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        replace_text(&link, "old", "new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn hard_links_stay_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a.genai");
        let second = dir.path().join("b.genai");
        std::fs::write(&first, "old").unwrap();
        std::fs::hard_link(&first, &second).unwrap();
        replace_text(&first, "old", "new").unwrap();
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&first).unwrap().ino(),
            std::fs::metadata(&second).unwrap().ino()
        );
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.genai");
        std::fs::write(&path, "saved meanwhile").unwrap();
        let refusal = replace_text(&path, "what was read", "new").unwrap_err();
        assert!(matches!(refusal, Refusal::ChangedOnDisk), "{refusal}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "saved meanwhile");
    }
}
