//! Diagnostics inside `genai-scope.toml` itself: an invalid project configuration is shown
//! where it is wrong, in the file, and cleared once it is valid again (or deleted).

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use crate::convert::Converter;
use genai_scope_analysis::config::ConfigError;
use genai_scope_syntax::text::{Encoding, TextRange};

/// The code of a configuration problem (not a `.genai` diagnostic code).
pub const CODE: &str = "invalid-configuration";

/// The diagnostics of the configuration whose text is `text`: none when it is valid.
pub fn to_lsp(
    text: &str,
    problem: Option<&ConfigError>,
    encoding: Encoding,
) -> Vec<lsp::Diagnostic> {
    let Some(problem) = problem else {
        return Vec::new();
    };
    let rope = Rope::from_str(text);
    let converter = Converter {
        rope: &rope,
        encoding,
    };
    let span = problem.span.clone().unwrap_or(0..0);
    let range = TextRange::new(span.start.min(text.len()), span.end.min(text.len()));
    let href = format!("{}/configuration.md", genai_scope_ide::docs::DOCS_BASE_URL)
        .parse::<lsp::Uri>()
        .ok();
    vec![lsp::Diagnostic {
        range: converter.range(range),
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        code: Some(lsp::NumberOrString::String(CODE.into())),
        code_description: href.map(|href| lsp::CodeDescription { href }),
        source: Some("genai-scope".into()),
        message: format!(
            "{} (the file's settings and custom controls are not applied until it is fixed)",
            problem.message
        ),
        ..Default::default()
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_problem_is_placed_on_its_span_in_the_negotiated_encoding() {
        let env = genai_scope_analysis::environment::memory::MemoryEnvironment::default();
        let path = std::path::Path::new("/project").join(genai_scope_analysis::config::FILE_NAME);
        // An emoji before the bad value: 2 UTF-16 units, 4 bytes.
        let text = "# 🚀 policy\ndisabled = [\"🚀\", \"nope\"]\n";
        env.write(&path, text);
        let error = genai_scope_analysis::config::Config::load(
            &env,
            &path,
            genai_scope_analysis::catalog::catalog(),
        )
        .unwrap_err();
        let utf16 = to_lsp(text, Some(&error), Encoding::Utf16);
        assert_eq!(utf16.len(), 1);
        let start = utf16[0].range.start;
        assert_eq!((start.line, start.character), (1, 12), "{:?}", utf16[0]);
        assert!(utf16[0].message.contains("`🚀`"), "{}", utf16[0].message);
        let utf8 = to_lsp(text, Some(&error), Encoding::Utf8);
        assert_eq!(utf8[0].range.start.character, 12);
        assert_eq!(utf8[0].range.end.character, 18, "the quoted 🚀 is 6 bytes");
        assert_eq!(utf16[0].range.end.character, 16);
        assert!(to_lsp(text, None, Encoding::Utf16).is_empty());
    }
}
