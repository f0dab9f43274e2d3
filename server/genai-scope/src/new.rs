//! `genai-scope new --scope N NAME`: a starter workload whose facts put it in scope N, with
//! every control that scope requires (for those facts) declared `status = planned`. The
//! controls come from the catalog through the analysis itself, never from a list kept here.
//! It is declared `stage = prototype`: honest for a file that only promises its controls; in
//! production each planned one would be `control-not-implemented`.
//!
//! `--agency N` adds an agent whose tools and initiation give it agency scope N (1-4), with
//! the agentic controls that scope requires declared in its block, planned as well.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{EXIT_CLEAN, EXIT_USAGE_OR_INPUT};
use genai_scope_analysis::Settings;
use genai_scope_analysis::agency::AgencyScope;
use genai_scope_analysis::catalog::{Scope, catalog};
use genai_scope_analysis::diagnostic::Code;
use genai_scope_analysis::{
    AnalysisOptions, Coverage, analyze, apply_edits, insert_controls_into_block,
    insert_controls_into_workload,
};
use genai_scope_syntax as syntax;

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The scope (1-5) the workload is in [default with --agency: 3, a model behind an API].
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5), required_unless_present = "agency")]
    pub scope: Option<u8>,
    /// Also add an agent whose facts give it this agency scope (1-4), with its agentic
    /// controls.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub agency: Option<u8>,
    /// The workload's name; the file is `NAME.genai` in the current directory.
    pub name: String,
}

pub fn run(args: &NewArgs) -> ExitCode {
    let name = args.name.strip_suffix(".genai").unwrap_or(&args.name);
    if let Err(message) = check_name(name) {
        eprintln!("genai-scope: {message}");
        return ExitCode::from(EXIT_USAGE_OR_INPUT);
    }
    let settings = match super::project_settings() {
        Ok(settings) => settings,
        Err(code) => return code,
    };
    // Agents most often run on a model behind an API: scope 3 unless told otherwise.
    let number = args.scope.unwrap_or(Scope::PRE_TRAINED.number());
    let written = Scope::new(u64::from(number))
        .and_then(|scope| Some((scope, starter(name, scope, args.agency, &settings)?)));
    let Some((scope, text)) = written else {
        eprintln!("genai-scope: no starter workload for scope {number}");
        return ExitCode::from(EXIT_USAGE_OR_INPUT);
    };
    let agency = args
        .agency
        .and_then(|n| AgencyScope::from_number(u64::from(n)))
        .map(|a| format!(", an agent at agency scope {} {}", a.number(), a.name()))
        .unwrap_or_default();
    let path = PathBuf::from(format!("{name}.genai"));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    match written {
        Ok(()) => {
            super::print_stdout(&format!(
                "created {} (scope {} {}{agency}, stage = prototype); replace the TODOs, set each control to `implemented` as it is put in place, and remove `stage = prototype` when the workload goes live\n",
                path.display(),
                scope,
                catalog().scope_name(scope)
            ));
            ExitCode::from(EXIT_CLEAN)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "genai-scope: {} already exists; not overwritten",
                path.display()
            );
            ExitCode::from(EXIT_USAGE_OR_INPUT)
        }
        Err(e) => {
            eprintln!("genai-scope: {}: cannot write: {e}", path.display());
            ExitCode::from(EXIT_USAGE_OR_INPUT)
        }
    }
}

/// A name that is both a file name and a readable label.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.starts_with(['.', '-']) {
        return Err(format!(
            "`{name}` is not a workload name: start it with a letter or digit"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "`{name}` is not a workload name: `{bad}` is not allowed (use letters, digits, `-`, `_` and `.`)"
        ));
    }
    Ok(())
}

