// The run stage: transpile every runnable block once, run each page in a fresh worker thread of a runner process or,
// when it needs one, a fresh process (src/run/isolate.ts), judge the results.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ResolvedSandbox } from "../config-types.js";
import { fencePlace } from "../extract/position.js";
import type { CodeBlock, Finding, Page } from "../types.js";
import { maskCutText, maskDeep, maskSecrets, maskText, secretValues } from "../secrets.js";
import { startRunGuard } from "./cleanup.js";
import { childEnv } from "./env.js";
import { RUN_TOKEN_ENV } from "./strays.js";
import { interpretPage, type PageContext } from "./findings.js";
import { isolationOf, type Isolation } from "./isolate.js";
import { disposeRunners, harnessPath, isLightPage, runPool, STDERR_TAIL, type PageJob, type PageRun, type RunnerStash, type Sandbox } from "./pool.js";
import type { BlockIndex } from "./stack.js";
import { transpile, type TranspiledBlock, type TranspileResult } from "./transpile.js";
import { isRunnable } from "./runnable.js";

export { isRunnable };
import type { PlannedSubstitute } from "../grade/placeholders.js";
import type { RunSyntax } from "./syntax.js";
import type { DomSpec } from "./dom.js";
import { publicSubstitutes, rejectedSubstitute, substituteEnv } from "./placeholders.js";

export { outputEdit } from "./update.js";

export interface PageToRun {
  page: Page;
  /** The page's blocks in page order; skipped and `no-run` blocks are filtered here. */
  blocks: CodeBlock[];
  /** The page's tsconfig (its package's, see src/typecheck/tsconfig-of.ts); absent: RunOptions.tsconfig. */
  tsconfig?: string;
  /** Block id → the placeholders its run replaces with neutral values (src/grade/placeholders.ts). */
  substitutes?: Record<string, PlannedSubstitute[]>;
  /**
   * Block id → what the run needs of its syntax (src/run/syntax.ts `runSyntaxOf`), read where the compiler is loaded
   * anyway (the pipeline's main thread) so the run stage's thread need not load it; absent: read here.
   */
  syntax?: Record<string, RunSyntax>;
  /** `env=browser`: the DOM implementation the page resolves, and the ids of the blocks that run under it. */
  dom?: DomSpec;
  browser?: string[];
}

export interface RunOptions {
  root: string;
  /** The user's tsconfig (absolute), honoured when stripping types (jsx, decorators, paths), for pages that name none. */
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
  /** Allowed hosts (see src/runtime/network.ts); default none. */
  network?: string[];
  /** The permission sandbox (config default: on); absent or false: off. */
  sandbox?: ResolvedSandbox | false;
  /** `worker` (default): a fresh thread per page in long-lived runner processes, a process only for pages that need one; `process`: a process per page. */
  isolate?: Isolation;
  /**
   * After a block that ends its page early (exit, network, timeout, a placeholder the library rejects), run the
   * blocks after it on in a fresh process with the page context of the blocks before it (see continuationOf).
   * The CLI turns it on (not under --bail); off, the rest of the page is not run.
   */
  continueAfterEnd?: boolean;
}

/** Every node_modules directory module resolution may read from `dir` upward. */
function nodeModulesAbove(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    out.push(path.join(d, "node_modules"));
    if (path.dirname(d) === d) break;
  }
  return out;
}

/**
 * Real paths of the packages a node_modules dir links to (npm link, workspaces, pnpm): Node loads a symlinked
 * package from its real path, which may lie outside the project.
 */
function linkedPackages(nodeModules: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isSymbolicLink()) {
        try {
          out.push(fs.realpathSync(full));
        } catch {
          /* dangling link */
        }
      } else if (depth === 0 && e.isDirectory() && e.name.startsWith("@")) visit(full, 1);
    }
  };
  visit(nodeModules, 0);
  return out;
}

/** What the `sandbox` attributes of a page's blocks allow its process (all blocks of a page share one process). */
function pageAllowances(blocks: CodeBlock[]): { allow?: PageJob["allow"] } {
  const asked = new Set(blocks.flatMap((b) => b.attrs.sandbox ?? []));
  if (asked.size === 0) return {};
  return { allow: { childProcess: asked.has("child-process"), workers: asked.has("workers"), addons: asked.has("addons") } };
}

