//! The part of the CycloneDX 1.6 JSON format the inventory writes, as typed structs: the
//! field order is the declaration order, whatever features `serde_json` is built with.

use serde::Serialize;

pub const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bom {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub bom_format: &'static str,
    pub spec_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    pub version: u32,
    pub metadata: Metadata,
    pub components: Vec<Component>,
    pub dependencies: Vec<Dependency>,
    pub definitions: Definitions,
    pub declarations: Declarations,
}

#[derive(Serialize)]
pub struct Metadata {
    pub tools: Tools,
}

#[derive(Serialize)]
pub struct Tools {
    pub components: Vec<Component>,
}

#[derive(Serialize, Default)]
pub struct Component {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "modelCard", skip_serializing_if = "Option::is_none")]
    pub model_card: Option<ModelCard>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<ComponentData>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

#[derive(Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Property {
    pub name: String,
    pub value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelCard {
    pub model_parameters: ModelParameters,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub considerations: Option<Considerations>,
}

#[derive(Serialize)]
pub struct ModelParameters {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approach: Option<Approach>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<DatasetRef>,
}

#[derive(Serialize)]
pub struct Approach {
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Serialize)]
pub struct DatasetRef {
    #[serde(rename = "ref")]
    pub reference: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Considerations {
    pub ethical_considerations: Vec<Risk>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Risk {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mitigation_strategy: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentData {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sensitive_data: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

#[derive(Serialize)]
pub struct Definitions {
    pub standards: Vec<Standard>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Standard {
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub owner: String,
    pub requirements: Vec<Requirement>,
    pub levels: Vec<Level>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    pub identifier: String,
    pub title: String,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<String>,
    pub properties: Vec<Property>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external_references: Vec<ExternalReference>,
}

#[derive(Serialize)]
pub struct ExternalReference {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub url: String,
    pub comment: String,
}

#[derive(Serialize)]
pub struct Level {
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    pub identifier: String,
    pub title: String,
    pub description: String,
    pub requirements: Vec<String>,
}

#[derive(Serialize)]
pub struct Declarations {
    pub attestations: Vec<Attestation>,
    pub claims: Vec<Claim>,
    pub evidence: Vec<Evidence>,
}

#[derive(Serialize)]
pub struct Attestation {
    pub summary: String,
    pub map: Vec<MapEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapEntry {
    pub requirement: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub counter_claims: Vec<String>,
    pub conformance: Conformance,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conformance {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub rationale: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mitigation_strategies: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    pub target: String,
    pub predicate: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mitigation_strategies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    #[serde(rename = "bom-ref")]
    pub bom_ref: String,
    pub property_name: String,
    pub description: String,
    pub data: Vec<EvidenceData>,
}

#[derive(Serialize)]
pub struct EvidenceData {
    pub name: String,
    pub contents: EvidenceContents,
}

#[derive(Serialize)]
pub enum EvidenceContents {
    /// A URL or a path (an IRI reference).
    #[serde(rename = "url")]
    Url(String),
    /// Text that is not an IRI reference (it has spaces, say).
    #[serde(rename = "attachment")]
    Attachment(Attachment),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub content_type: &'static str,
    pub content: String,
}
