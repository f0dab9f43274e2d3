//! `Scope`: a scope of the generative-AI scoping matrix, 1 (consumer app) to 5 (self-trained
//! model), validated once when it is made. It reads, prints and serialises as its plain
//! number, so reports and configuration files keep writing `3`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A scope of the matrix, 1–5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Scope(u8);

impl Scope {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    /// Scope 1: a consumer app.
    pub const CONSUMER_APP: Scope = Scope(1);
    /// Scope 2: an enterprise app.
    pub const ENTERPRISE_APP: Scope = Scope(2);
    /// Scope 3: a pre-trained model.
    pub const PRE_TRAINED: Scope = Scope(3);
    /// Scope 4: a fine-tuned model.
    pub const FINE_TUNED: Scope = Scope(4);
    /// Scope 5: a self-trained model.
    pub const SELF_TRAINED: Scope = Scope(5);

    /// Every scope, 1 to 5.
    pub const ALL: [Scope; 5] = [
        Scope::CONSUMER_APP,
        Scope::ENTERPRISE_APP,
        Scope::PRE_TRAINED,
        Scope::FINE_TUNED,
        Scope::SELF_TRAINED,
    ];

    /// The scope numbered `number`; `None` outside 1–5.
    pub fn new(number: u64) -> Option<Scope> {
        u8::try_from(number)
            .ok()
            .filter(|n| (Self::MIN..=Self::MAX).contains(n))
            .map(Scope)
    }

    /// Its number, 1–5.
    pub fn number(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = u64::deserialize(deserializer)?;
        Scope::new(number)
            .ok_or_else(|| serde::de::Error::custom(format!("{number} is not a scope (1 to 5)")))
    }
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn only_one_to_five_are_scopes() {
        assert_eq!(Scope::new(0), None);
        assert_eq!(Scope::new(6), None);
        assert_eq!(Scope::new(256 + 3), None);
        let numbers: Vec<u8> = (1..=5)
            .map(|n| Scope::new(n).map(Scope::number))
            .collect::<Option<_>>()
            .unwrap_or_default();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
        assert_eq!(Scope::ALL.map(Scope::number), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn serialises_and_prints_as_the_plain_number() {
        let three = Scope::new(3);
        assert_eq!(serde_json::to_string(&three).ok().as_deref(), Some("3"));
        assert_eq!(three.map(|s| s.to_string()).as_deref(), Some("3"));
        assert_eq!(serde_json::from_str::<Scope>("4").ok(), Scope::new(4));
        let error = serde_json::from_str::<Scope>("7")
            .err()
            .map(|e| e.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.contains("7 is not a scope")),
            "{error:?}"
        );
    }
}
