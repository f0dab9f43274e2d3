//! Which controls a workload needs, and why: the union, over its models, of what each
//! model's scope and the workload's facts require (format v2, "per-model obligations").
//!
//! A requirement is brought by a *subject*: today a model with its scope; the agentic axis
//! adds agents with their agency scope as another kind of subject. Conditions are judged
//! from [`Facts`]: the workload, and the subject when a condition is about it
//! (`serves_inference`).

use crate::agency::{AgencyScope, AgentAgency, WorkloadAgency};
use crate::catalog::{Condition, Control, Scope};
use crate::model::{
    Access, Audience, Classification, Criticality, DataUse, Model, ModelOrigin, NamedBlock as _,
    Output, Stage, Training, Workload,
};
use crate::model::{Agent, ControlDecl};
use crate::scope::WorkloadScope;

/// Who brings a requirement.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'w> {
    Model(&'w Model<'w>),
}

impl Subject<'_> {
    /// The subject's name for messages and the JSON report.
    pub fn name(&self) -> String {
        match self {
            Subject::Model(model) => model.display_name(),
        }
    }
}

/// What conditions are judged from.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'w> {
    pub workload: &'w Workload<'w>,
    /// The subject a requirement is judged for; `None` judges the workload alone (conditions
    /// about a subject then do not hold).
    pub subject: Option<Subject<'w>>,
}

impl<'w> Facts<'w> {
    pub fn of_workload(workload: &'w Workload<'w>) -> Self {
        Self {
            workload,
            subject: None,
        }
    }

    pub fn for_model(workload: &'w Workload<'w>, model: &'w Model<'w>) -> Self {
        Self {
            workload,
            subject: Some(Subject::Model(model)),
        }
    }

    pub fn holds(&self, condition: Condition) -> bool {
        let workload = self.workload;
        let data = &workload.data;
        let has_output =
            |outputs: &[Output]| workload.outputs().iter().any(|o| outputs.contains(o));
        let uses = |data: &crate::model::Data<'_>, use_: DataUse| {
            data.use_.as_ref().is_some_and(|u| u.value == use_)
        };
        match condition {
            Condition::ExternalAudience => workload.audience() != Audience::Employees,
            Condition::PersonalDataInTraining => {
                data.iter().any(|d| d.has_personal_data() && d.trains())
            }
            Condition::UsesRag => data.iter().any(|d| uses(d, DataUse::Rag)),
            Condition::HighCriticality => matches!(
                workload.criticality(),
                Criticality::High | Criticality::Critical
            ),
            Condition::MultiRegion => workload.region_count() > 1,
            Condition::ServesInference => match self.subject {
                Some(Subject::Model(model)) => model.serves_inference(),
                None => false,
            },
            Condition::InProduction => workload.stage() == Stage::Production,
            Condition::PublicExposure => {
                workload.audience() == Audience::Public || workload.access() == Access::Anonymous
            }
            Condition::CustomerFacing => {
                matches!(workload.audience(), Audience::Customers | Audience::Public)
            }
            Condition::UntrustedContent => {
                data.iter().any(|d| d.at_inference() && d.is_untrusted())
            }
            Condition::OutputExecuted => has_output(&[Output::Executed, Output::Downstream]),
            Condition::OutputRendered => has_output(&[Output::Rendered]),
            Condition::OutputReused => has_output(&[Output::Stored, Output::Training]),
            Condition::DataResidency => workload.data_residency.is_some(),
            Condition::PersonalDataInRag => data
                .iter()
                .any(|d| uses(d, DataUse::Rag) && d.has_personal_data()),
            Condition::DataToProvider => data.iter().any(|d| {
                d.classification
                    .as_ref()
                    .is_some_and(|c| c.value > Classification::Public)
                    && workload
                        .models_reached_by(d)
                        .iter()
                        .any(|m| m.provider_hosted())
            }),
            Condition::ThirdPartyWeights => workload.models.iter().any(|m| {
                matches!(
                    m.origin(),
                    Some(ModelOrigin::PublicHub | ModelOrigin::Vendor)
                )
            }),
            Condition::TrainsOrTunes => workload
                .models
                .iter()
                .any(|m| m.training() != Training::None),
            Condition::AuthenticatedAccess => workload.access() == Access::Authenticated,
        }
    }
}

