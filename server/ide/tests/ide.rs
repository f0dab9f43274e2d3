//! Hover and completion at a cursor: each fixture marks the cursor with `$0`, and what the
//! feature answers there is pinned in an inline snapshot.

use genai_scope_analysis::AnalysisOptions;
use genai_scope_ide::FileState;
use genai_scope_ide::completion::complete;
use genai_scope_ide::hover::hover;

/// The text without its `$0` marker, and the marker's byte offset.
fn cursor(fixture: &str) -> (String, usize) {
    let offset = fixture.find("$0").expect("a $0 cursor marker");
    assert_eq!(fixture.matches("$0").count(), 1, "one cursor marker");
    (fixture.replace("$0", ""), offset)
}

fn file(text: String) -> FileState {
    FileState::new(text, None, &AnalysisOptions::default())
}

/// The hover at the cursor: the text it covers, then its markdown; `no hover` when none.
fn hover_at(fixture: &str) -> String {
    let (text, offset) = cursor(fixture);
    let file = file(text);
    match hover(&file, offset) {
        Some(hover) => format!(
            "[{}]\n{}",
            &file.text[hover.range.start..hover.range.end],
            hover.markdown
        ),
        None => "no hover".into(),
    }
}

/// The completions at the cursor in their order, one a line: label, detail and what is
/// inserted; at most `limit` of them, then how many were left out.
fn complete_at(fixture: &str, limit: usize) -> String {
    let (text, offset) = cursor(fixture);
    let file = file(text);
    let mut items = complete(&file, offset);
    items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
    let mut out: Vec<String> = items
        .iter()
        .take(limit)
        .map(|item| {
            let typed = &file.text[item.replace_start..offset];
            format!(
                "{:?} {} ({}) replaces {typed:?} with {:?}",
                item.kind, item.label, item.detail, item.insert_text
            )
        })
        .collect();
    if items.len() > limit {
        out.push(format!("… and {} more", items.len() - limit));
    }
    out.join("\n")
}

const SCOPE_3: &str = r#"workload "w" {
  owner = "o"
  model "m" {
    hosting = managed_api
  }
  control risk.threat_model {}
}
"#;

#[test]
fn hover_on_an_attribute_value() {
    insta::assert_snapshot!(hover_at(&SCOPE_3.replace("managed_api", "manag$0ed_api")), @r#"
        [managed_api]
        `hosting` = `managed_api`

        A third-party foundation model reached through a managed API (scope 3, or 4–5 when you change its weights).
        "#);
}

#[test]
fn hover_on_an_attribute_name() {
    insta::assert_snapshot!(hover_at(&SCOPE_3.replace("owner", "ow$0ner")), @r#"
        [owner]
        **owner**: a string

        The accountable team or person.
        "#);
}

#[test]
fn hover_on_a_model_name_gives_its_scope_and_reason() {
    insta::assert_snapshot!(hover_at(&SCOPE_3.replace("\"m\"", "\"$0m\"")), @r#"
        ["m"]
        **Scope 3: Pre-trained models**

        model "m": hosting = managed_api, training = none → scope 3 (Pre-trained models)
        "#);
}

#[test]
fn no_hover_in_a_comment() {
    insta::assert_snapshot!(hover_at(&format!("# a co$0mment\n{SCOPE_3}")), @"no hover");
}

#[test]
fn completion_of_hosting_values() {
    insta::assert_snapshot!(complete_at(&SCOPE_3.replace("managed_api", "$0"), 10), @r#"
        Value consumer_app (A public generative-AI app or service used under consumer terms (scope 1).) replaces "" with "consumer_app"
        Value enterprise_app (A third-party business app or SaaS with generative-AI features, under an enterprise agreement (scope 2).) replaces "" with "enterprise_app"
        Value managed_api (A third-party foundation model reached through a managed API (scope 3, or 4–5 when you change its weights).) replaces "" with "managed_api"
        Value self_hosted (Model weights run on infrastructure you operate (scope 3, or 4–5 when you change its weights).) replaces "" with "self_hosted"
        "#);
}

#[test]
fn completion_of_a_partly_typed_value_replaces_the_word() {
    insta::assert_snapshot!(complete_at(&SCOPE_3.replace("managed_api", "self$0"), 10), @r#"
        Value consumer_app (A public generative-AI app or service used under consumer terms (scope 1).) replaces "self" with "consumer_app"
        Value enterprise_app (A third-party business app or SaaS with generative-AI features, under an enterprise agreement (scope 2).) replaces "self" with "enterprise_app"
        Value managed_api (A third-party foundation model reached through a managed API (scope 3, or 4–5 when you change its weights).) replaces "self" with "managed_api"
        Value self_hosted (Model weights run on infrastructure you operate (scope 3, or 4–5 when you change its weights).) replaces "self" with "self_hosted"
        "#);
}

#[test]
fn completion_of_attributes_in_a_model() {
    insta::assert_snapshot!(complete_at(&SCOPE_3.replace("    hosting", "    $0\n    hosting"), 10), @r#"
        Property base (a string) replaces "" with "base = "
        Property classification (one of `public`, `internal`, `confidential` or `restricted`) replaces "" with "classification = "
        Property inference (`true` or `false`) replaces "" with "inference = "
        Property origin (one of `provider`, `public_hub`, `vendor` or `own`) replaces "" with "origin = "
        Property provider (a string) replaces "" with "provider = "
        Property resource (a string) replaces "" with "resource = "
        Property training (one of `none`, `fine_tuned` or `from_scratch`) replaces "" with "training = "
        "#);
}

#[test]
fn completion_of_control_ids_puts_the_missing_ones_first() {
    insta::assert_snapshot!(complete_at(&SCOPE_3.replace("risk.threat_model", "$0"), 4), @r#"
        Control governance.data_classification (missing · required at scope 3 · error — Classify every data asset the workload can reach) replaces "" with "governance.data_classification"
        Control risk.threat_model (missing · required at scope 3 · error — Threat-model the workload) replaces "" with "risk.threat_model"
        Control risk.prompt_injection (missing · required at scope 3 · error — Mitigate prompt injection) replaces "" with "risk.prompt_injection"
        Control controls.user_authentication (missing · required at scope 3 · error — Authenticate and authorise end users) replaces "" with "controls.user_authentication"
        … and 47 more
        "#);
}
