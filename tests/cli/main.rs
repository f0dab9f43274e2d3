//! End-to-end tests of the `genai-scope` command line: the real binary, run as a user runs it,
//! its output read back. The binary is found (and built when stale) by the support module.

mod baseline;
mod check_output;
mod config;
mod config_schema;
mod custom_controls;
mod drift;
mod evidence_workspace;
mod exit_codes;
mod explain_matrix;
mod export;
mod fmt_fix;
mod init;
mod inputs;
mod new_workload;
mod report;
mod robustness;
mod safe_write;
mod sarif;
#[path = "../support/lib.rs"]
#[allow(dead_code)]
mod support;
mod suppressions;
mod text_ux;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use crate::support::{Invocation, genai_scope, workspace};
use serde_json::Value;

/// The date the reports are made on: `--today` keeps `overdue-control` (and so the snapshots)
/// from changing as the `due` dates of the examples pass.
pub const TODAY: &str = "2026-11-25";

/// `genai-scope check --today TODAY ARGS…` in the workspace root.
pub fn check<I, S>(args: I) -> Invocation
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut all: Vec<std::ffi::OsString> = vec!["check".into(), "--today".into(), TODAY.into()];
    all.extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
    genai_scope(all)
}

/// `genai-scope ARGS…` run in `dir`, for `insta_cmd::assert_cmd_snapshot!`: the binary Cargo
/// built for these tests, no colour, and none of the variables that change its output (the
/// server's test hooks, a forced colour, a backtrace) taken from the environment of the test run.
pub fn cli<I, S>(dir: impl AsRef<Path>, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = crate::support::command(args);
    command
        .current_dir(dir)
        .env_remove("GENAI_SCOPE_TEST_HOOKS")
        .env_remove("RUST_BACKTRACE")
        .env_remove("COLUMNS");
    command
}

/// `genai-scope check --today TODAY ARGS…` run in `dir`, as [`cli`]: the fixed date keeps
/// `overdue-control` from changing the snapshots as the `due` dates pass.
pub fn cli_check<I, S>(dir: impl AsRef<Path>, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut all: Vec<std::ffi::OsString> = vec!["check".into(), "--today".into(), TODAY.into()];
    all.extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
    cli(dir, all)
}

/// Snapshot settings that make command output machine-independent: the temporary directories
/// of [`crate::support::temp_dir`] (wherever the system keeps them, canonical or not) read
/// `[TEMP]`, the workspace root `[WORKSPACE]`. Bind them for the test:
/// `let _filters = snapshot_filters().bind_to_scope();`.
pub fn snapshot_filters() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    let root = workspace();
    settings.add_filter(&regex_escape(&root.display().to_string()), "[WORKSPACE]");
    // `/tmp/genai-scope-e2e-AbC123`, `/private/var/folders/…/genai-scope-e2e-AbC123`: any
    // directory made by `temp_dir`, up to its random suffix.
    settings.add_filter(
        r"(?:/[^/\s\x22':]+)*/genai-scope-e2e-[A-Za-z0-9]+",
        "[TEMP]",
    );
    settings
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// An example file's text.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(workspace().join("examples").join(name))
        .unwrap_or_else(|e| panic!("read examples/{name}: {e}"))
}

/// The bundled examples' `.genai` files, those of `examples/team-policy/` included.
pub fn example_files() -> Vec<std::path::PathBuf> {
    let examples = workspace().join("examples");
    let mut files: Vec<_> = [
        examples.clone(),
        examples.join("team-policy"),
        examples.join("agents"),
    ]
    .iter()
    .flat_map(|dir| std::fs::read_dir(dir).unwrap())
    .map(|entry| entry.unwrap().path())
    .filter(|path| path.extension().is_some_and(|e| e == "genai"))
    .collect();
    files.sort();
    files
}

/// Every diagnostic of a JSON report, with the path of its file.
pub fn diagnostics(report: &Value) -> Vec<(String, Value)> {
    report["files"]
        .as_array()
        .expect("files is an array")
        .iter()
        .flat_map(|file| {
            let path = file["path"].as_str().expect("path is a string").to_string();
            file["diagnostics"]
                .as_array()
                .expect("diagnostics is an array")
                .iter()
                .map(move |d| (path.clone(), d.clone()))
        })
        .collect()
}

/// The paths a JSON report covers.
pub fn paths(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .expect("files is an array")
        .iter()
        .map(|file| file["path"].as_str().expect("path is a string").to_string())
        .collect()
}

/// Facts of the catalog, read from its source (`server/analysis/src/catalog/*.toml`) rather than
/// repeated here, so the tests follow the catalog.
pub struct CatalogFacts {
    /// (number, name)
    pub scopes: Vec<(u8, String)>,
    /// (id, name)
    pub disciplines: Vec<(String, String)>,
    /// Control ids, `discipline.name`.
    pub controls: Vec<String>,
    /// Diagnostic codes.
    pub codes: Vec<String>,
}

pub fn catalog_facts() -> CatalogFacts {
    let dir = workspace().join("server/analysis/src/catalog");
    let catalog = read(&dir.join("catalog.toml"));
    let rules = read(&dir.join("rules.toml"));
    let tables = |text: &str, header: &str| -> Vec<Vec<(String, String)>> {
        let mut tables = Vec::new();
        let mut current: Option<Vec<(String, String)>> = None;
        for line in text.lines() {
            if line.starts_with('[') {
                if let Some(table) = current.take() {
                    tables.push(table);
                }
                if line.trim() == header {
                    current = Some(Vec::new());
                }
            } else if let Some(table) = current.as_mut()
                && let Some((key, value)) = line.split_once(" = ")
            {
                table.push((
                    key.trim().to_string(),
                    value.trim().trim_matches('"').to_string(),
                ));
            }
        }
        tables.extend(current);
        tables
    };
    let get = |table: &[(String, String)], key: &str| -> String {
        table
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("catalog table without `{key}`: {table:?}"))
    };
    CatalogFacts {
        scopes: tables(&catalog, "[[scope]]")
            .iter()
            .map(|t| {
                (
                    get(t, "number").parse().expect("a scope number"),
                    get(t, "name"),
                )
            })
            .collect(),
        disciplines: tables(&catalog, "[[discipline]]")
            .iter()
            .map(|t| (get(t, "id"), get(t, "name")))
            .collect(),
        controls: tables(&catalog, "[[control]]")
            .iter()
            .map(|t| get(t, "id"))
            .collect(),
        codes: tables(&rules, "[[rule]]")
            .iter()
            .map(|t| get(t, "code"))
            .collect(),
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
