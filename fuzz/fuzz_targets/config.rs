//! A `genai-scope.toml`, valid or not, never panics: an error names a place inside the file
//! (convertible to a protocol position), and a valid one, custom controls included, analyses a
//! workload, documents its controls and renders its matrix like the built-in catalog.
#![no_main]

use std::path::Path;

use genai_scope_analysis::catalog::catalog;
use genai_scope_analysis::config::Config;
use genai_scope_analysis::{AnalysisOptions, analyze};
use genai_scope_fuzz::{assert_ranges, options, text};
use genai_scope_syntax::text::{Encoding, LineIndex, TextRange};
use libfuzzer_sys::fuzz_target;

/// A scope-3 workload with retrieval, personal data and a custom-looking control declared.
const WORKLOAD: &str = "workload \"w\" {\n  owner = \"o\"\n  audience = customers\n  criticality = high\n  regions = [\"a\", \"b\"]\n  model \"m\" { hosting = managed_api }\n  data \"kb\" {\n    classification = internal\n    use = rag\n  }\n  control controls.prompt_logging {\n    retention = 30s\n  }\n}\n";

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    match Config::parse(Path::new("fuzz/genai-scope.toml"), &text, catalog()) {
        Err(error) => {
            assert!(!error.message.is_empty());
            if let Some(span) = error.span.clone() {
                // The language server turns it into a range of the file.
                let index = LineIndex::new(&text);
                let range = TextRange::new(span.start.min(text.len()), span.end.min(text.len()));
                let _ = index.line_col(range.start, Encoding::Utf16);
                let _ = index.line_col(range.end, Encoding::Utf16);
                assert!(error.line.is_some_and(|line| line >= 1), "{error}");
            }
        }
        Ok(config) => {
            let settings = config.settings;
            let options = AnalysisOptions {
                settings: settings.clone(),
                ..options().clone()
            };
            let analysis = analyze(WORKLOAD, &options);
            assert_ranges(WORKLOAD, &analysis);
            let catalog = &*settings.catalog;
            for control in catalog.controls.iter().filter(|c| c.custom) {
                // Its prefix names a discipline of its matrix, or a dimension of the agentic one.
                let group = if control.is_agentic() {
                    catalog.dimension(control.discipline_id())
                } else {
                    catalog.discipline(control.discipline_id())
                };
                assert!(group.is_some(), "{} has no discipline", control.id);
                // A control of one matrix or the other: generative scopes 1–5, or agency
                // scopes 1–4 (its generative scopes then empty), never both nor neither.
                assert_ne!(control.scopes.is_empty(), control.agency_scopes.is_empty());
                assert!(control.scopes.iter().all(|s| (1..=5).contains(&s.number())));
                assert!(control.agency_scopes.iter().all(|s| (1..=4).contains(s)));
                let page = genai_scope_ide::docs::control_markdown(catalog, control, false);
                assert!(page.contains(control.id.as_str()));
            }
            let _ = genai_scope_ide::docs::matrix_markdown(catalog);
        }
    }
});
