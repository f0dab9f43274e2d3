//! Positions, ranges and diagnostics across the protocol boundary, in the negotiated encoding.
//! Out-of-range positions clamp; nothing here panics.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use genai_scope_analysis::catalog::Catalog;
use genai_scope_analysis::diagnostic::{Code, Diagnostic, Severity, TextEdit};
use genai_scope_analysis::findings::shifted;
use genai_scope_ide::snippets::SnippetEdit;
use genai_scope_syntax::text::{Encoding, LineCol, TextRange, offset_of, position_of};

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

    /// An edit with tab stops as the protocol's snippet text: `$`, `}` and `\\` escaped, each
    /// placeholder `${n:text}` (or `$n` when empty), numbered from 1 in visiting order.
    pub fn snippet_edit(&self, snippet: &SnippetEdit) -> lsp::TextEdit {
        lsp::TextEdit {
            range: self.range(snippet.edit.range),
            new_text: snippet_text(snippet),
        }
    }

    /// A finding as the protocol's diagnostic; `catalog` is the one it was found with (for the
    /// documentation link of a custom control); `related_information`: the client shows it
    /// (its `textDocument.publishDiagnostics.relatedInformation` capability), else it is left
    /// out.
    pub fn diagnostic(
        &self,
        uri: &lsp::Uri,
        catalog: &Catalog,
        diagnostic: &Diagnostic,
        related_information: bool,
    ) -> lsp::Diagnostic {
        let href = documentation_uri(catalog, diagnostic);
        lsp::Diagnostic {
            range: self.range(diagnostic.range),
            severity: Some(severity(diagnostic.severity)),
            code: Some(lsp::NumberOrString::String(
                diagnostic.code.as_str().to_string(),
            )),
            code_description: href.map(|href| lsp::CodeDescription { href }),
            source: Some("genai-scope".to_string()),
            message: diagnostic.message().into_owned(),
            related_information: (related_information && !diagnostic.related.is_empty()).then(
                || {
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
                },
            ),
            tags: None,
            data: data(diagnostic)
                .map(|data| serde_json::to_value(data).unwrap_or(serde_json::Value::Null)),
        }
    }
}

/// Diagnostics of one document as JSON, one at a time: the same JSON as
/// [`Converter::diagnostic`], without building protocol values first. Documentation links and
/// equal positions (the findings on one workload's name) are converted once.
pub struct ElementWriter<'a> {
    converter: Converter<'a>,
    uri: &'a lsp::Uri,
    catalog: &'a Catalog,
    /// Documentation links of codes, and of missing controls by control (the page).
    code_hrefs: HashMap<Code, Option<lsp::Uri>>,
    page_hrefs: HashMap<Box<str>, Option<lsp::Uri>>,
    positions: PositionMemo,
    related_information: bool,
}

impl<'a> ElementWriter<'a> {
    pub fn new(converter: Converter<'a>, uri: &'a lsp::Uri, catalog: &'a Catalog) -> Self {
        Self {
            converter,
            uri,
            catalog,
            code_hrefs: HashMap::new(),
            page_hrefs: HashMap::new(),
            positions: PositionMemo::default(),
            related_information: true,
        }
    }

    /// Whether to write related information: only for clients that declare they show it.
    pub fn with_related_information(mut self, related_information: bool) -> Self {
        self.related_information = related_information;
        self
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        self.converter.position(offset)
    }

    /// Appends the JSON of `diagnostic` to `out`.
    pub fn write(&mut self, diagnostic: &Diagnostic, out: &mut Vec<u8>) {
        self.write_moved(diagnostic, 0, out);
    }

    /// Appends the JSON of `diagnostic` moved by `delta` bytes (as a reused workload's
    /// findings stand in the current text), without copying it to move it.
    pub fn write_moved(&mut self, diagnostic: &Diagnostic, delta: isize, out: &mut Vec<u8>) {
        // Writing to a vector fails only on out-of-memory, which aborts anyway.
        let _ = serde_json::to_writer(out, &self.element(diagnostic, delta));
    }

