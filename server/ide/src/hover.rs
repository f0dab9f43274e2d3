//! Hover: documentation of controls and disciplines, the scope of workloads and models, the
//! meaning of attributes and values; the agentic axis in [`agent`].

mod agent;

use std::fmt::Write;

use super::{FileState, Target, target_at};
use crate::docs::control_markdown;
use crate::markdown_table;
use genai_scope_analysis::catalog::{Catalog, Scope};
use genai_scope_analysis::model::Stage;
use genai_scope_analysis::schema::{self, ValueType};
use genai_scope_analysis::{Coverage, WorkloadReport};
use genai_scope_syntax::text::TextRange;
use genai_scope_syntax::{Block, BlockKind, LabelKind, ValueKind};

pub struct Hover {
    pub markdown: String,
    pub range: TextRange,
}

pub fn hover(file: &FileState, offset: usize) -> Option<Hover> {
    if let Some(found) = crate::infrastructure::hover(file, offset) {
        return Some(found);
    }
    let catalog = file.catalog();
    match target_at(&file.syntax, offset)? {
        Target::Label(block) => {
            let label = block.label.as_ref()?;
            match block.kind() {
                BlockKind::Control if label.kind == LabelKind::Dotted => {
                    // The part before the dot is the discipline.
                    let dot = label.text.find('.').unwrap_or(label.text.len());
                    if offset < label.range.start + dot {
                        let discipline = catalog.discipline(&label.text[..dot])?;
                        let markdown = discipline_markdown(catalog, &discipline.id);
                        return Some(Hover {
                            markdown,
                            range: TextRange::new(label.range.start, label.range.start + dot),
                        });
                    }
                    let control = catalog.control(&label.text)?;
                    Some(Hover {
                        markdown: control_markdown(catalog, control, true),
                        range: label.range,
                    })
                }
                BlockKind::Workload => {
                    let (_, _, report) = file.workload_at(offset)?;
                    Some(Hover {
                        markdown: workload_markdown(catalog, report),
                        range: label.range,
                    })
                }
                BlockKind::Model => model_hover(file, block, label.range),
                BlockKind::Agent => agent::agent_hover(file, block, label.range),
                BlockKind::Tool => agent::tool_hover(file, block, label.range),
                _ => None,
            }
        }
        Target::BlockKeyword(block) => {
            let spec = schema::block(block.kind())?;
            Some(Hover {
                markdown: format!("**{}**\n\n{}", spec.keyword(), spec.doc),
                range: block.keyword.range,
            })
        }
        Target::AttributeKey(block, attribute) => {
            let key = &attribute.key.text;
            let markdown = match schema::block(block.kind()).and_then(|s| s.attribute(key)) {
                Some(spec) => format!("**{key}**: {}\n\n{}", spec.ty.describe(), spec.doc),
                None => {
                    let control = catalog.control(&block.label.as_ref()?.text)?;
                    let parameter = control.parameter(key)?;
                    format!(
                        "**{key}**: parameter of {}\n\n{}",
                        control.id, parameter.description
                    )
                }
            };
            let markdown = match agent::agency_scope_key_note(file, block, key, offset) {
                Some(note) => format!("{markdown}\n\n{note}"),
                None => markdown,
            };
            Some(Hover {
                markdown,
                range: attribute.key.range,
            })
        }
        Target::AttributeValue(block, attribute) => {
            let value = attribute.value.as_ref()?;
            if block.is(BlockKind::Workload) && attribute.key.text == "scope" {
                let (_, _, report) = file.workload_at(offset)?;
                return Some(Hover {
                    markdown: scope_markdown(catalog, report),
                    range: value.range,
                });
            }
            if block.is(BlockKind::Agent) && attribute.key.text == "agency_scope" {
                return agent::agency_scope_hover(file, offset, value.range);
            }
            let spec = schema::block(block.kind())?.attribute(&attribute.key.text)?;
            if let (ValueType::EnumList(values), ValueKind::List(items)) = (spec.ty, &value.kind) {
                // The meaning of each name in the list.
                let mut markdown = format!("`{}`: {}\n", attribute.key.text, spec.doc);
                for item in items {
                    if let ValueKind::Identifier(name) = &item.kind
                        && let Some(known) = values.iter().find(|v| v.name == name)
                    {
                        let _ = write!(markdown, "\n- `{}`: {}", known.name, known.doc);
                    }
                }
                return Some(Hover {
                    markdown,
                    range: value.range,
                });
            }
            let (ValueType::Enum(values), ValueKind::Identifier(name)) = (spec.ty, &value.kind)
            else {
                return None;
            };
            let known = values.iter().find(|v| v.name == name)?;
            Some(Hover {
                markdown: format!(
                    "`{}` = `{}`\n\n{}",
                    attribute.key.text, known.name, known.doc
                ),
                range: value.range,
            })
        }
    }
}

