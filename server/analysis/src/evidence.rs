//! Evidence references: URLs, or paths that must stay inside the workspace. The path is
//! resolved lexically first; then links are followed, as far as the path exists, and the
//! target must stay inside the workspace too, so a link cannot lead outside and nothing
//! outside the workspace is ever looked at (no existence oracle).

use std::path::{Component, Path, PathBuf};

use crate::environment::{Environment, absolute};

/// Where an evidence reference points.
#[derive(Debug, PartialEq, Eq)]
pub enum Evidence {
    Url,
    /// A path inside the workspace (as written, not with its links resolved).
    Inside(PathBuf),
    /// An absolute path, one that climbs out of the workspace, or a link that leads out.
    Outside,
}

/// Resolves `evidence` against `base_dir` and checks that it, and whatever its links point
/// to, stays under `root`.
pub fn resolve_evidence(
    env: &dyn Environment,
    base_dir: &Path,
    root: &Path,
    evidence: &str,
) -> Evidence {
    if evidence.contains("://") || evidence.starts_with("mailto:") {
        return Evidence::Url;
    }
    let relative = Path::new(evidence);
    if relative.is_absolute() || relative.has_root() {
        return Evidence::Outside;
    }
    let root = absolute(env, root);
    let mut resolved = absolute(env, base_dir);
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
    if !resolved.starts_with(&root) {
        return Evidence::Outside;
    }
    // Only the part that exists has links to follow; its canonical form must stay inside
    // the workspace's own.
    let existing = resolved
        .ancestors()
        .take_while(|ancestor| ancestor.starts_with(&root))
        .find_map(|ancestor| env.canonicalize(ancestor));
    let canonical_root = env.canonicalize(&root).unwrap_or_else(|| root.clone());
    match existing {
        Some(target) if !target.starts_with(&canonical_root) => Evidence::Outside,
        _ => Evidence::Inside(resolved),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environment::memory::MemoryEnvironment;

    #[test]
    fn evidence_may_not_climb_out_of_the_workspace() {
        let env = MemoryEnvironment::default();
        let root = Path::new("/work/repo");
        let base = Path::new("/work/repo/workloads");
        let resolve = |evidence| resolve_evidence(&env, base, root, evidence);
        assert_eq!(resolve("https://wiki/x"), Evidence::Url);
        assert_eq!(
            resolve("../docs/tm.md"),
            Evidence::Inside(PathBuf::from("/work/repo/docs/tm.md"))
        );
        assert_eq!(resolve("../../etc/passwd"), Evidence::Outside);
        assert_eq!(resolve("/etc/passwd"), Evidence::Outside);
        assert_eq!(resolve("../../../../../../x"), Evidence::Outside);
    }

    #[test]
    fn relative_directories_are_taken_from_the_working_directory() {
        let env = MemoryEnvironment::default().with_current_dir("/work/repo");
        assert_eq!(
            resolve_evidence(
                &env,
                Path::new("workloads"),
                Path::new("."),
                "../docs/tm.md"
            ),
            Evidence::Inside(PathBuf::from("/work/repo/docs/tm.md"))
        );
    }

    #[test]
    fn a_link_out_of_the_workspace_is_outside_whether_its_target_exists_or_not() {
        let env = MemoryEnvironment::default();
        env.write("/etc/shadow", "secret")
            .link("/work/repo/etc", "/etc")
            .link("/work/repo/docs/inner", "../notes")
            .write("/work/repo/notes/tm.md", "x");
        let root = Path::new("/work/repo");
        let resolve = |evidence| resolve_evidence(&env, root, root, evidence);
        assert_eq!(resolve("etc/shadow"), Evidence::Outside);
        assert_eq!(resolve("etc/nope"), Evidence::Outside);
        assert_eq!(resolve("etc"), Evidence::Outside);
        assert_eq!(
            resolve("docs/inner/tm.md"),
            Evidence::Inside(PathBuf::from("/work/repo/docs/inner/tm.md"))
        );
    }
}