    fn element<'s>(&'s mut self, diagnostic: &'s Diagnostic, delta: isize) -> DiagnosticJson<'s> {
        let range = self
            .positions
            .range(&self.converter, shifted(diagnostic.range, delta));
        let catalog = self.catalog;
        let href = match (diagnostic.code, diagnostic.control.as_deref()) {
            (Code::MissingControl, Some(page)) => {
                if !self.page_hrefs.contains_key(page) {
                    let href = documentation_uri(catalog, diagnostic);
                    self.page_hrefs.insert(page.into(), href);
                }
                self.page_hrefs.get(page).and_then(Option::as_ref)
            }
            (code, _) => self
                .code_hrefs
                .entry(code)
                .or_insert_with(|| documentation_uri(catalog, diagnostic))
                .as_ref(),
        };
        DiagnosticJson {
            range,
            severity: severity(diagnostic.severity),
            code: diagnostic.code.as_str(),
            code_description: href.map(|href| HrefJson { href }),
            source: "genai-scope",
            message: diagnostic.message(),
            related_information: (self.related_information && !diagnostic.related.is_empty())
                .then_some(RelatedJson {
                    converter: self.converter,
                    uri: self.uri,
                    related: &diagnostic.related,
                    delta,
                }),
            data: data(diagnostic),
        }
    }
}

/// The last two offsets converted, with their positions.
#[derive(Default)]
struct PositionMemo {
    slots: [Option<(usize, lsp::Position)>; 2],
}

impl PositionMemo {
    fn position(&mut self, converter: &Converter<'_>, offset: usize) -> lsp::Position {
        if let Some((_, position)) = self.slots.iter().flatten().find(|(o, _)| *o == offset) {
            return *position;
        }
        let position = converter.position(offset);
        self.slots = [Some((offset, position)), self.slots[0]];
        position
    }

    fn range(&mut self, converter: &Converter<'_>, range: TextRange) -> lsp::Range {
        lsp::Range {
            start: self.position(converter, range.start),
            end: self.position(converter, range.end),
        }
    }
}

/// Field for field as `lsp::Diagnostic` serialises (`tags` is never set).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosticJson<'a> {
    range: lsp::Range,
    severity: lsp::DiagnosticSeverity,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_description: Option<HrefJson<'a>>,
    source: &'a str,
    message: std::borrow::Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_information: Option<RelatedJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<DataJson<'a>>,
}

#[derive(serde::Serialize)]
struct HrefJson<'a> {
    href: &'a lsp::Uri,
}

struct RelatedJson<'a> {
    converter: Converter<'a>,
    uri: &'a lsp::Uri,
    related: &'a [genai_scope_analysis::diagnostic::Related],
    delta: isize,
}

impl serde::Serialize for RelatedJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Location<'a> {
            uri: &'a lsp::Uri,
            range: lsp::Range,
        }
        #[derive(serde::Serialize)]
        struct Information<'a> {
            location: Location<'a>,
            message: &'a str,
        }
        serializer.collect_seq(self.related.iter().map(|related| Information {
            location: Location {
                uri: self.uri,
                range: self.converter.range(shifted(related.range, self.delta)),
            },
            message: &related.message,
        }))
    }
}

/// A diagnostic's `data`: the control and workload it is about, when it is about one. The
/// fixes do not travel with it: code actions rebuild them from the analysis, by range, so
/// the publication does not carry each fix's title (about a fifth of its bytes).
#[derive(serde::Serialize)]
struct DataJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    control: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workload: Option<&'a str>,
}

fn data(diagnostic: &Diagnostic) -> Option<DataJson<'_>> {
    let data = DataJson {
        control: diagnostic.control.as_deref(),
        workload: diagnostic.workload.as_deref(),
    };
    (data.control.is_some() || data.workload.is_some()).then_some(data)
}

