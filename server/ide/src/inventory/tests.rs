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
