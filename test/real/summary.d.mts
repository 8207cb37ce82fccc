// Types for summary.mjs (plain JS so that measure.mjs runs with node alone).
export interface BlockLevel {
  level: string;
  reason: string;
}
export interface PageSummary {
  counts: Record<string, number>;
  blocks: number;
  status: Record<string, number>;
  levels: Record<string, number>;
  reasons: Record<string, number>;
  findings: Record<string, number>;
}
export interface SetNumbers {
  pages: number;
  fences: number;
  blocks: number;
  blocksWithError: number;
  reachedTypecheck: number;
  typecheckClean: number;
  errors: number;
  internal: number;
  unaccounted: number;
  maxOneCode: { count: number; ruleId: string; blockId: string };
  byLevel: Record<string, number>;
  byReason: Record<string, number>;
  errorsByCode: Record<string, number>;
}
export function blockLevel(block: any, findings: any[]): BlockLevel;
export function reachedTypecheck(level: string): boolean;
export function levelSource(report: any): string;
export function pageSummary(page: any): PageSummary;
export function summarize(report: any): SetNumbers;
