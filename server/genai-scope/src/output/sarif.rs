//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning (one run; every code as a rule with
//! its documentation, and every control, custom ones included, as a rule of its own under
//! `missing-control/<id>`, so that an alert shows that control's documentation; relative
//! URIs; stable partial fingerprints).

use std::collections::BTreeMap;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Suppression as SarifSuppression, Tool, ToolComponent,
};

use super::super::check::Checked;
use super::StreamedArray;
use genai_scope_analysis::catalog::rules;
use genai_scope_analysis::diagnostic::{Code, Severity};
use genai_scope_ide::docs::rule_url;
use genai_scope_syntax::text::{Encoding, LineIndex};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn text(message: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder()
        .text(message.into())
        .build()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info | Severity::Hint => ResultLevel::Note,
    }
}

/// The rule of a missing control: a child of `missing-control` (SARIF rule ids are
/// hierarchical, `/`-separated).
fn control_rule_id(control: &str) -> String {
    format!("{}/{control}", Code::MissingControl.as_str())
}

/// GitHub's `security-severity` of a missing control, from its severity.
fn control_security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "7.0",
        Severity::Warning => "5.0",
        Severity::Info => "3.0",
        Severity::Hint => "1.0",
    }
}

/// One rule per control of the catalogs the files were checked with (the built-in one and
/// the projects' custom controls), in catalog order, each id once.
fn control_descriptors(files: &[Checked]) -> Vec<ReportingDescriptor> {
    let mut seen = std::collections::HashSet::new();
    let builtin = genai_scope_analysis::catalog::SharedCatalog::default();
    let catalogs =
        std::iter::once(&builtin).chain(files.iter().map(|file| &file.analysis.settings.catalog));
    let mut out = Vec::new();
    for catalog in catalogs {
        for control in &catalog.controls {
            if !seen.insert(control.id.clone()) {
                continue;
            }
            let mut properties = BTreeMap::new();
            properties.insert(
                "security-severity".to_string(),
                control_security_severity(control.severity).into(),
            );
            let mut tags = vec![
                "security".to_string(),
                "genai".to_string(),
                control.discipline_id().to_string(),
            ];
            if control.custom {
                tags.push("custom".to_string());
            }
            out.push(
                ReportingDescriptor::builder()
                    .id(control_rule_id(control.id.as_str()))
                    .name(control.title.clone())
                    .short_description(text(format!("Missing control: {}", control.title)))
                    .full_description(text(control.summary.clone()))
                    .help(
                        MultiformatMessageString::builder()
                            .text(format!(
                                "{}\n\n{}",
                                control.summary,
                                genai_scope_ide::docs::required_in(catalog, control)
                            ))
                            .markdown(genai_scope_ide::docs::control_markdown(
                                catalog, control, false,
                            ))
                            .build(),
                    )
                    .help_uri(genai_scope_ide::docs::control_documentation_url(
                        catalog, control,
                    ))
                    .default_configuration(
                        ReportingConfiguration::builder()
                            .level(
                                serde_json::to_value(level(control.severity))
                                    .expect("a level serialises"),
                            )
                            .build(),
                    )
                    .properties(
                        PropertyBag::builder()
                            .tags(tags)
                            .additional_properties(properties)
                            .build(),
                    )
                    .build(),
            );
        }
    }
    out
}

fn rule_descriptors() -> Vec<ReportingDescriptor> {
    rules()
        .iter()
        .map(|rule| {
            let default_level = match Severity::parse(&rule.severity) {
                Some(severity) => level(severity),
                None => ResultLevel::Warning,
            };
            let mut properties = BTreeMap::new();
            properties.insert(
                "security-severity".to_string(),
                rule.security_severity.clone().into(),
            );
            ReportingDescriptor::builder()
                .id(rule.code.clone())
                .name(rule.title.clone())
                .short_description(text(rule.title.clone()))
                .full_description(text(rule.summary.clone()))
                .help(
                    MultiformatMessageString::builder()
                        .text(format!(
                            "{}\n\n{}",
                            rule.summary,
                            rule.explanation.trim_end()
                        ))
                        .markdown(genai_scope_ide::docs::rule_markdown(rule))
                        .build(),
                )
                .help_uri(rule_url(&rule.code))
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(serde_json::to_value(default_level).expect("a level serialises"))
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(vec!["security".to_string(), "genai".to_string()])
                        .additional_properties(properties)
                        .build(),
                )
                .build()
        })
        .collect()
}

