//! The JSON Schema of genai-scope.toml (docs/genai-scope.schema.json, also in the VS Code
//! extension for TOML editors) accepts the configurations the tool accepts and rejects the
//! mistakes an editor should underline.

use crate::support::{CUSTOM_CONTROLS_TOML, workspace};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(workspace().join("docs/genai-scope.schema.json"))
        .expect("read the schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// A TOML text as the JSON value a TOML editor validates.
fn json_of(toml_text: &str) -> Value {
    let value: toml::Value = toml::from_str(toml_text).expect("TOML");
    serde_json::to_value(value).expect("as JSON")
}

fn errors(validator: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
    validator
        .iter_errors(&json_of(toml_text))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_schema_accepts_the_bundled_configurations() {
    let validator = validator();
    let example =
        std::fs::read_to_string(workspace().join("examples/team-policy/genai-scope.toml")).unwrap();
    for (name, text) in [
        ("team-policy", example.as_str()),
        ("fixture", CUSTOM_CONTROLS_TOML),
    ] {
        let found = errors(&validator, text);
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
}

#[test]
fn the_schema_rejects_what_an_editor_should_underline() {
    let validator = validator();
    let control = "[[control]]\nid = \"controls.x\"\ntitle = \"T\"\nsummary = \"S\"\nscopes = [3]\nseverity = \"warning\"\n";
    assert!(errors(&validator, control).is_empty());
    for (text, what) in [
        ("severtiy = {}\n".to_string(), "an unknown key"),
        (
            "[severity]\nmissing-control = \"loud\"\n".into(),
            "an unknown level",
        ),
        (control.replace("[3]", "[3, 9]"), "a scope out of 1-5"),
        (control.replace("[3]", "[]"), "no scope"),
        (
            control.replace("controls.x", "security.x"),
            "an unknown discipline",
        ),
        (
            control.replace("\"warning\"", "\"fatal\""),
            "an unknown severity",
        ),
        (
            format!("{control}when = \"sometimes\"\n"),
            "an unknown condition",
        ),
        (
            format!("{control}colour = \"red\"\n"),
            "an unknown key in a control",
        ),
        (
            control.replace("summary = \"S\"\n", ""),
            "a missing summary",
        ),
        (
            format!(
                "{control}[[control.parameter]]\nname = \"days\"\ntype = \"float\"\ndescription = \"d\"\n"
            ),
            "an unknown parameter type",
        ),
    ] {
        assert!(
            !errors(&validator, &text).is_empty(),
            "{what} accepted:\n{text}"
        );
    }
}
