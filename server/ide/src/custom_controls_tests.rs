//! Custom controls from a project's `genai-scope.toml` in every editor feature, as built-in
//! ones: hover, completion, quick fixes, "add all missing controls", symbols.

use super::{FileState, actions, completion, hover, symbols};
use genai_scope_analysis::catalog::catalog;
use genai_scope_analysis::config::Config;
use genai_scope_analysis::diagnostic::Code;
use genai_scope_analysis::{AnalysisOptions, apply_edits};
use genai_scope_test_support::{CUSTOM_CONTROLS_TOML, RAG_WORKLOAD as TEXT};

fn options_for(config: &str) -> AnalysisOptions {
    let config = Config::parse(
        std::path::Path::new("proj/genai-scope.toml"),
        config,
        catalog(),
    )
    .expect("a valid configuration");
    AnalysisOptions {
        settings: config.settings,
        ..AnalysisOptions::default()
    }
}

fn options() -> AnalysisOptions {
    options_for(CUSTOM_CONTROLS_TOML)
}

/// `$0` marks the cursor.
fn at(fixture: &str) -> (FileState, usize) {
    let offset = fixture.find("$0").expect("a $0 cursor marker");
    let file = FileState::new(fixture.replace("$0", ""), None, &options());
    (file, offset)
}

#[test]
fn hover_documents_a_custom_control() {
    let (file, offset) = at(&TEXT.replace(
        "  data \"kb\"",
        "  control controls.prompt_$0logging {}\n  data \"kb\"",
    ));
    let markdown = hover::hover(&file, offset).expect("a hover").markdown;
    assert!(
        markdown.starts_with("### controls.prompt_logging\n"),
        "{markdown}"
    );
    for needle in [
        "**Log prompts and completions** · Controls · custom control (genai-scope.toml)",
        "Prompts and completions are logged",
        "Investigations need the exchange",
        "Required in scopes 3, 4 and 5",
        "only when some data is retrieved into the context",
        "OWASP Top 10 for LLM Applications: LLM02:2025",
        "[https://wiki.example.com/ai/logging](https://wiki.example.com/ai/logging) (project policy (genai-scope.toml))",
        "Source: Internal standard SEC-12 (project policy (genai-scope.toml))",
    ] {
        assert!(markdown.contains(needle), "{needle}\n{markdown}");
    }
    // The workload's coverage counts it.
    let (file, offset) =
        at(&TEXT.replace("workload \"kb-assistant\"", "workload \"kb$0-assistant\""));
    let markdown = hover::hover(&file, offset).unwrap().markdown;
    assert!(markdown.contains("`controls.prompt_logging`"), "{markdown}");
}

#[test]
fn completion_offers_a_required_custom_control_among_the_first() {
    let (file, offset) = at(&TEXT.replace("  }\n}\n", "  }\n  control $0\n}\n"));
    let items = completion::complete(&file, offset);
    let position = items
        .iter()
        .position(|c| c.label == "controls.prompt_logging")
        .expect("offered");
    let first_not_required = items
        .iter()
        .position(|c| c.label == "governance.terms_compliance")
        .expect("a scope 1-2 control is offered too");
    assert!(position < first_not_required);
    let item = &items[position];
    assert!(item.detail.contains("Log prompts"), "{item:?}");
}

#[test]
fn quick_fixes_insert_a_custom_control_and_it_is_then_satisfied() {
    let file = FileState::new(TEXT.to_string(), None, &options());
    let missing = file
        .analysis
        .diagnostics
        .iter()
        .find(|d| d.control.as_deref() == Some("controls.prompt_logging"))
        .expect("reported as missing");
    let all = actions::actions(&file, missing.range);
    let single = all
        .iter()
        .find(|a| a.title.contains("controls.prompt_logging"))
        .expect("a quick fix for it");
    let fixed = apply_edits(&file.text, &single.edits).unwrap();
    let after = FileState::new(fixed, None, &options());
    let about: Vec<Code> = after
        .analysis
        .diagnostics
        .iter()
        .filter(|d| d.control.as_deref() == Some("controls.prompt_logging"))
        .map(|d| d.code)
        .collect();
    // Inserted as `planned`: no longer missing, but in production not yet implemented.
    assert_eq!(about, [Code::ControlNotImplemented]);
    // "Add all missing controls" includes it.
    let add_all = all
        .iter()
        .find(|a| a.title.starts_with("Add all ") && a.title.ends_with(" missing controls"))
        .expect("add all");
    let fixed = apply_edits(&file.text, &add_all.edits).unwrap();
    assert!(
        fixed.contains("control controls.prompt_logging {"),
        "{fixed}"
    );
    // The symbol of a declared custom control carries its title.
    let after = FileState::new(fixed, None, &options());
    let names: Vec<String> = symbols::document_symbols(&after)
        .into_iter()
        .flat_map(|s| s.children)
        .filter(|s| s.name.contains("prompt_logging"))
        .map(|s| format!("{} {}", s.name, s.detail.unwrap_or_default()))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        names[0].contains("Log prompts and completions"),
        "{names:?}"
    );
}

#[test]
fn a_custom_parameter_is_completed_in_its_block_and_explained_on_hover() {
    let options = options_for(&format!(
        "{CUSTOM_CONTROLS_TOML}\n[[control.parameter]]\nname = \"retention\"\ntype = \"duration\"\ndescription = \"How long the logs are kept.\"\n"
    ));
    // Completion offers it in the control's block, hover explains it.
    let block = TEXT.replace(
        "  data \"kb\"",
        "  control controls.prompt_logging {\n    retention = 720h\n    \n  }\n  data \"kb\"",
    );
    let file = crate::FileState::new(block.clone(), None, &options);
    let inside = block.find("720h\n    ").unwrap() + "720h\n    ".len();
    let labels: Vec<String> = crate::completion::complete(&file, inside)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(labels.contains(&"status".to_string()), "{labels:?}");
    assert!(
        !labels.contains(&"retention".to_string()),
        "already set: {labels:?}"
    );
    let key = block.find("retention").unwrap() + 2;
    let hover = crate::hover::hover(&file, key).expect("a hover").markdown;
    assert!(
        hover.contains("parameter of controls.prompt_logging")
            && hover.contains("How long the logs are kept"),
        "{hover}"
    );
    let fresh = block.replace("    retention = 720h\n", "");
    let file = crate::FileState::new(fresh.clone(), None, &options);
    let inside = fresh.find("prompt_logging {\n    ").unwrap() + "prompt_logging {\n    ".len();
    let labels: Vec<String> = crate::completion::complete(&file, inside)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(labels.contains(&"retention".to_string()), "{labels:?}");
}
