//! Every row of the resource → fact table (`docs/iac.md`), from the Terraform fixtures and,
//! where the row names one, from CloudFormation (YAML and CDK JSON), read from
//! `tests/fixtures/iac/`.

use std::path::{Path, PathBuf};

use genai_scope_iac::discover::{self, FileSystem};
use genai_scope_iac::facts::{self, Block, BlockKind, Draft, FactValue, Workload};
use genai_scope_iac::{Kind, read_sources};

struct Disk;

impl FileSystem for Disk {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect()
    }
    fn file_size(&self, path: &Path) -> std::io::Result<u64> {
        std::fs::metadata(path).map(|m| m.len())
    }
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/iac")
}

/// The draft of one fixture folder, paths relative to the fixtures.
fn draft(folder: &str) -> Draft {
    let root = fixtures();
    let (files, unreadable) = discover::collect(&Disk, &root.join(folder), &|p: &Path| {
        p.strip_prefix(&root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    });
    assert!(unreadable.is_empty(), "{unreadable:?}");
    facts::draft(&read_sources(&files))
}

fn only_workload(draft: &Draft) -> &Workload {
    assert_eq!(draft.workloads.len(), 1, "{draft:#?}");
    &draft.workloads[0]
}

fn word(block: &Block, attribute: &str) -> Option<String> {
    block.fact(attribute).map(|f| match &f.value {
        FactValue::Word(w) | FactValue::Text(w) => w.clone(),
        FactValue::Flag(b) => b.to_string(),
        FactValue::Texts(t) => t.join(","),
    })
}

fn block<'a>(workload: &'a Workload, kind: BlockKind, resource: &str) -> &'a Block {
    workload
        .blocks()
        .find(|b| b.kind == kind && b.resource == resource)
        .unwrap_or_else(|| panic!("no {kind:?} bound to {resource}: {workload:#?}"))
}

fn controls(workload: &Workload) -> Vec<(&str, &str)> {
    workload
        .controls
        .iter()
        .map(|c| (c.id, c.evidence.as_str()))
        .collect()
}

#[test]
fn agent_terraform() {
    let draft = draft("bedrock-agent");
    let workload = only_workload(&draft);
    let agent = block(workload, BlockKind::Agent, "aws_bedrockagent_agent.claims");
    assert_eq!(agent.name, "claims-assistant");
    let model = word(agent, "model").unwrap();
    let model_block = workload.models.iter().find(|m| m.name == model).unwrap();
    assert_eq!(word(model_block, "hosting").as_deref(), Some("managed_api"));
    assert_eq!(
        word(model_block, "base").as_deref(),
        Some("anthropic.claude-3-5-sonnet-20240620-v1:0")
    );
    // SESSION_SUMMARY memory, read (no review).
    let memory = agent.fact("memory").unwrap();
    assert_eq!(word(agent, "memory").as_deref(), Some("persistent"));
    assert!(memory.is_read());
    // The collaborator through its alias.
    assert_eq!(word(agent, "delegates_to").as_deref(), Some("fraud-check"));
    // Its guardrail configuration names the guardrail of this code.
    assert!(controls(workload).contains(&("controls.guardrails", "aws_bedrock_guardrail.claims")));
    // Without memory configuration: session, to confirm.
    let other = block(
        workload,
        BlockKind::Agent,
        "aws_bedrockagent_agent.fraud_check",
    );
    assert!(!other.fact("memory").unwrap().is_read());
}

#[test]
fn agent_cloudformation_and_cdk() {
    let stack = draft("cloudformation");
    let workload = only_workload(&stack);
    let agent = block(workload, BlockKind::Agent, "ResearchAgent");
    assert_eq!(agent.name, "research-assistant");
    assert_eq!(word(agent, "memory").as_deref(), Some("session"));
    assert!(controls(workload).contains(&("controls.guardrails", "ResearchGuardrail")));

    let cdk = draft("cdk");
    let workload = only_workload(&cdk);
    assert_eq!(workload.name, "SupportStack");
    let agent = block(workload, BlockKind::Agent, "SupportAgentE4F5A6B7");
    assert_eq!(word(agent, "memory").as_deref(), Some("persistent"));
    assert_eq!(word(agent, "delegates_to").as_deref(), Some("billing"));
}

