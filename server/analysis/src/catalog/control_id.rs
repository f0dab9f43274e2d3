//! `ControlId`: a control's id, `<discipline>.<name>`, parsed once. Whether the discipline
//! exists is the catalog's business (disciplines are catalog data); this type only knows
//! the shape: two parts of lowercase ASCII letters, digits and `_`, each starting with a
//! letter, joined by one `.`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::sync::Arc;

/// `governance.data_usage_policy`: a discipline and a name.
///
/// Shared, not copied, when cloned: every workload's report lists every catalog control, and
/// the language server copies the reports of the workloads an edit moved.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ControlId {
    text: Arc<str>,
    /// The byte offset of the `.` between discipline and name.
    dot: usize,
}

impl ControlId {
    /// `governance` for `governance.data_usage_policy`.
    pub fn discipline(&self) -> &str {
        &self.text[..self.dot]
    }

    /// `data_usage_policy` for `governance.data_usage_policy`.
    pub fn name(&self) -> &str {
        &self.text[self.dot + 1..]
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Why a text is not a control id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControlIdError {
    /// No `.`, so no name: `governance`.
    MissingName { discipline: String },
    /// The discipline is empty or not lowercase letters, digits and `_`.
    InvalidDiscipline { discipline: String },
    /// The name (after the first `.`) is empty or not lowercase letters, digits and `_`.
    InvalidName { discipline: String, name: String },
}

impl ControlIdError {
    /// The text before the first `.` (all of it when there is none).
    pub fn discipline(&self) -> &str {
        match self {
            ControlIdError::MissingName { discipline }
            | ControlIdError::InvalidDiscipline { discipline }
            | ControlIdError::InvalidName { discipline, .. } => discipline,
        }
    }
}

impl fmt::Display for ControlIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ControlIdError::MissingName { discipline } => write!(
                f,
                "`{discipline}` is not a control id: write `<discipline>.<name>`"
            ),
            ControlIdError::InvalidDiscipline { discipline } => write!(
                f,
                "the discipline `{discipline}` must be lowercase letters, digits and `_`, starting with a letter"
            ),
            ControlIdError::InvalidName { discipline, name } => write!(
                f,
                "the name `{name}` after `{discipline}.` must be lowercase letters, digits and `_`, starting with a letter"
            ),
        }
    }
}

impl std::error::Error for ControlIdError {}

/// Lowercase ASCII letters, digits and `_`, starting with a letter.
pub(crate) fn is_identifier(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl FromStr for ControlId {
    type Err = ControlIdError;

    fn from_str(text: &str) -> Result<Self, ControlIdError> {
        let Some((discipline, name)) = text.split_once('.') else {
            return Err(ControlIdError::MissingName {
                discipline: text.to_string(),
            });
        };
        if !is_identifier(discipline) {
            return Err(ControlIdError::InvalidDiscipline {
                discipline: discipline.to_string(),
            });
        }
        if !is_identifier(name) {
            return Err(ControlIdError::InvalidName {
                discipline: discipline.to_string(),
                name: name.to_string(),
            });
        }
        Ok(ControlId {
            text: text.into(),
            dot: discipline.len(),
        })
    }
}

impl TryFrom<String> for ControlId {
    type Error = ControlIdError;

    fn try_from(text: String) -> Result<Self, ControlIdError> {
        text.parse()
    }
}

// Hashes like its text, so that sets and maps of ids can be looked up by `&str`.
impl Hash for ControlId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl Borrow<str> for ControlId {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for ControlId {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<str> for ControlId {
    fn eq(&self, other: &str) -> bool {
        &*self.text == other
    }
}

impl PartialEq<&str> for ControlId {
    fn eq(&self, other: &&str) -> bool {
        &*self.text == *other
    }
}

impl PartialEq<ControlId> for str {
    fn eq(&self, other: &ControlId) -> bool {
        self == &*other.text
    }
}

impl PartialEq<ControlId> for &str {
    fn eq(&self, other: &ControlId) -> bool {
        *self == &*other.text
    }
}

impl PartialEq<String> for ControlId {
    fn eq(&self, other: &String) -> bool {
        *self.text == **other
    }
}

impl From<&ControlId> for String {
    fn from(id: &ControlId) -> String {
        id.text.to_string()
    }
}

/// The id's text, shared rather than copied (a finding names its control this way).
impl From<&ControlId> for Arc<str> {
    fn from(id: &ControlId) -> Arc<str> {
        id.text.clone()
    }
}

impl fmt::Display for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for ControlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl serde::Serialize for ControlId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for ControlId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for ControlId {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ControlId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn splits_into_discipline_and_name() {
        let id: ControlId = "governance.data_usage_policy".parse().unwrap();
        assert_eq!(id.discipline(), "governance");
        assert_eq!(id.name(), "data_usage_policy");
        assert_eq!(id.to_string(), "governance.data_usage_policy");
    }

    #[test]
    fn says_precisely_what_is_wrong() {
        let error = |text: &str| text.parse::<ControlId>().unwrap_err();
        assert_eq!(
            error("governance"),
            ControlIdError::MissingName {
                discipline: "governance".into()
            }
        );
        assert_eq!(
            error(".x"),
            ControlIdError::InvalidDiscipline {
                discipline: String::new()
            }
        );
        assert_eq!(
            error("Risk.threat_model"),
            ControlIdError::InvalidDiscipline {
                discipline: "Risk".into()
            }
        );
        assert_eq!(
            error("risk."),
            ControlIdError::InvalidName {
                discipline: "risk".into(),
                name: String::new()
            }
        );
        assert_eq!(
            error("risk.threat.model"),
            ControlIdError::InvalidName {
                discipline: "risk".into(),
                name: "threat.model".into()
            }
        );
        assert_eq!(error("risk.1x").discipline(), "risk");
        assert_eq!(
            error("risk.Threat").to_string(),
            "the name `Threat` after `risk.` must be lowercase letters, digits and `_`, starting with a letter"
        );
        assert!(error("").to_string().contains("`<discipline>.<name>`"));
    }

    #[test]
    fn serialises_and_deserialises_as_a_string() {
        let id: ControlId = "risk.threat_model".parse().unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"risk.threat_model\"");
        let back: ControlId = serde_json::from_str("\"risk.threat_model\"").unwrap();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<ControlId>("\"risk\"").is_err());
        let schema = schemars::schema_for!(ControlId);
        assert_eq!(schema.get("type"), Some(&serde_json::json!("string")));
    }

    #[test]
    fn looks_up_by_text() {
        let set: HashSet<ControlId> = ["risk.threat_model".parse().unwrap()].into();
        assert!(set.contains("risk.threat_model"));
        assert!(!set.contains("risk.other"));
    }
}
