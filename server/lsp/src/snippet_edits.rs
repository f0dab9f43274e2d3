//! Snippet text edits on the way out. The protocol types have no `insertTextFormat` on a text
//! edit, so the code-action handler marks the actions whose edits are snippets (in `data`) and
//! this adds rust-analyzer's `insertTextFormat: 2` to their edits, removing the mark, before
//! the response is written.

use serde_json::Value;
use tower_lsp_server::jsonrpc::Response;

use crate::handlers::code_action::SNIPPET_MARK;

/// `InsertTextFormat.Snippet`.
const SNIPPET: u64 = 2;

/// A `textDocument/codeAction` response with its marked actions' edits made snippet edits.
pub fn finish_code_actions(response: Response) -> Response {
    let (id, body) = response.into_parts();
    let body = body.map(|mut result| {
        if let Some(actions) = result.as_array_mut() {
            actions.iter_mut().for_each(mark_snippet_edits);
        }
        result
    });
    Response::from_parts(id, body)
}

fn mark_snippet_edits(action: &mut Value) {
    let marked = action
        .get(SNIPPET_MARK_PATH.0)
        .and_then(|data| data.get(SNIPPET_MARK_PATH.1))
        .is_some_and(|mark| mark == &Value::Bool(true));
    if !marked {
        return;
    }
    if let Some(object) = action.as_object_mut() {
        object.remove("data");
    }
    let documents = action
        .pointer_mut("/edit/documentChanges")
        .and_then(Value::as_array_mut);
    for document in documents.into_iter().flatten() {
        let edits = document.get_mut("edits").and_then(Value::as_array_mut);
        for edit in edits.into_iter().flatten() {
            if let Some(edit) = edit.as_object_mut() {
                edit.insert("insertTextFormat".into(), SNIPPET.into());
            }
        }
    }
}

const SNIPPET_MARK_PATH: (&str, &str) = ("data", SNIPPET_MARK);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tower_lsp_server::jsonrpc::Id;

    #[test]
    fn only_marked_actions_get_snippet_edits_and_lose_the_mark() {
        let edit = json!({ "documentChanges": [{
            "textDocument": { "uri": "file:///a.genai", "version": 1 },
            "edits": [{ "range": null, "newText": "owner = \"$1\"" }]
        }]});
        let response = Response::from_ok(
            Id::Number(1),
            json!([
                { "title": "marked", "edit": edit, "data": { SNIPPET_MARK: true } },
                { "title": "plain", "edit": edit },
            ]),
        );
        let finished = finish_code_actions(response);
        let result = finished.result().unwrap();
        assert_eq!(
            result[0]["edit"]["documentChanges"][0]["edits"][0]["insertTextFormat"],
            2
        );
        assert!(result[0].get("data").is_none());
        assert!(
            result[1]["edit"]["documentChanges"][0]["edits"][0]
                .get("insertTextFormat")
                .is_none()
        );
    }
}
