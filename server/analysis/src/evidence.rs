//! Evidence references: URLs, or paths that must stay inside the workspace. Resolution is
//! lexical; nothing outside the workspace is ever touched.

use std::path::{Component, Path, PathBuf};

/// Where an evidence reference points.
#[derive(Debug, PartialEq, Eq)]
pub enum Evidence {
    Url,
    /// A path inside the workspace.
    Inside(PathBuf),
    /// An absolute path, or one that climbs out of the workspace.
    Outside,
}

/// Resolves `evidence` against `base_dir` lexically (without touching the disk), and checks
/// that it stays under `root`.
pub fn resolve_evidence(base_dir: &Path, root: &Path, evidence: &str) -> Evidence {
    if evidence.contains("://") || evidence.starts_with("mailto:") {
        return Evidence::Url;
    }
    let relative = Path::new(evidence);
    if relative.is_absolute() || relative.has_root() {
        return Evidence::Outside;
    }
    let base = normalize(base_dir);
    let mut resolved = base.clone();
    for component in relative.components() {
        match component {
            Component::Normal(part) => resolved.push(part),
            Component::ParentDir => {
                if !resolved.pop() {
                    return Evidence::Outside;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return Evidence::Outside,
        }
    }
    if resolved.starts_with(normalize(root)) {
        Evidence::Inside(resolved)
    } else {
        Evidence::Outside
    }
}

fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_may_not_climb_out_of_the_workspace() {
        let root = Path::new("/work/repo");
        let base = Path::new("/work/repo/workloads");
        assert_eq!(
            resolve_evidence(base, root, "https://wiki/x"),
            Evidence::Url
        );
        assert_eq!(
            resolve_evidence(base, root, "../docs/tm.md"),
            Evidence::Inside(PathBuf::from("/work/repo/docs/tm.md"))
        );
        assert_eq!(
            resolve_evidence(base, root, "../../etc/passwd"),
            Evidence::Outside
        );
        assert_eq!(
            resolve_evidence(base, root, "/etc/passwd"),
            Evidence::Outside
        );
        assert_eq!(
            resolve_evidence(base, root, "../../../../../../x"),
            Evidence::Outside
        );
    }
}
