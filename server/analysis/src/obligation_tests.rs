//! The conditions, one by one, and the catalog's obligations, control by control: for each
//! control and each of its scopes, a workload where its scope and conditions hold reports it
//! missing, the same workload declaring it reports nothing about it, and one where a
//! condition fails neither requires it nor stays silent when it is declared.

use std::collections::BTreeSet;

use super::*;
use crate::catalog::{Condition, Scope, catalog};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::{AnalysisOptions, analyze, typed_workloads};

fn options() -> AnalysisOptions {
    AnalysisOptions::default()
}

/// Whether `condition` holds for the first model of the first workload of `text`.
fn holds(condition: Condition, text: &str) -> bool {
    let file = genai_scope_syntax::parse(text);
    assert!(file.errors.is_empty(), "{text}");
    let workloads = typed_workloads(catalog(), &file);
    let workload = &workloads[0];
    let facts = match workload.models.first() {
        Some(model) => Facts::for_model(workload, model),
        None => Facts::of_workload(workload),
    };
    facts.holds(condition)
}

fn workload(body: &str) -> String {
    format!("workload \"w\" {{\n  owner = \"o\"\n{body}\n}}\n")
}

const MODEL: &str = "  model \"m\" { hosting = managed_api }";

#[test]
fn every_condition_holds_and_fails_where_it_should() {
    let tuned = "  model \"m\" {\n    hosting = managed_api\n    training = fine_tuned\n    classification = internal\n  }";
    let cases: Vec<(Condition, String, String)> = vec![
        (
            Condition::ExternalAudience,
            workload(&format!("  audience = partners\n{MODEL}")),
            workload(&format!("  audience = employees\n{MODEL}")),
        ),
        (
            Condition::PersonalDataInTraining,
            workload(&format!(
                "{tuned}\n  data \"d\" {{\n    classification = internal\n    use = fine_tuning\n    personal_data = true\n  }}"
            )),
            workload(&format!(
                "{tuned}\n  data \"d\" {{\n    classification = internal\n    use = rag\n    personal_data = true\n  }}"
            )),
        ),
        (
            Condition::UsesRag,
            workload(&format!(
                "{MODEL}\n  data \"d\" {{\n    classification = internal\n    use = rag\n  }}"
            )),
            workload(&format!(
                "{MODEL}\n  data \"d\" {{\n    classification = internal\n    use = prompt\n  }}"
            )),
        ),
        (
            Condition::HighCriticality,
            workload(&format!("  criticality = critical\n{MODEL}")),
            workload(&format!("  criticality = medium\n{MODEL}")),
        ),
        (
            Condition::MultiRegion,
            workload(&format!(
                "  regions = [\"eu-west-1\", \"us-east-1\"]\n{MODEL}"
            )),
            workload(&format!(
                "  regions = [\"eu-west-1\", \"eu-west-1\"]\n{MODEL}"
            )),
        ),
        (
            Condition::ServesInference,
            workload(MODEL),
            workload("  model \"m\" {\n    hosting = managed_api\n    inference = false\n  }"),
        ),
        (
            Condition::InProduction,
            workload(MODEL),
            workload(&format!("  stage = prototype\n{MODEL}")),
        ),
        (
            Condition::PublicExposure,
            workload(&format!("  access = anonymous\n{MODEL}")),
            workload(&format!("  audience = customers\n{MODEL}")),
        ),
        (
            Condition::CustomerFacing,
            workload(&format!("  audience = public\n{MODEL}")),
            workload(&format!("  audience = partners\n{MODEL}")),
        ),
        (
            Condition::UntrustedContent,
            workload(&format!(
                "{MODEL}\n  data \"d\" {{\n    classification = public\n    use = rag\n    origin = web\n  }}"
            )),
            // Untrusted data that only trains is not content read at inference.
            workload(&format!(
                "{tuned}\n  data \"d\" {{\n    classification = public\n    use = fine_tuning\n    origin = third_party\n  }}"
            )),
        ),
        (
            Condition::OutputExecuted,
            workload(&format!("  outputs = [shown, downstream]\n{MODEL}")),
            workload(&format!("  outputs = [shown, rendered]\n{MODEL}")),
        ),
        (
            Condition::OutputRendered,
            workload(&format!("  outputs = [rendered]\n{MODEL}")),
            workload(MODEL),
        ),
        (
            Condition::OutputReused,
            workload(&format!("  outputs = [training]\n{MODEL}")),
            workload(&format!("  outputs = [executed]\n{MODEL}")),
        ),
        (
            Condition::DataResidency,
            workload(&format!("  data_residency = \"EU\"\n{MODEL}")),
            workload(MODEL),
        ),
        (
            Condition::PersonalDataInRag,
            workload(&format!(
                "{MODEL}\n  data \"d\" {{\n    classification = internal\n    use = rag\n    personal_data = true\n  }}"
            )),
            workload(&format!(
                "{MODEL}\n  data \"d\" {{\n    classification = internal\n    use = prompt\n    personal_data = true\n  }}"
            )),
        ),
        (
            Condition::DataToProvider,
            workload(&format!(
                "{MODEL}\n  data \"d\" {{\n    classification = internal\n    use = prompt\n  }}"
            )),
            workload(
                "  model \"m\" {\n    hosting = self_hosted\n    origin = vendor\n  }\n  data \"d\" {\n    classification = restricted\n    use = prompt\n  }",
            ),
        ),
        (
            Condition::ThirdPartyWeights,
            workload("  model \"m\" {\n    hosting = self_hosted\n    origin = public_hub\n  }"),
            workload("  model \"m\" {\n    hosting = self_hosted\n    origin = own\n  }"),
        ),
        (Condition::TrainsOrTunes, workload(tuned), workload(MODEL)),
        (
            Condition::AuthenticatedAccess,
            workload(&format!("  audience = public\n{MODEL}")),
            workload(&format!("  access = anonymous\n{MODEL}")),
        ),
    ];
    let covered: BTreeSet<&str> = cases.iter().map(|(c, _, _)| c.name()).collect();
    let all: BTreeSet<&str> = Condition::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(covered, all, "every condition has its case");
    for (condition, holding, failing) in &cases {
        assert!(
            holds(*condition, holding),
            "{} should hold:\n{holding}",
            condition.name()
        );
        assert!(
            !holds(*condition, failing),
            "{} should fail:\n{failing}",
            condition.name()
        );
    }
}

