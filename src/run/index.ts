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

export async function runPages(pages: PageToRun[], options: RunOptions): Promise<RunOutcome> {
  const selected = pages.map((p) => ({ page: p.page, blocks: p.blocks.filter(isRunnable) })).filter((p) => p.blocks.length > 0);
  const findings: Finding[] = [];
  const ran = new Set<string>();
  const outputs = new Map<string, string>();
  if (selected.length === 0) return { findings, ran, outputs };

  const built = await transpile(options.root, selected.map((p) => ({ pageAbs: p.page.abs, blocks: p.blocks })), options.tsconfig);
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
        index.set(result.key, block);
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
        const verdict = interpretPage(contexts[i]!, run);
        findings.push(...verdict.findings);
        for (const id of verdict.ran) ran.add(id);
        for (const [id, text] of verdict.outputs) outputs.set(id, text);
        return Boolean(options.bail) && verdict.findings.some((f) => f.severity === "error");
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