fn discipline_markdown(catalog: &Catalog, id: &str) -> String {
    let Some(discipline) = catalog.discipline(id) else {
        return String::new();
    };
    let mut out = format!("### {}\n\n{}\n\n", discipline.name, discipline.description);
    let rows: Vec<[String; 2]> = catalog
        .controls
        .iter()
        .filter(|c| c.discipline_id() == id)
        .map(|control| {
            let scopes: Vec<String> = control.scopes.iter().map(Scope::to_string).collect();
            [format!("`{}`", control.id), scopes.join(", ")]
        })
        .collect();
    out.push_str(&markdown_table::table(&["control", "scopes"], &rows));
    out
}

fn scope_markdown(catalog: &Catalog, report: &WorkloadReport) -> String {
    let mut out = match (report.declared_scope, report.inferred_scope) {
        (Some(declared), Some(inferred)) if declared == inferred => {
            format!(
                "**Scope {inferred}: {}** (declared and inferred)\n\n",
                catalog.scope_name(inferred)
            )
        }
        (Some(declared), Some(inferred)) => format!(
            "**Declared scope {declared}** ({}) but the inferred scope is **{inferred}** ({})\n\n",
            catalog.scope_name(declared),
            catalog.scope_name(inferred)
        ),
        (_, Some(inferred)) => format!(
            "**Inferred scope {inferred}: {}**\n\n",
            catalog.scope_name(inferred)
        ),
        (_, None) => "**Scope unknown**\n\n".to_string(),
    };
    for reason in &report.reasons {
        let _ = writeln!(out, "- {reason}");
    }
    if let Some(scope) = report.inferred_scope.and_then(|n| catalog.scope(n)) {
        let _ = write!(out, "\n{}", scope.description);
    }
    out
}

/// The workload's scope and a table of the five disciplines' coverage.
pub fn workload_markdown(catalog: &Catalog, report: &WorkloadReport) -> String {
    let name = report.name.as_deref().unwrap_or("(unnamed)");
    let mut out = format!(
        "### workload \"{name}\"\n\n{}\n",
        scope_markdown(catalog, report)
    );
    if report.inferred_scope.is_none() {
        return out;
    }
    let _ = match report.stage {
        Stage::Production => writeln!(
            out,
            "\nStage: production (required controls must be implemented; planned ones are findings)"
        ),
        Stage::Prototype => writeln!(
            out,
            "\nStage: prototype (required controls may stay planned; no confidential or restricted data)"
        ),
    };
    let rows: Vec<[String; 6]> = catalog
        .disciplines
        .iter()
        .map(|discipline| {
            let controls: Vec<_> = report
                .controls
                .iter()
                .filter(|c| c.required && c.id.discipline() == discipline.id)
                .collect();
            let count = |coverage: Coverage| {
                controls
                    .iter()
                    .filter(|c| c.coverage == coverage)
                    .count()
                    .to_string()
            };
            [
                markdown_table::cell(&discipline.name),
                controls.len().to_string(),
                count(Coverage::Implemented),
                count(Coverage::Planned),
                count(Coverage::NotApplicable),
                count(Coverage::Missing),
            ]
        })
        .collect();
    out.push('\n');
    out.push_str(&markdown_table::table(
        &[
            "discipline",
            "required",
            "implemented",
            "planned",
            "n/a",
            "missing",
        ],
        &rows,
    ));
    let missing: Vec<String> = report
        .missing_controls()
        .map(|c| format!("`{}`", c.id))
        .collect();
    if !missing.is_empty() {
        let _ = write!(out, "\nMissing: {}\n", missing.join(", "));
    }
    let planned: Vec<String> = report
        .controls
        .iter()
        .filter(|c| c.required && c.coverage == Coverage::Planned)
        .map(|c| format!("`{}`", c.id))
        .collect();
    if !planned.is_empty() {
        let _ = write!(out, "\nPlanned, not yet in place: {}\n", planned.join(", "));
    }
    out
}

