//! `check --write-baseline FILE` and `check --baseline FILE`: accept today's findings and
//! report only new ones. Findings are matched by file and [`Diagnostic::fingerprint`] (code,
//! workload, control and the text pointed at, not the position), so edits that move lines do
//! not bring them back; a finding that occurs more often than the baseline recorded is new.
//! Paths are stored relative to the baseline file's directory, so the baseline works from
//! any working directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::check::Checked;
use genai_scope_analysis::diagnostic::Diagnostic;

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub code: String,
    #[serde(default)]
    pub control: Option<String>,
    #[serde(default)]
    pub workload: Option<String>,
    pub fingerprint: String,
}

/// The path of a checked file as the baseline at `baseline` records it.
fn key(baseline: &Path, file: &str) -> String {
    let dir = baseline
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let relative = std::fs::canonicalize(&dir).ok().and_then(|dir| {
        let file = std::fs::canonicalize(file).ok()?;
        file.strip_prefix(&dir).ok().map(Path::to_path_buf)
    });
    match relative {
        Some(relative) => relative.to_string_lossy().replace('\\', "/"),
        None => file.to_string(),
    }
}

fn entry(baseline: &Path, file: &Checked, diagnostic: &Diagnostic) -> Entry {
    Entry {
        path: key(baseline, &file.path),
        code: diagnostic.code.as_str().to_string(),
        control: diagnostic.control.as_deref().map(str::to_string),
        workload: diagnostic.workload.as_deref().map(str::to_string),
        fingerprint: diagnostic.fingerprint(&file.text),
    }
}

/// Writes every current finding to `path` (JSON).
pub fn write(path: &Path, files: &[Checked]) -> Result<usize, String> {
    let mut entries: Vec<Entry> = files
        .iter()
        .flat_map(|file| {
            file.analysis
                .diagnostics
                .iter()
                .map(move |d| entry(path, file, d))
        })
        .collect();
    entries.sort();
    let count = entries.len();
    let mut text = serde_json::to_string_pretty(&Baseline {
        version: VERSION,
        entries,
    })
    .map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| format!("{}: cannot write the baseline: {e}", path.display()))?;
    Ok(count)
}

/// Reads a baseline; the error names the file and what is wrong.
pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the baseline: {e}", path.display()))?;
    let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a genai-scope baseline: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if baseline.version != VERSION {
        return Err(format!(
            "{}: baseline version {} is not supported (expected {VERSION})",
            path.display(),
            baseline.version
        ));
    }
    Ok(baseline)
}

/// The findings a baseline accepts, by file, ready to filter each file on its own (on any
/// core): a file's entries are only ever matched against that file.
pub struct Accepted<'b> {
    baseline: &'b Path,
    /// Path (as the baseline records it) → fingerprint → how many times.
    by_file: HashMap<&'b str, HashMap<&'b str, usize>>,
}

impl<'b> Accepted<'b> {
    /// The entries of `baseline`, read from the file at `path`.
    pub fn new(baseline: &'b Baseline, path: &'b Path) -> Self {
        let mut by_file: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for entry in &baseline.entries {
            *by_file
                .entry(&entry.path)
                .or_default()
                .entry(&entry.fingerprint)
                .or_insert(0) += 1;
        }
        Self {
            baseline: path,
            by_file,
        }
    }

    /// Removes the findings of `file` that the baseline holds, as many times as it holds
    /// each.
    pub fn filter(&self, file: &mut Checked) {
        let Some(accepted) = self.by_file.get(key(self.baseline, &file.path).as_str()) else {
            return;
        };
        let mut remaining = accepted.clone();
        let text = &file.text;
        file.analysis.diagnostics.make_mut().retain(|diagnostic| {
            let fingerprint = diagnostic.fingerprint(text);
            match remaining.get_mut(fingerprint.as_str()) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            }
        });
    }
}
