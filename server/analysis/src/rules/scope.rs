//! `no-model`, `contradictory-model`, `scope-mismatch`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, Fix, TextEdit};
use crate::model::NamedBlock as _;
use crate::model::Training;

pub fn no_model(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.workload.models.is_empty() {
        out.push(Diagnostic::new(
            Code::NoModel,
            cx.workload.anchor(),
            format!(
                "workload \"{}\" declares no model, so its scope cannot be inferred: add a `model \"name\" {{ hosting = … }}` block",
                cx.workload.display_name()
            ),
        ));
    }
}

pub fn contradictory_model(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for model in &cx.workload.models {
        let (Some(hosting), Some(training)) = (&model.hosting, &model.training) else {
            continue;
        };
        if crate::scope::scope_of(hosting.value, training.value).is_some() {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::ContradictoryModel,
                training.range,
                format!(
                    "model \"{}\" is reached as `{}` but declares `training = {}`: you cannot change the weights of a third-party app; use `managed_api` or `self_hosted` for a model you tune or train",
                    model.display_name(),
                    hosting.value.name(),
                    training.value.name()
                ),
            )
            .with_related(hosting.range, "hosting declared here")
            .with_fix(Fix {
                title: "Set `training = none`".into(),
                edits: vec![TextEdit::replace(training.range, Training::None.name())],
                safe: false,
            }),
        );
    }
}

pub fn scope_mismatch(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (Some(declared), Some(inferred)) = (&cx.workload.scope, cx.scope.scope) else {
        return;
    };
    if declared.value == inferred {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Code::ScopeMismatch,
        declared.range,
        format!(
            "declared scope {} ({}) differs from the inferred scope {inferred} ({}): {}",
            declared.value,
            cx.catalog.scope_name(declared.value),
            cx.catalog.scope_name(inferred),
            cx.scope.reasons.join("; ")
        ),
    )
    .with_fix(Fix {
        title: format!("Set declared scope to {inferred}"),
        edits: vec![TextEdit::replace(declared.range, inferred.to_string())],
        safe: true,
    });
    for (model, model_scope) in cx.workload.models.iter().zip(&cx.scope.models) {
        if model_scope.scope == Some(inferred) {
            diagnostic = diagnostic.with_related(model.anchor(), model_scope.reason.clone());
        }
    }
    out.push(diagnostic);
}
