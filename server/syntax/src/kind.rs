//! The block keywords of the format, resolved once when the tree is lowered so nothing above
//! matches keywords as strings.

/// What a block is, from its keyword. The only place the block keywords are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Workload,
    Model,
    Data,
    Agent,
    Tool,
    Control,
    /// A keyword the format does not know (misspelt, or missing); the block's own text is in
    /// [`crate::Block::keyword`].
    Unknown,
}

impl BlockKind {
    /// Every kind with a keyword, in the order the format describes them.
    pub const KNOWN: [BlockKind; 6] = [
        BlockKind::Workload,
        BlockKind::Model,
        BlockKind::Data,
        BlockKind::Agent,
        BlockKind::Tool,
        BlockKind::Control,
    ];

    /// The kind `keyword` opens; [`BlockKind::Unknown`] for any other word.
    pub fn from_keyword(keyword: &str) -> BlockKind {
        BlockKind::KNOWN
            .into_iter()
            .find(|kind| kind.keyword() == keyword)
            .unwrap_or(BlockKind::Unknown)
    }

    /// The keyword that opens a block of this kind; empty for [`BlockKind::Unknown`], which
    /// has none of its own.
    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Workload => "workload",
            BlockKind::Model => "model",
            BlockKind::Data => "data",
            BlockKind::Agent => "agent",
            BlockKind::Tool => "tool",
            BlockKind::Control => "control",
            BlockKind::Unknown => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BlockKind;

    #[test]
    fn every_known_kind_round_trips_through_its_keyword() {
        for kind in BlockKind::KNOWN {
            assert_eq!(BlockKind::from_keyword(kind.keyword()), kind);
        }
    }

    #[test]
    fn other_words_are_unknown() {
        assert_eq!(BlockKind::from_keyword("workloads"), BlockKind::Unknown);
        assert_eq!(BlockKind::from_keyword(""), BlockKind::Unknown);
        assert_eq!(BlockKind::from_keyword("Control"), BlockKind::Unknown);
    }
}
