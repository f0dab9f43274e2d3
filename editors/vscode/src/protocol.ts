// The server's custom request `genaiScope/workloads` (see editors/vscode/README.md).

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

export const SCOPES: ReadonlyArray<{ n: number; name: string; tagline: string; side: 'Buy' | 'Build' }> = [
  { n: 1, name: 'Consumer app', tagline: 'Using public generative AI services', side: 'Buy' },
  { n: 2, name: 'Enterprise app', tagline: 'Using an app or SaaS with generative AI features', side: 'Buy' },
  { n: 3, name: 'Pre-trained models', tagline: 'Building your app on a versioned third-party model', side: 'Build' },
  { n: 4, name: 'Fine-tuned models', tagline: 'Fine-tuning a third-party model on your data', side: 'Build' },
  { n: 5, name: 'Self-trained models', tagline: 'Training a model from scratch on your data', side: 'Build' },
];

/** The workload whose block contains the (0-based) line, else the first one. */
export function workloadAt(result: WorkloadsResult | undefined, line: number | undefined): WorkloadInfo | undefined {
  const all = result?.workloads ?? [];
  if (line !== undefined) {
    const hit = all.find((w) => w.range && w.range.start.line <= line && line <= w.range.end.line);
    if (hit) return hit;
  }
  return all[0];
}