/// Writes the log to standard output as it is produced (errors, such as a closed pipe, end
/// the output quietly, as for the other formats).
pub fn print(files: &[Checked]) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = write(files, &mut out);
}

/// The key of the results in the pretty-printed log, where they are streamed in. A key: in a
/// JSON string its quotes would be escaped.
const RESULTS_MARKER: &str = "\"results\": []";

/// Writes the log to `out`, one result at a time: the rules and the rest of the run are
/// built first (small); each result is built, written and dropped, so memory does not grow
/// with the number of findings. The bytes are those of the whole log pretty-printed at once.
pub fn write(files: &[Checked], out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut descriptors = rule_descriptors();
    descriptors.extend(control_descriptors(files));
    let rule_index: std::collections::HashMap<String, usize> = descriptors
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.id.clone(), index))
        .collect();
    let skeleton = serde_json::to_string_pretty(&log(descriptors)).expect("SARIF serialises");
    let mut results = StreamedArray::begin(&skeleton, RESULTS_MARKER, out)?;
    let mut element = Vec::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        // Suppressed findings are results too, marked with their in-source suppression
        // (code scanning shows them as dismissed with the justification).
        let findings = file
            .analysis
            .diagnostics
            .iter()
            .map(|d| (d, None))
            .chain(file.analysis.suppressed.iter().map(|(d, s)| (d, Some(s))));
        for (diagnostic, suppression) in findings {
            let result = result_of(file, &index, diagnostic, suppression, &rule_index);
            element.clear();
            serde_json::to_writer_pretty(&mut element, &result).map_err(std::io::Error::other)?;
            results.push(&element)?;
        }
    }
    results.finish()
}

/// The log without its results.
fn log(descriptors: Vec<ReportingDescriptor>) -> Sarif {
    let driver = ToolComponent::builder()
        .name("genai-scope")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(genai_scope_ide::docs::DOCS_BASE_URL)
        .rules(descriptors)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        // Columns count Unicode scalar values, as in the JSON output; say so, since readers
        // disagree on what an absent `columnKind` means.
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .results(Vec::new())
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn result_of(
    file: &Checked,
    index: &LineIndex,
    diagnostic: &genai_scope_analysis::diagnostic::Diagnostic,
    suppression: Option<&genai_scope_analysis::suppressions::Suppression>,
    rule_index: &std::collections::HashMap<String, usize>,
) -> SarifResult {
    let start = index.line_col(diagnostic.range.start, Encoding::Utf32);
    let end = index.line_col(diagnostic.range.end, Encoding::Utf32);
    let region = Region::builder()
        .start_line(start.line as i64 + 1)
        .start_column(start.col as i64 + 1)
        .end_line(end.line as i64 + 1)
        .end_column(end.col as i64 + 1)
        .build();
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(artifact_location(&file.path))
                .region(region)
                .build(),
        )
        .build();
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "genaiScope/v1".to_string(),
        diagnostic.fingerprint(&file.text),
    );
    let mut properties = BTreeMap::new();
    if let Some(workload) = &diagnostic.workload {
        properties.insert("workload".to_string(), workload.as_ref().into());
    }
    if let Some(control) = &diagnostic.control {
        properties.insert("control".to_string(), control.as_ref().into());
    }
    let rule_id = match (&diagnostic.code, &diagnostic.control) {
        (Code::MissingControl, Some(control))
            if rule_index.contains_key(&control_rule_id(control)) =>
        {
            control_rule_id(control)
        }
        _ => diagnostic.code.as_str().to_string(),
    };
    let index = rule_index.get(&rule_id).copied().unwrap_or(0);
    let result = SarifResult::builder()
        .rule_id(rule_id)
        .rule_index(index as i64)
        .level(level(diagnostic.severity))
        .message(
            Message::builder()
                .text(diagnostic.message().into_owned())
                .build(),
        )
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    match suppression {
        Some(suppression) => result
            .suppressions(vec![
                SarifSuppression::builder()
                    .kind(serde_json::json!("inSource"))
                    .justification(suppression.reason.clone())
                    .build(),
            ])
            .build(),
        None => result.build(),
    }
}

