//! What the analyzer reports: stable codes, severities, diagnostics and their fixes.

use serde::{Deserialize, Serialize};

use genai_scope_syntax::text::TextRange;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// A severity, or `off`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

impl Level {
    /// The severity findings get, `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Hint => Some(Severity::Hint),
            Level::Off => None,
        }
    }

    /// `error`, `warning`, `info`, `hint` or `off`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "off" => Some(Level::Off),
            other => Severity::parse(other).map(Level::from),
        }
    }
}

impl From<Severity> for Level {
    fn from(severity: Severity) -> Level {
        match severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Info,
            Severity::Hint => Level::Hint,
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $severity:ident;)*) => {
        /// The stable diagnostic codes of the format specification.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            pub fn parse(text: &str) -> Option<Code> {
                match text { $($name => Some(Code::$variant),)* _ => None }
            }

            /// The default severity (`missing-control` and `control-not-implemented` take
            /// the control's instead).
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }
        }
    };
}

codes! {
    SyntaxError => "syntax-error", Error;
    UnknownBlock => "unknown-block", Error;
    UnknownAttribute => "unknown-attribute", Error;
    InvalidValue => "invalid-value", Error;
    MissingAttribute => "missing-attribute", Error;
    DuplicateAttribute => "duplicate-attribute", Error;
    DuplicateName => "duplicate-name", Error;
    NoModel => "no-model", Error;
    ScopeMismatch => "scope-mismatch", Error;
    ContradictoryModel => "contradictory-model", Error;
    TrainingDataMismatch => "training-data-mismatch", Error;
    ClassificationBelowTrainingData => "classification-below-training-data", Error;
    SensitiveDataInConsumerApp => "sensitive-data-in-consumer-app", Error;
    PersonalDataInTraining => "personal-data-in-training", Warning;
    BroadAccessToTrainedModel => "broad-access-to-trained-model", Warning;
    MissingControl => "missing-control", Warning;
    UnknownControl => "unknown-control", Error;
    ControlNotApplicable => "control-not-applicable", Hint;
    MissingJustification => "missing-justification", Warning;
    EvidenceNotFound => "evidence-not-found", Warning;
    OverdueControl => "overdue-control", Warning;
    InvalidSuppression => "invalid-suppression", Warning;
    ExpiredSuppression => "expired-suppression", Warning;
    UnusedSuppression => "unused-suppression", Warning;
    MissingEvidence => "missing-evidence", Warning;
    ControlNotImplemented => "control-not-implemented", Warning;
    UnknownReference => "unknown-reference", Error;
    NoWorkload => "no-workload", Warning;
    SensitiveDataInPrototype => "sensitive-data-in-prototype", Warning;
    IacMismatch => "iac-mismatch", Error;
    UndeclaredResource => "undeclared-resource", Warning;
    UnboundResource => "unbound-resource", Error;
    IacUnreadable => "iac-unreadable", Warning;
    AgencyScopeMismatch => "agency-scope-mismatch", Error;
    UnapprovedHighImpactAction => "unapproved-high-impact-action", Warning;
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A replacement of `range` by `new_text` (an insertion when the range is empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Self {
        Self {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> Self {
        Self::replace(TextRange::empty(at), new_text)
    }
}

/// A mechanical repair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    /// Safe fixes change no fact the author stated; they are applied by "fix all".
    pub safe: bool,
}

/// A finding's fixes: built, or, for a missing control, how to build its one fix.
///
/// A dense document has tens of thousands of missing controls and an editor shows the fixes
/// of the few under the cursor, so that fix is built when asked for ([`Diagnostic::fixes`])
/// from a description shared by all the findings of its block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fixes {
    Built(Vec<Fix>),
    AddControl(std::sync::Arc<crate::edits::AddControlFix>),
}

impl Default for Fixes {
    fn default() -> Self {
        Fixes::Built(Vec::new())
    }
}

/// What a finding says: written when found, or, for a missing control, written from the
/// catalog when read ([`Diagnostic::message`]). A dense document has tens of thousands of
/// missing controls; an editor shows them grouped, and reads their own messages rarely.
#[derive(Clone, Debug)]
pub enum Message {
    Text(String),
    /// `missing control …`: the catalog's control at `control`, required at `scope` for the
    /// finding's model.
    MissingControl {
        catalog: crate::catalog::SharedCatalog,
        control: u32,
        scope: crate::catalog::Scope,
    },
    /// `missing agentic control …`: the catalog's control at `control`, required at `agency`
    /// for the finding's agent.
    MissingAgenticControl {
        catalog: crate::catalog::SharedCatalog,
        control: u32,
        agency: crate::agency::AgencyScope,
    },
}

impl Message {
    /// Hashes what the message is written from (without writing it).
    pub fn hash_inputs(&self, h: &mut impl std::hash::Hasher) {
        let (kind, catalog, control, scope) = match self {
            Message::Text(text) => {
                h.write_u8(0);
                h.write_usize(text.len());
                h.write(text.as_bytes());
                return;
            }
            Message::MissingControl {
                catalog,
                control,
                scope,
            } => (1, catalog, control, scope.number()),
            Message::MissingAgenticControl {
                catalog,
                control,
                agency,
            } => (2, catalog, control, agency.number()),
        };
        h.write_u8(kind);
        h.write_usize(catalog.identity());
        h.write_u32(*control);
        h.write_u8(scope);
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Text(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::Text(text.to_string())
    }
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Read it with [`Diagnostic::message`]: a missing control's is written when read.
    pub message: Message,
    pub range: TextRange,
    /// The workload the finding is about, when there is one; shared with its report's name.
    pub workload: Option<std::sync::Arc<str>>,
    /// The control the finding is about (`missing-control`, `unknown-control`, …); shared
    /// with the catalog's id where there is one (a dense document has tens of thousands).
    pub control: Option<std::sync::Arc<str>>,
    /// The model whose scope brings the requirement (`missing-control`,
    /// `control-not-implemented`), when one does.
    pub model: Option<std::sync::Arc<str>>,
    /// The agent the finding is about, when it is about one.
    pub agent: Option<std::sync::Arc<str>>,
    /// Read them with [`Diagnostic::fixes`]: a missing control's is built on demand.
    pub fixes: Fixes,
    /// Other places worth showing with the finding.
    pub related: Vec<Related>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: Code, range: TextRange, message: impl Into<Message>) -> Self {
        Self {
            code,
            severity: code.default_severity(),
            message: message.into(),
            range,
            workload: None,
            control: None,
            model: None,
            agent: None,
            fixes: Fixes::default(),
            related: Vec::new(),
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.push_fix(fix);
        self
    }

    /// Gives a missing control (call after [`Self::with_control`]) its fix, built when asked
    /// for. `fix` is shared by the findings anchored where it was made.
    pub fn with_add_control_fix(
        mut self,
        fix: &std::sync::Arc<crate::edits::AddControlFix>,
    ) -> Self {
        let Some(control) = &self.control else {
            return self;
        };
        if self.range.start == fix.anchor()
            && matches!(&self.fixes, Fixes::Built(built) if built.is_empty())
        {
            self.fixes = Fixes::AddControl(fix.clone());
        } else {
            let built = fix.build(self.range.start, control);
            self.push_fix(built);
        }
        self
    }

    /// What it says.
    pub fn message(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match &self.message {
            Message::Text(text) => Cow::Borrowed(text),
            Message::MissingControl {
                catalog,
                control,
                scope,
            } => Cow::Owned(crate::rules::controls::missing_control_message(
                catalog,
                *control,
                *scope,
                self.model.as_deref(),
            )),
            Message::MissingAgenticControl {
                catalog,
                control,
                agency,
            } => Cow::Owned(crate::rules::agents::missing_agentic_control_message(
                catalog,
                *control,
                *agency,
                self.agent.as_deref().unwrap_or_default(),
            )),
        }
    }

    /// Adds `text` at the end of the message (writing a kept one first).
    pub fn append_to_message(&mut self, text: &str) {
        let mut message = self.message().into_owned();
        message.push_str(text);
        self.message = Message::Text(message);
    }

    pub fn set_message(&mut self, message: impl Into<String>) {
        self.message = Message::Text(message.into());
    }

    /// The fixes, built if they were kept as how to build them.
    pub fn fixes(&self) -> std::borrow::Cow<'_, [Fix]> {
        match &self.fixes {
            Fixes::Built(fixes) => std::borrow::Cow::Borrowed(fixes),
            Fixes::AddControl(fix) => std::borrow::Cow::Owned(
                self.control
                    .as_deref()
                    .map(|control| fix.build(self.range.start, control))
                    .into_iter()
                    .collect(),
            ),
        }
    }

    /// The first fix's title (without building a kept fix's edit).
    pub fn first_fix_title(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match &self.fixes {
            Fixes::Built(fixes) => fixes.first().map(|fix| Cow::Borrowed(fix.title.as_str())),
            Fixes::AddControl(fix) => self
                .control
                .as_deref()
                .map(|control| Cow::Owned(fix.title(control))),
        }
    }

    /// Adds `fix` after the others (building a kept one first).
    pub fn push_fix(&mut self, fix: Fix) {
        if let Fixes::AddControl(_) = &self.fixes {
            self.fixes = Fixes::Built(self.fixes().into_owned());
        }
        if let Fixes::Built(fixes) = &mut self.fixes {
            fixes.push(fix);
        }
    }

    /// Replaces the fixes.
    pub fn set_fixes(&mut self, fixes: Vec<Fix>) {
        self.fixes = Fixes::Built(fixes);
    }

    pub fn with_control(mut self, control: impl Into<std::sync::Arc<str>>) -> Self {
        self.control = Some(control.into());
        self
    }

    pub fn with_model(mut self, model: impl Into<std::sync::Arc<str>>) -> Self {
        self.model = Some(model.into());
        self
    }

    pub fn with_agent(mut self, agent: impl Into<std::sync::Arc<str>>) -> Self {
        self.agent = Some(agent.into());
        self
    }

    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }
}

