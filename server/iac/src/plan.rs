//! The JSON of `terraform show -json` (a plan, or the state): values resolved by Terraform.
//! Values known only after apply are missing from it; the configuration part of a plan says
//! what they refer to, and those references are kept as expressions.

use crate::kinds::Kind;
use crate::model::{Expression, Location, ProviderConfig, Resource, SourceFile, Unreadable, Value};
use crate::terraform::one_line;

/// What one plan (or state) file holds.
#[derive(Debug, Default)]
pub struct Plan {
    pub resources: Vec<Resource>,
    pub providers: Vec<ProviderConfig>,
}

/// Whether a JSON document is the output of `terraform show -json`.
pub fn is_plan(json: &serde_json::Value) -> bool {
    json.get("format_version").is_some()
        && [
            "planned_values",
            "values",
            "resource_changes",
            "configuration",
        ]
        .iter()
        .any(|k| json.get(k).is_some())
}

/// Reads a parsed plan; `file` gives the text for locations.
pub fn read(file: &SourceFile, json: &serde_json::Value) -> Plan {
    let mut out = Plan::default();
    let modules = json
        .get("planned_values")
        .or_else(|| json.get("values"))
        .and_then(|v| v.get("root_module"));
    let configuration = json.get("configuration").and_then(|c| c.get("root_module"));
    let mut found = Vec::new();
    if let Some(root) = modules {
        collect_resources(root, 0, &mut found);
    }
    for (entry, module_path) in found {
        let Some(type_name) = entry.get("type").and_then(|t| t.as_str()) else {
            continue;
        };
        if entry
            .get("mode")
            .and_then(|m| m.as_str())
            .is_some_and(|m| m != "managed")
        {
            continue;
        }
        let Some(kind) = Kind::from_terraform(type_name) else {
            continue;
        };
        let Some(address) = entry.get("address").and_then(|a| a.as_str()) else {
            continue;
        };
        let mut attributes = entry
            .get("values")
            .map(json_value)
            .filter(|v| matches!(v, Value::Map(_)))
            .unwrap_or(Value::Map(Vec::new()));
        if let Some(expressions) = configuration
            .and_then(|c| config_resource(c, &module_path, entry))
            .and_then(|r| r.get("expressions"))
        {
            merge_references(&mut attributes, expressions, &module_prefix(&module_path));
        }
        out.resources.push(Resource {
            kind,
            type_name: type_name.to_string(),
            address: address.to_string(),
            unit: file.path.clone(),
            location: address_location(file, address),
            attributes,
            repetition: None,
        });
    }
    if let Some(providers) = json
        .get("configuration")
        .and_then(|c| c.get("provider_config"))
        .and_then(|p| p.as_object())
    {
        for (key, provider) in providers {
            if provider.get("name").and_then(|n| n.as_str()) != Some("aws") {
                continue;
            }
            let region = provider
                .get("expressions")
                .and_then(|e| e.get("region"))
                .map(|r| expression_value(json, r));
            out.providers.push(ProviderConfig {
                unit: file.path.clone(),
                alias: provider
                    .get("alias")
                    .and_then(|a| a.as_str())
                    .map(str::to_string),
                region,
                location: address_location(file, key),
            });
        }
    }
    out
}

/// Every resource entry of a module and its children, with the module names leading to it.
fn collect_resources<'a>(
    module: &'a serde_json::Value,
    depth: usize,
    out: &mut Vec<(&'a serde_json::Value, Vec<String>)>,
) {
    if depth > 32 {
        return;
    }
    let path: Vec<String> = module
        .get("address")
        .and_then(|a| a.as_str())
        .map(module_names)
        .unwrap_or_default();
    for resource in module
        .get("resources")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
    {
        out.push((resource, path.clone()));
    }
    for child in module
        .get("child_modules")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
    {
        collect_resources(child, depth + 1, out);
    }
}