/// Where a file is: relative to `%SRCROOT%` (the working directory, as GitHub wants) when
/// its path is relative; otherwise an absolute `file:` URI, since a reference starting with
/// `/` cannot be combined with a base (SARIF1004).
fn artifact_location(path: &str) -> ArtifactLocation {
    if !std::path::Path::new(path).is_absolute() {
        return ArtifactLocation::builder()
            .uri(uri_of(path))
            .uri_base_id("%SRCROOT%")
            .build();
    }
    let uri = match path.split_once(':') {
        // A Windows drive path, `C:/…`: the drive's colon stays as it is.
        Some((drive, rest)) if drive.len() == 1 && drive.as_bytes()[0].is_ascii_alphabetic() => {
            format!("file:///{drive}:{}", uri_of(rest))
        }
        _ => format!("file://{}", uri_of(path)),
    };
    ArtifactLocation::builder().uri(uri).build()
}

/// A relative path as a URI reference: forward slashes, reserved characters escaped.
fn uri_of(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::{AnalysisOptions, analyze};

    /// The log built whole and pretty-printed at once: what [`write`] streams.
    fn whole(files: &[Checked]) -> String {
        let mut descriptors = rule_descriptors();
        descriptors.extend(control_descriptors(files));
        let rule_index: std::collections::HashMap<String, usize> = descriptors
            .iter()
            .enumerate()
            .map(|(index, rule)| (rule.id.clone(), index))
            .collect();
        let mut results = Vec::new();
        for file in files {
            let index = LineIndex::new(&file.text);
            let findings = file
                .analysis
                .diagnostics
                .iter()
                .map(|d| (d, None))
                .chain(file.analysis.suppressed.iter().map(|(d, s)| (d, Some(s))));
            for (diagnostic, suppression) in findings {
                results.push(result_of(
                    file,
                    &index,
                    diagnostic,
                    suppression,
                    &rule_index,
                ));
            }
        }
        let mut log = log(descriptors);
        log.runs[0].results = Some(results);
        let mut out = serde_json::to_string_pretty(&log).unwrap();
        out.push('\n');
        out
    }

    fn streamed(files: &[Checked]) -> String {
        let mut out = Vec::new();
        write(files, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn checked(path: &str, text: &str) -> Checked {
        Checked {
            path: path.into(),
            text: text.into(),
            analysis: analyze(text, &AnalysisOptions::default()),
            rendered: None,
        }
    }

    #[test]
    fn the_streamed_log_is_the_whole_log_byte_for_byte() {
        let suppressed = "workload \"w\" { # genai-scope: ignore[no-model] reason=\"a \\\"quoted\\\" reason\\nwith 日本 😀\"\n  owner = \"o\"\n}\n";
        let files = [
            checked(
                "examples/scope3-support-assistant.genai",
                include_str!("../../../../examples/scope3-support-assistant.genai"),
            ),
            checked("/abs/path with space.genai", suppressed),
            checked("clean.genai", ""),
        ];
        assert!(
            !files[1].analysis.suppressed.is_empty(),
            "a suppressed result is written too"
        );
        for files in [&files[..], &files[2..], &[]] {
            assert_eq!(streamed(files), whole(files));
        }
    }
}