#[test]
fn conditions_are_read_by_name_and_described() {
    for condition in Condition::ALL {
        assert_eq!(Condition::from_name(condition.name()), Some(*condition));
        assert!(!condition.describe().is_empty());
    }
    // The 18 names of the matrix's vocabulary, and the project's `authenticated_access`.
    assert_eq!(Condition::ALL.len(), 19);
}

/// A workload whose single model has `scope`, in which the conditions of `hold` hold and
/// `fail` does not, as far as the facts allow (callers check with [`holds`]).
fn workload_with(scope: u8, hold: &[Condition], fail: Option<Condition>) -> String {
    let wants = |c: Condition| hold.contains(&c) && fail != Some(c);
    let fails = |c: Condition| fail == Some(c);
    let mut lines = vec!["  owner = \"o\"".to_string()];
    // Audience and access: the first combination that satisfies every wish.
    let audiences = ["employees", "partners", "customers", "public"];
    let accesses = ["authenticated", "anonymous"];
    let (audience, access) = audiences
        .iter()
        .flat_map(|a| accesses.iter().map(move |x| (*a, *x)))
        .find(|(audience, access)| {
            let external = *audience != "employees";
            let customer = matches!(*audience, "customers" | "public");
            let public = *audience == "public" || *access == "anonymous";
            let authenticated = *access == "authenticated";
            [
                (Condition::ExternalAudience, external),
                (Condition::CustomerFacing, customer),
                (Condition::PublicExposure, public),
                (Condition::AuthenticatedAccess, authenticated),
            ]
            .iter()
            .all(|(c, value)| (!wants(*c) || *value) && (!fails(*c) || !*value))
        })
        .unwrap_or(("employees", "authenticated"));
    lines.push(format!("  audience = {audience}"));
    lines.push(format!("  access = {access}"));
    if wants(Condition::HighCriticality) {
        lines.push("  criticality = high".into());
    }
    if wants(Condition::MultiRegion) {
        lines.push("  regions = [\"eu-west-1\", \"eu-central-1\"]".into());
    }
    if fails(Condition::InProduction) {
        lines.push("  stage = prototype".into());
    }
    let mut outputs = vec!["shown"];
    if wants(Condition::OutputExecuted) {
        outputs.push("executed");
    }
    if wants(Condition::OutputRendered) {
        outputs.push("rendered");
    }
    if wants(Condition::OutputReused) {
        outputs.push("stored");
    }
    lines.push(format!("  outputs = [{}]", outputs.join(", ")));
    if wants(Condition::DataResidency) {
        lines.push("  data_residency = \"EU\"".into());
    }
    // Data is `internal` unless data to the provider must not happen; a prototype keeps
    // below `confidential` anyway.
    let classification = if fails(Condition::DataToProvider) {
        "public"
    } else {
        "internal"
    };
    let (hosting, training) = match scope {
        1 => ("consumer_app", "none"),
        2 => ("enterprise_app", "none"),
        3 => ("managed_api", "none"),
        4 => ("managed_api", "fine_tuned"),
        _ => ("managed_api", "from_scratch"),
    };
    let mut model = format!("  model \"m\" {{\n    hosting = {hosting}\n    training = {training}");
    if scope >= 4 {
        model += &format!("\n    classification = {classification}");
    }
    if wants(Condition::ThirdPartyWeights) {
        model += "\n    origin = public_hub";
    }
    if fails(Condition::ServesInference) {
        model += "\n    inference = false";
    }
    model += "\n  }";
    lines.push(model);
    if scope >= 4 {
        let use_ = if scope == 4 {
            "fine_tuning"
        } else {
            "training"
        };
        let personal = wants(Condition::PersonalDataInTraining);
        lines.push(format!(
            "  data \"corpus\" {{\n    classification = {classification}\n    use = {use_}\n    personal_data = {personal}\n  }}"
        ));
    }
    let untrusted = if wants(Condition::UntrustedContent) {
        "web"
    } else {
        "internal"
    };
    lines.push(format!(
        "  data \"notes\" {{\n    classification = {classification}\n    use = prompt\n    origin = {untrusted}\n  }}"
    ));
    if (wants(Condition::UsesRag) || wants(Condition::PersonalDataInRag))
        && !fails(Condition::UsesRag)
    {
        let personal = wants(Condition::PersonalDataInRag);
        lines.push(format!(
            "  data \"index\" {{\n    classification = {classification}\n    use = rag\n    personal_data = {personal}\n  }}"
        ));
    }
    format!("workload \"w\" {{\n{}\n}}\n", lines.join("\n"))
}

