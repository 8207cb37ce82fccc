// The run stage: transpile every runnable block once, run each page in a fresh process, judge the results.
import { fencePlace } from "../extract/position.js";
import type { CodeBlock, Finding, Page } from "../types.js";
import { maskSecrets, maskText, secretValues } from "../secrets.js";
import { childEnv } from "./env.js";
import { interpretPage, type PageContext } from "./findings.js";
import { runPool, type PageJob } from "./pool.js";
import type { BlockIndex } from "./stack.js";
import { transpile, type TranspiledBlock } from "./transpile.js";

export { outputEdit } from "./update.js";

export interface PageToRun {
  page: Page;
  /** The page's blocks in page order; skipped and `no-run` blocks are filtered here. */
  blocks: CodeBlock[];
}

export interface RunOptions {
  root: string;
  /** The user's tsconfig (absolute), honoured when stripping types (jsx, decorators, paths). */
  tsconfig?: string;
  /** Default per-block timeout, ms. */
  timeout: number;
  concurrency: number;
  /** MB per page process. */
  memoryLimit: number;
  warnings: "error" | "warn" | "off";
  allowWarnings: string[];
  env: Record<string, string>;
  passEnv: string[];
  /** `--bail`: once a page's run has an error, start no further page. */
  bail?: boolean;
}

export interface RunOutcome {
  findings: Finding[];
  /** Ids of blocks that started running. */
  ran: Set<string>;
  /** Block id → captured stdout (bounded), for API consumers and reports that show what an example printed. */
  outputs: Map<string, string>;
}

export function isRunnable(block: CodeBlock): boolean {
  return block.attrs.skip === undefined && !block.attrs.noRun;
}

/** One process of a page: blocks in run order, and the blocks whose results it reports (the others set up context). */
export interface Lane {
  blocks: CodeBlock[];
  owned: Set<string>;
}

/**
 * The processes a page runs in. The page's sequence (setup first, then every block that is not a second
 * alternative) runs in one process. Each other alternative (a JS tab next to a TS tab) runs in a process of its
 * own after the blocks it sees, so two tabs that each start an SDK never share a process; alternatives of the
 * same lane in consecutive groups share one.
 */
export function lanesOf(blocks: readonly CodeBlock[]): Lane[] {
  const byId = new Map(blocks.map((b) => [b.id, b]));
  const primary = blocks.filter((b) => !b.alternative || b.alternative.first);
  const ordered = [...primary.filter((b) => b.attrs.setup), ...primary.filter((b) => !b.attrs.setup)];
  const lanes: Lane[] = [{ blocks: ordered, owned: new Set(ordered.map((b) => b.id)) }];
  for (const b of blocks) {
    if (!b.alternative || b.alternative.first) continue;
    const before = b.context.map((id) => byId.get(id)).filter((x): x is CodeBlock => x !== undefined);
    const lane = lanes.slice(1).find((l) => l.blocks.length <= before.length && l.blocks.every((x, i) => before[i] === x));
    if (lane) {
      lane.blocks.push(...before.slice(lane.blocks.length), b);
      lane.owned.add(b.id);
    } else {
      lanes.push({ blocks: [...before, b], owned: new Set([b.id]) });
    }
  }
  return lanes.filter((l) => l.blocks.length > 0);
}

export async function runPages(pages: PageToRun[], options: RunOptions): Promise<RunOutcome> {
  const selected = pages
    .flatMap((p) => lanesOf(p.blocks.filter(isRunnable)).map((lane) => ({ page: p.page, blocks: lane.blocks, owned: lane.owned })))
    .filter((p) => p.blocks.length > 0);
  const findings: Finding[] = [];
  const ran = new Set<string>();
  const outputs = new Map<string, string>();
  if (selected.length === 0) return { findings, ran, outputs };

  const built = await transpile(options.root, selected.map((p) => ({ pageAbs: p.page.abs, page: p.page.path, blocks: p.blocks })), options.tsconfig);
  try {
    const contexts: PageContext[] = [];
    const jobs: PageJob[] = [];
    selected.forEach((p, i) => {
      const blocks: CodeBlock[] = [];
      const transpiled: TranspiledBlock[] = [];
      const index: BlockIndex = new Map();
      built.pages[i]!.blocks.forEach((result, b) => {
        const block = p.blocks[b]!;
        if ("errors" in result) {
          if (!p.owned.has(block.id)) return; // reported by the process that owns the block
          const text = result.errors.map((e) => e.text).join("; ");
          findings.push({
            stage: "run",
            ruleId: "run/transpile",
            severity: "error",
            message: `The block could not be prepared to run: ${text}. Fix the syntax or the import path (relative imports resolve from the page's directory).`,
            page: p.page.path,
            blockId: block.id,
            place: fencePlace(block),
          });
          return;
        }
        index.set(result.key, { block, ...(result.preludeLine !== undefined ? { preludeLine: result.preludeLine } : {}) });
        blocks.push(block);
        transpiled.push(result);
      });
      if (blocks.length === 0) return;
      contexts.push({
        page: p.page,
        blocks,
        transpiled,
        index,
        root: options.root,
        memoryLimit: options.memoryLimit,
        policy: { warnings: options.warnings, allowWarnings: options.allowWarnings },
        owned: p.owned,
      });
      jobs.push({
        job: { blocks: transpiled.map((t) => ({ key: t.key, url: t.url })) },
        timeouts: blocks.map((b) => b.attrs.timeout ?? options.timeout),
      });
    });

    await runPool(jobs, {
      concurrency: options.concurrency,
      memoryLimit: options.memoryLimit,
      env: childEnv(process.env, options.passEnv, options.env),
      onPage: (i, run) => {
        const ctx = contexts[i]!;
        const verdict = interpretPage(ctx, run);
        // A process that re-runs a page's context for an alternative reports only that alternative.
        const own = verdict.findings.filter((f) => !f.blockId || ctx.owned.has(f.blockId));
        findings.push(...own);
        for (const id of verdict.ran) if (ctx.owned.has(id)) ran.add(id);
        for (const [id, text] of verdict.outputs) if (ctx.owned.has(id)) outputs.set(id, text);
        return Boolean(options.bail) && own.some((f) => f.severity === "error");
      },
    });
  } finally {
    built.cleanup();
  }

  // Masked here too, so a direct caller of runPages never sees a secret either.
  const secrets = secretValues();
  for (const [id, text] of outputs) outputs.set(id, maskText(text, secrets));
  return { findings: maskSecrets(findings, secrets), ran, outputs };
}
