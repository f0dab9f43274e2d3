//! Documents that are not files of this machine (`untitled:`, `http:`, `file://otherhost/`):
//! no directory, so nothing is looked up relative to the server's working directory, no
//! evidence is reported missing or linked, and one hint says why.

use serde_json::{Value, json};

use super::client::Client;

/// `docs/tm.md` exists in the server's working directory; `missing.md` does not.
const TEXT: &str = "workload \"w\" {\n  owner = \"o\"\n  model \"m\" {\n    hosting = managed_api\n  }\n  control risk.threat_model {\n    status   = implemented\n    evidence = \"docs/tm.md\"\n  }\n  control risk.prompt_injection {\n    status   = implemented\n    evidence = \"missing.md\"\n  }\n}\n";

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn documents_that_are_not_local_files_get_a_hint_and_no_evidence_lookups() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir_all(cwd.join("docs")).unwrap();
    std::fs::write(cwd.join("docs/tm.md"), "# threat model\n").unwrap();
    let mut client = Client::start_in(&cwd, &[]);
    client.initialize(json!({}));

    for uri in [
        "untitled:Untitled-1",
        "http://host/x.genai",
        "file://otherhost/x.genai",
    ] {
        client.open(uri, TEXT);
        let diagnostics = client.diagnostics(uri, Some(1));
        let codes = codes(&diagnostics);
        assert!(!codes.contains(&"evidence-not-found"), "{uri}: {codes:?}");
        let hints: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["code"] == "evidence-not-checked")
            .collect();
        assert_eq!(hints.len(), 1, "{uri}: {diagnostics:#?}");
        assert_eq!(hints[0]["severity"], 4, "a hint");
        assert_eq!(
            hints[0]["range"]["start"],
            json!({"line": 7, "character": 15})
        );
        assert!(
            hints[0]["message"].as_str().unwrap().contains(uri),
            "{}",
            hints[0]["message"]
        );
        // Pulled the same way.
        let links = client.call(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": uri}}),
        );
        assert_eq!(links, json!([]), "{uri}: no links to files");
    }

    // A document without evidence paths gets no hint.
    let plain = TEXT
        .replace(
            "evidence = \"docs/tm.md\"",
            "evidence = \"https://wiki/tm\"",
        )
        .replace(
            "evidence = \"missing.md\"",
            "evidence = \"https://wiki/pi\"",
        );
    client.open("untitled:Untitled-2", &plain);
    let diagnostics = client.diagnostics("untitled:Untitled-2", Some(1));
    assert!(
        !codes(&diagnostics).contains(&"evidence-not-checked"),
        "{diagnostics:#?}"
    );

    // The same text as a local file in that directory: checked and linked, no hint.
    let uri = format!("file://{}", cwd.join("w.genai").display());
    client.open(&uri, TEXT);
    let diagnostics = client.diagnostics(&uri, Some(1));
    let codes = codes(&diagnostics);
    assert_eq!(
        codes.iter().filter(|c| **c == "evidence-not-found").count(),
        1,
        "{codes:?}"
    );
    assert!(!codes.contains(&"evidence-not-checked"), "{codes:?}");
    let links = client.call(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(links.as_array().unwrap().len(), 1, "{links}");
    assert!(client.shutdown().success());
}

#[test]
fn pulled_diagnostics_carry_the_hint_too() {
    let mut client = Client::start(&[]);
    client.initialize(json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}));
    client.open("untitled:Untitled-1", TEXT);
    let report = client.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}}),
    );
    let items = report["items"].as_array().unwrap();
    assert_eq!(
        items
            .iter()
            .filter(|d| d["code"] == "evidence-not-checked")
            .count(),
        1,
        "{report:#}"
    );
    assert!(client.shutdown().success());
}
