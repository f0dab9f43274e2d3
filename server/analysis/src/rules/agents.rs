//! The agentic axis: agentic controls each agent needs (`missing-control`, reported on the
//! agent), required agentic controls left planned in production (`control-not-implemented`),
//! generative-matrix controls declared in an agent (`control-not-applicable`),
//! `agency-scope-mismatch`, `unapproved-high-impact-action`, and `unknown-reference` for an
//! agent's `model` and `delegates_to`.

use super::Context;
use crate::agency::{AgencyScope, AgentAgency, is_high_impact};
use crate::catalog::Catalog;
use crate::diagnostic::Severity;
use crate::diagnostic::{Code, Diagnostic, Fix, Message, TextEdit, bounded};
use crate::edits::{AddControlFix, ControlInsertion};
use crate::model::{Agent, ControlDecl, NamedBlock as _, Stage, Status};
use crate::obligation::{agent_requires, declared_for_agent};
use crate::schema::nearest;

/// The agents of the workload with their inferred agency.
fn agents<'c>(cx: &'c Context<'_>) -> impl Iterator<Item = (&'c Agent<'c>, &'c AgentAgency)> {
    cx.workload.agents.iter().zip(&cx.scope.agency.agents)
}

/// One finding per agent and agentic control it needs but neither its block nor the
/// workload declares; the fix inserts the control into the agent's block.
pub fn missing_agentic_control(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (agent, agency) in agents(cx) {
        // One shared name and fix for all of the agent's findings (an agent can miss twenty).
        let mut name: Option<std::sync::Arc<str>> = None;
        let mut fix = None;
        let controls = cx.catalog.controls.iter().enumerate();
        for (index, control) in controls.filter(|(_, control)| control.is_agentic()) {
            if declared_for_agent(control.id.as_str(), cx.workload, agent).is_some()
                || !agent_requires(control, cx.workload, agent, agency)
            {
                continue;
            }
            let name = name.get_or_insert_with(|| agent.display_name().into());
            let message = Message::MissingAgenticControl {
                catalog: cx.options.settings.catalog.clone(),
                control: index as u32,
                agency: agency.scope,
            };
            out.push(
                Diagnostic::new(Code::MissingControl, agent.anchor(), message)
                    .with_severity(control.severity)
                    .with_control(&control.id)
                    .with_agent(name.clone())
                    .with_add_control_fix(fix.get_or_insert_with(|| {
                        AddControlFix::new(
                            ControlInsertion::new(cx.text, agent.block),
                            agent.anchor().start,
                            Some(name.clone()),
                        )
                    })),
            );
        }
    }
}

/// A missing agentic control's message: written when read (see
/// [`Message::MissingAgenticControl`]).
pub(crate) fn missing_agentic_control_message(
    catalog: &Catalog,
    control: u32,
    agency: AgencyScope,
    agent: &str,
) -> String {
    let Some(control) = catalog.controls.get(control as usize) else {
        return "missing agentic control".to_string();
    };
    let dimension = catalog
        .dimension(control.discipline_id())
        .map_or(control.discipline_id(), |d| d.name.as_str());
    let conditions = control.agent_conditions_at(agency.number());
    let because = if conditions.is_empty() {
        String::new()
    } else {
        let described: Vec<&str> = conditions.iter().map(|c| c.describe()).collect();
        format!(" because {}", described.join(" and "))
    };
    format!(
        "missing agentic control {} ({dimension}): {}; required at agency scope {} for agent \"{agent}\"{because}",
        control.id,
        control.title,
        agency.label(),
    )
}