#[test]
fn action_groups_terraform() {
    let draft = draft("bedrock-agent");
    let agent = block(
        only_workload(&draft),
        BlockKind::Agent,
        "aws_bedrockagent_agent.claims",
    );
    let tools: Vec<(&str, Option<String>, Option<String>)> = agent
        .tools
        .iter()
        .map(|t| {
            let get = |a: &str| {
                t.fact(a).map(|f| match &f.value {
                    FactValue::Word(w) => w.clone(),
                    other => format!("{other:?}"),
                })
            };
            (t.name.as_str(), get("effect"), get("approval"))
        })
        .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        tools,
        [
            ("issue_refund", s("write"), s("required")),
            ("lookup_claim", s("write"), s("none")),
            ("close_claim", s("write"), s("none")),
            ("code-interpreter", s("execute"), None),
            ("notifications", s("write"), None),
        ]
    );
    // The effect is a guess to review; confirmation is read.
    let refund = &agent.tools[0];
    assert!(!refund.fact("effect").unwrap().is_read());
    assert!(refund.fact("approval").unwrap().is_read());
    assert!(
        refund
            .fact("effect")
            .unwrap()
            .review
            .as_ref()
            .unwrap()
            .contains("cannot be read")
    );
    // AMAZON.UserInput is no tool.
    assert!(agent.tools.iter().all(|t| t.name != "ask-user"));
    assert_eq!(
        refund.action_group,
        "aws_bedrockagent_agent_action_group.refunds"
    );
}

#[test]
fn action_groups_cloudformation() {
    let draft = draft("cloudformation");
    let agent = block(only_workload(&draft), BlockKind::Agent, "ResearchAgent");
    let names: Vec<&str> = agent.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["search_papers", "order_copy", "analysis"]);
    assert_eq!(word_of_tool(agent, "order_copy", "approval"), "required");
    assert_eq!(word_of_tool(agent, "search_papers", "approval"), "none");
    assert_eq!(word_of_tool(agent, "analysis", "effect"), "execute");
}