/// `module.a.module.b["k"]` → `["a", "b"]` (instance keys dropped: the configuration has one
/// definition for every instance).
fn module_names(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = address.split('.');
    while let Some(part) = parts.next() {
        if part == "module"
            && let Some(name) = parts.next()
        {
            out.push(name.split('[').next().unwrap_or(name).to_string());
        }
    }
    out
}

fn module_prefix(path: &[String]) -> String {
    path.iter().map(|m| format!("module.{m}.")).collect()
}

/// The configuration of a resource: its module's `resources`, found by type and name.
fn config_resource<'a>(
    root: &'a serde_json::Value,
    module_path: &[String],
    entry: &serde_json::Value,
) -> Option<&'a serde_json::Value> {
    let mut module = root;
    for name in module_path {
        module = module.get("module_calls")?.get(name)?.get("module")?;
    }
    let (type_name, name) = (entry.get("type")?, entry.get("name")?);
    module
        .get("resources")?
        .as_array()?
        .iter()
        .find(|r| r.get("type") == Some(type_name) && r.get("name") == Some(name))
}

/// Values known only after apply (missing or null) take the references of their expression.
fn merge_references(values: &mut Value, expressions: &serde_json::Value, prefix: &str) {
    let (Value::Map(entries), Some(expressions)) = (values, expressions.as_object()) else {
        return;
    };
    for (key, expression) in expressions {
        let existing = entries.iter_mut().find(|(k, _)| k == key);
        if let Some(references) = expression.get("references").and_then(|r| r.as_array()) {
            let references: Vec<String> = references
                .iter()
                .filter_map(|r| r.as_str())
                .map(|r| format!("{prefix}{}", reference_address(r)))
                .fold(Vec::new(), |mut acc, r| {
                    if !acc.contains(&r) {
                        acc.push(r);
                    }
                    acc
                });
            let unknown = Value::Expression(Expression {
                text: format!(
                    "(known after apply: {})",
                    references.first().map(String::as_str).unwrap_or("?")
                ),
                references,
            });
            match existing {
                Some((_, value @ Value::Null)) => *value = unknown,
                None => entries.push((key.clone(), unknown)),
                Some(_) => {}
            }
        } else if let (Some((_, Value::List(items))), Some(blocks)) =
            (existing, expression.as_array())
        {
            // Nested blocks: the i-th block of the configuration is the i-th of the values.
            for (item, block) in items.iter_mut().zip(blocks) {
                merge_references(item, block, prefix);
            }
        }
    }
}

/// `aws_x.y.arn` → `aws_x.y`; `aws_x.y[0].arn` → `aws_x.y`; `var.a` stays; `data.t.n.id` →
/// `data.t.n`.
fn reference_address(reference: &str) -> String {
    let parts: Vec<&str> = reference.split('.').collect();
    let keep = if parts.first() == Some(&"data") { 3 } else { 2 };
    parts
        .iter()
        .take(keep)
        .map(|p| p.split('[').next().unwrap_or(p))
        .collect::<Vec<_>>()
        .join(".")
}

/// A provider expression: its constant, a variable's value from the plan, or the reference.
fn expression_value(plan: &serde_json::Value, expression: &serde_json::Value) -> Value {
    if let Some(constant) = expression.get("constant_value") {
        return json_value(constant);
    }
    let references: Vec<String> = expression
        .get("references")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    if let Some(variable) = references.iter().find_map(|r| r.strip_prefix("var."))
        && let Some(value) = plan
            .get("variables")
            .and_then(|v| v.get(variable))
            .and_then(|v| v.get("value"))
    {
        return json_value(value);
    }
    Value::Expression(Expression {
        text: references.first().cloned().unwrap_or_default(),
        references,
    })
}

/// Where a resource's address first stands as a string in the file.
fn address_location(file: &SourceFile, address: &str) -> Location {
    let quoted = serde_json::to_string(address).unwrap_or_default();
    match file.text.find(&quoted) {
        Some(at) => Location::new(&file.path, &file.text, at..at + quoted.len()),
        None => Location::file(&file.path, &file.text),
    }
}

