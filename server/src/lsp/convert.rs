//! Positions, ranges and diagnostics across the protocol boundary, in the negotiated encoding.
//! Out-of-range positions clamp; nothing here panics.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use crate::diagnostic::{Code, Diagnostic, Severity, TextEdit};
use crate::text::{Encoding, LineCol, TextRange, offset_of, position_of};

#[derive(Clone, Copy)]
pub struct Converter<'a> {
    pub rope: &'a Rope,
    pub encoding: Encoding,
}

impl Converter<'_> {
    pub fn offset(&self, position: lsp::Position) -> usize {
        offset_of(
            self.rope,
            LineCol {
                line: position.line as usize,
                col: position.character as usize,
            },
            self.encoding,
        )
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let at = position_of(self.rope, offset, self.encoding);
        lsp::Position {
            line: saturate(at.line),
            character: saturate(at.col),
        }
    }

    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }

    /// A protocol range as bytes, with start ≤ end.
    pub fn text_range(&self, range: lsp::Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end);
        TextRange::new(start.min(end), start.max(end))
    }

    pub fn edit(&self, edit: &TextEdit) -> lsp::TextEdit {
        lsp::TextEdit {
            range: self.range(edit.range),
            new_text: edit.new_text.clone(),
        }
    }

    pub fn diagnostic(&self, uri: &lsp::Uri, diagnostic: &Diagnostic) -> lsp::Diagnostic {
        let href = documentation_uri(diagnostic);
        // The fixes' edits come with code actions; here only what identifies them.
        let fixes: Vec<serde_json::Value> = diagnostic
            .fixes
            .iter()
            .map(|fix| serde_json::json!({"title": fix.title, "safe": fix.safe}))
            .collect();
        lsp::Diagnostic {
            range: self.range(diagnostic.range),
            severity: Some(severity(diagnostic.severity)),
            code: Some(lsp::NumberOrString::String(
                diagnostic.code.as_str().to_string(),
            )),
            code_description: href.map(|href| lsp::CodeDescription { href }),
            source: Some("genai-scope".to_string()),
            message: diagnostic.message.clone(),
            related_information: (!diagnostic.related.is_empty()).then(|| {
                diagnostic
                    .related
                    .iter()
                    .map(|related| lsp::DiagnosticRelatedInformation {
                        location: lsp::Location {
                            uri: uri.clone(),
                            range: self.range(related.range),
                        },
                        message: related.message.clone(),
                    })
                    .collect()
            }),
            tags: None,
            data: Some(serde_json::json!({
                "control": diagnostic.control,
                "workload": diagnostic.workload,
                "fixes": fixes,
            })),
        }
    }
}

/// The page documenting a diagnostic (its control's for `missing-control`), parsed once per
/// page.
fn documentation_uri(diagnostic: &Diagnostic) -> Option<lsp::Uri> {
    static URIS: OnceLock<Mutex<HashMap<String, Option<lsp::Uri>>>> = OnceLock::new();
    let key = match (diagnostic.code, &diagnostic.control) {
        // A custom control has no page of its own; its hover documents it.
        (Code::MissingControl, Some(control))
            if crate::catalog::catalog().control(control).is_some() =>
        {
            crate::docs::control_url(control)
        }
        _ => crate::docs::rule_url(diagnostic.code.as_str()),
    };
    let mut uris = URIS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    uris.entry(key)
        .or_insert_with_key(|key| key.parse().ok())
        .clone()
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_positions_on_a_line_with_emoji_and_cjk() {
        let rope = Rope::from_str("a = \"😀日本\" x\r\nsecond");
        let x = "a = \"😀日本\" ".len();
        let utf16 = Converter {
            rope: &rope,
            encoding: Encoding::Utf16,
        };
        let utf8 = Converter {
            rope: &rope,
            encoding: Encoding::Utf8,
        };
        assert_eq!(
            utf16.position(x),
            lsp::Position {
                line: 0,
                character: 11
            }
        );
        assert_eq!(
            utf8.position(x),
            lsp::Position {
                line: 0,
                character: 17
            }
        );
        assert_eq!(
            utf16.offset(lsp::Position {
                line: 0,
                character: 11
            }),
            x
        );
        assert_eq!(
            utf8.offset(lsp::Position {
                line: 0,
                character: 17
            }),
            x
        );
        // Past the end of the line or file: clamped.
        assert_eq!(
            utf16.offset(lsp::Position {
                line: 0,
                character: 999
            }),
            x + 1
        );
        assert_eq!(
            utf16.offset(lsp::Position {
                line: 99,
                character: 0
            }),
            rope.len_bytes()
        );
        let reversed = lsp::Range {
            start: utf16.position(x),
            end: utf16.position(0),
        };
        assert_eq!(utf16.text_range(reversed), TextRange::new(0, x));
    }
}