fn word_of_tool(agent: &Block, tool: &str, attribute: &str) -> String {
    match &agent
        .tools
        .iter()
        .find(|t| t.name == tool)
        .unwrap()
        .fact(attribute)
        .unwrap()
        .value
    {
        FactValue::Word(w) => w.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn knowledge_bases_data_sources_and_vector_stores() {
    for (folder, web, s3, kb) in [
        (
            "bedrock-agent",
            "aws_bedrockagent_data_source.help_pages",
            "aws_bedrockagent_data_source.policy_documents",
            "aws_bedrockagent_knowledge_base.policies",
        ),
        (
            "cloudformation",
            "PreprintsSource",
            "PapersSource",
            "ResearchKnowledgeBase",
        ),
    ] {
        let draft = draft(folder);
        let workload = only_workload(&draft);
        let web = block(workload, BlockKind::Data, web);
        let s3 = block(workload, BlockKind::Data, s3);
        assert_eq!(word(web, "origin").as_deref(), Some("web"), "{folder}");
        assert_eq!(word(s3, "origin").as_deref(), Some("internal"), "{folder}");
        for data in [web, s3] {
            assert_eq!(word(data, "use").as_deref(), Some("rag"));
            // The store from the knowledge base's storage configuration (an OpenSearch
            // Serverless vector collection).
            assert_eq!(
                word(data, "store").as_deref(),
                Some("opensearch-serverless")
            );
            let classification = data.fact("classification").unwrap();
            assert_eq!(word(data, "classification").as_deref(), Some("internal"));
            assert!(!classification.is_read(), "classification is to confirm");
        }
        // The knowledge base's embedding model is a model of the workload.
        let embedding = block(workload, BlockKind::Model, kb);
        assert_eq!(
            word(embedding, "base").as_deref(),
            Some("amazon.titan-embed-text-v2:0")
        );
    }
    // The collection itself is read.
    let root = fixtures();
    let text = std::fs::read_to_string(root.join("bedrock-agent/knowledge.tf")).unwrap();
    let inventory = read_sources(&[genai_scope_iac::SourceFile {
        path: "knowledge.tf".into(),
        text,
    }]);
    assert!(
        inventory
            .resources
            .iter()
            .any(|r| r.kind == Kind::VectorCollection)
    );
}

#[test]
fn a_knowledge_base_without_sources_is_one_data_block() {
    let text = r#"resource "aws_bedrockagent_knowledge_base" "kb" {
  name = "faq"
  storage_configuration { type = "PINECONE" }
}
resource "aws_bedrockagent_agent" "a" { foundation_model = "amazon.nova-lite-v1:0" }
"#;
    let draft = facts::draft(&read_sources(&[genai_scope_iac::SourceFile {
        path: "x/main.tf".into(),
        text: text.into(),
    }]));
    let data = block(
        only_workload(&draft),
        BlockKind::Data,
        "aws_bedrockagent_knowledge_base.kb",
    );
    assert_eq!(word(data, "store").as_deref(), Some("pinecone"));
    assert_eq!(word(data, "use").as_deref(), Some("rag"));
}

#[test]
fn custom_model_with_training_data_and_provisioned_throughput() {
    let draft = draft("custom-model");
    let workload = only_workload(&draft);
    let model = block(
        workload,
        BlockKind::Model,
        "aws_bedrock_custom_model.underwriting",
    );
    assert_eq!(word(model, "training").as_deref(), Some("fine_tuned"));
    assert_eq!(word(model, "hosting").as_deref(), Some("managed_api"));
    assert_eq!(
        word(model, "base").as_deref(),
        Some("amazon.titan-text-express-v1")
    );
    let data = block(
        workload,
        BlockKind::Data,
        "aws_bedrock_custom_model.underwriting",
    );
    assert_eq!(word(data, "use").as_deref(), Some("fine_tuning"));
    assert_eq!(word(data, "model").as_deref(), Some(model.name.as_str()));
    // The agent runs on the custom model through its provisioned throughput.
    let agent = block(
        workload,
        BlockKind::Agent,
        "aws_bedrockagent_agent.underwriter",
    );
    assert_eq!(word(agent, "model").as_deref(), Some(model.name.as_str()));
    assert_eq!(
        controls(workload),
        [(
            "resilience.reserved_capacity",
            "aws_bedrock_provisioned_model_throughput.underwriting"
        )]
    );
}

#[test]
fn a_custom_model_arn_is_the_fine_tuned_model() {
    let text = r#"resource "aws_bedrockagent_agent" "a" {
  foundation_model = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc123"
}"#;
    let draft = facts::draft(&read_sources(&[genai_scope_iac::SourceFile {
        path: "x/main.tf".into(),
        text: text.into(),
    }]));
    let model = &only_workload(&draft).models[0];
    assert_eq!(word(model, "training").as_deref(), Some("fine_tuned"));
    assert_eq!(word(model, "hosting").as_deref(), Some("managed_api"));
}

#[test]
fn guardrails_terraform_cloudformation_and_cdk() {
    let expected = [
        ("bedrock-agent", "aws_bedrock_guardrail.claims", true),
        ("cloudformation", "ResearchGuardrail", true),
        // The CDK guardrail filters hate, not prompt attacks.
        ("cdk", "SupportGuardrail3A1B2C3D", false),
        ("plan", "aws_bedrock_guardrail.support", true),
    ];
    for (folder, guardrail, prompt_attack) in expected {
        let draft = draft(folder);
        let controls = controls(only_workload(&draft));
        assert!(
            controls.contains(&("controls.guardrails", guardrail)),
            "{folder}: {controls:?}"
        );
        assert_eq!(
            controls.contains(&("risk.prompt_injection", guardrail)),
            prompt_attack,
            "{folder}: {controls:?}"
        );
    }
}

#[test]
fn invocation_logging_and_web_application_firewall() {
    let draft = draft("bedrock-agent");
    let controls = controls(only_workload(&draft));
    assert!(controls.contains(&(
        "controls.invocation_logging",
        "aws_bedrock_model_invocation_logging_configuration.main"
    )));
    assert!(controls.contains(&(
        "controls.public_endpoint_protection",
        "aws_wafv2_web_acl_association.claims_api"
    )));
    let stack = self::draft("cloudformation");
    let controls = self::controls(only_workload(&stack));
    assert!(controls.contains(&("controls.public_endpoint_protection", "ApiFirewall")));
}