/// The facts of a model (and training data) that put a workload in `scope`.
fn facts(scope: Scope) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    // (hosting, training, data use of the training data)
    Some(match scope.number() {
        1 => ("consumer_app", "none", None),
        2 => ("enterprise_app", "none", None),
        3 => ("managed_api", "none", None),
        4 => ("managed_api", "fine_tuned", Some("fine_tuning")),
        5 => ("self_hosted", "from_scratch", Some("training")),
        _ => return None,
    })
}

/// A starter tool: its name, its `effect`, and whether it needs approval.
type StarterTool = (&'static str, &'static str, bool);

/// The facts of an agent that give it `agency` scope: its initiation and its tools, each
/// `(name, effect, approval required)`. A changing tool that needs no approval only writes,
/// so that the starter has no `unapproved-high-impact-action`.
fn agent_facts(agency: u8) -> Option<(bool, &'static [StarterTool])> {
    const LOOKUP: StarterTool = ("TODO-lookup", "read", false);
    Some(match agency {
        1 => (false, &[LOOKUP]),
        2 => (false, &[LOOKUP, ("TODO-update", "write", true)]),
        3 => (false, &[LOOKUP, ("TODO-update", "write", false)]),
        4 => (true, &[LOOKUP, ("TODO-update", "write", false)]),
        _ => return None,
    })
}

/// The agent block of the starter, without its controls.
fn agent_block(name: &str, agency: u8) -> Option<String> {
    let (self_started, tools) = agent_facts(agency)?;
    let scope = AgencyScope::from_number(u64::from(agency))?;
    let mut block = format!(
        "\n  agent \"{name}-agent\" {{\n    model        = \"{name}-model\"\n    description  = \"TODO: what the agent does ({} {})\"\n    agency_scope = {agency}\n",
        scope.number(),
        scope.name()
    );
    if self_started {
        block.push_str("    initiation   = self\n");
    }
    for (tool, effect, approval) in tools {
        block.push_str(&format!(
            "\n    tool \"{tool}\" {{\n      effect   = {effect}\n"
        ));
        if *approval {
            block.push_str("      approval = required\n");
        }
        block.push_str("    }\n");
    }
    block.push_str("  }\n");
    Some(block)
}

/// The starter file for a workload `name` at `scope` (with an agent at `agency` scope, if
/// given), under a project's `settings` (its custom controls are declared too).
pub fn starter(
    name: &str,
    scope: Scope,
    agency: Option<u8>,
    settings: &Settings,
) -> Option<String> {
    let (hosting, training, data_use) = facts(scope)?;
    let scope_name = catalog().scope(scope)?.name.as_str();
    let mut text = format!(
        "# {name}: a scope {scope} ({scope_name}) workload. Replace the TODOs; set each control's\n\
         # status to `implemented` (with `evidence`) as it is put in place.\n\
         # A prototype may leave its required controls planned (and may hold no confidential or\n\
         # restricted data); once it is live, drop `stage = prototype`: in production every\n\
         # planned required control is a finding (control-not-implemented).\n\
         workload \"{name}\" {{\n  owner       = \"TODO@example.com\"\n  description = \"TODO: what the workload does\"\n  scope       = {scope}\n  stage       = prototype\n  audience    = employees\n  access      = authenticated\n  criticality = medium\n  outputs     = [shown]\n\n"
    );
    text.push_str(&format!(
        "  model \"{name}-model\" {{\n    provider = \"TODO\"\n    hosting  = {hosting}\n    training = {training}\n"
    ));
    if data_use.is_some() {
        text.push_str("    classification = internal\n");
    }
    text.push_str("  }\n");
    if let Some(data_use) = data_use {
        text.push_str(&format!(
            "\n  data \"{name}-training-data\" {{\n    classification = internal\n    personal_data  = false\n    use            = {data_use}\n  }}\n"
        ));
    }
    text.push_str("}\n");

    // The controls the analysis finds missing for these facts, inserted as planned.
    let options = AnalysisOptions {
        settings: settings.clone(),
        ..AnalysisOptions::default()
    };
    let analysis = analyze(&text, &options);
    let report = analysis.workloads.first()?;
    let missing: Vec<&str> = report
        .controls
        .iter()
        .filter(|c| c.coverage == Coverage::Missing)
        .map(|c| c.id.as_str())
        .collect();
    if !missing.is_empty() {
        let file = syntax::parse(&text);
        let edit = insert_controls_into_workload(&text, &file, 0, &missing)?;
        text = apply_edits(&text, &[edit])?;
        // A blank line between the facts and the controls.
        text = text.replacen("  }\n  control ", "  }\n\n  control ", 1);
    }
    if let Some(agency) = agency {
        text = with_agent(&text, name, agency, &options)?;
    }
    // What going live adds (controls required in production only), as a note.
    let live = text.replacen("stage       = prototype", "stage       = production", 1);
    let production_only: Vec<String> = analyze(&live, &options)
        .workloads
        .first()?
        .missing_controls()
        .map(|c| format!("  #   {}\n", c.id))
        .collect();
    if !production_only.is_empty() {
        let end = text.rfind('}')?;
        text.insert_str(
            end,
            &format!(
                "\n  # In production it also needs:\n{}",
                production_only.concat()
            ),
        );
    }
    Some(genai_scope_ide::format::format(&text).unwrap_or(text))
}

