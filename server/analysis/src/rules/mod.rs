//! The rules, one small module each, run per workload over the typed model.

pub(crate) mod agents;
pub(crate) mod controls;
pub(crate) mod drift;
mod evidence;
mod exposure;
mod scope;
mod training;

use super::AnalysisOptions;
use super::model::Workload;
use super::scope::WorkloadScope;
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;

/// What every rule may read.
pub(super) struct Context<'a> {
    pub catalog: &'a Catalog,
    pub text: &'a str,
    pub workload: &'a Workload<'a>,
    pub scope: &'a WorkloadScope,
    pub options: &'a AnalysisOptions,
}

type Rule = fn(&Context<'_>, &mut Vec<Diagnostic>);

const RULES: &[Rule] = &[
    scope::no_model,
    scope::contradictory_model,
    scope::scope_mismatch,
    training::conditional_attributes,
    training::training_data_mismatch,
    training::classification_below_training_data,
    training::personal_data_in_training,
    exposure::sensitive_data_in_consumer_app,
    exposure::broad_access_to_trained_model,
    exposure::sensitive_data_in_prototype,
    controls::missing_control,
    controls::control_not_implemented,
    controls::control_not_applicable,
    controls::missing_justification,
    controls::overdue_control,
    evidence::evidence_not_found,
    evidence::missing_evidence,
    drift::iac_mismatch,
    drift::unbound_resource,
    drift::undeclared_resource,
    drift::iac_unreadable,
    agents::missing_agentic_control,
    agents::agentic_control_not_implemented,
    agents::generative_control_in_agent,
    agents::agency_scope_mismatch,
    agents::unapproved_high_impact_action,
    agents::unknown_agent_reference,
];

pub(super) fn run(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for rule in RULES {
        rule(cx, out);
    }
}
