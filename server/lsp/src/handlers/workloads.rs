//! `genaiScope/workloads`: scope and coverage of every workload, for status bars and the
//! matrix view.

use crate::protocol::{
    ControlStatus, CoverageStatus, DisciplineCoverage, WorkloadSummary, WorkloadsResult,
};
use crate::session::Snapshot;
use genai_scope_analysis::Coverage;

fn status(coverage: Coverage) -> CoverageStatus {
    match coverage {
        Coverage::Implemented => CoverageStatus::Implemented,
        Coverage::Planned => CoverageStatus::Planned,
        Coverage::NotApplicable => CoverageStatus::NotApplicable,
        Coverage::Missing => CoverageStatus::Missing,
        Coverage::NotRequired => CoverageStatus::NotRequired,
    }
}

pub fn handle(snapshot: &Snapshot) -> WorkloadsResult {
    let catalog = snapshot.state.catalog();
    let converter = snapshot.converter();
    let workloads = snapshot
        .state
        .analysis
        .workloads
        .iter()
        .map(|report| {
            let disciplines = catalog
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
                    DisciplineCoverage {
                        id: discipline.id.to_string(),
                        name: discipline.name.to_string(),
                        required: controls.iter().filter(|c| c.required).count(),
                        implemented: count(Coverage::Implemented),
                        planned: count(Coverage::Planned),
                        not_applicable: count(Coverage::NotApplicable),
                        missing: count(Coverage::Missing),
                        controls: controls
                            .iter()
                            .map(|c| ControlStatus {
                                id: c.id.to_string(),
                                title: catalog
                                    .control(c.id.as_str())
                                    .map(|control| control.title.clone()),
                                required: c.required,
                                status: status(c.coverage),
                            })
                            .collect(),
                    }
                })
                .collect();
            WorkloadSummary {
                name: report.name.as_deref().map(str::to_string),
                range: converter.range(report.range),
                declared_scope: report.declared_scope,
                inferred_scope: report.inferred_scope,
                scope_name: report
                    .inferred_scope
                    .map(|s| catalog.scope_name(s).to_string()),
                reasons: report.reasons.clone(),
                disciplines,
            }
        })
        .collect();
    WorkloadsResult { workloads }
}
