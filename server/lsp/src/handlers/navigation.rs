//! `definition` (model names; infrastructure resources from `resource` and `iac:` evidence),
//! `references`, `prepareRename`, `rename` (model names) and `documentLink` (evidence files).

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types as lsp;

use crate::convert::Converter;
use crate::session::Snapshot;
use genai_scope_ide::{infrastructure, navigation};
use genai_scope_syntax::text::TextRange;

pub fn definition(
    snapshot: &Snapshot,
    position: lsp::Position,
) -> Option<lsp::GotoDefinitionResponse> {
    let converter = snapshot.converter();
    let offset = converter.offset(position);
    if let Some(resource) = infrastructure::definition(&snapshot.state, offset) {
        return resource_location(snapshot, &resource).map(lsp::GotoDefinitionResponse::Scalar);
    }
    let range = navigation::definition(&snapshot.state, offset)?;
    Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
        uri: snapshot.uri.clone(),
        range: converter.range(range),
    }))
}

/// A resource in its infrastructure file, in the client's encoding when the file can be read
/// now (it may have changed since: then its lines).
fn resource_location(
    snapshot: &Snapshot,
    resource: &infrastructure::ResourceLocation,
) -> Option<lsp::Location> {
    let uri = lsp::Uri::from_file_path(&resource.path)?;
    let range = match snapshot.environment.read_to_string(&resource.path) {
        Ok(text) if resource.span.end <= text.len() => {
            let rope = ropey::Rope::from_str(&text);
            Converter {
                rope: &rope,
                encoding: snapshot.encoding,
            }
            .range(TextRange::new(resource.span.start, resource.span.end))
        }
        _ => {
            let line = |l: usize| lsp::Position::new(u32::try_from(l).unwrap_or(u32::MAX), 0);
            lsp::Range::new(line(resource.start_line), line(resource.end_line))
        }
    };
    Some(lsp::Location { uri, range })
}

pub fn references(snapshot: &Snapshot, position: lsp::Position) -> Option<Vec<lsp::Location>> {
    let converter = snapshot.converter();
    let found = navigation::references(&snapshot.state, converter.offset(position));
    Some(
        found
            .into_iter()
            .map(|range| lsp::Location {
                uri: snapshot.uri.clone(),
                range: converter.range(range),
            })
            .collect(),
    )
}

pub fn prepare_rename(
    snapshot: &Snapshot,
    position: lsp::Position,
) -> Option<lsp::PrepareRenameResponse> {
    let converter = snapshot.converter();
    let range = navigation::prepare_rename(&snapshot.state, converter.offset(position))?;
    Some(lsp::PrepareRenameResponse::Range(converter.range(range)))
}

pub fn rename(
    snapshot: &Snapshot,
    position: lsp::Position,
    new_name: &str,
) -> Result<Option<lsp::WorkspaceEdit>> {
    let converter = snapshot.converter();
    let offset = converter.offset(position);
    if navigation::references(&snapshot.state, offset).is_empty() {
        return Ok(None);
    }
    let Some(edits) = navigation::rename(&snapshot.state, offset, new_name) else {
        return Err(Error::invalid_params(format!(
            "{:?} cannot be a model name (no quotes, backslashes or control characters)",
            genai_scope_analysis::diagnostic::bounded(new_name)
        )));
    };
    let edits = edits.iter().map(|e| converter.edit(e)).collect();
    Ok(Some(lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(snapshot.uri.clone(), edits)])),
        ..Default::default()
    }))
}

pub fn links(snapshot: &Snapshot) -> Option<Vec<lsp::DocumentLink>> {
    let (Some(base_dir), Some(root)) = (&snapshot.base_dir, &snapshot.root) else {
        return Some(Vec::new());
    };
    let converter = snapshot.converter();
    let links = navigation::evidence_links(&*snapshot.environment, &snapshot.state, base_dir, root)
        .into_iter()
        .filter_map(|link| {
            Some(lsp::DocumentLink {
                range: converter.range(link.range),
                target: Some(lsp::Uri::from_file_path(&link.target)?),
                tooltip: Some("Open the evidence".into()),
                data: None,
            })
        })
        .collect();
    Some(links)
}
