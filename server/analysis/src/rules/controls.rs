//! The controls a workload's models and facts require: `missing-control`,
//! `control-not-implemented`, `control-not-applicable`, `missing-justification`,
//! `overdue-control`.

use super::Context;
use crate::catalog::{Catalog, Condition, Control, Scope, describe_all};
use crate::diagnostic::{Code, Diagnostic, Message};
use crate::edits::{AddControlFix, ControlInsertion};
use crate::model::NamedBlock as _;
use crate::model::{Stage, Status};
use crate::obligation::requirement;
use crate::shared_names::SharedNames;

/// " for model "x" because …": who requires it and the facts beyond the defaults that make
/// it required (`serves_inference`, `in_production` and `authenticated_access` hold unless
/// the file says otherwise, so naming them would only add noise).
fn why(control: &Control, scope: Scope, model: &str) -> String {
    let notable: Vec<Condition> = control
        .conditions_at(scope)
        .into_iter()
        .filter(|c| !c.is_default_fact())
        .collect();
    let because = if notable.is_empty() {
        String::new()
    } else {
        format!(" because {}", describe_all(&notable))
    };
    format!(" for model \"{model}\"{because}")
}

pub fn missing_control(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut fix = None;
    let mut model_names = SharedNames::default();
    for (index, control) in cx.catalog.controls.iter().enumerate() {
        if cx.workload.control(control.id.as_str()).is_some() {
            continue;
        }
        let Some(requirement) = requirement(control, cx.workload, cx.scope) else {
            continue;
        };
        let fix = fix.get_or_insert_with(|| {
            AddControlFix::new(
                ControlInsertion::new(cx.text, cx.workload.block),
                cx.workload.anchor().start,
                None,
            )
        });
        let message = Message::MissingControl {
            catalog: cx.options.settings.catalog.clone(),
            control: index as u32,
            scope: requirement.scope,
        };
        let mut diagnostic = Diagnostic::new(Code::MissingControl, cx.workload.anchor(), message)
            .with_severity(control.severity)
            .with_control(&control.id)
            .with_add_control_fix(fix);
        if let Some(model) = requirement.model_name() {
            diagnostic = diagnostic.with_model(model_names.share(model));
        }
        out.push(diagnostic);
    }
}

/// A missing control's message: written when read (see [`Message::MissingControl`]).
pub(crate) fn missing_control_message(
    catalog: &Catalog,
    control: u32,
    scope: Scope,
    model: Option<&str>,
) -> String {
    let Some(control) = catalog.controls.get(control as usize) else {
        return "missing control".to_string();
    };
    let discipline = catalog
        .discipline(control.discipline_id())
        .map_or(control.discipline_id(), |d| d.name.as_str());
    let why = model.map_or_else(String::new, |model| why(control, scope, model));
    format!(
        "missing control {} ({discipline}): {}; required at scope {scope} ({}){why}",
        control.id,
        control.title,
        catalog.scope_name(scope),
    )
}

/// A required control left `planned` in production: a promise is not a control.
pub fn control_not_implemented(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.workload.stage() != Stage::Production {
        return;
    }
    for declared in &cx.workload.controls {
        let Some(status) = &declared.status else {
            continue;
        };
        if status.value != Status::Planned {
            continue;
        }
        let Some(control) = cx.catalog.control(&declared.id.value) else {
            continue;
        };
        let Some(requirement) = requirement(control, cx.workload, cx.scope) else {
            continue;
        };
        let stage = if cx.workload.stage.is_some() {
            "declares `stage = production`"
        } else {
            "is in production (the default `stage`)"
        };
        let mut diagnostic = Diagnostic::new(
            Code::ControlNotImplemented,
            status.range,
            format!(
                "{} is required at scope {} ({}){}, but it is only `planned` and this workload {stage}: a planned control is a promise, not a safeguard; implement it, or declare `stage = prototype` while the workload is not live",
                control.id,
                requirement.scope,
                cx.catalog.scope_name(requirement.scope),
                requirement
                    .model_name()
                    .map_or_else(String::new, |model| why(control, requirement.scope, &model))
            ),
        )
        .with_severity(control.severity)
        .with_control(&control.id);
        if let Some(model) = requirement.model_name() {
            diagnostic = diagnostic.with_model(model);
        }
        if let Some(declared_stage) = &cx.workload.stage {
            diagnostic = diagnostic.with_related(declared_stage.range, "stage declared here");
        }
        out.push(diagnostic);
    }
}

pub fn control_not_applicable(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(highest) = cx.scope.scope else {
        return;
    };
    let mut model_scopes: Vec<Scope> = cx.scope.models.iter().filter_map(|m| m.scope).collect();
    model_scopes.sort_unstable();
    model_scopes.dedup();
    for declared in &cx.workload.controls {
        if declared.status() == Status::NotApplicable {
            continue;
        }
        let Some(control) = cx.catalog.control(&declared.id.value) else {
            continue;
        };
        // An agentic control in the workload covers its agents; the agent rules judge it.
        if control.is_agentic() || requirement(control, cx.workload, cx.scope).is_some() {
            continue;
        }
        // A scope of the workload lists it, so its conditions are what fail.
        let listed = model_scopes
            .iter()
            .rev()
            .copied()
            .find(|s| control.required_in(*s));
        let message = match listed {
            Some(scope) => format!(
                "{} is only required when {}; this workload does not need it",
                control.id,
                describe_all(&control.conditions_at(scope))
            ),
            None if model_scopes.len() > 1 => format!(
                "{} is not required at {} (this workload's models); it is required at {}",
                control.id,
                scope_list(&model_scopes),
                scope_list(&control.scopes)
            ),
            None => format!(
                "{} is not required at scope {highest} ({}); it is required at {}",
                control.id,
                cx.catalog.scope_name(highest),
                scope_list(&control.scopes)
            ),
        };
        out.push(
            Diagnostic::new(Code::ControlNotApplicable, declared.id.range, message)
                .with_control(&control.id),
        );
    }
}

/// "scope 2", "scopes 1 and 2", "scopes 3, 4 and 5".
fn scope_list(scopes: &[Scope]) -> String {
    let names: Vec<String> = scopes.iter().map(Scope::to_string).collect();
    match names.split_last() {
        Some((last, init)) if !init.is_empty() => format!("scopes {} and {last}", init.join(", ")),
        _ => format!("scope {}", names.join("")),
    }
}

pub fn missing_justification(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for declared in cx.workload.declared_controls() {
        let Some(status) = &declared.status else {
            continue;
        };
        if status.value != Status::NotApplicable || declared.justification.is_some() {
            continue;
        }
        if declared.block.attribute("justification").is_some() {
            continue; // present but invalid: already reported
        }
        out.push(
            Diagnostic::new(
                Code::MissingJustification,
                status.range,
                format!(
                    "{} is marked `not_applicable` without a `justification`: say why it does not apply, so a reviewer can agree",
                    declared.id.value
                ),
            )
            .with_control(declared.id.value.as_str()),
        );
    }
}

pub fn overdue_control(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(today) = cx.options.today else {
        return;
    };
    for declared in cx.workload.declared_controls() {
        let Some(due) = &declared.due else { continue };
        if declared.status() != Status::Planned || due.value >= today {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::OverdueControl,
                due.range,
                format!(
                    "{} was planned for {} and is still not implemented",
                    declared.id.value, due.value
                ),
            )
            .with_control(declared.id.value.as_str()),
        );
    }
}