fn about<'a>(diagnostics: &'a [Diagnostic], id: &str) -> Vec<&'a Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.control.as_deref() == Some(id))
        .collect()
}

/// `text` with `control <id> { … }` declared implemented before the workload's last brace.
fn declaring(text: &str, id: &str) -> String {
    let end = text.rfind('}').expect("a workload");
    format!(
        "{}  control {id} {{\n    evidence = \"https://wiki.example.com/{id}\"\n  }}\n{}",
        &text[..end],
        &text[end..]
    )
}

#[test]
fn every_control_is_required_where_its_scope_and_conditions_hold_and_only_there() {
    let mut positives = 0;
    let mut negatives = 0;
    for control in &catalog().controls {
        for &scope in &control.scopes {
            let conditions = control.conditions_at(scope);
            let text = workload_with(scope.number(), &conditions, None);
            for condition in &conditions {
                assert!(
                    holds(*condition, &text),
                    "{} at scope {scope}: {} does not hold in\n{text}",
                    control.id,
                    condition.name()
                );
            }
            // Missing: reported, at the control's severity, for the model.
            let analysis = analyze(&text, &options());
            let found = about(&analysis.diagnostics, control.id.as_str());
            assert!(
                found.iter().any(|d| d.code == Code::MissingControl
                    && d.severity == control.severity
                    && d.model.as_deref() == Some("m")),
                "{} is not reported missing at scope {scope}:\n{text}\n{found:#?}",
                control.id
            );
            // Declared: nothing about it.
            let declared = declaring(&text, control.id.as_str());
            let analysis = analyze(&declared, &options());
            let found = about(&analysis.diagnostics, control.id.as_str());
            assert!(
                found.is_empty(),
                "{} declared:\n{declared}\n{found:#?}",
                control.id
            );
            positives += 1;

            // Each condition failing in turn: not required, and a hint when declared.
            for condition in &conditions {
                let text = workload_with(scope.number(), &conditions, Some(*condition));
                if holds(*condition, &text) {
                    continue; // the facts of this scope imply it (trains_or_tunes at 4–5)
                }
                let analysis = analyze(&text, &options());
                assert!(
                    about(&analysis.diagnostics, control.id.as_str()).is_empty(),
                    "{} required although {} fails:\n{text}",
                    control.id,
                    condition.name()
                );
                let declared = declaring(&text, control.id.as_str());
                let analysis = analyze(&declared, &options());
                let found = about(&analysis.diagnostics, control.id.as_str());
                assert!(
                    found.len() == 1 && found[0].code == Code::ControlNotApplicable,
                    "{} declared although {} fails:\n{declared}\n{found:#?}",
                    control.id,
                    condition.name()
                );
                negatives += 1;
            }
        }
        // At a scope that does not list it, it is not required.
        if let Some(other) = Scope::ALL.into_iter().find(|s| !control.required_in(*s)) {
            let all: Vec<Condition> = Condition::ALL.to_vec();
            let text = workload_with(other.number(), &all, None);
            let analysis = analyze(&text, &options());
            assert!(
                about(&analysis.diagnostics, control.id.as_str()).is_empty(),
                "{} required at scope {other}:\n{text}",
                control.id
            );
        }
    }
    assert!(positives >= 100, "{positives}");
    assert!(negatives >= 40, "{negatives}");
}

