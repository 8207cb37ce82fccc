// `--baseline FILE`: known failures recorded once, so a big docs site can turn the gate on today and fail only on
// new ones. An entry is a page, a stable block key and a rule id, with how many such errors were known. The key is
// a hash of the block's code, not its id: a block id (`docs/a.md#L12-L20`) is its fence lines, which change as soon
// as a line is added above it; the code hash survives the block moving and changes when the block itself is edited
// (an edited block is judged afresh). The id at recording time is kept in the entry for people reading the file. Matching errors stay in the report, demoted to
// warnings marked `baselined`; entries that no longer fail are reported as removable. `--update-baseline` only
// ever shrinks the file (new failures are added only with --force).
import { createHash } from "node:crypto";
import fs from "node:fs";
import { ConfigError } from "./errors.js";
import { SUGGESTION_BUDGET_CODES } from "./expect.js";
import type { BaselineEntry, BaselineOutcome, CodeBlock, Finding } from "./types.js";

export type { BaselineEntry, BaselineOutcome };
import { writeFileAtomic } from "./util/fs.js";

export interface BaselineFile {
  version: 1;
  entries: BaselineEntry[];
}

/** Block id → stable key: a hash of the code; a repeated identical block on the same page gets `~2`, `~3` … */
export function blockKeys(blocks: readonly CodeBlock[]): Map<string, string> {
  const keys = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const b of blocks) {
    const hash = createHash("sha256").update(b.code.replace(/\r\n/g, "\n").trim()).digest("hex").slice(0, 16);
    const n = (seen.get(`${b.page}\0${hash}`) ?? 0) + 1;
    seen.set(`${b.page}\0${hash}`, n);
    keys.set(b.id, n === 1 ? hash : `${hash}~${n}`);
  }
  return keys;
}

/** A known unresolved name matches with or without its "did you mean" (SUGGESTION_BUDGET_CODES); entries keep their code. */
const CANONICAL_RULE: ReadonlyMap<string, string> = new Map(SUGGESTION_BUDGET_CODES.map(([plain, suggested]) => [`ts${suggested}`, `ts${plain}`]));

const keyOf = (page: string, block: string, rule: string) => `${page}\0${block}\0${CANONICAL_RULE.get(rule) ?? rule}`;

export function readBaseline(file: string): BaselineFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(`baseline not found: ${file}`, "create it with --update-baseline (it records today's errors), or fix the --baseline path");
  }
  let data: BaselineFile;
  try {
    data = JSON.parse(text) as BaselineFile;
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`, "restore it from version control or recreate it with --update-baseline");
  }
  if (data?.version !== 1 || !Array.isArray(data.entries) || data.entries.some((e) => typeof e?.page !== "string" || typeof e.block !== "string" || typeof e.rule !== "string" || !(Number.isInteger(e.count) && e.count > 0))) {
    throw new ConfigError(`${file}: not a validate-docs baseline (version 1 with entries of page, block, rule, count)`, "recreate it with --update-baseline");
  }
  return data;
}

/** Today's errors as baseline entries (one per page, block and rule, with its count), sorted for stable diffs. */
export function entriesOf(findings: readonly Finding[], keys: ReadonlyMap<string, string>): BaselineEntry[] {
  const out = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.severity !== "error" && !f.baselined) continue;
    const block = (f.blockId && keys.get(f.blockId)) || "";
    const k = keyOf(f.page, block, f.ruleId);
    const e = out.get(k);
    if (e) e.count++;
    else out.set(k, { page: f.page, block, rule: f.ruleId, count: 1, ...(f.blockId ? { id: f.blockId } : {}), line: f.place.start.line, message: f.message.split("\n")[0]!.slice(0, 200) });
  }
  return sortEntries([...out.values()]);
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  return entries.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.block < b.block ? -1 : 1));
}

/** Demotes known errors to warnings marked `baselined`; `checked` are the pages of this run (for removable). */
export function applyBaseline(
  findings: Finding[],
  keys: ReadonlyMap<string, string>,
  baseline: BaselineFile,
  file: string,
  checked: ReadonlySet<string>,
): { findings: Finding[]; outcome: BaselineOutcome } {
  const left = new Map(baseline.entries.map((e) => [keyOf(e.page, e.block, e.rule), e.count]));
  let suppressed = 0;
  const out = findings.map((f) => {
    if (f.severity !== "error") return f;
    const k = keyOf(f.page, (f.blockId && keys.get(f.blockId)) || "", f.ruleId);
    const n = left.get(k) ?? 0;
    if (n <= 0) return f;
    left.set(k, n - 1);
    suppressed++;
    return { ...f, severity: "warning" as const, baselined: true as const };
  });
  const removable: BaselineEntry[] = [];
  for (const e of baseline.entries) {
    const n = left.get(keyOf(e.page, e.block, e.rule)) ?? 0;
    if (n > 0 && checked.has(e.page)) removable.push({ ...e, count: n });
  }
  return { findings: out, outcome: { file, suppressed, removable } };
}

/**
 * The baseline after this run: entries of checked pages shrink to what still fails; entries of pages this run did
 * not check are kept as they were; new failures are added only with `force`. Returns the counts of the change.
 */
export function updateBaseline(
  previous: BaselineFile | undefined,
  current: BaselineEntry[],
  checked: ReadonlySet<string>,
  force: boolean,
): { file: BaselineFile; removed: number; added: number; notAdded: number } {
  const now = new Map(current.map((e) => [keyOf(e.page, e.block, e.rule), e]));
  const entries: BaselineEntry[] = [];
  let removed = 0;
  let added = 0;
  let notAdded = 0;
  const known = new Set<string>();
  for (const e of previous?.entries ?? []) {
    const k = keyOf(e.page, e.block, e.rule);
    known.add(k);
    if (!checked.has(e.page)) {
      entries.push(e);
      continue;
    }
    const cur = now.get(k);
    const keep = Math.min(e.count, cur?.count ?? 0);
    const grow = force && cur ? cur.count - keep : 0;
    removed += e.count - keep;
    if (!force && cur && cur.count > e.count) notAdded += cur.count - e.count;
    added += grow;
    if (keep + grow > 0) entries.push({ ...(cur ?? e), count: keep + grow });
  }
  for (const [k, e] of now) {
    if (known.has(k)) continue;
    // A new baseline records everything; an existing one grows only when asked to.
    if (!previous || force) {
      entries.push(e);
      added += e.count;
    } else notAdded += e.count;
  }
  return { file: { version: 1, entries: sortEntries(entries) }, removed, added, notAdded };
}

export function writeBaseline(file: string, data: BaselineFile): void {
  writeFileAtomic(file, JSON.stringify(data, null, 2) + "\n");
}
