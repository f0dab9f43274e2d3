//! Names repeated across a workload's findings and report (the model that requires each
//! control), kept once and shared.

use std::sync::Arc;

/// The names met so far; a workload has a few, so a list is enough.
#[derive(Default)]
pub(crate) struct SharedNames(Vec<Arc<str>>);

impl SharedNames {
    /// `name`, shared with the earlier equal one if there is one.
    pub(crate) fn share(&mut self, name: String) -> Arc<str> {
        if let Some(shared) = self.0.iter().find(|shared| ***shared == *name) {
            return shared.clone();
        }
        let shared: Arc<str> = name.into();
        self.0.push(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_share_one_string() {
        let mut names = SharedNames::default();
        let first = names.share("chat".to_string());
        let other = names.share("embed".to_string());
        let again = names.share("chat".to_string());
        assert!(Arc::ptr_eq(&first, &again));
        assert!(!Arc::ptr_eq(&first, &other));
        assert_eq!((&*first, &*other), ("chat", "embed"));
    }
}