/// Realistic v2 workloads, one per scope, with many facts set.
fn rich_workload(scope: u8, stage: &str) -> String {
    let classification = if stage == "prototype" {
        "internal"
    } else {
        "confidential"
    };
    let models = match scope {
        1 => "  model \"chat\" {\n    hosting = consumer_app\n  }".to_string(),
        2 => "  model \"suite\" {\n    hosting = enterprise_app\n  }".to_string(),
        3 => "  model \"assistant\" {\n    hosting = self_hosted\n    origin = public_hub\n    resource = \"aws_sagemaker_endpoint.assistant\"\n  }".to_string(),
        4 => format!("  model \"tuned\" {{\n    hosting = managed_api\n    training = fine_tuned\n    classification = {classification}\n  }}"),
        _ => format!("  model \"own\" {{\n    hosting = self_hosted\n    training = from_scratch\n    classification = {classification}\n  }}"),
    };
    let data_class = if scope <= 2 { "public" } else { classification };
    let mut data = format!(
        "  data \"kb\" {{\n    classification = {data_class}\n    use = rag\n    origin = web\n    store = \"opensearch\"\n    resource = \"aws_opensearchserverless_collection.kb\"\n  }}"
    );
    if scope >= 4 {
        let use_ = if scope == 4 {
            "fine_tuning"
        } else {
            "training"
        };
        data += &format!(
            "\n  data \"corpus\" {{\n    classification = {classification}\n    use = {use_}\n  }}"
        );
    }
    format!(
        "workload \"w{scope}\" {{\n  owner = \"team@example.com\"\n  audience = employees\n  criticality = high\n  regions = [\"eu-west-1\", \"eu-central-1\"]\n  stage = {stage}\n  outputs = [shown, rendered, stored, executed]\n  data_residency = \"EU\"\n{models}\n{data}\n}}\n"
    )
}

fn with_controls(text: &str, ids: &[String], status: &str) -> String {
    let end = text.rfind('}').unwrap();
    let mut blocks = String::new();
    for id in ids {
        let body = match status {
            "implemented" => format!("evidence = \"https://wiki.example.com/{id}\""),
            _ => format!("status = {status}"),
        };
        blocks += &format!("  control {id} {{\n    {body}\n  }}\n");
    }
    format!("{}{blocks}{}", &text[..end], &text[end..])
}