/// The page documenting a diagnostic (its control's for `missing-control`: a custom
/// control's first link), parsed once per page.
fn documentation_uri(catalog: &Catalog, diagnostic: &Diagnostic) -> Option<lsp::Uri> {
    static URIS: OnceLock<Mutex<HashMap<String, Option<lsp::Uri>>>> = OnceLock::new();
    let control = match (diagnostic.code, &diagnostic.control) {
        (Code::MissingControl, Some(id)) => catalog.control(id),
        _ => None,
    };
    let key = match control {
        Some(control) => genai_scope_ide::docs::control_documentation_url(catalog, control),
        None => genai_scope_ide::docs::rule_url(diagnostic.code.as_str()),
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

fn snippet_text(snippet: &SnippetEdit) -> String {
    let text = &snippet.edit.new_text;
    let escape = |part: &str, out: &mut String| {
        for c in part.chars() {
            if matches!(c, '$' | '}' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
    };
    let mut stops: Vec<(usize, TextRange)> = snippet
        .placeholders
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, r)| r.start <= r.end && text.get(r.start..r.end).is_some())
        .collect();
    stops.sort_by_key(|(_, r)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 8 * stops.len());
    let mut at = 0;
    for (number, range) in stops {
        // Overlapping placeholders cannot be written; the later one is left out.
        if range.start < at {
            continue;
        }
        escape(&text[at..range.start], &mut out);
        if range.is_empty() {
            out.push_str(&format!("${}", number + 1));
        } else {
            out.push_str(&format!("${{{}:", number + 1));
            escape(&text[range.start..range.end], &mut out);
            out.push('}');
        }
        at = range.end;
    }
    escape(&text[at..], &mut out);
    out
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_diagnostics_serialise_as_the_protocol_values_do() {
        let mut texts = genai_scope_test_support::example_texts();
        // Related information, a syntax error, an unknown block, non-ASCII text before findings.
        texts.push("workload \"é😀\" {\n  owner = \"o\"\n  scope = 2\n  audience = customers\n  model \"m\" { hosting = managed_api }\n  data \"d\" { classification = restricted }\n}\nworkload \"é😀\" { nope {} \n".into());
        let uri: lsp::Uri = "file:///tmp/x.genai".parse().unwrap();
        let mut related = 0;
        for text in &texts {
            let analysis = genai_scope_analysis::analyze(text, &Default::default());
            related += analysis
                .diagnostics
                .iter()
                .filter(|d| !d.related.is_empty())
                .count();
            let rope = Rope::from_str(text);
            for encoding in [Encoding::Utf16, Encoding::Utf8] {
                let converter = Converter {
                    rope: &rope,
                    encoding,
                };
                let expected: Vec<lsp::Diagnostic> = analysis
                    .diagnostics
                    .iter()
                    .map(|d| converter.diagnostic(&uri, analysis.catalog(), d, true))
                    .collect();
                let mut writer = ElementWriter::new(converter, &uri, analysis.catalog());
                let mut published = b"[".to_vec();
                for (i, diagnostic) in analysis.diagnostics.iter().enumerate() {
                    if i > 0 {
                        published.push(b',');
                    }
                    writer.write(diagnostic, &mut published);
                }
                published.push(b']');
                assert_eq!(
                    String::from_utf8(published).unwrap(),
                    serde_json::to_string(&expected).unwrap()
                );
            }
        }
        assert!(related > 0, "some finding has related information");
    }

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

    #[test]
    fn snippet_text_escapes_and_numbers_its_placeholders() {
        let snippet = SnippetEdit {
            edit: TextEdit::insert(0, "a $b } \\c due = \"YYYY\" owner = \"\""),
            placeholders: vec![TextRange::new(17, 21), TextRange::empty(32)],
        };
        assert_eq!(
            snippet_text(&snippet),
            "a \\$b \\} \\\\c due = \"${1:YYYY}\" owner = \"$2\""
        );
        // A placeholder off the text or inside a character is left out, not a panic.
        let odd = SnippetEdit {
            edit: TextEdit::insert(0, "é$"),
            placeholders: vec![TextRange::empty(1), TextRange::empty(99)],
        };
        assert_eq!(snippet_text(&odd), "é\\$");
    }
}
