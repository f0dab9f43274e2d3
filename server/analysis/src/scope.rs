//! Scope inference: each model's scope from its hosting and training, the workload's as the
//! highest of its models', each with the reason a person can check.

use super::model::{Hosting, Model, Training, Workload};
use crate::agency::{WorkloadAgency, infer_agency};
use crate::catalog::{Catalog, Scope};
use crate::model::NamedBlock as _;

/// The scope of one model, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelScope {
    pub scope: Option<Scope>,
    pub reason: String,
}

/// The scope of a workload with the reasons behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadScope {
    pub scope: Option<Scope>,
    pub reasons: Vec<String>,
    /// One entry per model, in declaration order.
    pub models: Vec<ModelScope>,
    /// The agency scope of each agent and of the workload (the agentic axis).
    pub agency: WorkloadAgency,
}

/// The matrix's table: hosting × training → scope. `None` for a contradiction.
pub fn scope_of(hosting: Hosting, training: Training) -> Option<Scope> {
    match (hosting, training) {
        (Hosting::ConsumerApp, Training::None) => Some(Scope::CONSUMER_APP),
        (Hosting::EnterpriseApp, Training::None) => Some(Scope::ENTERPRISE_APP),
        (Hosting::ConsumerApp | Hosting::EnterpriseApp, _) => None,
        (Hosting::ManagedApi | Hosting::SelfHosted, Training::None) => Some(Scope::PRE_TRAINED),
        (Hosting::ManagedApi | Hosting::SelfHosted, Training::FineTuned) => Some(Scope::FINE_TUNED),
        (Hosting::ManagedApi | Hosting::SelfHosted, Training::FromScratch) => {
            Some(Scope::SELF_TRAINED)
        }
    }
}

pub fn infer_model(catalog: &Catalog, model: &Model<'_>) -> ModelScope {
    let name = model.display_name();
    let Some(hosting) = &model.hosting else {
        return ModelScope {
            scope: None,
            reason: format!("model \"{name}\" has no valid `hosting`, so its scope is unknown"),
        };
    };
    let training = model.training();
    match scope_of(hosting.value, training) {
        Some(scope) => ModelScope {
            scope: Some(scope),
            reason: format!(
                "model \"{name}\": hosting = {}, training = {} → scope {scope} ({})",
                hosting.value.name(),
                training.name(),
                catalog.scope_name(scope)
            ),
        },
        None => ModelScope {
            scope: None,
            reason: format!(
                "model \"{name}\": hosting = {} cannot have training = {} (the weights of a third-party app are not yours to change)",
                hosting.value.name(),
                training.name()
            ),
        },
    }
}

pub fn infer_workload(catalog: &Catalog, workload: &Workload<'_>) -> WorkloadScope {
    let models: Vec<ModelScope> = workload
        .models
        .iter()
        .map(|m| infer_model(catalog, m))
        .collect();
    let mut reasons: Vec<String> = models.iter().map(|m| m.reason.clone()).collect();
    let deciding = models
        .iter()
        .enumerate()
        .filter_map(|(index, m)| m.scope.map(|scope| (scope, index)))
        // The first model among those with the highest scope decides.
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let scope = deciding.map(|(scope, _)| scope);
    match deciding {
        None if workload.models.is_empty() => {
            reasons.push("no model is declared, so the scope cannot be inferred".into());
        }
        None => reasons.push("no model has a known scope".into()),
        Some((scope, index)) if models.len() > 1 => reasons.push(format!(
            "the workload takes its highest model scope: {scope} ({}), from model \"{}\"",
            catalog.scope_name(scope),
            workload.models[index].display_name()
        )),
        Some(_) => {}
    }
    WorkloadScope {
        scope,
        reasons,
        models,
        agency: infer_agency(&workload.agent_facts()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_table() {
        use Hosting::*;
        use Training::*;
        assert_eq!(scope_of(ConsumerApp, None), Scope::new(1));
        assert_eq!(scope_of(EnterpriseApp, None), Scope::new(2));
        assert_eq!(scope_of(ManagedApi, None), Scope::new(3));
        assert_eq!(scope_of(SelfHosted, None), Scope::new(3));
        assert_eq!(scope_of(ManagedApi, FineTuned), Scope::new(4));
        assert_eq!(scope_of(SelfHosted, FromScratch), Scope::new(5));
        assert_eq!(scope_of(ConsumerApp, FineTuned), Option::None);
        assert_eq!(scope_of(EnterpriseApp, FromScratch), Option::None);
    }
}
