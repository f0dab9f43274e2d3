//! `evidence-not-found`: relative evidence paths must exist, and may not leave the workspace.

use super::Context;
use crate::analysis::evidence::{Evidence, resolve_evidence};
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
