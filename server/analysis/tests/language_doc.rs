//! `docs/language.md` against the schema: every block, attribute and allowed value the
//! analyzer knows is in the reference's tables, with its requirement and default, and the
//! tables name nothing the analyzer does not know. So the reference cannot go stale.

use std::collections::BTreeSet;

use genai_scope_analysis::catalog::{ParameterKind, catalog};
use genai_scope_analysis::schema::{BLOCKS, BlockSpec, Requirement, ValueType};

const DOC: &str = include_str!("../../../docs/language.md");

/// The names in backticks in `cell`.
fn quoted(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The cells of a table row `| a | b |`, or `None` for other lines and separator rows.
fn cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    (!cells.iter().all(|c| c.chars().all(|ch| ch == '-'))).then_some(cells)
}

/// The attribute rows of the section `### `<keyword> …``: (name, value, required) cells.
fn block_rows(keyword: &str) -> Vec<(String, String, String)> {
    let heading = format!("### `{keyword} ");
    let start = DOC
        .find(&heading)
        .unwrap_or_else(|| panic!("docs/language.md has no section `{heading}`"));
    let section = &DOC[start + heading.len()..];
    let section = &section[..section.find("\n#").unwrap_or(section.len())];
    // The attribute table is the first table of the section.
    section
        .lines()
        .skip_while(|l| !l.starts_with("| attribute |"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .filter_map(cells)
        .map(|c| {
            assert_eq!(c.len(), 4, "a row of `{keyword}` with {} cells", c.len());
            let name = quoted(c[0]).concat();
            (name, c[1].to_string(), c[2].to_string())
        })
        .collect()
}

/// How the reference writes a type that is not a list of names.
fn described(ty: ValueType) -> String {
    match ty {
        ValueType::String => "string".into(),
        ValueType::Integer { min, max } if max == u64::MAX => format!("integer ≥ {min}"),
        ValueType::Integer { min, max } => format!("integer {min}–{max}"),
        ValueType::Duration => "duration".into(),
        ValueType::Boolean => "boolean".into(),
        ValueType::StringList => "list of strings".into(),
        ValueType::Date => "date string `\"YYYY-MM-DD\"`".into(),
        ValueType::Enum(_) | ValueType::EnumList(_) => unreachable!("enums are listed by name"),
    }
}

fn check_block(spec: &BlockSpec) {
    let rows = block_rows(spec.keyword());
    let documented: Vec<&str> = rows.iter().map(|(name, _, _)| name.as_str()).collect();
    let known: Vec<&str> = spec.attributes.iter().map(|a| a.name).collect();
    assert_eq!(
        documented,
        known,
        "the attributes of `{}` in docs/language.md, in the schema's order",
        spec.keyword()
    );
    for ((_, value, required), attribute) in rows.iter().zip(spec.attributes) {
        let context = format!("`{}.{}`", spec.keyword(), attribute.name);
        match attribute.ty {
            ValueType::Enum(values) => {
                let names: Vec<&str> = values.iter().map(|v| v.name).collect();
                assert_eq!(quoted(value), names, "the values of {context}");
                // A default, when the row names one, is one of the values.
                if let Some((_, default)) = required.split_once("default ") {
                    let default = quoted(default);
                    assert!(
                        default.len() == 1 && names.contains(&default[0]),
                        "the default of {context}: {required}"
                    );
                }
            }
            ValueType::EnumList(values) => {
                let names: Vec<&str> = values.iter().map(|v| v.name).collect();
                assert!(
                    value.starts_with("list of "),
                    "{context} is a list: {value}"
                );
                assert_eq!(quoted(value), names, "the values of {context}");
                if let Some((_, default)) = required.split_once("default ") {
                    let default = quoted(default);
                    assert!(
                        default.len() == 1
                            && default[0]
                                .trim_matches(['[', ']'])
                                .split(", ")
                                .all(|name| names.contains(&name)),
                        "the default of {context}: {required}"
                    );
                }
            }
            ty => assert_eq!(value, &described(ty), "the type of {context}"),
        }
        match attribute.requirement {
            Requirement::Required => assert_eq!(required, "yes", "{context} is required"),
            Requirement::Optional => assert!(
                required == "no" || required.starts_with("no (default "),
                "{context} is optional: {required}"
            ),
            Requirement::Conditional(when) => assert_eq!(
                Some(required.as_str()),
                when.strip_prefix("required "),
                "{context} is required only {when}"
            ),
        }
    }
}

#[test]
fn every_block_attribute_and_value_of_the_schema_is_documented() {
    for spec in BLOCKS {
        check_block(spec);
    }
}

#[test]
fn the_reference_documents_no_block_the_schema_lacks() {
    let documented: BTreeSet<&str> = DOC
        .lines()
        .filter_map(|l| l.strip_prefix("### `"))
        .filter_map(|l| l.split([' ', '`']).next())
        .collect();
    let known: BTreeSet<&str> = BLOCKS.iter().map(|b| b.keyword()).collect();
    assert_eq!(documented, known);
}

#[test]
fn control_parameters_match_the_catalog() {
    let documented: BTreeSet<(String, String, String)> = DOC
        .lines()
        .skip_while(|l| !l.starts_with("| control | parameter | value |"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .filter_map(cells)
        .map(|c| {
            (
                quoted(c[0]).concat(),
                quoted(c[1]).concat(),
                c[2].to_string(),
            )
        })
        .collect();
    let known: BTreeSet<(String, String, String)> = catalog()
        .controls
        .iter()
        .flat_map(|control| {
            control.parameters.iter().map(|p| {
                let kind = match p.kind {
                    ParameterKind::Duration => "duration",
                    ParameterKind::Integer => "integer",
                };
                (control.id.to_string(), p.name.clone(), kind.to_string())
            })
        })
        .collect();
    assert!(!known.is_empty());
    assert_eq!(documented, known);
}

#[test]
fn the_scope_table_matches_the_inference() {
    use genai_scope_analysis::model::{Hosting, Training};
    use genai_scope_analysis::scope::scope_of;
    let rows: Vec<Vec<&str>> = DOC
        .lines()
        .skip_while(|l| !l.starts_with("| hosting | training | scope |"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .filter_map(cells)
        .collect();
    let mut covered = 0;
    for row in &rows {
        let scope: u8 = row[2][..1].parse().expect("a scope number first");
        let [training] = quoted(row[1])[..] else {
            panic!("one training per row: {row:?}")
        };
        for hosting in quoted(row[0]) {
            let hosting = Hosting::from_name(hosting).expect("a hosting");
            let training = Training::from_name(training).expect("a training");
            assert_eq!(
                scope_of(hosting, training).map(|s| s.number()),
                Some(scope),
                "{row:?}"
            );
            covered += 1;
        }
    }
    // Every pair with a scope (the two app hostings have one each, the others three).
    assert_eq!(covered, 2 + 2 * 3);
}
