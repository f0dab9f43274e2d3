// Plain edits that show themselves: VS Code applies a code action's or the server's workspace
// edit without scrolling to it, and the controls the server adds land at the end of a
// workload, often off-screen. So the lines that changed are revealed once the edit is applied:
// after "add all" and the source actions (a command run after the edit), and after the server's
// add-missing-controls command (the code lens, the matrix view's links). Snippet edits need none
// of this: VS Code moves the cursor into them.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { ADD_MISSING_CONTROLS_COMMAND } from './reportHtml';
import { changedLines } from './textChange';

/** The command a plain code action runs after its edit: reveals what the edit changed. */
export const REVEAL_CHANGE_COMMAND = 'genaiScope.revealChange';

/** Scrolls the editors showing `uri` to the lines that changed since `before`. */
export function revealChange(uri: unknown, before: unknown): void {
  if (typeof uri !== 'string' || typeof before !== 'string') return;
  const target = vscode.Uri.parse(uri).toString();
  for (const editor of vscode.window.visibleTextEditors) {
    if (editor.document.uri.toString() !== target) continue;
    const lines = changedLines(before, editor.document.getText());
    if (!lines) continue;
    const range = new vscode.Range(lines.start, 0, lines.end, editor.document.lineAt(lines.end).text.length);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

/** Has a plain code action reveal its edit: a command run after it, unless it has one. */
export function revealAfterApplying(action: vscode.CodeAction, document: vscode.TextDocument): void {
  if (!action.edit || action.command) return;
  const touched = action.edit.entries().map(([uri]) => uri.toString());
  if (touched.length !== 1 || touched[0] !== document.uri.toString()) return;
  action.command = {
    title: 'Reveal the change',
    command: REVEAL_CHANGE_COMMAND,
    arguments: [document.uri.toString(), document.getText()],
  };
}

/** Reveals what the server's add-missing-controls command changed (it edits through
 *  workspace/applyEdit, answered before the command returns). */
export const revealAfterCommand: Middleware['executeCommand'] = async (command, args, next) => {
  if (command !== ADD_MISSING_CONTROLS_COMMAND || typeof args[0] !== 'string') return next(command, args);
  const uri = vscode.Uri.parse(args[0]).toString();
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  const before = document?.getText();
  const result = await next(command, args);
  if (before !== undefined) revealChange(uri, before);
  return result;
};
