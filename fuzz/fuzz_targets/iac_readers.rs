//! Arbitrary bytes read as Terraform, CloudFormation (YAML and JSON) and a plan never panic:
//! every location lies inside its file on character boundaries, and the draft made from what
//! was read parses as a `.genai` file without syntax errors (names from the input are quoted).
#![no_main]

use genai_scope_iac::{SourceFile, facts, read_sources};
use genai_scope_syntax::parse_tree;
use libfuzzer_sys::fuzz_target;

/// Inputs larger than this are skipped: the readers' cost grows with size, not shape.
const MAX_INPUT: usize = 16 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    let text = String::from_utf8_lossy(data).into_owned();
    let files: Vec<SourceFile> = ["infra/main.tf", "stack.yaml", "cdk.out/App.template.json"]
        .iter()
        .map(|path| SourceFile {
            path: (*path).to_string(),
            text: text.clone(),
        })
        .collect();
    let inventory = read_sources(&files);
    let locations = inventory
        .resources
        .iter()
        .map(|r| &r.location)
        .chain(inventory.unreadable.iter().map(|u| &u.location))
        .chain(inventory.unresolved.iter().map(|u| &u.location))
        .chain(inventory.providers.iter().map(|p| &p.location));
    for location in locations {
        let span = location.span.clone();
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{location:?}"
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(location.start_line <= location.end_line);
    }
    for unreadable in &inventory.unreadable {
        assert!(!unreadable.reason.is_empty());
    }
    let draft = genai_scope_iac::draft::write(&facts::draft(&inventory));
    assert!(
        !parse_tree(&draft, None).root_node().has_error(),
        "the draft does not parse:\n{draft}"
    );
});
