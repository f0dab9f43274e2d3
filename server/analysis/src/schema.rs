//! The schema of format version 2 as data: which blocks and attributes exist, their types,
//! their allowed values and what each means. Validation, completion and hover all read it.

/// The type of an attribute's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    /// An integer in `min..=max`.
    Integer {
        min: u64,
        max: u64,
    },
    Duration,
    Boolean,
    /// One of the listed bare names.
    Enum(&'static [EnumValue]),
    StringList,
    /// A list of the listed bare names, e.g. `outputs = [shown, stored]`.
    EnumList(&'static [EnumValue]),
    /// A string `YYYY-MM-DD`.
    Date,
}

impl ValueType {
    /// How the type is named in messages and hovers.
    pub fn describe(self) -> String {
        match self {
            ValueType::String => "a string".into(),
            ValueType::Integer { min, max } if max == u64::MAX => format!("an integer ≥ {min}"),
            ValueType::Integer { min, max } => format!("an integer from {min} to {max}"),
            ValueType::Duration => "a duration such as `30s`, `500ms`, `5m` or `1h`".into(),
            ValueType::Boolean => "`true` or `false`".into(),
            ValueType::Enum(values) => format!("one of {}", enum_names(values)),
            ValueType::StringList => "a list of strings".into(),
            ValueType::EnumList(values) => format!("a list of {}", enum_names(values)),
            ValueType::Date => "a date string \"YYYY-MM-DD\"".into(),
        }
    }
}

/// `a`, `b` or `c`.
pub fn enum_names(values: &[EnumValue]) -> String {
    let names: Vec<String> = values.iter().map(|v| format!("`{}`", v.name)).collect();
    match names.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} or {last}", init.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumValue {
    pub name: &'static str,
    pub doc: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    Required,
    Optional,
    /// Required in some situations; the rule that knows when says so.
    Conditional(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttributeSpec {
    pub name: &'static str,
    pub ty: ValueType,
    pub requirement: Requirement,
    pub doc: &'static str,
}

/// The kinds of block, resolved on the syntax tree; each [`BlockSpec`] names its kind.
pub use genai_scope_syntax::BlockKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelSpec {
    /// `"name"`
    Name,
    /// `discipline.control`
    ControlId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockSpec {
    pub kind: BlockKind,
    pub label: LabelSpec,
    pub attributes: &'static [AttributeSpec],
    pub children: &'static [BlockKind],
    pub doc: &'static str,
}

impl BlockSpec {
    /// The keyword that opens the block.
    pub fn keyword(&self) -> &'static str {
        self.kind.keyword()
    }

    pub fn attribute(&self, name: &str) -> Option<&'static AttributeSpec> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

pub const AUDIENCES: &[EnumValue] = &[
    EnumValue {
        name: "employees",
        doc: "People inside your organisation (the default).",
    },
    EnumValue {
        name: "partners",
        doc: "Business partners outside your organisation.",
    },
    EnumValue {
        name: "customers",
        doc: "Your customers, signed in or not.",
    },
    EnumValue {
        name: "public",
        doc: "Anyone on the internet.",
    },
];

pub const CRITICALITIES: &[EnumValue] = &[
    EnumValue {
        name: "low",
        doc: "An outage is an inconvenience.",
    },
    EnumValue {
        name: "medium",
        doc: "An outage hurts but has workarounds (the default).",
    },
    EnumValue {
        name: "high",
        doc: "An outage stops a business process; reserve capacity.",
    },
    EnumValue {
        name: "critical",
        doc: "An outage is a business incident; reserve capacity.",
    },
];

pub const HOSTINGS: &[EnumValue] = &[
    EnumValue {
        name: "consumer_app",
        doc: "A public generative-AI app or service used under consumer terms (scope 1).",
    },
    EnumValue {
        name: "enterprise_app",
        doc: "A third-party business app or SaaS with generative-AI features, under an enterprise agreement (scope 2).",
    },
    EnumValue {
        name: "managed_api",
        doc: "A third-party foundation model reached through a managed API (scope 3, or 4–5 when you change its weights).",
    },
    EnumValue {
        name: "self_hosted",
        doc: "Model weights run on infrastructure you operate (scope 3, or 4–5 when you change its weights).",
    },
];

pub const TRAININGS: &[EnumValue] = &[
    EnumValue {
        name: "none",
        doc: "The weights are used as provided (the default).",
    },
    EnumValue {
        name: "fine_tuned",
        doc: "A base model fine-tuned on your data (scope 4).",
    },
    EnumValue {
        name: "from_scratch",
        doc: "A model trained from scratch on your data (scope 5).",
    },
];

pub const CLASSIFICATIONS: &[EnumValue] = &[
    EnumValue {
        name: "public",
        doc: "May be published; no harm if disclosed.",
    },
    EnumValue {
        name: "internal",
        doc: "For use inside the organisation.",
    },
    EnumValue {
        name: "confidential",
        doc: "Disclosure would harm the organisation or its customers.",
    },
    EnumValue {
        name: "restricted",
        doc: "The most sensitive class: regulated, secret or personal data at scale.",
    },
];

pub const DATA_USES: &[EnumValue] = &[
    EnumValue {
        name: "prompt",
        doc: "Sent to the model inside prompts.",
    },
    EnumValue {
        name: "rag",
        doc: "Retrieved into the model's context at inference time (RAG).",
    },
    EnumValue {
        name: "fine_tuning",
        doc: "Used to fine-tune a model (its weights change).",
    },
    EnumValue {
        name: "training",
        doc: "Used to train a model from scratch.",
    },
];

pub const STAGES: &[EnumValue] = &[
    EnumValue {
        name: "prototype",
        doc: "Still being tried out: required controls may stay `planned`, and only non-sensitive data belongs in it.",
    },
    EnumValue {
        name: "production",
        doc: "Live (the default): every required control must be implemented, or not applicable with a reason.",
    },
];

pub const ACCESSES: &[EnumValue] = &[
    EnumValue {
        name: "authenticated",
        doc: "Users sign in before they reach the model (the default).",
    },
    EnumValue {
        name: "anonymous",
        doc: "Anyone can reach the model without signing in.",
    },
];

pub const OUTPUTS: &[EnumValue] = &[
    EnumValue {
        name: "shown",
        doc: "Shown to a person as plain text (the default).",
    },
    EnumValue {
        name: "rendered",
        doc: "Rendered by a client as HTML, Markdown or images.",
    },
    EnumValue {
        name: "stored",
        doc: "Kept: chat histories, caches, indexes.",
    },
    EnumValue {
        name: "executed",
        doc: "Run as code, SQL or commands.",
    },
    EnumValue {
        name: "downstream",
        doc: "Passed on to other systems or APIs.",
    },
    EnumValue {
        name: "training",
        doc: "Fed back as training data.",
    },
];

pub const MODEL_ORIGINS: &[EnumValue] = &[
    EnumValue {
        name: "provider",
        doc: "The weights stay with the service's provider (implied for apps and managed APIs).",
    },
    EnumValue {
        name: "public_hub",
        doc: "Downloaded from a public model hub.",
    },
    EnumValue {
        name: "vendor",
        doc: "A vendor's model artifact delivered to you.",
    },
    EnumValue {
        name: "own",
        doc: "Your own training (implied for `training = from_scratch`).",
    },
];

pub const DATA_ORIGINS: &[EnumValue] = &[
    EnumValue {
        name: "internal",
        doc: "Curated by your organisation (the default).",
    },
    EnumValue {
        name: "third_party",
        doc: "Bought, licensed or partner feeds (untrusted content).",
    },
    EnumValue {
        name: "users",
        doc: "Supplied by end users: uploads, messages, forms (untrusted content).",
    },
    EnumValue {
        name: "web",
        doc: "Crawled or public internet content (untrusted content).",
    },
    EnumValue {
        name: "tools",
        doc: "Returned by tools or APIs at run time (untrusted content).",
    },
];

pub const CONTROL_STATUSES: &[EnumValue] = &[
    EnumValue {
        name: "implemented",
        doc: "In place today (the default).",
    },
    EnumValue {
        name: "planned",
        doc: "Not yet in place; give a `due` date.",
    },
    EnumValue {
        name: "not_applicable",
        doc: "Does not apply to this workload; give a `justification`.",
    },
];

pub const INITIATIONS: &[EnumValue] = &[
    EnumValue {
        name: "human",
        doc: "A person asks before it does anything (the default).",
    },
    EnumValue {
        name: "self",
        doc: "It starts work on its own: events, schedules or conditions it watches (agency scope 4).",
    },
];

pub const APPROVALS: &[EnumValue] = &[
    EnumValue {
        name: "required",
        doc: "A person approves each action before it runs.",
    },
    EnumValue {
        name: "none",
        doc: "Actions run without a person's approval.",
    },
];

pub const MEMORIES: &[EnumValue] = &[
    EnumValue {
        name: "none",
        doc: "It remembers nothing between requests (the default).",
    },
    EnumValue {
        name: "session",
        doc: "It remembers within one session.",
    },
    EnumValue {
        name: "persistent",
        doc: "It remembers across sessions.",
    },
];

pub const EFFECTS: &[EnumValue] = &[
    EnumValue {
        name: "read",
        doc: "It only reads data; it changes nothing.",
    },
    EnumValue {
        name: "write",
        doc: "It creates or changes records.",
    },
    EnumValue {
        name: "delete",
        doc: "It deletes or destroys things (a high-impact action).",
    },
    EnumValue {
        name: "send",
        doc: "It sends messages or content to people or systems (high-impact when the audience is external).",
    },
    EnumValue {
        name: "execute",
        doc: "It runs code or commands.",
    },
    EnumValue {
        name: "pay",
        doc: "It moves money (a high-impact action).",
    },
];

pub const TOOL_AUDIENCES: &[EnumValue] = &[
    EnumValue {
        name: "internal",
        doc: "People or systems inside your organisation (the default).",
    },
    EnumValue {
        name: "external",
        doc: "People or systems outside your organisation.",
    },
];

pub const WORKLOAD: BlockSpec = BlockSpec {
    kind: BlockKind::Workload,
    label: LabelSpec::Name,
    attributes: &[
        AttributeSpec {
            name: "owner",
            ty: ValueType::String,
            requirement: Requirement::Required,
            doc: "The accountable team or person.",
        },
        AttributeSpec {
            name: "description",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "What the workload does.",
        },
        AttributeSpec {
            name: "scope",
            ty: ValueType::Integer { min: 1, max: 5 },
            requirement: Requirement::Optional,
            doc: "The scope you believe the workload has (1–5); genai-scope checks it against the inferred one.",
        },
        AttributeSpec {
            name: "audience",
            ty: ValueType::Enum(AUDIENCES),
            requirement: Requirement::Optional,
            doc: "Who uses the workload (default `employees`).",
        },
        AttributeSpec {
            name: "criticality",
            ty: ValueType::Enum(CRITICALITIES),
            requirement: Requirement::Optional,
            doc: "Business criticality (default `medium`).",
        },
        AttributeSpec {
            name: "regions",
            ty: ValueType::StringList,
            requirement: Requirement::Optional,
            doc: "Regions the workload runs in; more than one makes it multi-region.",
        },
        AttributeSpec {
            name: "stage",
            ty: ValueType::Enum(STAGES),
            requirement: Requirement::Optional,
            doc: "Whether the workload is a prototype or in production (default `production`); in production a `planned` required control is a finding.",
        },
        AttributeSpec {
            name: "access",
            ty: ValueType::Enum(ACCESSES),
            requirement: Requirement::Optional,
            doc: "Whether users sign in before they reach the model (default `authenticated`).",
        },
        AttributeSpec {
            name: "outputs",
            ty: ValueType::EnumList(OUTPUTS),
            requirement: Requirement::Optional,
            doc: "Where completions go (default `[shown]`): shown as text, rendered in a client, stored, executed, passed downstream, or fed back into training.",
        },
        AttributeSpec {
            name: "data_residency",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "A residency constraint the workload must honour, such as `\"EU\"`.",
        },
    ],
    children: &[
        BlockKind::Model,
        BlockKind::Data,
        BlockKind::Agent,
        BlockKind::Control,
    ],
    doc: "A generative-AI workload: its models, the data that reaches them, its audience and its controls.",
};

pub const MODEL: BlockSpec = BlockSpec {
    kind: BlockKind::Model,
    label: LabelSpec::Name,
    attributes: &[
        AttributeSpec {
            name: "provider",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "Who provides the app, API or model.",
        },
        AttributeSpec {
            name: "base",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "The base foundation model id (meaningless with `training = from_scratch`).",
        },
        AttributeSpec {
            name: "hosting",
            ty: ValueType::Enum(HOSTINGS),
            requirement: Requirement::Required,
            doc: "How the model is reached.",
        },
        AttributeSpec {
            name: "training",
            ty: ValueType::Enum(TRAININGS),
            requirement: Requirement::Optional,
            doc: "What you did to the model's weights (default `none`).",
        },
        AttributeSpec {
            name: "classification",
            ty: ValueType::Enum(CLASSIFICATIONS),
            requirement: Requirement::Conditional("required when `training` is not `none`"),
            doc: "The model's data classification: a tuned or trained model carries the classification of its most sensitive training data.",
        },
        AttributeSpec {
            name: "origin",
            ty: ValueType::Enum(MODEL_ORIGINS),
            requirement: Requirement::Conditional(
                "required when `hosting = self_hosted` and `training` is not `from_scratch`",
            ),
            doc: "Where the weights (or the base model's weights) come from; implied `provider` for apps and managed APIs and `own` for `training = from_scratch`.",
        },
        AttributeSpec {
            name: "inference",
            ty: ValueType::Boolean,
            requirement: Requirement::Optional,
            doc: "Whether this workload serves completions from the model (default `true`); `false` for a pipeline that only trains or tunes it.",
        },
        AttributeSpec {
            name: "resource",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "The address of the infrastructure resource that runs the model (kept for the infrastructure checks).",
        },
    ],
    children: &[],
    doc: "A model the workload uses. Its hosting and training decide its scope.",
};

pub const DATA: BlockSpec = BlockSpec {
    kind: BlockKind::Data,
    label: LabelSpec::Name,
    attributes: &[
        AttributeSpec {
            name: "classification",
            ty: ValueType::Enum(CLASSIFICATIONS),
            requirement: Requirement::Required,
            doc: "The data's classification, from `public` (least sensitive) to `restricted`.",
        },
        AttributeSpec {
            name: "personal_data",
            ty: ValueType::Boolean,
            requirement: Requirement::Optional,
            doc: "Whether it holds personal data (PII); default `false`.",
        },
        AttributeSpec {
            name: "use",
            ty: ValueType::Enum(DATA_USES),
            requirement: Requirement::Required,
            doc: "How the data reaches a model.",
        },
        AttributeSpec {
            name: "model",
            ty: ValueType::String,
            requirement: Requirement::Conditional(
                "required when the workload has several models and `use` is `fine_tuning` or `training`",
            ),
            doc: "The name of the model this data reaches; without it, prompt and retrieval data reach every model of the workload.",
        },
        AttributeSpec {
            name: "store",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "Where the data is kept (the vector store for `rag`).",
        },
        AttributeSpec {
            name: "origin",
            ty: ValueType::Enum(DATA_ORIGINS),
            requirement: Requirement::Optional,
            doc: "Where the content comes from (default `internal`); anything but `internal` is untrusted content.",
        },
        AttributeSpec {
            name: "resource",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "The address of the infrastructure resource that holds the data (kept for the infrastructure checks).",
        },
    ],
    children: &[],
    doc: "Data that reaches a model, and how.",
};

pub const AGENT: BlockSpec = BlockSpec {
    kind: BlockKind::Agent,
    label: LabelSpec::Name,
    attributes: &[
        AttributeSpec {
            name: "model",
            ty: ValueType::String,
            requirement: Requirement::Conditional("required when the workload has several models"),
            doc: "The name of the workload's model that drives the agent.",
        },
        AttributeSpec {
            name: "initiation",
            ty: ValueType::Enum(INITIATIONS),
            requirement: Requirement::Optional,
            doc: "Who starts its work (default `human`); `self` makes it agency scope 4.",
        },
        AttributeSpec {
            name: "approval",
            ty: ValueType::Enum(APPROVALS),
            requirement: Requirement::Optional,
            doc: "The default for its tools (default `none`): whether a person approves each action before it runs.",
        },
        AttributeSpec {
            name: "memory",
            ty: ValueType::Enum(MEMORIES),
            requirement: Requirement::Optional,
            doc: "What it remembers (default `none`).",
        },
        AttributeSpec {
            name: "delegates_to",
            ty: ValueType::StringList,
            requirement: Requirement::Optional,
            doc: "Names of agents of this workload it hands work to; it reaches at least their agency scope.",
        },
        AttributeSpec {
            name: "agency_scope",
            ty: ValueType::Integer { min: 1, max: 4 },
            requirement: Requirement::Optional,
            doc: "The agency scope you believe it has (1–4); genai-scope checks it against the inferred one.",
        },
        AttributeSpec {
            name: "description",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "What the agent does.",
        },
        AttributeSpec {
            name: "resource",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "The address of the infrastructure resource that runs the agent (kept for the infrastructure checks).",
        },
    ],
    children: &[BlockKind::Tool, BlockKind::Control],
    doc: "An AI agent that plans and calls tools on one of the workload's models. Its tools, approvals and initiation decide its agency scope.",
};

pub const TOOL: BlockSpec = BlockSpec {
    kind: BlockKind::Tool,
    label: LabelSpec::Name,
    attributes: &[
        AttributeSpec {
            name: "effect",
            ty: ValueType::Enum(EFFECTS),
            requirement: Requirement::Required,
            doc: "The most the tool can do.",
        },
        AttributeSpec {
            name: "approval",
            ty: ValueType::Enum(APPROVALS),
            requirement: Requirement::Optional,
            doc: "Whether a person approves each call before it runs (default: the agent's `approval`).",
        },
        AttributeSpec {
            name: "audience",
            ty: ValueType::Enum(TOOL_AUDIENCES),
            requirement: Requirement::Optional,
            doc: "Whom it sends to (default `internal`; meaningful with `effect = send`).",
        },
        AttributeSpec {
            name: "description",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "What the tool does.",
        },
    ],
    children: &[],
    doc: "A tool an agent can call, and the most it can do.",
};

/// Attributes every control block accepts; a control's catalog parameters come on top.
pub const CONTROL: BlockSpec = BlockSpec {
    kind: BlockKind::Control,
    label: LabelSpec::ControlId,
    attributes: &[
        AttributeSpec {
            name: "status",
            ty: ValueType::Enum(CONTROL_STATUSES),
            requirement: Requirement::Optional,
            doc: "Where the control stands (default `implemented`).",
        },
        AttributeSpec {
            name: "evidence",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "A path (relative to this file) or URL of the evidence.",
        },
        AttributeSpec {
            name: "owner",
            ty: ValueType::String,
            requirement: Requirement::Optional,
            doc: "Who owns the control.",
        },
        AttributeSpec {
            name: "due",
            ty: ValueType::Date,
            requirement: Requirement::Optional,
            doc: "When a `planned` control will be in place (YYYY-MM-DD).",
        },
        AttributeSpec {
            name: "justification",
            ty: ValueType::String,
            requirement: Requirement::Conditional("required when `status = not_applicable`"),
            doc: "Why the control does not apply.",
        },
    ],
    children: &[],
    doc: "A control of the catalog that the workload addresses.",
};

pub const BLOCKS: [&BlockSpec; 6] = [&WORKLOAD, &MODEL, &DATA, &AGENT, &TOOL, &CONTROL];

/// The spec of a block of `kind`; `None` for [`BlockKind::Unknown`].
pub fn block(kind: BlockKind) -> Option<&'static BlockSpec> {
    match kind {
        BlockKind::Workload => Some(&WORKLOAD),
        BlockKind::Model => Some(&MODEL),
        BlockKind::Data => Some(&DATA),
        BlockKind::Agent => Some(&AGENT),
        BlockKind::Tool => Some(&TOOL),
        BlockKind::Control => Some(&CONTROL),
        BlockKind::Unknown => None,
    }
}

/// The closest candidate to a misspelt `name`, when one is close enough to suggest.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_kind_has_one_spec_naming_it() {
        for kind in BlockKind::KNOWN {
            assert_eq!(block(kind).map(|spec| spec.kind), Some(kind));
        }
        assert_eq!(BLOCKS.map(|spec| spec.kind), BlockKind::KNOWN);
        assert!(block(BlockKind::Unknown).is_none());
    }

    #[test]
    fn nearest_suggests_close_names_only() {
        assert_eq!(nearest("hostng", ["hosting", "training"]), Some("hosting"));
        assert_eq!(nearest("zzz", ["hosting", "training"]), None);
    }

    #[test]
    fn enum_names_are_listed_readably() {
        assert_eq!(
            enum_names(TRAININGS),
            "`none`, `fine_tuned` or `from_scratch`"
        );
    }
}
