// The server's custom requests `genaiScope/workloads` and `genaiScope/report` (see
// editors/vscode/README.md).

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export type ControlStatus = 'implemented' | 'planned' | 'not_applicable' | 'missing' | 'not_required';

export interface ControlInfo {
  id: string;
  title: string;
  required: boolean;
  status: ControlStatus;
}

export interface DisciplineInfo {
  id: string;
  name: string;
  required: number;
  implemented: number;
  planned: number;
  notApplicable: number;
  missing: number;
  controls: ControlInfo[];
}

export interface WorkloadInfo {
  name: string;
  range: LspRange;
  declaredScope: number | null;
  inferredScope: number | null;
  scopeName: string | null;
  reasons: string[];
  disciplines: DisciplineInfo[];
}

export interface WorkloadsResult {
  workloads: WorkloadInfo[];
}

export const WORKLOADS_METHOD = 'genaiScope/workloads';

export type ReportFormat = 'html' | 'markdown';

/** `genaiScope/report`: the document's report exactly as `genai-scope report FILE` renders it
 *  (`html`: one self-contained page, inline CSS, no script). */
export interface ReportParams {
  textDocument: { uri: string };
  format?: ReportFormat;
}

export interface ReportResult {
  format: ReportFormat;
  content: string;
}

export const REPORT_METHOD = 'genaiScope/report';

/** The workload whose block contains the (0-based) line, else the first one. */
export function workloadAt(result: WorkloadsResult | undefined, line: number | undefined): WorkloadInfo | undefined {
  const all = result?.workloads ?? [];
  if (line !== undefined) {
    const hit = all.find((w) => w.range && w.range.start.line <= line && line <= w.range.end.line);
    if (hit) return hit;
  }
  return all[0];
}
