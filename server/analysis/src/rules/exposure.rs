//! Who sees what: `sensitive-data-in-consumer-app`, `broad-access-to-trained-model`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::NamedBlock as _;
use crate::model::{Audience, Classification, Training};

pub fn sensitive_data_in_consumer_app(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.scope.scope != Some(1) {
        return;
    }
    for data in &cx.workload.data {
        if let Some(classification) = &data.classification
            && classification.value > Classification::Public
        {
            out.push(Diagnostic::new(
                Code::SensitiveDataInConsumerApp,
                classification.range,
                format!(
                    "data \"{}\" is `{}` but this workload is a consumer app (scope 1): consumer services may keep and learn from what they receive; send only public data",
                    data.display_name(),
                    classification.value.name()
                ),
            ));
        }
        if let Some(personal) = &data.personal_data
            && personal.value
        {
            out.push(Diagnostic::new(
                Code::SensitiveDataInConsumerApp,
                personal.range,
                format!(
                    "data \"{}\" holds personal data but this workload is a consumer app (scope 1): keep personal data out of consumer services",
                    data.display_name()
                ),
            ));
        }
    }
}

pub fn broad_access_to_trained_model(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let audience = cx.workload.audience();
    if audience == Audience::Employees {
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