/** What a sandboxed page process may read and write, besides its own temp dir. */
function sandboxPaths(sandbox: ResolvedSandbox, root: string, transpiled: TranspiledBlock[]): Sandbox {
  // A page of a workspace package (or of a folder with its own node_modules) resolves from that folder
  // (<package>/.validate-docs/run-…/p<N>/b<M>.mjs, src/run/transpile.ts packageDir).
  const packages = new Set([root, ...transpiled.map((t) => path.dirname(path.dirname(path.dirname(path.dirname(fileURLToPath(t.url))))))]);
  const modules = [...new Set([...packages].flatMap(nodeModulesAbove))];
  const read = new Set<string>([root, ...modules, ...modules.flatMap(linkedPackages), ...sandbox.read]);
  // The harness (dist/src/runtime → dist/src) and the transpiled blocks (<run dir>/p<N>/b<M>.mjs).
  read.add(path.dirname(path.dirname(harnessPath())));
  for (const t of transpiled) read.add(path.dirname(path.dirname(fileURLToPath(t.url))));
  return { ...sandbox, read: [...read], write: [...sandbox.write] };
}

export interface RunOutcome {
  findings: Finding[];
  /** Ids of blocks that started running. */
  ran: Set<string>;
  /** Block id → captured stdout (bounded), for API consumers and reports that show what an example printed. */
  outputs: Map<string, string>;
}

/** A page's run with every secret masked, including a secret's piece where a capture limit or the kept stderr tail cut it. */
export function maskRun(run: PageRun, secrets: readonly string[]): PageRun {
  if (!secrets.length) return run;
  const messages = run.messages.map((m) => {
    const masked = maskDeep(m, secrets);
    if (masked.t === "end") {
      if (masked.stdout.truncated) masked.stdout.text = maskCutText(masked.stdout.text, secrets, { cutEnd: true });
      if (masked.stderr.truncated) masked.stderr.text = maskCutText(masked.stderr.text, secrets, { cutEnd: true });
    }
    return masked;
  });
  return { ...run, messages, stderrTail: maskCutText(run.stderrTail, secrets, { cutStart: run.stderrTail.length >= STDERR_TAIL }) };
}

