// Which lines an edit changed, from the text before and after it (no VS Code API: unit-tested).

/** The lines of `after` (first and last, 0-based) that differ from `before`, or undefined when
 *  the two are equal. A common prefix and suffix of whole lines are left out. */
export function changedLines(before: string, after: string): { start: number; end: number } | undefined {
  if (before === after) return undefined;
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  // A pure deletion leaves no line of its own: show where it was.
  return { start: Math.min(start, b.length - 1), end: Math.max(Math.min(endB, b.length - 1), start) };
}