#[test]
fn a_v2_file_declaring_every_required_control_has_no_finding() {
    for scope in Scope::ALL {
        for stage in ["production", "prototype"] {
            let text = rich_workload(scope.number(), stage);
            let analysis = analyze(&text, &options());
            assert_eq!(analysis.workloads[0].inferred_scope, Some(scope));
            let required: Vec<String> = analysis.workloads[0]
                .controls
                .iter()
                .filter(|c| c.required)
                .map(|c| c.id.to_string())
                .collect();
            assert!(required.len() >= 8, "scope {scope}: {required:?}");
            let complete = with_controls(&text, &required, "implemented");
            let analysis = analyze(&complete, &options());
            assert_eq!(
                analysis.diagnostics,
                [],
                "scope {scope}, {stage}:\n{complete}"
            );
            // Planned: fine in a prototype, a finding for each in production.
            let planned = with_controls(&text, &required, "planned");
            let analysis = analyze(&planned, &options());
            if stage == "prototype" {
                assert_eq!(analysis.diagnostics, [], "scope {scope}:\n{planned}");
            } else {
                assert_eq!(analysis.diagnostics.len(), required.len());
                assert!(
                    analysis
                        .diagnostics
                        .iter()
                        .all(|d| d.code == Code::ControlNotImplemented)
                );
            }
        }
    }
}

const MIXED: &str = r#"workload "mixed" {
  owner = "o"
  model "chat" { hosting = consumer_app }
  model "assistant" { hosting = managed_api }
  data "notes" {
    classification = internal
    use            = prompt
    model          = "assistant"
  }
}
"#;

#[test]
fn a_workload_meets_the_obligations_of_each_of_its_models() {
    let analysis = analyze(MIXED, &options());
    assert_eq!(
        analysis.workloads[0].inferred_scope,
        Scope::new(3),
        "the highest is shown"
    );
    let missing = |id: &str| {
        analysis
            .diagnostics
            .iter()
            .find(|d| d.code == Code::MissingControl && d.control.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id} is not missing"))
    };
    let policy = missing("governance.data_usage_policy");
    assert_eq!(policy.model.as_deref(), Some("chat"));
    assert!(
        policy
            .message()
            .contains("required at scope 1 (Consumer app) for model \"chat\"")
    );
    let threat_model = missing("risk.threat_model");
    assert_eq!(threat_model.model.as_deref(), Some("assistant"));
    // Both scopes list the data-flow control: the higher scope's model is named.
    assert_eq!(
        missing("controls.data_flow_protection").model.as_deref(),
        Some("assistant")
    );
    let coverage = analysis.workloads[0]
        .controls
        .iter()
        .find(|c| c.id == "governance.data_usage_policy")
        .unwrap();
    assert_eq!(coverage.required_by.as_deref(), Some("chat"));
    // The internal data reaches the managed model only: no consumer-app finding.
    assert!(
        !analysis
            .diagnostics
            .iter()
            .any(|d| d.code == Code::SensitiveDataInConsumerApp)
    );
    // Without `model`, prompt data reaches every model, the consumer app included.
    let everywhere = MIXED.replace("    model          = \"assistant\"\n", "");
    let analysis = analyze(&everywhere, &options());
    let found: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::SensitiveDataInConsumerApp)
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].model.as_deref(), Some("chat"));
    assert!(
        found[0]
            .message()
            .contains("model \"chat\" is a consumer app")
    );
}