/// A required agentic control left `planned` in a production workload: in an agent's block,
/// or in the workload for the agents it covers (reported once, naming the first agent that
/// needs it and does not declare it itself).
pub fn agentic_control_not_implemented(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.workload.stage() != Stage::Production {
        return;
    }
    let planned = |declared: &ControlDecl<'_>| {
        declared
            .status
            .as_ref()
            .filter(|s| s.value == Status::Planned)
            .map(|s| s.range)
    };
    let mut report = |declared: &ControlDecl<'_>,
                      status: genai_scope_syntax::text::TextRange,
                      agent: &Agent<'_>,
                      agency: &AgentAgency| {
        let Some(control) = cx.catalog.control(&declared.id.value) else {
            return;
        };
        let stage = if cx.workload.stage.is_some() {
            "declares `stage = production`"
        } else {
            "is in production (the default `stage`)"
        };
        let mut diagnostic = Diagnostic::new(
            Code::ControlNotImplemented,
            status,
            format!(
                "{} is required at agency scope {} ({}) for agent \"{}\", but it is only `planned` and this workload {stage}: a planned control is a promise, not a safeguard; implement it, or declare `stage = prototype` while the workload is not live",
                control.id,
                agency.scope.number(),
                agency.scope.name(),
                agent.display_name()
            ),
        )
        .with_severity(control.severity)
        .with_control(&control.id)
        .with_agent(agent.display_name());
        if let Some(declared_stage) = &cx.workload.stage {
            diagnostic = diagnostic.with_related(declared_stage.range, "stage declared here");
        }
        out.push(diagnostic);
    };
    for (agent, agency) in agents(cx) {
        for declared in &agent.controls {
            let Some(status) = planned(declared) else {
                continue;
            };
            if let Some(control) = cx.catalog.control(&declared.id.value)
                && agent_requires(control, cx.workload, agent, agency)
            {
                report(declared, status, agent, agency);
            }
        }
    }
    for declared in &cx.workload.controls {
        let Some(status) = planned(declared) else {
            continue;
        };
        let Some(control) = cx.catalog.control(&declared.id.value) else {
            continue;
        };
        // The agents whose own block declares it are judged by their declaration above.
        if let Some((agent, agency)) = agents(cx).find(|(agent, agency)| {
            agent.control(&declared.id.value).is_none()
                && agent_requires(control, cx.workload, agent, agency)
        }) {
            report(declared, status, agent, agency);
        }
    }
}

/// A generative-matrix control declared inside an agent. Such controls stand in the workload
/// (format v2), so this one covers nothing: the workload's `missing-control` still stands.
/// It is reported as `control-not-applicable`, the code of a declared control that does not
/// apply where it is, rather than with a new code; but at `warning`, not the code's `hint`,
/// because unlike a merely superfluous control it is a mistake that leaves the author
/// believing something is covered.
pub fn generative_control_in_agent(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for agent in &cx.workload.agents {
        for declared in &agent.controls {
            let Some(control) = cx.catalog.control(&declared.id.value) else {
                continue;
            };
            if control.is_agentic() {
                continue;
            }
            let in_workload = cx.workload.control(control.id.as_str()).is_some();
            let covered = if in_workload {
                "the workload declares it too, and that declaration is the one that counts"
            } else {
                "declared here it covers nothing, not even the workload"
            };
            // Moving it makes it count for the workload: a change of facts, so not fix-all's.
            // With the workload's own declaration in place there is nothing to move it into.
            let fix = (!in_workload)
                .then(|| crate::edits::move_block(cx.text, declared.block, cx.workload.block))
                .flatten()
                .map(|edits| Fix {
                    title: format!(
                        "Move {} into workload \"{}\"",
                        control.id,
                        cx.workload.display_name()
                    ),
                    edits,
                    safe: false,
                });
            let diagnostic = Diagnostic::new(
                    Code::ControlNotApplicable,
                    declared.id.range,
                    format!(
                        "{} is a control of the generative matrix, which stands in the workload, not in agent \"{}\": {covered}; move it into the workload block",
                        control.id,
                        agent.display_name()
                    ),
                )
                .with_severity(Severity::Warning)
                .with_control(&control.id)
                .with_agent(agent.display_name());
            out.push(match fix {
                Some(fix) => diagnostic.with_fix(fix),
                None => diagnostic,
            });
        }
    }
}