/** One process of a page: blocks in run order, and the blocks whose results it reports (the others set up context). */
export interface Lane {
  blocks: CodeBlock[];
  owned: Set<string>;
  /** The page's sequence (not a lane of a later alternative). */
  primary?: true;
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
  const lanes: Lane[] = [{ blocks: ordered, owned: new Set(ordered.map((b) => b.id)), primary: true }];
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

/**
 * How the caller steers a run stage on its own thread (src/run/threaded.ts): `gate`, pages start once it settles
 * (their runners and processes start before); `signal`, once aborted no further page starts; `started`, called once
 * the first pages' runners and processes are started.
 */
export interface StageControl {
  gate?: Promise<unknown>;
  signal?: AbortSignal;
  started?: () => void;
}

/** `onPageDone` is called as each page's last process ends (progress); a page --bail never starts is never done. */
export async function runPages(pages: PageToRun[], options: RunOptions, onPageDone?: () => void, control: StageControl = {}): Promise<RunOutcome> {
  const syntax = new Map<PageToRun, Record<string, RunSyntax>>();
  for (const p of pages) {
    // A caller that did not read the syntax (a direct caller of runPages): read it here, loading the compiler.
    syntax.set(p, p.syntax ?? (await import("./syntax.js")).runSyntaxOf(p.blocks));
  }
  const selected: SelectedLane[] = pages
    .flatMap((p) =>
      lanesOf(p.blocks.filter(isRunnable)).map((lane) => ({
        page: p.page,
        blocks: lane.blocks,
        owned: lane.owned,
        ...(lane.primary ? { primary: true as const } : {}),
        tsconfig: p.tsconfig ?? options.tsconfig,
        substitutes: p.substitutes ?? {},
        syntax: syntax.get(p)!,
        dom: p.dom,
        browser: new Set(p.browser ?? []),
      })),
    )
    .filter((p) => p.blocks.length > 0);
  const findings: Finding[] = [];
  const ran = new Set<string>();
  const outputs = new Map<string, string>();
  if (selected.length === 0) return { findings, ran, outputs };

  const secrets = secretValues();
  const guard = startRunGuard();
  const resumes = Boolean(options.continueAfterEnd) && !options.bail;
  const reportedTranspile = new Set<string>();
  const baseEnvNames = Object.keys(childEnv(process.env, options.passEnv, options.env));
  /** Lanes still to end per page (a page runs in one process per lane, plus one per continuation). */
  const lanesLeft = new Map<string, number>();
  // With continuations, a page's alternative lanes wait for the end of its sequence's rounds and leave out the blocks
  // that ended it (see inheritedStops), instead of finding the same stops again, one fresh thread per stop.
  const primaryStops = new Map<string, PrimaryStop[]>();
  const waiting = new Map<string, SelectedLane[]>();
  if (resumes) {
    const primaries = new Set(selected.filter((l) => l.primary).map((l) => l.page.path));
    for (const l of selected) {
      if (l.primary || !primaries.has(l.page.path)) continue;
      waiting.set(l.page.path, [...(waiting.get(l.page.path) ?? []), l]);
      // Counted now, so that the page is not done before they have run.
      lanesLeft.set(l.page.path, (lanesLeft.get(l.page.path) ?? 0) + 1);
      l.counted = true;
    }
  }
  // Built once for every round: a continuation runs the blocks of its lane (less the ones left out), so it imports
  // the modules its lane was built into; the runner processes (whose sandbox reads the build) serve every round too.
  let built: TranspileResult | undefined;
  const runners: RunnerStash = { idle: [] };
  try {
    built = await transpile(
      options.root,
      selected.map((p) => ({ pageAbs: p.page.abs, page: p.page.path, blocks: p.blocks, substitutes: p.substitutes, syntax: p.syntax, ...(p.tsconfig ? { tsconfig: p.tsconfig } : {}) })),
    );
    const pagesBuilt = built.pages;
    selected.forEach((p, i) => (p.built = pagesBuilt[i]!));
    const sandbox = options.sandbox
      ? sandboxPaths(options.sandbox, options.root, pagesBuilt.flatMap((b) => b.blocks.filter((r): r is TranspiledBlock => !("errors" in r))))
      : undefined;
    // A block that ends its page early (exits, needs the network, times out, leaves a promise that never settles)
    // does not cost the rest of the page its checks: the blocks after it run on in a fresh thread or process (a
    // continuation), after the blocks before it again for their page context, reporting only the blocks after it.
    // Each continuation leaves out at least one block, so this ends (only with continueAfterEnd, never under --bail).
    // A page's alternative lanes join the round after its sequence's last one (see release).
    let round: SelectedLane[] = selected.filter((l) => !l.counted);
    while (round.length > 0 && !control.signal?.aborted) {
      const next: SelectedLane[] = [];
      await runSelected(round, next, sandbox, runners);
      round = next;
    }
  } finally {
    await disposeRunners(runners);
    built?.cleanup();
    guard.end();
  }

  // Masked here too, so a direct caller of runPages never sees a secret either.
  for (const [id, text] of outputs) outputs.set(id, maskText(text, secrets));
  return { findings: maskSecrets(findings, secrets), ran, outputs };

  async function runSelected(selected: SelectedLane[], continuations: SelectedLane[], sandbox: Sandbox | undefined, runners: RunnerStash): Promise<void> {
    const contexts: PageContext[] = [];
    const jobs: PageJob[] = [];
    const jobLanes: SelectedLane[] = [];
    const addonCache = new Map<string, boolean>();
    const denyWorkers = Boolean(options.sandbox) && !(options.sandbox && options.sandbox.workers);
    selected.forEach((p, i) => {
      const blocks: CodeBlock[] = [];
      const transpiled: TranspiledBlock[] = [];
      const index: BlockIndex = new Map();
      p.built!.blocks.forEach((result, b) => {
        const block = p.blocks[b]!;
        // A block that ended the page earlier: part of the page context's analysis, never run again.
        if (p.leftOut?.has(block.id)) return;
        if ("errors" in result) {
          if (!p.owned.has(block.id)) return; // reported by the process that owns the block
          if (reportedTranspile.has(block.id)) return; // a continuation prepares it again: reported once
          reportedTranspile.add(block.id);
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
      if (blocks.length === 0) {
        // A continuation counted when it was planned (a waiting alternative lane when it was put aside); it ends here.
        if (p.continuation || p.counted) endLane(p.page.path);
        if (p.primary) release(p.page.path, continuations);
        return;
      }
      const substitutes = new Map(blocks.flatMap((b) => (p.substitutes[b.id] ? [[b.id, publicSubstitutes(p.substitutes[b.id]!)] as const] : [])));
      const all = [...substitutes.values()].flat();
      const env = substituteEnv(blocks.map((b) => p.substitutes[b.id]));
      if (!p.continuation && !p.counted) lanesLeft.set(p.page.path, (lanesLeft.get(p.page.path) ?? 0) + 1);
      jobLanes.push(p);
      // The DOM is made global before the lane's first browser block (blocks before it run in plain Node).
      const firstBrowser = blocks.findIndex((b) => p.browser.has(b.id));
      contexts.push({
        page: p.page,
        blocks,
        transpiled,
        index,
        root: options.root,
        memoryLimit: options.memoryLimit,
        policy: { warnings: options.warnings, allowWarnings: options.allowWarnings },
        owned: p.owned,
        substitutes,
        resumes,
        envNames: new Set([...baseEnvNames, ...Object.keys(env)]),
      });
      jobs.push({
        job: {
          blocks: transpiled.map((t) => ({ key: t.key, url: t.url })),
          network: options.network ?? [],
          ...(Object.keys(env).length ? { env } : {}),
          ...(p.dom && firstBrowser !== -1 ? { dom: { ...p.dom, from: firstBrowser } } : {}),
          ...(denyWorkers ? { denyWorkers } : {}),
        },
        isolate: isolationOf(options.isolate ?? "worker", blocks, path.dirname(p.page.abs), addonCache),
        light: isLightPage(blocks.map((b) => b.code), Boolean(p.dom && firstBrowser !== -1)),
        timeouts: blocks.map((b) => b.attrs.timeout ?? options.timeout),
        ...pageAllowances(blocks),
        // The library rejected a neutral value: the page stops there, as at a network call (src/run/placeholders.ts).
        ...(all.length ? { rejects: (b, error) => blocks[b]?.attrs.expectThrow === undefined && rejectedSubstitute(error, all) !== undefined } : {}),
      });
    });
    // A page none of whose blocks could be prepared is done already.
    for (const p of new Set(selected.filter((s) => !s.continuation && !s.counted).map((s) => s.page.path))) if (!lanesLeft.has(p)) onPageDone?.();

    await runPool(jobs, {
      concurrency: options.concurrency,
      memoryLimit: options.memoryLimit,
      env: { ...childEnv(process.env, options.passEnv, options.env), [RUN_TOKEN_ENV]: guard.token },
      ...(sandbox ? { sandbox } : {}),
      ...control,
      runners,
      onPage: (i, run) => {
        const ctx = contexts[i]!;
        // Masked before findings quote (and cut) any of it: a secret cut at 300 characters would leak its start.
        const verdict = interpretPage(ctx, maskRun(run, secrets));
        // A process that re-runs a page's context for an alternative reports only that alternative.
        const own = verdict.findings.filter((f) => !f.blockId || ctx.owned.has(f.blockId));
        findings.push(...own);
        for (const id of verdict.ran) if (ctx.owned.has(id)) ran.add(id);
        for (const [id, text] of verdict.outputs) if (ctx.owned.has(id)) outputs.set(id, text);
        const lane = jobLanes[i]!;
        const continuation = !resumes || verdict.endedAt === undefined ? undefined : continuationOf(lane, ctx.blocks[verdict.endedAt]!.id);
        if (continuation) {
          continuations.push(continuation);
          lanesLeft.set(ctx.page.path, lanesLeft.get(ctx.page.path)! + 1);
        }
        if (lane.primary && waiting.has(ctx.page.path)) {
          // Only stops that the example itself decides (a blocked network call, a rejected placeholder), not the clock's.
          if (verdict.endedAt !== undefined && (run.ending.kind === "network" || run.ending.kind === "placeholder")) {
            const stops = primaryStops.get(ctx.page.path) ?? [];
            stops.push({ id: ctx.blocks[verdict.endedAt]!.id, before: ctx.blocks.slice(0, verdict.endedAt).map((b) => b.id) });
            primaryStops.set(ctx.page.path, stops);
          }
          if (!continuation) release(ctx.page.path, continuations);
        }
        endLane(ctx.page.path);
        return Boolean(options.bail) && own.some((f) => f.severity === "error");
      },
    });
  }

  /** The page's sequence has had its last round: its alternative lanes run next, without the stops it found. */
  function release(page: string, next: SelectedLane[]): void {
    const lanes = waiting.get(page);
    if (!lanes) return;
    waiting.delete(page);
    const stops = primaryStops.get(page) ?? [];
    for (const lane of lanes) {
      const runs = (id: string): boolean => {
        const b = lane.blocks.findIndex((x) => x.id === id);
        return b !== -1 && !("errors" in lane.built!.blocks[b]!);
      };
      const inherited = inheritedStops(stops, lane, runs);
      next.push(inherited.size > 0 ? { ...lane, leftOut: new Set([...(lane.leftOut ?? []), ...inherited]) } : lane);
    }
  }

  function endLane(page: string): void {
    const left = lanesLeft.get(page)! - 1;
    lanesLeft.set(page, left);
    if (left === 0) onPageDone?.();
  }
}

type SelectedLane = Lane & {
  page: Page;
  tsconfig?: string | undefined;
  substitutes: Record<string, PlannedSubstitute[]>;
  syntax: Record<string, RunSyntax>;
  dom?: DomSpec | undefined;
  browser: Set<string>;
  /** A lane that runs the blocks after one that ended its page early (planned by continuationOf). */
  continuation?: true;
  /** Blocks of the lane that ended it before: transpiled for the page context of the others, not run. */
  leftOut?: Set<string>;
  /** The lane's modules, built once (a continuation keeps its lane's). */
  built?: TranspileResult["pages"][number];
  /** Counted in its page's lanes to end before it runs (an alternative lane waiting for its page's sequence). */
  counted?: true;
};

/** A block that ended a round of a page's sequence, and the blocks that ran before it in that round (ids, in order). */
export interface PrimaryStop {
  id: string;
  before: string[];
}

/**
 * The stops of the page's sequence (in the order its rounds found them) that an alternative lane leaves out from the
 * start. The lane's blocks before such a stop are exactly the blocks that ran before it in the sequence's round
 * (same modules of the same page, in the same order, in a fresh thread), so it would end there too, and a round of
 * its own would only find it again. Taken in order, up to the first stop where the lane's blocks before it differ
 * (another alternative before it, a block the sequence left out that the lane runs) or that the lane reports itself.
 * `runs`: whether a block of the lane runs at all (one that could not be prepared is not in either round).
 */
export function inheritedStops(stops: readonly PrimaryStop[], lane: Lane & { leftOut?: ReadonlySet<string> }, runs: (id: string) => boolean): Set<string> {
  const inherited = new Set<string>();
  let sequence = lane.blocks.map((b) => b.id).filter((id) => !lane.leftOut?.has(id) && runs(id));
  for (const stop of stops) {
    const at = sequence.indexOf(stop.id);
    if (at === -1 || lane.owned.has(stop.id)) break;
    if (at !== stop.before.length || stop.before.some((id, i) => sequence[i] !== id)) break;
    inherited.add(stop.id);
    sequence = sequence.filter((id) => id !== stop.id);
  }
  return inherited;
}

/**
 * The lane that runs on after `endedId` ended `lane` early: every block of the lane but that one (the blocks before
 * it again, for their page context), reporting only the blocks after it that the lane reported. A block that uses
 * what the left-out block declares is then not run (run/context-not-run), never run against a missing value.
 */
export function continuationOf<L extends Lane & { leftOut?: Set<string> }>(lane: L, endedId: string): (L & { continuation: true; leftOut: Set<string> }) | undefined {
  const k = lane.blocks.findIndex((b) => b.id === endedId);
  if (k === -1) return undefined;
  const after = lane.blocks.slice(k + 1).filter((b) => lane.owned.has(b.id));
  if (after.length === 0) return undefined;
  // The left-out block stays in the lane, so that what it declares is known as page context that is not there.
  return { ...lane, owned: new Set(after.map((b) => b.id)), leftOut: new Set([...(lane.leftOut ?? []), endedId]), continuation: true };
}
