// Snippet edits in code actions (rust-analyzer's experimental `snippetTextEdit`): the server
// sends them only to a client that announces the capability, so that adding a control selects
// its `due` date and a suppression puts the cursor inside `reason=""`. The language client
// would apply their text literally, so the actions are fetched and their snippet edits turned
// into VS Code's SnippetTextEdit here; VS Code then places the cursor and reveals it. The other
// actions' edits get a command that reveals them (revealEdits.ts).
import * as vscode from 'vscode';
import {
  CodeActionRequest,
  LanguageClient,
  Middleware,
  StaticFeature,
} from 'vscode-languageclient/node';
import { revealAfterApplying } from './revealEdits';

/** `InsertTextFormat.Snippet`. */
const SNIPPET = 2;

interface SnippetTextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
  insertTextFormat?: number;
}

interface DocumentChange {
  textDocument?: { uri: string };
  edits?: SnippetTextEdit[];
}

/** Announces that this client applies snippet text edits. */
export const snippetEditsFeature: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = { ...(capabilities.experimental ?? {}), snippetTextEdit: true };
  },
  initialize() {},
  getState: () => ({ kind: 'static' }),
  clear() {},
};

/** Rebuilds the edit of each action whose edits are snippets. */
export function snippetEditsMiddleware(client: () => LanguageClient | undefined): Middleware {
  return {
    async provideCodeActions(document, range, context, token, next) {
      const c = client();
      if (!c) return next(document, range, context, token);
      const params = {
        textDocument: c.code2ProtocolConverter.asTextDocumentIdentifier(document),
        range: c.code2ProtocolConverter.asRange(range),
        context: await c.code2ProtocolConverter.asCodeActionContext(context, token),
      };
      const result = await c.sendRequest(CodeActionRequest.type, params, token);
      if (!result) return result;
      const actions = (await c.protocol2CodeConverter.asCodeActionResult(result, token)) ?? [];
      result.forEach((item, index) => {
        const action = actions[index];
        const changes = (item as { edit?: { documentChanges?: DocumentChange[] } }).edit
          ?.documentChanges;
        if (!(action instanceof vscode.CodeAction)) return;
        const snippets = changes?.some((d) => d.edits?.some((e) => e.insertTextFormat === SNIPPET));
        if (!changes || !snippets) {
          revealAfterApplying(action, document);
          return;
        }
        const edit = new vscode.WorkspaceEdit();
        for (const change of changes) {
          if (!change.textDocument || !change.edits) continue;
          const uri = c.protocol2CodeConverter.asUri(change.textDocument.uri);
          edit.set(
            uri,
            change.edits.map((e) => {
              const at = c.protocol2CodeConverter.asRange(e.range);
              if (e.insertTextFormat !== SNIPPET) return new vscode.TextEdit(at, e.newText);
              const snippet = new vscode.SnippetTextEdit(at, new vscode.SnippetString(e.newText));
              // The server indents the block already; VS Code would add the line's indentation
              // again to each line (and leave it on the blank line before the block).
              snippet.keepWhitespace = true;
              return snippet;
            }),
          );
        }
        action.edit = edit;
      });
      return actions;
    },
  };
}
