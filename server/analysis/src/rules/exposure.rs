//! Who sees what: `sensitive-data-in-consumer-app`, `broad-access-to-trained-model`,
//! `sensitive-data-in-prototype`.

use super::Context;
use crate::catalog::Scope;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::NamedBlock as _;
use crate::model::{Audience, Classification, Stage, Status, Training};

/// Data that reaches a scope-1 model (the one it names, else every model) must be public and
/// free of personal data; data meant for the workload's other models is theirs to judge.
pub fn sensitive_data_in_consumer_app(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let consumer_apps: Vec<_> = cx
        .workload
        .models
        .iter()
        .zip(&cx.scope.models)
        .filter(|(_, scope)| scope.scope == Some(Scope::CONSUMER_APP))
        .map(|(model, _)| model)
        .collect();
    if consumer_apps.is_empty() {
        return;
    }
    let several_models = cx.workload.models.len() > 1;
    for data in &cx.workload.data {
        let Some(app) = consumer_apps
            .iter()
            .find(|app| cx.workload.reaches(data, app))
        else {
            continue;
        };
        // With one model the workload is the consumer app; with several, say which one.
        let target = if several_models {
            format!(
                "model \"{}\" is a consumer app (scope 1)",
                app.display_name()
            )
        } else {
            "this workload is a consumer app (scope 1)".to_string()
        };
        if let Some(classification) = &data.classification
            && classification.value > Classification::Public
        {
            out.push(Diagnostic::new(
                Code::SensitiveDataInConsumerApp,
                classification.range,
                format!(
                    "data \"{}\" is `{}` but {target}: consumer services may keep and learn from what they receive; send only public data",
                    data.display_name(),
                    classification.value.name()
                ),
            ).with_model(app.display_name()));
        }
        if let Some(personal) = &data.personal_data
            && personal.value
        {
            out.push(Diagnostic::new(
                Code::SensitiveDataInConsumerApp,
                personal.range,
                format!(
                    "data \"{}\" holds personal data but {target}: keep personal data out of consumer services",
                    data.display_name()
                ),
            ).with_model(app.display_name()));
        }
    }
}

/// A prototype may leave its controls `planned`, so it may not hold sensitive data.
pub fn sensitive_data_in_prototype(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(stage) = &cx.workload.stage else {
        return;
    };
    if stage.value != Stage::Prototype {
        return;
    }
    for data in &cx.workload.data {
        let Some(classification) = &data.classification else {
            continue;
        };
        if classification.value < Classification::Confidential {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::SensitiveDataInPrototype,
                classification.range,
                format!(
                    "data \"{}\" is `{}` but this workload is a prototype, whose controls may still be only planned: use synthetic or masked data classified `internal` or below, or implement the controls and declare `stage = production`",
                    data.display_name(),
                    classification.value.name()
                ),
            )
            .with_related(stage.range, "stage declared here"),
        );
    }
}

/// Silent once `controls.model_selection_by_entitlement` is implemented: that control is
/// the mitigation the message asks for (a `planned` one does not count).
pub fn broad_access_to_trained_model(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let audience = cx.workload.audience();
    if audience == Audience::Employees {
        return;
    }
    let mitigated = cx
        .workload
        .control("controls.model_selection_by_entitlement")
        .is_some_and(|c| c.status() == Status::Implemented);
    if mitigated {
        return;
    }
    for model in &cx.workload.models {
        let Some(classification) = &model.classification else {
            continue;
        };
        if model.training() == Training::None || classification.value < Classification::Confidential
        {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            Code::BroadAccessToTrainedModel,
            model.anchor(),
            format!(
                "model \"{}\" is {} and classified `{}`, yet it serves {}: anyone who can call it can draw out what it learnt; restrict the audience or select the model by the caller's entitlement",
                model.display_name(),
                model.training().describe(),
                classification.value.name(),
                audience.name()
            ),
        );
        if let Some(declared) = &cx.workload.audience {
            diagnostic = diagnostic.with_related(declared.range, "audience declared here");
        }
        out.push(diagnostic);
    }
}