#[test]
fn a_training_only_model_brings_no_inference_controls() {
    let text = r#"workload "pretraining" {
  owner = "o"
  model "base" {
    hosting        = self_hosted
    training       = from_scratch
    classification = internal
    inference      = false
  }
  data "corpus" {
    classification = internal
    use            = training
  }
  control risk.prompt_injection {
    evidence = "https://wiki.example.com/pi"
  }
}
"#;
    let analysis = analyze(text, &options());
    let codes_of = |id: &str| -> Vec<Code> {
        about(&analysis.diagnostics, id)
            .iter()
            .map(|d| d.code)
            .collect()
    };
    for id in [
        "controls.user_authentication",
        "resilience.timeouts",
        "controls.guardrails",
        "controls.data_flow_protection",
        "resilience.quota_and_cost",
    ] {
        assert_eq!(codes_of(id), [], "{id}");
    }
    for id in [
        "risk.threat_model",
        "risk.dataset_provenance",
        "controls.training_environment_isolation",
        "controls.model_artifact_protection",
    ] {
        assert_eq!(codes_of(id), [Code::MissingControl], "{id}");
    }
    let hint = about(&analysis.diagnostics, "risk.prompt_injection");
    assert_eq!(hint.len(), 1);
    assert_eq!(hint[0].code, Code::ControlNotApplicable);
    assert!(
        hint[0]
            .message()
            .contains("only required when the model serves completions")
    );
}

#[test]
fn an_anonymous_app_protects_its_front_door_instead_of_authenticating() {
    let text = workload(&format!("  access = anonymous\n{MODEL}"));
    let analysis = analyze(&text, &options());
    assert!(about(&analysis.diagnostics, "controls.user_authentication").is_empty());
    let front_door = about(&analysis.diagnostics, "controls.public_endpoint_protection");
    assert_eq!(front_door.len(), 1);
    assert_eq!(front_door[0].severity, Severity::Error);
    assert!(
        front_door[0]
            .message()
            .contains("because the audience is the public or users need not sign in")
    );
}

#[test]
fn broad_access_is_silent_once_model_selection_is_implemented() {
    let text = |status: &str| {
        format!(
            r#"workload "advisor" {{
  owner    = "o"
  audience = partners
  model "m" {{
    hosting        = managed_api
    training       = fine_tuned
    classification = confidential
  }}
  data "d" {{
    classification = confidential
    use            = fine_tuning
  }}
  control controls.model_selection_by_entitlement {{
    status = {status}
  }}
}}
"#
        )
    };
    let fires = |text: &str| {
        analyze(text, &options())
            .diagnostics
            .iter()
            .any(|d| d.code == Code::BroadAccessToTrainedModel)
    };
    assert!(!fires(&text("implemented")));
    assert!(fires(&text("planned")));
    assert!(fires(&text("not_applicable")));
}

#[test]
fn sensitive_data_in_a_prototype_only() {
    let text = |stage: &str, classification: &str| {
        workload(&format!(
            "  stage = {stage}\n{MODEL}\n  data \"d\" {{\n    classification = {classification}\n    use = rag\n  }}"
        ))
    };
    let fires = |text: &str| {
        analyze(text, &options())
            .diagnostics
            .iter()
            .any(|d| d.code == Code::SensitiveDataInPrototype)
    };
    assert!(fires(&text("prototype", "confidential")));
    assert!(fires(&text("prototype", "restricted")));
    assert!(!fires(&text("prototype", "internal")));
    assert!(!fires(&text("production", "restricted")));
}

#[test]
fn a_file_without_workload_is_a_finding() {
    for text in ["", "# only a comment\n", "owner = \"o\"\n", "  \n\n"] {
        let analysis = analyze(text, &options());
        let found: Vec<&Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::NoWorkload)
            .collect();
        assert_eq!(found.len(), 1, "{text:?}");
        assert_eq!(found[0].severity, Severity::Warning);
    }
    assert!(
        !analyze(&workload(MODEL), &options())
            .diagnostics
            .iter()
            .any(|d| d.code == Code::NoWorkload)
    );
}