#[test]
fn sagemaker_endpoints_terraform_and_cloudformation() {
    for (folder, endpoint, name) in [
        (
            "sagemaker",
            "aws_sagemaker_endpoint.summarizer",
            "summarizer",
        ),
        ("cloudformation", "RerankerEndpoint", "reranker"),
    ] {
        let draft = draft(folder);
        let model = block(only_workload(&draft), BlockKind::Model, endpoint);
        assert_eq!(model.name, name);
        assert_eq!(word(model, "hosting").as_deref(), Some("self_hosted"));
        let origin = model.fact("origin").unwrap();
        assert!(!origin.is_read(), "the origin is asked for");
    }
}

#[test]
fn regions_from_provider_blocks_and_plans() {
    assert_eq!(
        only_workload(&draft("bedrock-agent")).regions,
        ["us-east-1", "eu-west-1"]
    );
    assert_eq!(
        only_workload(&draft("plan")).regions,
        ["us-east-1", "eu-west-1"]
    );
    // A variable region is not evaluated: noted.
    let modules = draft("modules-and-variables");
    let root = &modules.workloads[0];
    assert!(root.regions.is_empty());
    assert!(
        root.notes.iter().any(|n| n.contains("var.region")),
        "{:?}",
        root.notes
    );
}

#[test]
fn plan_values_and_references() {
    let draft = draft("plan");
    let workload = only_workload(&draft);
    let tuned = block(
        workload,
        BlockKind::Model,
        "module.tuning.aws_bedrock_custom_model.this[0]",
    );
    assert_eq!(word(tuned, "training").as_deref(), Some("fine_tuned"));
    let agent = block(workload, BlockKind::Agent, "aws_bedrockagent_agent.support");
    // agent_id is known after apply; the configuration says which agent.
    assert_eq!(agent.tools.len(), 2);
    assert_eq!(word_of_tool(agent, "cancel_order", "approval"), "required");
}

#[test]
fn modules_variables_count_and_dynamic_blocks_are_noted() {
    let draft = draft("modules-and-variables");
    assert_eq!(
        draft.workloads.len(),
        2,
        "the module's directory is a workload of its own"
    );
    let notes = &draft.workloads[0].notes;
    for expected in ["module `support_agent`", "count =", "dynamic \"functions\""] {
        assert!(
            notes.iter().any(|n| n.contains(expected)),
            "{expected}: {notes:?}"
        );
    }
    let model = &draft.workloads[0].models[0];
    assert!(model.comments.iter().any(|c| c.contains("var.model_id")));
}

#[test]
fn a_broken_file_is_unreadable_and_the_rest_is_read() {
    let root = fixtures();
    let (files, _) = discover::collect(&Disk, &root.join("broken"), &|p: &Path| {
        p.file_name().unwrap().to_string_lossy().into_owned()
    });
    let inventory = read_sources(&files);
    assert_eq!(inventory.unreadable.len(), 1);
    assert_eq!(inventory.unreadable[0].location.path, "broken.tf");
    assert!(inventory.unreadable[0].reason.contains("line 5"));
    let draft = facts::draft(&inventory);
    assert!(
        draft
            .block(BlockKind::Agent, "aws_bedrockagent_agent.helper")
            .is_some()
    );
}

#[test]
fn the_cdk_folder_reads_only_templates() {
    let root = fixtures();
    let (files, _) = discover::collect(&Disk, &root.join("cdk"), &|p: &Path| {
        p.to_string_lossy().into_owned()
    });
    assert!(
        files.len() >= 3,
        "manifest, tree and the template are listed"
    );
    let inventory = read_sources(&files);
    assert!(inventory.unreadable.is_empty());
    assert_eq!(inventory.units.len(), 1);
    assert!(inventory.units[0].ends_with("SupportStack.template.json"));
}

#[test]
fn drafts_are_deterministic() {
    for folder in ["bedrock-agent", "cloudformation", "plan", "cdk"] {
        let first = genai_scope_iac::draft::write(&draft(folder));
        let second = genai_scope_iac::draft::write(&draft(folder));
        assert_eq!(first, second, "{folder}");
    }
}
