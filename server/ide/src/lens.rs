//! Code lenses: a summary above each workload ("Scope 3 · 10 missing") with the edit that
//! adds all its missing controls.

use super::FileState;
use super::actions::reported_missing;
use genai_scope_analysis::diagnostic::TextEdit;
use genai_scope_analysis::insert_controls_into_workload;
use genai_scope_syntax::text::TextRange;

/// The summary of one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct Lens {
    /// The workload's name (its label).
    pub range: TextRange,
    pub workload: Option<String>,
    /// The declared scope, else the inferred one.
    pub scope: Option<u8>,
    pub missing: usize,
    /// Adds all the missing controls (as `planned`); `None` when none is missing.
    pub add_all: Option<TextEdit>,
}

impl Lens {
    /// "Scope 3 · 10 missing", "Scope ? · nothing missing".
    pub fn title(&self) -> String {
        let scope = self.scope.map_or("?".to_string(), |s| s.to_string());
        match self.missing {
            0 => format!("Scope {scope} · nothing missing"),
            n => format!("Scope {scope} · {n} missing"),
        }
    }
}

pub fn lenses(file: &FileState) -> Vec<Lens> {
    file.workloads()
        .enumerate()
        .map(|(index, (_, report))| {
            let missing = reported_missing(file, report);
            Lens {
                range: report.name_range,
                workload: report.name.clone(),
                scope: report.declared_scope.or(report.inferred_scope),
                missing: missing.len(),
                add_all: (!missing.is_empty())
                    .then(|| {
                        insert_controls_into_workload(&file.text, &file.syntax, index, &missing)
                    })
                    .flatten(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use genai_scope_analysis::{AnalysisOptions, apply_edits};

    #[test]
    fn each_workload_has_a_summary_whose_edit_adds_what_is_missing() {
        let text = "workload \"a\" {\n  owner = \"o\"\n  model \"m\" { hosting = managed_api }\n}\nworkload \"b\" {\n  owner = \"o\"\n}\n";
        let file = FileState::new(text.to_string(), None, &AnalysisOptions::default());
        let lenses = lenses(&file);
        assert_eq!(lenses.len(), 2);
        let a = &lenses[0];
        assert_eq!(a.workload.as_deref(), Some("a"));
        assert_eq!(&text[a.range.start..a.range.end], "\"a\"");
        assert_eq!(a.scope, Some(3));
        assert!(a.missing > 1);
        assert_eq!(a.title(), format!("Scope 3 · {} missing", a.missing));
        let fixed = apply_edits(text, std::slice::from_ref(a.add_all.as_ref().unwrap())).unwrap();
        let after = FileState::new(fixed, None, &AnalysisOptions::default());
        assert_eq!(super::lenses(&after)[0].missing, 0);
        assert_eq!(
            super::lenses(&after)[0].title(),
            "Scope 3 · nothing missing"
        );
    }
}
