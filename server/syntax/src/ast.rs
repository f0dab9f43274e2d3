//! An owned, schema-free syntax tree: blocks, attributes and values with their byte ranges.

use crate::BlockKind;
use crate::text::TextRange;

/// A parsed file: its top-level items and the syntax errors met on the way.
#[derive(Clone, Debug, Default)]
pub struct SourceFile {
    pub items: Vec<Item>,
    pub errors: Vec<super::SyntaxError>,
    /// Every `#` comment, in order (`# …` to the end of its line).
    pub comments: Vec<TextRange>,
}

#[derive(Clone, Debug)]
pub enum Item {
    Block(Block),
    Attribute(Attribute),
}

impl Item {
    pub fn range(&self) -> TextRange {
        match self {
            Item::Block(block) => block.range,
            Item::Attribute(attribute) => attribute.range,
        }
    }
}

/// A name in the source with its range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub text: String,
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    String,
    Dotted,
}

/// A block label: `"name"` or `discipline.control`. `text` is unescaped.
#[derive(Clone, Debug)]
pub struct Label {
    pub kind: LabelKind,
    pub text: String,
    pub range: TextRange,
}

/// `type label? { items }`.
#[derive(Clone, Debug)]
pub struct Block {
    /// The keyword as written (empty when missing).
    pub keyword: Ident,
    /// What [`Block::keyword`] names, resolved once when the tree is lowered.
    pub(crate) kind: BlockKind,
    pub label: Option<Label>,
    pub items: Vec<Item>,
    pub range: TextRange,
    pub open_brace: TextRange,
    /// `None` when the closing brace is missing.
    pub close_brace: Option<TextRange>,
    /// Deeper blocks than [`super::MAX_NESTING`] are kept without their items.
    pub truncated: bool,
}

impl Block {
    /// What the block is, from its keyword.
    pub fn kind(&self) -> BlockKind {
        self.kind
    }

    /// Whether the block is of `kind`.
    pub fn is(&self, kind: BlockKind) -> bool {
        self.kind == kind
    }

    /// The nested blocks of `kind`.
    pub fn blocks_of(&self, kind: BlockKind) -> impl Iterator<Item = &Block> {
        self.blocks().filter(move |block| block.is(kind))
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.items.iter().filter_map(|item| match item {
            Item::Attribute(attribute) => Some(attribute),
            Item::Block(_) => None,
        })
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.items.iter().filter_map(|item| match item {
            Item::Block(block) => Some(block),
            Item::Attribute(_) => None,
        })
    }

    /// The first attribute named `key`.
    pub fn attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes()
            .find(|attribute| attribute.key.text == key)
    }
}

/// `key = value`. `value` is `None` when it is missing.
#[derive(Clone, Debug)]
pub struct Attribute {
    pub key: Ident,
    pub value: Option<Value>,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// Unescaped content.
    String(String),
    /// `None` when the digits overflow `u64`.
    Integer(Option<u64>),
    /// Milliseconds; `None` on overflow.
    Duration(Option<u64>),
    Boolean(bool),
    Identifier(String),
    List(Vec<Value>),
}

impl ValueKind {
    /// How the kind is named in messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::String(_) => "a string",
            ValueKind::Integer(_) => "an integer",
            ValueKind::Duration(_) => "a duration",
            ValueKind::Boolean(_) => "a boolean",
            ValueKind::Identifier(_) => "a name",
            ValueKind::List(_) => "a list",
        }
    }
}