pub(crate) fn json_value(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.to_string()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(json_value).collect()),
        serde_json::Value::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), json_value(v)))
                .collect(),
        ),
    }
}

/// Parses a plan file; `Ok(None)` when it is JSON but no plan.
pub fn read_text(file: &SourceFile) -> Result<Option<Plan>, Unreadable> {
    let json: serde_json::Value = serde_json::from_str(&file.text).map_err(|e| {
        let line = e.line().max(1);
        let offset = file
            .text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        Unreadable {
            location: Location::new(&file.path, &file.text, offset..offset),
            reason: format!("not valid JSON: {}", one_line(&e.to_string())),
        }
    })?;
    Ok(is_plan(&json).then(|| read(file, &json)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{
  "format_version": "1.2",
  "variables": {"region": {"value": "eu-west-1"}},
  "planned_values": {"root_module": {
    "resources": [
      {"address": "aws_bedrockagent_agent.claims", "mode": "managed", "type": "aws_bedrockagent_agent", "name": "claims",
       "values": {"agent_name": "claims", "foundation_model": "anthropic.claude-3-5-sonnet-20240620-v1:0"}},
      {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {}}
    ],
    "child_modules": [{"address": "module.tools", "resources": [
      {"address": "module.tools.aws_bedrockagent_agent_action_group.refunds", "mode": "managed",
       "type": "aws_bedrockagent_agent_action_group", "name": "refunds",
       "values": {"action_group_name": "refunds", "agent_id": null}}
    ]}]
  }},
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}},
                        "aws.us": {"name": "aws", "alias": "us", "expressions": {"region": {"constant_value": "us-east-1"}}}},
    "root_module": {"module_calls": {"tools": {"module": {"resources": [
      {"address": "aws_bedrockagent_agent_action_group.refunds", "type": "aws_bedrockagent_agent_action_group", "name": "refunds",
       "expressions": {"agent_id": {"references": ["var.agent_id"]}}}
    ]}}}}
  }
}"#;

    fn file() -> SourceFile {
        SourceFile {
            path: "plan.json".into(),
            text: PLAN.into(),
        }
    }

    #[test]
    fn resources_of_every_module_with_resolved_values() {
        let plan = read_text(&file()).unwrap().unwrap();
        let addresses: Vec<_> = plan.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "aws_bedrockagent_agent.claims",
                "module.tools.aws_bedrockagent_agent_action_group.refunds"
            ]
        );
        assert_eq!(
            plan.resources[0].string(&["foundation_model"]),
            Some("anthropic.claude-3-5-sonnet-20240620-v1:0")
        );
        assert_eq!(
            plan.resources[1].references(),
            ["module.tools.var.agent_id"]
        );
        assert!(
            PLAN[plan.resources[0].location.span.clone()].contains("aws_bedrockagent_agent.claims")
        );
    }

    #[test]
    fn provider_regions_from_constants_and_variables() {
        let plan = read_text(&file()).unwrap().unwrap();
        let regions: Vec<_> = plan
            .providers
            .iter()
            .map(|p| p.region.as_ref().and_then(Value::as_str).unwrap_or("?"))
            .collect();
        assert_eq!(regions, ["eu-west-1", "us-east-1"]);
    }

    #[test]
    fn other_json_is_no_plan_and_broken_json_is_unreadable() {
        let package = SourceFile {
            path: "package.json".into(),
            text: "{\"name\": \"x\"}".into(),
        };
        assert!(read_text(&package).unwrap().is_none());
        let broken = SourceFile {
            path: "plan.json".into(),
            text: "{\n\"format_version\": \n".into(),
        };
        let error = read_text(&broken).unwrap_err();
        assert!(error.reason.starts_with("not valid JSON"));
    }

    #[test]
    fn reference_addresses() {
        assert_eq!(reference_address("aws_x.y[0].arn"), "aws_x.y");
        assert_eq!(
            reference_address("data.aws_region.current.name"),
            "data.aws_region.current"
        );
        assert_eq!(reference_address("var.a"), "var.a");
    }
}