/// `text` with the agent of `agency` scope added at the end of its workload, and the
/// agentic controls the analysis finds missing for it inserted into its block as planned.
fn with_agent(text: &str, name: &str, agency: u8, options: &AnalysisOptions) -> Option<String> {
    let end = text.rfind('}')?;
    let mut text = text.to_string();
    text.insert_str(end, &agent_block(name, agency)?);
    let agent_name = format!("{name}-agent");
    let analysis = analyze(&text, options);
    let mut missing: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingControl && d.agent.as_deref() == Some(&agent_name))
        .filter_map(|d| d.control.as_deref())
        .collect();
    missing.dedup();
    if missing.is_empty() {
        return Some(text);
    }
    let file = syntax::parse(&text);
    let workload = genai_scope_analysis::workload_blocks(&file).next()?;
    let agent = workload.items.iter().find_map(|item| match item {
        syntax::Item::Block(block) if block.is(syntax::BlockKind::Agent) => Some(block),
        _ => None,
    })?;
    let edit = insert_controls_into_block(&text, agent, &missing);
    apply_edits(&text, &[edit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::diagnostic::Severity;

    #[test]
    fn every_scope_gets_a_starter_without_missing_controls_or_errors() {
        for scope in Scope::ALL {
            let text = starter("demo", scope, None, &Settings::default()).unwrap();
            let analysis = analyze(&text, &AnalysisOptions::default());
            assert_eq!(analysis.workloads[0].inferred_scope, Some(scope), "{text}");
            let bad: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::MissingControl || d.severity == Severity::Error)
                .collect();
            assert!(bad.is_empty(), "scope {scope}:\n{text}\n{bad:#?}");
            let required = analysis.workloads[0]
                .controls
                .iter()
                .filter(|c| c.required)
                .count();
            assert!(required > 0);
            assert_eq!(text.matches("status = planned").count(), required, "{text}");
            assert!(text.contains("stage       = prototype"), "{text}");
            assert!(
                !analysis
                    .diagnostics
                    .iter()
                    .any(|d| d.code == Code::ControlNotImplemented),
                "a prototype may plan its controls"
            );
            // Declared live, every planned control is a finding.
            let live = text.replace("stage       = prototype", "stage       = production");
            let analysis = analyze(&live, &AnalysisOptions::default());
            let not_implemented = analysis
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::ControlNotImplemented)
                .count();
            assert_eq!(not_implemented, required, "scope {scope}");
        }
    }

    #[test]
    fn the_starter_declares_the_version_2_controls() {
        let text = starter("demo", Scope::PRE_TRAINED, None, &Settings::default()).unwrap();
        for id in [
            "controls.guardrails",
            "controls.invocation_logging",
            "controls.rate_limiting",
            "legal.conversation_retention",
        ] {
            assert!(text.contains(&format!("control {id} {{")), "{id}:\n{text}");
        }
        // Production-only controls are named for when the workload goes live.
        for id in ["risk.incident_response", "risk.pre_deployment_evaluation"] {
            assert!(!text.contains(&format!("control {id} {{")), "{id}:\n{text}");
            assert!(text.contains(&format!("  #   {id}\n")), "{id}:\n{text}");
        }
        let text = starter("demo", Scope::SELF_TRAINED, None, &Settings::default()).unwrap();
        for id in [
            "risk.dataset_provenance",
            "controls.model_artifact_protection",
            "controls.training_environment_isolation",
        ] {
            assert!(text.contains(&format!("control {id} {{")), "{id}:\n{text}");
        }
    }

    #[test]
    fn every_agency_scope_gets_an_agent_with_its_agentic_controls_planned() {
        for scope in [Scope::CONSUMER_APP, Scope::PRE_TRAINED, Scope::SELF_TRAINED] {
            for agency in 1..=4 {
                let text = starter("demo", scope, Some(agency), &Settings::default()).unwrap();
                let analysis = analyze(&text, &AnalysisOptions::default());
                let workload = &analysis.workloads[0];
                assert_eq!(workload.inferred_scope, Some(scope), "{text}");
                assert_eq!(
                    workload.agency_scope.map(|s| s.number()),
                    Some(agency),
                    "{text}"
                );
                assert_eq!(workload.agents.len(), 1);
                assert_eq!(workload.agents[0].declared_agency_scope, Some(agency));
                let bad: Vec<_> = analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == Code::MissingControl || d.severity == Severity::Error)
                    .collect();
                assert!(bad.is_empty(), "{scope}/{agency}:\n{text}\n{bad:#?}");
                // The agentic controls stand in the agent's block, after its tools.
                let agent = &text[text.find("  agent \"demo-agent\"").unwrap()..];
                let in_agent = agent.matches("status = planned").count();
                assert!(in_agent > 0, "{text}");
                assert!(
                    agent.contains(
                        "    control identity.user_context {\n      status = planned\n    }"
                    ),
                    "{text}"
                );
                // Live, each planned agentic control is a promise not kept.
                let live = text.replace("stage       = prototype", "stage       = production");
                let not_implemented = analyze(&live, &AnalysisOptions::default())
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        d.code == Code::ControlNotImplemented
                            && d.agent.as_deref() == Some("demo-agent")
                    })
                    .count();
                assert_eq!(not_implemented, in_agent, "{scope}/{agency}:\n{text}");
            }
        }
        // The higher the agency, the more the agent needs.
        let planned_in_agent = |agency| {
            let text = starter(
                "demo",
                Scope::PRE_TRAINED,
                Some(agency),
                &Settings::default(),
            )
            .unwrap();
            text[text.find("  agent ").unwrap()..]
                .matches("status = planned")
                .count()
        };
        assert!(planned_in_agent(4) > planned_in_agent(3));
        assert!(planned_in_agent(3) > planned_in_agent(1));
        assert!(agent_block("demo", 0).is_none() && agent_block("demo", 5).is_none());
    }

    #[test]
    fn without_agency_the_starter_has_no_agent() {
        let text = starter("demo", Scope::PRE_TRAINED, None, &Settings::default()).unwrap();
        assert!(!text.contains("agent "), "{text}");
        let analysis = analyze(&text, &AnalysisOptions::default());
        assert_eq!(analysis.workloads[0].agency_scope, None);
    }

    #[test]
    fn names_must_be_file_names() {
        assert!(check_name("support-bot_2.v1").is_ok());
        for bad in ["", ".hidden", "-x", "a/b", "a b", "a\"b", "..\\x"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
