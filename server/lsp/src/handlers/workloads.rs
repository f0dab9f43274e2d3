//! `genaiScope/workloads`: scope and coverage of every workload, for status bars and the
//! matrix view.

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::ls_types as lsp;

use crate::session::Snapshot;
use genai_scope_analysis::Coverage;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    pub text_document: lsp::TextDocumentIdentifier,
}

fn status(coverage: Coverage) -> &'static str {
    match coverage {
        Coverage::Implemented => "implemented",
        Coverage::Planned => "planned",
        Coverage::NotApplicable => "not_applicable",
        Coverage::Missing => "missing",
        Coverage::NotRequired => "not_required",
    }
}

pub fn handle(snapshot: &Snapshot) -> Value {
    let catalog = snapshot.state.catalog();
    let converter = snapshot.converter();
    let workloads: Vec<Value> = snapshot
        .state
        .analysis
        .workloads
        .iter()
        .map(|report| {
            let disciplines: Vec<Value> = catalog
                .disciplines
                .iter()
                .map(|discipline| {
                    let controls: Vec<_> = report
                        .controls
                        .iter()
                        .filter(|c| c.id.discipline() == discipline.id)
                        .collect();
                    let count = |coverage: Coverage| {
                        controls
                            .iter()
                            .filter(|c| c.required && c.coverage == coverage)
                            .count()
                    };
                    json!({
                        "id": discipline.id,
                        "name": discipline.name,
                        "required": controls.iter().filter(|c| c.required).count(),
                        "implemented": count(Coverage::Implemented),
                        "planned": count(Coverage::Planned),
                        "notApplicable": count(Coverage::NotApplicable),
                        "missing": count(Coverage::Missing),
                        "controls": controls.iter().map(|c| json!({
                            "id": c.id,
                            "title": catalog.control(c.id.as_str()).map(|control| control.title.as_str()),
                            "required": c.required,
                            "status": status(c.coverage),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "name": report.name,
                "range": converter.range(report.range),
                "declaredScope": report.declared_scope,
                "inferredScope": report.inferred_scope,
                "scopeName": report.inferred_scope.map(|s| catalog.scope_name(s)),
                "reasons": report.reasons,
                "disciplines": disciplines,
            })
        })
        .collect();
    json!({ "workloads": workloads })
}