#[test]
fn v2_attributes_are_read_and_v1_files_keep_their_meaning() {
    let text = r#"workload "w" {
  owner          = "o"
  stage          = prototype
  access         = anonymous
  outputs        = [rendered, stored]
  data_residency = "EU"
  model "m" {
    hosting   = self_hosted
    origin    = vendor
    inference = false
    resource  = "aws_instance.gpu"
  }
  data "d" {
    classification = public
    use            = rag
    origin         = users
    model          = "m"
    resource       = "aws_s3_bucket.uploads"
  }
}
"#;
    let file = genai_scope_syntax::parse(text);
    let workloads = typed_workloads(catalog(), &file);
    let w = &workloads[0];
    use crate::model::{Access, DataOrigin, ModelOrigin, Output, Stage};
    assert_eq!(w.stage(), Stage::Prototype);
    assert_eq!(w.access(), Access::Anonymous);
    assert_eq!(w.outputs(), [Output::Rendered, Output::Stored]);
    assert_eq!(w.data_residency.as_ref().unwrap().value, "EU");
    let m = &w.models[0];
    assert_eq!(m.origin(), Some(ModelOrigin::Vendor));
    assert!(!m.serves_inference());
    assert_eq!(m.resource.as_ref().unwrap().value, "aws_instance.gpu");
    let d = &w.data[0];
    assert_eq!(d.origin(), DataOrigin::Users);
    assert!(d.is_untrusted());
    assert_eq!(d.resource.as_ref().unwrap().value, "aws_s3_bucket.uploads");
    assert!(
        analyze(text, &options())
            .diagnostics
            .iter()
            .all(|d| d.code != Code::UnknownAttribute
                && d.code != Code::InvalidValue
                && d.code != Code::UnknownReference)
    );

    // The defaults of a version-1 file.
    let v1 = workload(MODEL);
    let file = genai_scope_syntax::parse(&v1);
    let workloads = typed_workloads(catalog(), &file);
    let w = &workloads[0];
    assert_eq!(w.stage(), Stage::Production);
    assert_eq!(w.access(), Access::Authenticated);
    assert_eq!(w.outputs(), [Output::Shown]);
    assert_eq!(w.models[0].origin(), Some(ModelOrigin::Provider));
    assert!(w.models[0].serves_inference());
}

#[test]
fn a_self_hosted_model_names_the_origin_of_its_weights() {
    let missing = |model: &str| {
        analyze(&workload(model), &options())
            .diagnostics
            .iter()
            .any(|d| d.code == Code::MissingAttribute && d.message().contains("needs an `origin`"))
    };
    assert!(missing("  model \"m\" { hosting = self_hosted }"));
    assert!(!missing(
        "  model \"m\" {\n    hosting = self_hosted\n    origin = own\n  }"
    ));
    assert!(!missing(MODEL));
    assert!(!missing(
        "  model \"m\" {\n    hosting = self_hosted\n    training = from_scratch\n    classification = internal\n  }\n  data \"d\" {\n    classification = internal\n    use = training\n  }"
    ));
}

#[test]
fn custom_controls_take_a_list_of_conditions() {
    let config = r#"
[[control]]
id = "controls.sql_sandbox"
title = "Run generated SQL in a sandbox"
summary = "Generated SQL runs read-only, in production."
scopes = [3]
when = ["output_executed", "in_production"]
severity = "error"
"#;
    let settings =
        crate::config::Config::parse(std::path::Path::new("genai-scope.toml"), config, catalog())
            .unwrap()
            .settings;
    let options = AnalysisOptions {
        settings,
        ..AnalysisOptions::default()
    };
    let required = |body: &str| {
        analyze(&workload(body), &options)
            .diagnostics
            .iter()
            .any(|d| d.control.as_deref() == Some("controls.sql_sandbox"))
    };
    assert!(required(&format!("  outputs = [executed]\n{MODEL}")));
    assert!(!required(&format!(
        "  outputs = [executed]\n  stage = prototype\n{MODEL}"
    )));
    assert!(!required(MODEL));
}

#[test]
fn conditions_hold_at_agrees_with_the_list_of_conditions() {
    let all = Condition::ALL;
    for control in &catalog().controls {
        for scope in Scope::ALL {
            let listed = control.conditions_at(scope);
            // Every condition true, every one false, and each one alone false.
            let mut cases: Vec<Box<dyn Fn(Condition) -> bool>> =
                vec![Box::new(|_| true), Box::new(|_| false)];
            for &off in all {
                cases.push(Box::new(move |c| c != off));
            }
            for holds in &cases {
                assert_eq!(
                    control.conditions_hold_at(scope, holds),
                    listed.iter().all(|c| holds(*c)),
                    "{} at scope {scope}",
                    control.id
                );
            }
        }
    }
}