fn model_hover(file: &FileState, block: &Block, range: TextRange) -> Option<Hover> {
    let (_, _, report) = file.workload_at(block.range.start)?;
    let model = report.models.iter().find(|m| m.range == range)?;
    let markdown = match model.scope {
        Some(scope) => format!(
            "**Scope {scope}: {}**\n\n{}",
            file.catalog().scope_name(scope),
            model.reason
        ),
        None => format!("**Scope unknown**\n\n{}", model.reason),
    };
    Some(Hover { markdown, range })
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::AnalysisOptions;

    /// `$0` marks the cursor.
    pub(super) fn hover_at(fixture: &str) -> Option<String> {
        let offset = fixture.find("$0").expect("a $0 cursor marker");
        let text = fixture.replace("$0", "");
        let file = FileState::new(text, None, &AnalysisOptions::default());
        hover(&file, offset).map(|h| h.markdown)
    }

    const WORKLOAD: &str = r#"workload "w$0" {
  owner = "o"
  scope = 3
  model "m" {
    hosting = managed_api
  }
  control risk.threat_model {}
}
"#;

    #[test]
    fn hover_on_the_workload_name_shows_scope_and_coverage() {
        let markdown = hover_at(WORKLOAD).unwrap();
        assert!(
            markdown.contains("**Scope 3: Pre-trained models** (declared and inferred)"),
            "{markdown}"
        );
        // The table is padded for plain-text readers; its cells are what counts here.
        assert!(
            markdown
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")
                    == "| Risk management | 4 | 1 | 0 | 0 | 3 |"),
            "{markdown}"
        );
        assert!(markdown.contains("Stage: production"), "{markdown}");
    }

    #[test]
    fn hover_shows_version_2_values_and_atlas_kinds_apart() {
        let list = hover_at(
            "workload \"w\" {\n  outputs = [shown, exe$0cuted]\n  model \"m\" { hosting = managed_api }\n}",
        )
        .unwrap();
        assert!(list.contains("- `shown`: "), "{list}");
        assert!(list.contains("- `executed`: Run as code"), "{list}");
        let stage = hover_at(
            "workload \"w\" {\n  stage = proto$0type\n  model \"m\" { hosting = managed_api }\n}",
        )
        .unwrap();
        assert!(stage.starts_with("`stage` = `prototype`"), "{stage}");
        let control = hover_at(
            "workload \"w\" {\n  model \"m\" { hosting = managed_api }\n  control controls.guard$0rails {}\n}",
        )
        .unwrap();
        assert!(
            control.contains("MITRE ATLAS technique: AML.T0054"),
            "{control}"
        );
        assert!(
            control.contains("MITRE ATLAS mitigation: AML.M0020"),
            "{control}"
        );
        let planned = hover_at(
            "workload \"w$0\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n  control risk.threat_model { status = planned }\n}",
        )
        .unwrap();
        assert!(
            planned.contains("Planned, not yet in place: `risk.threat_model`"),
            "{planned}"
        );
    }

    #[test]
    fn hover_on_a_control_id_and_its_discipline() {
        let control = hover_at(
            &WORKLOAD
                .replace("w$0", "w")
                .replace("risk.threat", "risk.thr$0eat"),
        )
        .unwrap();
        assert!(control.starts_with("### risk.threat_model"), "{control}");
        assert!(control.contains("Required in scopes 3, 4 and 5"));
        let discipline = hover_at(
            &WORKLOAD
                .replace("w$0", "w")
                .replace("risk.threat", "ri$0sk.threat"),
        )
        .unwrap();
        assert!(
            discipline.starts_with("### Risk management"),
            "{discipline}"
        );
    }

    #[test]
    fn hover_on_model_scope_attribute_and_value() {
        let model = hover_at(&WORKLOAD.replace("w$0", "w").replace("\"m\"", "\"m$0\"")).unwrap();
        assert!(
            model.contains("hosting = managed_api, training = none → scope 3"),
            "{model}"
        );
        let key = hover_at(&WORKLOAD.replace("w$0", "w").replace("hosting", "host$0ing")).unwrap();
        assert!(
            key.starts_with("**hosting**: one of `consumer_app`"),
            "{key}"
        );
        let value = hover_at(
            &WORKLOAD
                .replace("w$0", "w")
                .replace("managed_api", "managed$0_api"),
        )
        .unwrap();
        assert!(value.contains("managed API"), "{value}");
        let scope = hover_at(
            &WORKLOAD
                .replace("w$0", "w")
                .replace("scope = 3", "scope = $03"),
        )
        .unwrap();
        assert!(scope.contains("declared and inferred"), "{scope}");
    }

    #[test]
    fn no_hover_on_white_space() {
        assert!(hover_at(&WORKLOAD.replace("w$0", "w").replace("  owner", "$0  owner")).is_none());
    }
}
