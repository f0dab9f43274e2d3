//! `evidence-not-found`: relative evidence paths must exist, and may not leave the workspace.
//! `missing-evidence`: implemented controls that the project's `require_evidence` names (by
//! id or by the control's severity) must say where their evidence is.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::evidence::{Evidence, resolve_evidence};
use crate::model::Status;
use crate::rule_selector::EvidenceSelector;

pub fn evidence_not_found(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(base_dir) = &cx.options.base_dir else {
        return;
    };
    let root = cx.options.workspace_root.as_deref().unwrap_or(base_dir);
    for declared in cx.workload.declared_controls() {
        let Some(evidence) = &declared.evidence else {
            continue;
        };
        // `iac:<address>` names a resource, not a file: `unbound-resource` checks it
        // against the infrastructure when one is configured.
        if evidence.value.starts_with(super::drift::IAC_PREFIX) {
            continue;
        }
        let message = match resolve_evidence(
            &*cx.options.environment,
            base_dir,
            root,
            &evidence.value,
        ) {
            Evidence::Url => continue,
            Evidence::Inside(path) if cx.options.environment.exists(&path) => continue,
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
                .with_control(declared.id.value.as_str()),
        );
    }
}

pub fn missing_evidence(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let required = &cx.options.settings.require_evidence;
    if required.is_empty() {
        return;
    }
    for declared in cx.workload.declared_controls() {
        if declared.status() != Status::Implemented || declared.evidence.is_some() {
            continue;
        }
        let Some(control) = cx.catalog.control(&declared.id.value) else {
            continue;
        };
        let why = if required.contains(&EvidenceSelector::Control(control.id.clone())) {
            "this project requires evidence for it".to_string()
        } else if required.contains(&EvidenceSelector::Severity(control.severity)) {
            format!(
                "this project requires evidence for every {} control",
                control.severity.as_str()
            )
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::MissingEvidence,
                declared.id.range,
                format!(
                    "{} is implemented without `evidence`: {why} (`require_evidence` in genai-scope.toml); name a document or URL that shows it",
                    control.id
                ),
            )
            .with_control(&control.id),
        );
    }
}