/// An agent whose declared `agency_scope` differs from the inferred one.
pub fn agency_scope_mismatch(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (agent, agency) in agents(cx) {
        let Some(declared) = &agent.agency_scope else {
            continue;
        };
        let inferred = agency.scope.number();
        if declared.value == inferred {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::AgencyScopeMismatch,
                declared.range,
                format!(
                    "agent \"{}\" declares agency scope {} but its facts give {}: {}",
                    agent.display_name(),
                    declared.value,
                    agency.scope.label(),
                    agency.reasons.join("; ")
                ),
            )
            .with_agent(agent.display_name())
            .with_fix(Fix {
                title: format!("Set `agency_scope = {inferred}`"),
                edits: vec![TextEdit::replace(declared.range, inferred.to_string())],
                safe: true,
            }),
        );
    }
}

/// A tool that deletes, pays or sends outside the organisation without a person's approval.
/// The fix (`approval = required`) changes a fact, so fix-all leaves it alone.
pub fn unapproved_high_impact_action(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for agent in &cx.workload.agents {
        let facts = agent.facts();
        for tool in &agent.tools {
            let Some(tool_facts) = tool.facts() else {
                continue;
            };
            if !is_high_impact(&tool_facts, facts.approval) {
                continue;
            }
            // A tool that says `approval = none` gets its value changed: a second `approval`
            // line would leave the first one in force.
            let edit = match &tool.approval {
                Some(declared) => TextEdit::replace(declared.range, "required".to_string()),
                None => {
                    ControlInsertion::new(cx.text, tool.block).attribute_edit("approval = required")
                }
            };
            out.push(
                Diagnostic::new(
                    Code::UnapprovedHighImpactAction,
                    tool.anchor(),
                    format!(
                        "tool \"{}\" of agent \"{}\" has `effect = {}`{} and runs without a person's approval: require approval for it, enforced outside the model",
                        tool.display_name(),
                        agent.display_name(),
                        tool_facts.effect.keyword(),
                        if tool_facts.effect == crate::agency::Effect::Send {
                            " to an external audience"
                        } else {
                            ""
                        }
                    ),
                )
                .with_agent(agent.display_name())
                .with_fix(Fix {
                    title: format!("Require approval for tool \"{}\"", tool.display_name()),
                    edits: vec![edit],
                    safe: false,
                }),
            );
        }
    }
}

/// An agent's `model` or `delegates_to` entry that names nothing in the workload.
pub fn unknown_agent_reference(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for agent in &cx.workload.agents {
        if let Some(model) = &agent.model
            && cx.workload.model(&model.value).is_none()
        {
            let names = cx
                .workload
                .models
                .iter()
                .filter_map(|m| m.name.as_ref())
                .map(|n| n.value.as_str());
            out.push(unknown(
                model,
                format!(
                    "agent \"{}\" names model \"{}\", but this workload has no model of that name",
                    agent.display_name(),
                    bounded(&model.value)
                ),
                names,
                &agent.display_name(),
            ));
        }
        for delegate in &agent.delegates_to {
            if cx.workload.agent(&delegate.value).is_some() {
                continue;
            }
            let names = cx
                .workload
                .agents
                .iter()
                .filter(|a| !std::ptr::eq(a.block, agent.block))
                .filter_map(|a| a.name.as_ref())
                .map(|n| n.value.as_str());
            out.push(unknown(
                delegate,
                format!(
                    "agent \"{}\" hands work to \"{}\", but this workload has no agent of that name",
                    agent.display_name(),
                    bounded(&delegate.value)
                ),
                names,
                &agent.display_name(),
            ));
        }
    }
}

fn unknown<'n>(
    name: &crate::model::Spanned<String>,
    message: String,
    candidates: impl IntoIterator<Item = &'n str>,
    agent: &str,
) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::new(Code::UnknownReference, name.range, message).with_agent(agent);
    if let Some(suggestion) = nearest(&name.value, candidates) {
        diagnostic.append_to_message(&format!("; did you mean \"{suggestion}\"?"));
        diagnostic = diagnostic.with_fix(Fix {
            title: format!("Rename to \"{suggestion}\""),
            edits: vec![TextEdit::replace(name.range, format!("\"{suggestion}\""))],
            safe: false,
        });
    }
    diagnostic
}
