//! What settings name: a rule, by its diagnostic code or by the control its findings are
//! about (`disabled`, `[severity]`, `no_inline_suppressions`), and what `require_evidence`
//! names (a control, or every control of a severity). Parsed once, when settings are
//! loaded, so that nothing downstream compares free strings.

use std::fmt;
use std::str::FromStr;

use crate::catalog::{Catalog, ControlId};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// A diagnostic code (`scope-mismatch`) or a control id (`risk.threat_model`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RuleSelector {
    Code(Code),
    Control(ControlId),
}

/// Text that is neither a diagnostic code nor a well-formed control id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSelectorError {
    pub text: String,
}

impl fmt::Display for RuleSelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is neither a diagnostic code nor a control id",
            self.text
        )
    }
}

impl std::error::Error for RuleSelectorError {}

impl FromStr for RuleSelector {
    type Err = RuleSelectorError;

    fn from_str(text: &str) -> Result<Self, RuleSelectorError> {
        if let Some(code) = Code::parse(text) {
            return Ok(RuleSelector::Code(code));
        }
        text.parse()
            .map(RuleSelector::Control)
            .map_err(|_| RuleSelectorError {
                text: text.to_string(),
            })
    }
}

impl RuleSelector {
    /// `text` as a selector of a rule `catalog` knows (its control exists), or the error
    /// configuration files report.
    pub fn parse_known(text: &str, catalog: &Catalog) -> Result<Self, RuleSelectorError> {
        match text.parse()? {
            RuleSelector::Control(id) if catalog.control(id.as_str()).is_none() => {
                Err(RuleSelectorError {
                    text: text.to_string(),
                })
            }
            selector => Ok(selector),
        }
    }

    /// The selectors settings apply to `diagnostic` by, the most specific first: the
    /// control of a finding that it is not in place (`missing-control`, and
    /// `control-not-implemented`: planned where it must be implemented), then the code. A
    /// severity given to a control thus follows it from missing to planned.
    pub fn of_finding(diagnostic: &Diagnostic) -> impl Iterator<Item = RuleSelector> {
        let control = match (diagnostic.code, &diagnostic.control) {
            (Code::MissingControl | Code::ControlNotImplemented, Some(control)) => {
                control.parse().ok()
            }
            _ => None,
        };
        control
            .map(RuleSelector::Control)
            .into_iter()
            .chain([RuleSelector::Code(diagnostic.code)])
    }
}

impl fmt::Display for RuleSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSelector::Code(code) => code.fmt(f),
            RuleSelector::Control(id) => id.fmt(f),
        }
    }
}

/// What `require_evidence` names: a control, or every control of a severity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EvidenceSelector {
    Control(ControlId),
    Severity(Severity),
}

impl EvidenceSelector {
    /// `text` as a severity or a control `catalog` knows; `None` when it is neither.
    pub fn parse_known(text: &str, catalog: &Catalog) -> Option<Self> {
        if let Some(severity) = Severity::parse(text) {
            return Some(EvidenceSelector::Severity(severity));
        }
        let id: ControlId = text.parse().ok()?;
        catalog.control(id.as_str())?;
        Some(EvidenceSelector::Control(id))
    }
}

/// A selector written in a test.
#[cfg(test)]
pub(crate) fn selector(text: &str) -> RuleSelector {
    text.parse().expect("a code or a control id")
}

/// An evidence selector of the built-in catalog written in a test.
#[cfg(test)]
pub(crate) fn evidence(text: &str) -> EvidenceSelector {
    EvidenceSelector::parse_known(text, crate::catalog::catalog())
        .expect("a severity or a control of the catalog")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;
    use genai_scope_syntax::text::TextRange;

    #[test]
    fn codes_and_control_ids_parse_to_their_kind() {
        assert_eq!(
            "scope-mismatch".parse::<RuleSelector>(),
            Ok(RuleSelector::Code(Code::ScopeMismatch))
        );
        let selector: RuleSelector = "risk.threat_model".parse().unwrap();
        assert!(matches!(&selector, RuleSelector::Control(id) if id.discipline() == "risk"));
        assert_eq!(selector.to_string(), "risk.threat_model");
        let error = "nope".parse::<RuleSelector>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "`nope` is neither a diagnostic code nor a control id"
        );
    }

    #[test]
    fn known_selectors_need_a_control_of_the_catalog() {
        assert!(RuleSelector::parse_known("risk.threat_model", catalog()).is_ok());
        assert!(RuleSelector::parse_known("risk.no_such_control", catalog()).is_err());
        assert!("risk.no_such_control".parse::<RuleSelector>().is_ok());
        assert_eq!(
            EvidenceSelector::parse_known("error", catalog()),
            Some(EvidenceSelector::Severity(Severity::Error))
        );
        assert!(EvidenceSelector::parse_known("risk.threat_model", catalog()).is_some());
        assert_eq!(EvidenceSelector::parse_known("fatal", catalog()), None);
        assert_eq!(
            EvidenceSelector::parse_known("scope-mismatch", catalog()),
            None
        );
    }

    #[test]
    fn a_control_not_in_place_is_selected_by_its_control_then_its_code() {
        let missing = Diagnostic::new(Code::MissingControl, TextRange::empty(0), "")
            .with_control("risk.threat_model");
        let selectors: Vec<String> = RuleSelector::of_finding(&missing)
            .map(|s| s.to_string())
            .collect();
        assert_eq!(selectors, ["risk.threat_model", "missing-control"]);
        let planned = Diagnostic::new(Code::ControlNotImplemented, TextRange::empty(0), "")
            .with_control("risk.threat_model");
        let selectors: Vec<String> = RuleSelector::of_finding(&planned)
            .map(|s| s.to_string())
            .collect();
        assert_eq!(selectors, ["risk.threat_model", "control-not-implemented"]);
        // Other findings about a control are selected by their code only.
        let overdue = Diagnostic::new(Code::OverdueControl, TextRange::empty(0), "")
            .with_control("risk.threat_model");
        let selectors: Vec<String> = RuleSelector::of_finding(&overdue)
            .map(|s| s.to_string())
            .collect();
        assert_eq!(selectors, ["overdue-control"]);
    }
}
