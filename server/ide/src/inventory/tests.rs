use super::*;
use genai_scope_analysis::{AnalysisOptions, analyze};

fn bom_of(text: &str) -> serde_json::Value {
    let analysis = analyze(text, &AnalysisOptions::default());
    let input = FileInput {
        path: "w.genai",
        text,
        analysis: &analysis,
    };
    let options = BomOptions {
        serial_number: None,
        tool_version: "0.0.0".into(),
    };
    let json = cyclonedx(&[input], analysis.catalog(), &options);
    serde_json::from_str(&json).expect("the BOM is JSON")
}

const TWO_SAME_NAMES: &str = r#"
workload "w" {
  scope = 4
  model "m" {
    hosting  = managed_api
    training = fine_tuned
  }
  model "m" {
    hosting = managed_api
  }
  data "tuning" {
    classification = internal
    personal_data  = true
    use            = fine_tuning
    model          = "m"
  }
  control risk.threat_model {
    evidence = "a path with spaces.md"
  }
  control governance.model_classification {
    status = planned
    due    = "2027-01-31"
  }
}
"#;

#[test]
fn blocks_of_the_same_name_get_distinct_refs() {
    let bom = bom_of(TWO_SAME_NAMES);
    let children = &bom["components"][0]["components"];
    let refs: Vec<&str> = children
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        [
            "workload:w.genai:w/data:tuning",
            "workload:w.genai:w/model:m",
            "workload:w.genai:w/model:m#2",
        ]
    );
}

#[test]
fn evidence_that_is_no_iri_is_an_attachment_and_a_plan_has_its_due_date() {
    let bom = bom_of(TWO_SAME_NAMES);
    let evidence = bom["declarations"]["evidence"].as_array().unwrap();
    let threat = evidence
        .iter()
        .find(|e| e["bom-ref"] == "evidence:workload:w.genai:w:risk.threat_model")
        .unwrap();
    assert_eq!(
        threat["data"][0]["contents"]["attachment"]["content"],
        "a path with spaces.md"
    );
    let plan = evidence
        .iter()
        .find(|e| e["bom-ref"] == "plan:workload:w.genai:w:governance.model_classification")
        .unwrap();
    assert_eq!(
        plan["data"][0]["contents"]["attachment"]["content"],
        "2027-01-31"
    );
}

#[test]
fn a_model_card_lists_the_data_that_tunes_it_and_personal_data_is_sensitive() {
    let bom = bom_of(TWO_SAME_NAMES);
    let children = bom["components"][0]["components"].as_array().unwrap();
    let tuned = &children[1];
    assert_eq!(
        tuned["modelCard"]["modelParameters"]["approach"]["type"],
        "supervised"
    );
    assert_eq!(
        tuned["modelCard"]["modelParameters"]["datasets"][0]["ref"],
        "workload:w.genai:w/data:tuning"
    );
    // The second model is used as provided: no approach, no datasets.
    assert!(children[2]["modelCard"]["modelParameters"]["approach"].is_null());
    assert_eq!(children[0]["data"][0]["sensitiveData"][0], "personal data");
}

#[test]
fn iri_references() {
    assert!(is_iri_reference("https://example.com/a?b=c#d"));
    assert!(is_iri_reference("docs/threat-model.md"));
    assert!(!is_iri_reference(""));
    assert!(!is_iri_reference("two words"));
    assert!(!is_iri_reference("a<b"));
}

const AGENTS: &str = r#"
workload "w" {
  model "m" { hosting = managed_api }
  agent "front" {
    delegates_to = ["refunds"]
    tool "lookup" { effect = read }
  }
  agent "refunds" {
    model = "m"
    tool "refund" {
      effect   = pay
      approval = required
    }
    control agent.approval_enforcement { evidence = "https://example.com/gate" }
    control audit.approval_trail {
      status = planned
      due    = "2027-01-31"
    }
  }
  control identity.user_context { evidence = "https://example.com/obo" }
}
"#;

#[test]
fn agents_are_components_with_their_agency_scope_and_tools() {
    let bom = bom_of(AGENTS);
    let children = bom["components"][0]["components"].as_array().unwrap();
    let refunds = children
        .iter()
        .find(|c| c["bom-ref"] == "workload:w.genai:w/agent:refunds")
        .expect("the agent's component");
    assert_eq!(refunds["type"], "application");
    let properties: Vec<(String, String)> = refunds["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("genai-scope:agency-scope", "2"),
        ("genai-scope:agency-scope-name", "Prescribed agency"),
        (
            "genai-scope:tool",
            "refund: effect = pay, approval = required",
        ),
        (
            "genai-scope:control",
            "agent.approval_enforcement (implemented)",
        ),
        ("genai-scope:control", "audit.approval_trail (planned)"),
    ] {
        assert!(
            properties.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {properties:#?}"
        );
    }
    // The delegating agent depends on its delegate (and on the only model).
    let front = bom["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == "workload:w.genai:w/agent:front")
        .unwrap();
    assert_eq!(
        front["dependsOn"],
        serde_json::json!([
            "workload:w.genai:w/agent:refunds",
            "workload:w.genai:w/model:m"
        ])
    );
}

#[test]
fn agent_controls_are_claims_about_their_agent() {
    let bom = bom_of(AGENTS);
    let claims = bom["declarations"]["claims"].as_array().unwrap();
    let about = |target: &str| -> Vec<&str> {
        claims
            .iter()
            .filter(|c| c["target"] == target)
            .map(|c| c["bom-ref"].as_str().unwrap())
            .collect()
    };
    let refunds = about("workload:w.genai:w/agent:refunds");
    assert!(refunds.contains(&"claim:workload:w.genai:w/agent:refunds:agent.approval_enforcement"));
    assert!(refunds.contains(&"claim:workload:w.genai:w/agent:refunds:audit.approval_trail"));
    // A control it needs and nobody declares is a counter-claim about it.
    assert!(refunds.contains(&"counter-claim:workload:w.genai:w/agent:refunds:audit.action_log"));
    // The workload's agentic control covers its agents: a claim about the workload only.
    assert!(
        !refunds
            .iter()
            .any(|r| r.ends_with(":identity.user_context")),
        "{refunds:#?}"
    );
    let workload = about("workload:w.genai:w");
    assert!(workload.contains(&"claim:workload:w.genai:w:identity.user_context"));
    // Nor are the agent's own controls claims about the workload.
    assert!(
        !workload
            .iter()
            .any(|r| r.ends_with(":agent.approval_enforcement")),
        "{workload:#?}"
    );
    // The agent's evidence is its own, and every claim's evidence exists.
    let evidence: Vec<&str> = bom["declarations"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["bom-ref"].as_str().unwrap())
        .collect();
    assert!(
        evidence.contains(&"evidence:workload:w.genai:w/agent:refunds:agent.approval_enforcement")
    );
    for claim in claims {
        for reference in claim["evidence"].as_array().into_iter().flatten() {
            assert!(evidence.contains(&reference.as_str().unwrap()), "{claim}");
        }
    }
    // "front" reads only: no approval controls about it.
    let front = about("workload:w.genai:w/agent:front");
    assert!(!front.iter().any(|r| r.contains("approval")), "{front:#?}");
    assert!(front.contains(&"counter-claim:workload:w.genai:w/agent:front:audit.action_log"));
}