/// Equal when what they report is: a kept fix equals the fix it builds.
impl PartialEq for Diagnostic {
    fn eq(&self, other: &Self) -> bool {
        let same_fixes = match (&self.fixes, &other.fixes) {
            (Fixes::Built(a), Fixes::Built(b)) => a == b,
            _ => self.fixes() == other.fixes(),
        };
        let same_message = match (&self.message, &other.message) {
            (Message::Text(a), Message::Text(b)) => a == b,
            _ => self.message() == other.message(),
        };
        self.code == other.code
            && self.severity == other.severity
            && same_message
            && self.range == other.range
            && self.workload == other.workload
            && self.control == other.control
            && self.model == other.model
            && self.agent == other.agent
            && same_fixes
            && self.related == other.related
    }
}

impl Diagnostic {
    /// A fingerprint that survives unrelated edits: the code, workload, control and the text
    /// the finding points at, not its position.
    pub fn fingerprint(&self, text: &str) -> String {
        let snippet = text.get(self.range.start..self.range.end).unwrap_or("");
        let key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            self.code.as_str(),
            self.workload.as_deref().unwrap_or(""),
            self.control.as_deref().unwrap_or(""),
            snippet.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        format!("{:016x}", fnv1a(key.as_bytes()))
    }
}

/// FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_severities_or_off() {
        for severity in [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Hint,
        ] {
            assert_eq!(Level::parse(severity.as_str()), Some(Level::from(severity)));
            assert_eq!(Level::from(severity).severity(), Some(severity));
        }
        assert_eq!(Level::parse("off").and_then(Level::severity), None);
        assert_eq!(Level::parse("off"), Some(Level::Off));
        assert_eq!(Level::parse("fatal"), None);
    }

    #[test]
    fn codes_round_trip_through_their_names() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(Code::ALL.len(), 35);
    }
}

/// The longest part of a user's identifier quoted in a message, in characters.
pub const MAX_QUOTED: usize = 64;

/// `text` as quoted in a message: at most its first `MAX_QUOTED` characters, then `…`, so a
/// 100 KB key cannot make a 100 KB message.
pub fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
}

#[cfg(test)]
mod bounded_tests {
    use super::*;

    #[test]
    fn long_identifiers_are_cut_short_ones_kept() {
        assert_eq!(bounded("owner"), "owner");
        let long = "é".repeat(100_000);
        let shown = bounded(&long);
        assert_eq!(shown.chars().count(), MAX_QUOTED + 1);
        assert!(shown.ends_with('…'));
    }
}
