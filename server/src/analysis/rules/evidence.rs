//! `evidence-not-found`: relative evidence paths must exist, and may not leave the workspace.

use std::path::{Component, Path, PathBuf};

use super::Context;
use crate::diagnostic::{Code, Diagnostic};

pub fn evidence_not_found(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(base_dir) = &cx.options.base_dir else {
        return;
    };
    let root = cx.options.workspace_root.as_deref().unwrap_or(base_dir);
    for declared in &cx.workload.controls {
        let Some(evidence) = &declared.evidence else {
            continue;
        };
        let message = match resolve_evidence(base_dir, root, &evidence.value) {
            Evidence::Url => continue,
            Evidence::Inside(path) if path.exists() => continue,
            Evidence::Inside(_) => format!(
                "evidence \"{}\" of {} does not exist (relative to this file)",
                evidence.value, declared.id.value
            ),
            Evidence::Outside => format!(
                "evidence \"{}\" of {} points outside the workspace; it is neither read nor linked",
                evidence.value, declared.id.value
            ),
        };
        out.push(
            Diagnostic::new(Code::EvidenceNotFound, evidence.range, message)
                .with_control(&declared.id.value),
        );
    }
}

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
