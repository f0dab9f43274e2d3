//! The resource types the readers keep, under their Terraform (AWS provider) and
//! CloudFormation names. Every other type is ignored.

/// What a kept resource is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Agent,
    ActionGroup,
    AgentCollaborator,
    AgentAlias,
    KnowledgeBase,
    DataSource,
    VectorCollection,
    CustomModel,
    Guardrail,
    InvocationLogging,
    ProvisionedThroughput,
    WebAclAssociation,
    SagemakerEndpoint,
    SagemakerEndpointConfig,
    SagemakerModel,
}

/// (kind, Terraform type, CloudFormation type)
const TYPES: &[(Kind, Option<&str>, Option<&str>)] = &[
    (
        Kind::Agent,
        Some("aws_bedrockagent_agent"),
        Some("AWS::Bedrock::Agent"),
    ),
    (
        Kind::ActionGroup,
        Some("aws_bedrockagent_agent_action_group"),
        None, // CloudFormation: the agent's `ActionGroups` property
    ),
    (
        Kind::AgentCollaborator,
        Some("aws_bedrockagent_agent_collaborator"),
        None, // CloudFormation: the agent's `AgentCollaborators` property
    ),
    (
        Kind::AgentAlias,
        Some("aws_bedrockagent_agent_alias"),
        Some("AWS::Bedrock::AgentAlias"),
    ),
    (
        Kind::KnowledgeBase,
        Some("aws_bedrockagent_knowledge_base"),
        Some("AWS::Bedrock::KnowledgeBase"),
    ),
    (
        Kind::DataSource,
        Some("aws_bedrockagent_data_source"),
        Some("AWS::Bedrock::DataSource"),
    ),
    (
        Kind::VectorCollection,
        Some("aws_opensearchserverless_collection"),
        Some("AWS::OpenSearchServerless::Collection"),
    ),
    (Kind::CustomModel, Some("aws_bedrock_custom_model"), None),
    (
        Kind::Guardrail,
        Some("aws_bedrock_guardrail"),
        Some("AWS::Bedrock::Guardrail"),
    ),
    (
        Kind::InvocationLogging,
        Some("aws_bedrock_model_invocation_logging_configuration"),
        None,
    ),
    (
        Kind::ProvisionedThroughput,
        Some("aws_bedrock_provisioned_model_throughput"),
        None,
    ),
    (
        Kind::WebAclAssociation,
        Some("aws_wafv2_web_acl_association"),
        Some("AWS::WAFv2::WebACLAssociation"),
    ),
    (
        Kind::SagemakerEndpoint,
        Some("aws_sagemaker_endpoint"),
        Some("AWS::SageMaker::Endpoint"),
    ),
    (
        Kind::SagemakerEndpointConfig,
        Some("aws_sagemaker_endpoint_configuration"),
        Some("AWS::SageMaker::EndpointConfig"),
    ),
    (
        Kind::SagemakerModel,
        Some("aws_sagemaker_model"),
        Some("AWS::SageMaker::Model"),
    ),
];

impl Kind {
    /// The kind of a Terraform resource type.
    pub fn from_terraform(type_name: &str) -> Option<Kind> {
        TYPES
            .iter()
            .find(|(_, tf, _)| *tf == Some(type_name))
            .map(|(kind, _, _)| *kind)
    }

    /// The kind of a CloudFormation resource type.
    pub fn from_cloudformation(type_name: &str) -> Option<Kind> {
        TYPES
            .iter()
            .find(|(_, _, cfn)| *cfn == Some(type_name))
            .map(|(kind, _, _)| *kind)
    }

    /// Every kept Terraform type (for documentation and tests).
    pub fn terraform_types() -> impl Iterator<Item = &'static str> {
        TYPES.iter().filter_map(|(_, tf, _)| *tf)
    }

    /// Every kept CloudFormation type.
    pub fn cloudformation_types() -> impl Iterator<Item = &'static str> {
        TYPES.iter().filter_map(|(_, _, cfn)| *cfn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_names_give_the_same_kind() {
        assert_eq!(
            Kind::from_terraform("aws_bedrockagent_agent"),
            Kind::from_cloudformation("AWS::Bedrock::Agent")
        );
        assert_eq!(Kind::from_terraform("aws_s3_bucket"), None);
        assert_eq!(Kind::from_cloudformation("AWS::S3::Bucket"), None);
        assert!(Kind::terraform_types().count() > Kind::cloudformation_types().count());
    }
}
