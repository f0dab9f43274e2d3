//! genai-scope-test-support: helpers shared by the unit tests of the genai-scope crates (the
//! bundled examples). A dev-dependency only.

/// The text of every bundled example (`examples/*.genai` and `examples/team-policy/*.genai`),
/// in path order.
pub fn example_texts() -> Vec<String> {
    let examples = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"));
    let mut paths: Vec<_> = [examples.to_path_buf(), examples.join("team-policy")]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).expect("the examples folder"))
        .map(|entry| entry.expect("an example").path())
        .filter(|path| path.extension().is_some_and(|e| e == "genai"))
        .collect();
    paths.sort();
    assert!(paths.len() > 6, "the examples are found");
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("an example is readable"))
        .collect()
}

/// A project configuration with a custom control (`controls.prompt_logging`), shared with the
/// end-to-end tests (`tests/fixtures/`).
pub const CUSTOM_CONTROLS_TOML: &str = include_str!("../../../tests/fixtures/custom-controls.toml");

/// A retrieval workload that the custom control applies to.
pub const RAG_WORKLOAD: &str = include_str!("../../../tests/fixtures/rag-workload.genai");
