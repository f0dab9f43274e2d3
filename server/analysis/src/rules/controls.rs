//! The controls a workload's scope requires: `missing-control`, `control-not-applicable`,
//! `missing-justification`, `overdue-control`.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::edits::ControlInsertion;
use crate::is_required;
use crate::model::NamedBlock as _;
use crate::model::Status;

pub fn missing_control(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(scope) = cx.scope.scope else { return };
    let mut insertion = None;
    for control in &cx.catalog.controls {
        if !is_required(control, Some(scope), cx.workload)
            || cx.workload.control(control.id.as_str()).is_some()
        {
            continue;
        }
        let insertion =
            insertion.get_or_insert_with(|| ControlInsertion::new(cx.text, cx.workload.block));
        let discipline = cx
            .catalog
            .discipline(control.discipline_id())
            .map_or(control.discipline_id(), |d| d.name.as_str());
        let because = control
            .when
            .map(|condition| format!(" because {}", condition.describe()))
            .unwrap_or_default();
        out.push(
            Diagnostic::new(
                Code::MissingControl,
                cx.workload.anchor(),
                format!(
                    "missing control {} ({discipline}): {}; required at scope {scope} ({}){because}",
                    control.id,
                    control.title,
                    cx.catalog.scope_name(scope)
                ),
            )
            .with_severity(control.severity)
            .with_control(&control.id)
            .with_fix(Fix {
                title: format!("Add missing control {}", control.id),
                edits: vec![insertion.edit(&[control.id.as_str()])],
                safe: true,
            }),
        );
    }
}

pub fn control_not_applicable(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(scope) = cx.scope.scope else { return };
    for declared in &cx.workload.controls {
        if declared.status() == Status::NotApplicable {
            continue;
        }
        let Some(control) = cx.catalog.control(&declared.id.value) else {
            continue;
        };
        if is_required(control, Some(scope), cx.workload) {
            continue;
        }
        let message = match control.when {
            Some(condition) if control.required_in(scope) => format!(
                "{} is only required when {}; this workload does not need it",
                control.id,
                condition.describe()
            ),
            _ => format!(
                "{} is not required at scope {scope} ({}); it is required at scope {}",
                control.id,
                cx.catalog.scope_name(scope),
                scope_list(&control.scopes)
            ),
        };
        out.push(
            Diagnostic::new(Code::ControlNotApplicable, declared.id.range, message)
                .with_control(&control.id),
        );
    }
}

fn scope_list(scopes: &[u8]) -> String {
    let names: Vec<String> = scopes.iter().map(u8::to_string).collect();
    match names.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => names.join(""),
    }
}

pub fn missing_justification(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for declared in &cx.workload.controls {
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
            .with_control(&declared.id.value),
        );
    }
}

pub fn overdue_control(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(today) = cx.options.today else {
        return;
    };
    for declared in &cx.workload.controls {
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
            .with_control(&declared.id.value),
        );
    }
}