/// A control some subject of the workload requires.
#[derive(Clone, Copy, Debug)]
pub struct Requirement<'w> {
    pub subject: Subject<'w>,
    /// The subject's scope that lists the control.
    pub scope: Scope,
}

impl Requirement<'_> {
    /// The model that brings it, for the diagnostic and the JSON report.
    pub fn model_name(&self) -> Option<String> {
        match self.subject {
            Subject::Model(model) => Some(model.display_name()),
        }
    }
}

/// Whether `control` is required at `scope` for the subject of `facts`.
pub fn required_at(control: &Control, scope: Scope, facts: &Facts<'_>) -> bool {
    control.required_in(scope) && control.conditions_hold_at(scope, |c| facts.holds(c))
}

/// Who requires `control` in `workload`, if anyone: among the models whose scope lists it and
/// for which its conditions hold, the one with the highest scope (the first declared on a
/// tie), so that the message names the model the displayed scope comes from when it can.
pub fn requirement<'w>(
    control: &Control,
    workload: &'w Workload<'w>,
    scope: &WorkloadScope,
) -> Option<Requirement<'w>> {
    workload
        .models
        .iter()
        .zip(&scope.models)
        .filter_map(|(model, model_scope)| Some((model, model_scope.scope?)))
        .filter(|(model, number)| required_at(control, *number, &Facts::for_model(workload, model)))
        .max_by(|a, b| a.1.cmp(&b.1).then(std::cmp::Ordering::Greater))
        .map(|(model, number)| Requirement {
            subject: Subject::Model(model),
            scope: number,
        })
}

/// Whether its conditions hold for some model at some scope of the control (or, without
/// models, for the workload alone): what the control would require were a model at that
/// scope.
pub fn conditions_hold_somewhere(control: &Control, workload: &Workload<'_>) -> bool {
    let hold_for =
        |facts: Facts<'_>, scope: Scope| control.conditions_hold_at(scope, |c| facts.holds(c));
    control.scopes.iter().any(|&scope| {
        if workload.models.is_empty() {
            hold_for(Facts::of_workload(workload), scope)
        } else {
            workload
                .models
                .iter()
                .any(|m| hold_for(Facts::for_model(workload, m), scope))
        }
    })
}

/// An agentic control one agent needs.
#[derive(Clone, Copy, Debug)]
pub struct AgentRequirement<'w> {
    pub agent: &'w Agent<'w>,
    /// The agent's inferred agency scope, which lists the control.
    pub scope: AgencyScope,
}

/// Whether `agent` (whose inferred agency is `agency`) needs the agentic `control`: the
/// control lists the agent's agency scope and its agentic conditions hold for the agent.
pub fn agent_requires(
    control: &Control,
    workload: &Workload<'_>,
    agent: &Agent<'_>,
    agency: &AgentAgency,
) -> bool {
    control.is_agentic()
        && control.required_of_agent(
            agency.scope,
            &agent.facts(),
            workload.untrusted_reaches_agent(agent),
        )
}

/// Whether the agentic control `id` is declared for `agent`: in its block, or in the
/// workload (which covers all its agents).
pub fn declared_for_agent<'w>(
    id: &str,
    workload: &'w Workload<'w>,
    agent: &'w Agent<'w>,
) -> Option<&'w ControlDecl<'w>> {
    agent.control(id).or_else(|| workload.control(id))
}

/// Every agent of `workload` that needs `control`, with its agency scope.
pub fn agent_requirements<'w>(
    control: &Control,
    workload: &'w Workload<'w>,
    agency: &WorkloadAgency,
) -> Vec<AgentRequirement<'w>> {
    workload
        .agents
        .iter()
        .zip(&agency.agents)
        .filter(|(agent, agent_agency)| agent_requires(control, workload, agent, agent_agency))
        .map(|(agent, agent_agency)| AgentRequirement {
            agent,
            scope: agent_agency.scope,
        })
        .collect()
}

#[cfg(test)]
#[path = "obligation_tests.rs"]
mod tests;
