// The only orchestrator and the one entry point, `check(config, options)` (CLI, API, template gate, watch).
//
//   discover (globs) + rendered template pages (each with its origin map)
//     → extract (complete, frozen CodeBlocks: attributes, positions, format, page context)
//     → grade (what each block is, its level cap)
//     → analyze: typecheck + lint (worker thread, one program per tsconfig group)  ∥  run (runner processes)
//       (the result cache answers for unchanged blocks and pages)
//     → merge per page → PageResult[] (+ template groups) → CheckResult
//
// The merge step drops echoes, folds findings to one per cause, applies expectations, disables, the baseline and
// secret masking, attaches `origin` to every finding on a rendered template page and groups them per template line.
// docs/architecture.md has the full picture. Stages are pure functions of blocks (+ config); this file only wires
// them, keeps timings and records the level each block reached.
import fs from "node:fs";
import path from "node:path";
import { VERSION } from "./version.js";
import { importsLocalCode, localImports } from "./changed.js";
import { collapseUnbuilt } from "./unbuilt.js";
import picomatch from "picomatch";
import type { ContextMode, ResolvedConfig } from "./config-types.js";
import { applyBaseline, blockKeys, entriesOf, readBaseline, updateBaseline, type BaselineFile } from "./baseline.js";
import { toPosix } from "./util/paths.js";
import { noProgress, type Progress } from "./progress.js";
import { discover } from "./discover.js";
import { UsageError } from "./errors.js";
import { applyExpectations } from "./expect.js";
import { extract, type ExtractResult } from "./extract/index.js";
import { foldFindings } from "./grade/fold.js";
import { setAsideTypeOnly } from "./grade/type-only.js";
import { classify, type Classification } from "./grade/classify.js";
import { fragmentReferenceErrors, setAsideUndeclared } from "./grade/undeclared.js";
import { countGrade, emptyLevels, gradeBlock, isExplicitStop, levelCapper, strictFinding, type Grade } from "./grade/levels.js";
import { applyDisables } from "./disable.js";
import { loadPlugins, ruleRegistry, validateRules } from "./lint/index.js";
import { resolveRules } from "./lint/config.js";
import { neverImportedModules } from "./lint/unused-modules.js";
import type { RunOutcome } from "./run/index.js";
import { isRunnable } from "./run/runnable.js";
import { domResolver, noDomMessage } from "./run/dom.js";
import { fencePlace } from "./extract/position.js";
import { runPagesThreaded } from "./run/threaded.js";
import { runSyntaxOf } from "./run/syntax.js";
import { maskSecrets, secretValues } from "./secrets.js";
import { analyzeThreaded } from "./analyze/threaded.js";
import type { AnalyzeRequest } from "./analyze/index.js";
import { compilerOptionsFor, isProgramBlock, jsMode, typechecks } from "./typecheck/index.js";
import { nativeSetting } from "./typecheck/native-find.js";
import { programGroups, tsconfigResolver, type ProgramGroup } from "./typecheck/tsconfig-of.js";
import { packCheck } from "./pack/index.js";
import { cacheDir, extractKey, isCacheableRun, readEntry, reanchor, ResultCache, writeEntry, type RunEntry } from "./cache/index.js";
import { attachOrigin, groupTemplates } from "./templates/group.js";
import { shardPages } from "./shard.js";
import type { BaselineOutcome, BlockResult, CheckJsMode, CheckName, CheckResult, CodeBlock, Finding, Page, PageResult, ShardInfo, Stage, Summary } from "./types.js";
import { emptyCounts } from "./types.js";

export { VERSION };

export interface CheckOptions {
  /** Positional paths/globs from the command line (relative to `base`); empty → config.include. */
  paths?: string[];
  base?: string;
  /** Extra in-memory pages (rendered template variants, each with its origin map). */
  extraPages?: Page[];
  /** Findings on template files from loading and rendering (stage "template", with an origin). */
  templateFindings?: Finding[];
  /** Only check these page paths (for --changed); undefined = all. */
  only?: Set<string>;
  /** With `only`: the project's code changed too, so pages whose blocks import local code are checked as well. */
  codeChanged?: boolean;
  /** `--shard k/n`: check only this shard's pages (after `only`). */
  shard?: ShardInfo;
  /** Progress on a terminal (src/progress.ts). */
  progress?: Progress;
}

export interface CheckRun {
  result: CheckResult;
  /** Page sources by path (for code frames and rewrites). */
  pages: Map<string, Page>;
  blocks: Map<string, CodeBlock[]>;
  run?: RunOutcome;
  /** `--update-baseline`: the baseline to write (the caller writes it). */
  baselineUpdate?: { file: string; data: BaselineFile };
}

/** Wall-clock timings per stage, carried in the result so reporters stay pure. */
class Stopwatch {
  readonly timings: Record<string, number> = {};
  readonly started = performance.now();
  constructor(readonly progress: Progress = noProgress) {}
  async time<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    // The run stage overlaps the others; progress shows the stage the main thread is in.
    if (name !== "run") this.progress.stage(name);
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.timings[name] = (this.timings[name] ?? 0) + Math.round(performance.now() - t0);
    }
  }
}

/** The one pipeline entry point: everything the CLI, the API and the templates gate do goes through here. */
export async function check(config: ResolvedConfig, options: CheckOptions = {}): Promise<CheckRun> {
  const clock = new Stopwatch(options.progress);
  const explicit = Boolean(options.paths?.length);
  const found = await clock.time("discover", () =>
    discover({
      root: config.root,
      include: explicit ? options.paths! : config.include,
      exclude: config.exclude,
      out: config.out,
      base: explicit ? options.base ?? process.cwd() : config.root,
      explicit,
    }),
  );
  let pages = [...found.pages, ...(options.extraPages ?? [])];
  if (pages.length === 0 && !options.templateFindings?.length) {
    // A gate that checked nothing must not pass silently.
    throw new UsageError(
      `no pages found under ${config.root} (looked for ${config.include.join(", ")})`,
      "run from the project root, pass --root, pass page paths, or set `include` in validate-docs.config",
    );
  }
  if (options.only) {
    const only = options.only;
    const local = options.codeChanged
      ? localImports(config.root, compilerOptionsFor({ root: config.root, tsconfig: config.tsconfig, checkJs: true }))
      : undefined;
    pages = pages.filter((p) => only.has(p.path) || (local !== undefined && importsLocalCode(extract(p).blocks, local)));
  }
  return checkPages(pages, config, [...found.findings, ...(options.templateFindings ?? [])], clock, { subset: Boolean(options.only), shard: options.shard });
}

/**
 * Checks in-memory pages (files already read, or rendered template variants). `early` are findings on files that
 * are not pages to check (an unreadable page from discover, a template file that did not load or render).
 * `subset`: only some of the project's pages are checked (--changed), so a package no checked block imports may
 * well be imported elsewhere and is not reported. `shard`: check only this part of the pages (src/shard.ts).
 */
export async function checkPages(
  pages: Page[],
  config: ResolvedConfig,
  early: Finding[] = [],
  clock = new Stopwatch(),
  scope: { subset?: boolean; shard?: ShardInfo } = {},
): Promise<CheckRun> {
  const time = clock.time.bind(clock);
  const timings = clock.timings;
  const extracted = new Map<string, ExtractResult>();
  // Extract results come from the cache for pages whose text did not change (parsing Markdown is most of a warm run).
  const cacheRoot = config.cache !== false ? cacheDir(config.root) : undefined;
  const extractStats = { hits: 0, misses: 0 };
  await time("extract", () => {
    const contextOf = lastMatch(config.context.map((e) => ({ glob: e.glob, value: e.mode })));
    const envOf = lastMatch(config.environments.map((e) => ({ glob: e.glob, value: e.env })));
    const setupOf = setupMatcher(config);
    for (const page of pages) {
      const env = envOf(page.path);
      const options = { context: contextOf(page.path), setupFiles: setupOf(page.path), ...(env ? { env } : {}) };
      const key = cacheRoot === undefined ? undefined : extractKey(page, options);
      const hit = key === undefined ? undefined : readEntry<ExtractResult>(cacheRoot!, key);
      const result = hit ?? extract(page, options);
      if (key !== undefined) {
        if (hit) extractStats.hits++;
        else {
          extractStats.misses++;
          writeEntry(cacheRoot!, key, result);
        }
      }
      extracted.set(page.path, result);
    }
  });
  let allBlocks: CodeBlock[] = [];
  for (const r of extracted.values()) allBlocks.push(...r.blocks);
  const isActive = (b: CodeBlock) => b.attrs.skip === undefined;
  // Grading (src/grade): what each block is (not a program, a type-only snippet, a placeholder …) and how deep it
  // may be checked, decided once before any stage starts.
  const envNames = new Set([...Object.keys(config.env), ...config.passEnv.filter((n) => process.env[n] !== undefined)]);
  const classes = new Map<string, Classification>();
  for (const b of allBlocks) if (isActive(b)) classes.set(b.id, classifySafely(b, envNames));
  const capOf = levelCapper(config.levels);
  const isProgram = (b: CodeBlock) => isActive(b) && !classes.get(b.id)?.notProgram;
  const mayRun = (b: CodeBlock) => {
    const cls = classes.get(b.id);
    const cap = capOf(b)?.level;
    return isRunnable(b) && !cls?.notProgram && !cls?.noRun && (cap === undefined || cap === "run");
  };
  // env=browser: a block runs under the DOM implementation its page resolves (happy-dom or jsdom from the user's
  // project); browser-only code then runs. Without one, it stops at type-check and the page gets a run/no-dom error.
  const domOf = domResolver(config.root);
  const noDom: Finding[] = [];
  for (const b of allBlocks) {
    const cls = classes.get(b.id);
    const cap = capOf(b)?.level;
    if (b.attrs.env !== "browser" || !config.run || !cls || cls.notProgram || !isRunnable(b) || (cap !== undefined && cap !== "run")) continue;
    const { noRun, ...rest } = cls;
    if (domOf(b.page)) {
      if (noRun?.reason === "browser-only") classes.set(b.id, rest);
      continue;
    }
    const dir = path.dirname(b.page) || ".";
    if (!noRun) classes.set(b.id, { ...rest, noRun: { reason: "browser-only", detail: `env=browser, but no DOM implementation (happy-dom or jsdom) is installed for ${dir}: not run` } });
    else if (noRun.reason === "browser-only") classes.set(b.id, { ...rest, noRun: { ...noRun, detail: `${noRun.detail}: env=browser, but no DOM implementation (happy-dom or jsdom) is installed for ${dir}` } });
    if (!noDom.some((f) => f.page === b.page)) {
      noDom.push({ stage: "run", ruleId: "run/no-dom", severity: "error", message: noDomMessage(dir), page: b.page, blockId: b.id, place: fencePlace(b) });
    }
  }
  const depthOf = (b: CodeBlock) => {
    const cap = capOf(b)?.level;
    return cap === "parse" || cap === "resolve" ? cap : "typecheck";
  };
  // --shard k/n: every shard extracts and grades every page (cheap next to checking), so what depends on the whole
  // project comes out as in one run: the modules any block imports, the block whole-program diagnostics are shown
  // at, every template variant. Then only this shard's pages are checked.
  const projectActive = allBlocks.filter(isProgram);
  const rendered = pages.flatMap((p) => (p.origin ? [{ template: p.origin.template, variant: p.origin.variant }] : []));
  if (scope.shard) {
    const mine = shardOf(pages, extracted, early, scope.shard);
    pages = pages.filter((p) => mine.has(p.path));
    early = early.filter((f) => mine.has(f.page));
    for (const page of [...extracted.keys()]) if (!mine.has(page)) extracted.delete(page);
    allBlocks = [...extracted.values()].flatMap((r) => r.blocks);
    const ids = new Set(allBlocks.map((b) => b.id));
    for (const id of [...classes.keys()]) if (!ids.has(id)) classes.delete(id);
  }
  const active = allBlocks.filter(isProgram);
  // How each JS block is type-checked: config `checkJs` per page glob (default "typed"), then the block's own say.
  const configuredJs = checkJsMatcher(config.checkJs);
  const jsModeOf = (b: CodeBlock): CheckJsMode => jsMode(b, configuredJs(b.page));
  // Blocks the parser rejects get one finding for that cause (src/grade/fold.ts).
  const unparsable = new Set([...classes].filter(([, c]) => !c.parses && !c.asType && !c.notProgram).map(([id]) => id));

  // Everything that can reject the configuration is settled before any example runs: a bad rule, plugin or
  // tsconfig must stop the run with exit 2, not after the examples' side effects.
  const plugins = config.lint ? await loadPlugins(config.plugins, config.root) : {};
  if (config.lint) validateRules({ rules: config.rules, plugins, bannedApis: config.bannedApis });
  // A missing or broken baseline is a usage error before anything runs (a new one is created by --update-baseline).
  const baseline = config.baseline && (!config.updateBaseline || fs.existsSync(config.baseline)) ? readBaseline(config.baseline) : undefined;
  // Data, not functions: the program is built on the analyze worker thread.
  const wraps = Object.fromEntries([...classes].filter(([, c]) => c.asType).map(([id, c]) => [id, c.asType!]));
  // Each page is checked with its package's tsconfig; one program per distinct set of compiler options. Every
  // tsconfig is read here, so a bad one stops the run before any example starts. `checkJs` is on for every program:
  // which JS blocks are type-checked, and how, is decided per block (jsModeOf).
  const tsconfigOf = tsconfigResolver(config);
  // The native TypeScript 7 fast path (option `typescript`): found once here, used on the analysis thread.
  const native = config.typecheck ? nativeSetting(config.typescript, config.root) : undefined;
  const programs = programGroups(config.typecheck || config.lint ? active : [], { root: config.root, checkJs: true, wraps, ...(native ? { native } : {}) }, tsconfigOf);

  // The result cache (node_modules/.cache/validate-docs): blocks and pages whose every input is unchanged take
  // their findings from it; only the rest reach the checker, the rules and the run stage.
  const cache = cacheRoot !== undefined ? new ResultCache(cacheRoot, config, programs.groupOf, active, extractStats) : undefined;

  // Run in child processes (driven from a worker thread) while this thread type-checks and lints.
  const cachedRun: RunOutcome = { findings: [], ran: new Set(), outputs: new Map() };
  const runKeys = new Map<string, string>();
  const runnable = (
    config.run
      ? pages
          .map((page) => {
            const blocks = extracted.get(page.path)!.blocks.filter(mayRun);
            const substitutes = Object.fromEntries(blocks.flatMap((b) => (classes.get(b.id)?.substitutes ? [[b.id, classes.get(b.id)!.substitutes!]] : [])));
            const browser = blocks.filter((b) => b.attrs.env === "browser").map((b) => b.id);
            const dom = browser.length ? domOf(page.path) : undefined;
            return { page, blocks, tsconfig: tsconfigOf(page.path), substitutes, ...(dom ? { dom, browser } : {}) };
          })
          .filter((p) => p.blocks.length > 0)
      : []
  ).filter((p) => {
    if (!cache) return true;
    const key = cache.runKey(p.page, p.blocks);
    const hit = cache.read<RunEntry>(key);
    if (!hit) {
      cache.stats.run.misses++;
      runKeys.set(p.page.path, key);
      return true;
    }
    cache.stats.run.hits++;
    cachedRun.findings.push(...hit.findings);
    for (const id of hit.ran) cachedRun.ran.add(id);
    for (const [id, text] of hit.outputs) cachedRun.outputs.set(id, text);
    return false;
  })
    // What the run needs of the blocks' syntax is read here, where the compiler is loaded anyway (src/run/syntax.ts).
    .map((p) => ({ ...p, syntax: runSyntaxOf(p.blocks) }));
  clock.progress.pages(runnable.length);
  const running = runnable.length
    ? runPagesThreaded(runnable, {
        root: config.root,
        tsconfig: config.tsconfig,
        timeout: config.timeout,
        concurrency: config.concurrency,
        memoryLimit: config.memoryLimit,
        warnings: config.warnings,
        allowWarnings: config.allowWarnings,
        env: config.env,
        passEnv: config.passEnv,
        bail: config.bail,
        network: config.network,
        sandbox: config.sandbox,
        isolate: config.isolate,
        // A block that ends its page early does not cost the rest of the page its checks (src/run/index.ts).
        continueAfterEnd: true,
        // Held while this thread may type-check: a stage driven from this thread starts its pages at `release()`,
        // once the analysis below is done or runs elsewhere (src/run/threaded.ts).
      }, () => clock.progress.pageDone(), config.typecheck || config.lint)
    : undefined;
  const runPromise: Promise<RunOutcome | undefined> = running ? time("run", () => running.outcome) : Promise.resolve(undefined);

  const findings: Finding[] = [...early, ...noDom];
  for (const r of extracted.values()) findings.push(...r.findings);
  // Every active block goes into the program: JS blocks for their syntax errors (and lint); the type-check stage
  // says which blocks it type-checks (`checkJs`, `// @ts-check`), for blocks it checks now and for cached ones.
  const checked = active;
  const typechecked = new Set<string>();
  const linted = new Set<string>();
  try {
    if ((config.typecheck || config.lint) && checked.length) {
      const toTypecheck = config.typecheck ? checked : [];
      const toLint = config.lint ? checked : [];
      // A project-wide finding: judged on every page's blocks, and reported by the first shard only.
      if (config.lint && !scope.subset && (scope.shard?.index ?? 1) === 1) {
        const enabled = new Set(resolveRules(ruleRegistry(plugins), config.rules, config.bannedApis).keys());
        findings.push(...neverImportedModules(scope.shard ? projectActive : toLint, config, enabled));
      }
      for (const b of toTypecheck) if (typechecks(b, jsModeOf(b)) && depthOf(b) === "typecheck") typechecked.add(b.id);
      for (const b of toLint) linted.add(b.id);
      const typeMisses = cache ? fromCache(cache, "typecheck", toTypecheck, (b) => cache.typecheckKey(b), findings) : toTypecheck;
      const lintMisses = cache ? fromCache(cache, "lint", toLint, (b) => cache.lintKey(b), findings) : toLint;
      // One request per program (distinct compiler options); whole-program diagnostics are shown at the first
      // block of each program, whichever blocks are checked now.
      const requests: AnalyzeRequest[] = [];
      const globals: { group: ProgramGroup; anchor: CodeBlock }[] = [];
      for (const group of programs.groups) {
        const inGroup = (b: CodeBlock) => programs.groupOf(b) === group;
        // A shard shows them only when it has the block one run would show them at.
        const first = (scope.shard ? projectActive : checked).find((b) => isProgramBlock(b) && inGroup(b));
        const anchor = first && checked.includes(first) ? first : undefined;
        const types = typeMisses.filter(inGroup);
        const lints = lintMisses.filter(inGroup);
        const globalHit = cache && config.typecheck && anchor ? cache.read<Finding[]>(cache.globalKey(group)) : undefined;
        if (globalHit && anchor) findings.push(...reanchor(globalHit, anchor));
        const needGlobal = config.typecheck && anchor !== undefined && !globalHit;
        if (needGlobal) globals.push({ group, anchor });
        if (!types.length && !lints.length && !needGlobal) continue;
        const blocks = [...new Set([...types, ...lints])];
        requests.push({
          program: group.program,
          blocks,
          typecheck: types.map((b) => b.id),
          lint: lints.map((b) => b.id),
          ...(needGlobal ? { anchor } : {}),
          // Blocks whose results are cached still lend their declarations to the blocks that carry them.
          lenders: lendersOf(blocks, active),
          depths: Object.fromEntries(types.map((b) => [b.id, depthOf(b)])),
          jsModes: Object.fromEntries(types.filter((b) => b.kind === "js").map((b) => [b.id, configuredJs(b.page)])),
        });
      }
      if (requests.length) {
        clock.progress.stage("typecheck and lint");
        // The checker and the rules run on a worker thread: the main thread only waits, so a signal is answered at once.
        const analyzing = analyzeThreaded(
          requests,
          { root: config.root, rules: config.rules, bannedApis: config.bannedApis },
          { refs: config.plugins, loaded: plugins, configFile: config.configFile },
          running?.started,
        );
        if (!analyzing.here) running?.release();
        const outcome = await analyzing.outcome;
        for (const [name, ms] of Object.entries(outcome.timings)) timings[name] = (timings[name] ?? 0) + ms;
        findings.push(...outcome.typeFindings, ...outcome.globalFindings, ...outcome.lintFindings, ...outcome.notes);
        if (cache && config.typecheck) {
          for (const { group, anchor } of globals) {
            cache.write(cache.globalKey(group), outcome.globalFindings.filter((f) => f.blockId === anchor.id));
          }
          store(cache, typeMisses, outcome.typeFindings, (b) => cache.typecheckKey(b));
        }
        if (cache && lintMisses.length) store(cache, lintMisses, outcome.lintFindings, (b) => cache.lintKey(b));
      }
    }
  } catch (err) {
    // Never leave examples running behind an error.
    await running?.stop();
    throw err;
  }
  if (running) clock.progress.stage("run");
  // --bail: an error from the static stages ends the run here; examples still running are stopped.
  const bailed = Boolean(config.bail) && running !== undefined && findings.some((f) => f.severity === "error");
  if (bailed) await running!.stop();
  running?.release();
  const fresh = bailed ? undefined : await runPromise;
  if (cache && fresh) {
    for (const p of runnable) {
      const key = runKeys.get(p.page.path);
      const entry: RunEntry = {
        findings: fresh.findings.filter((f) => f.page === p.page.path),
        ran: p.blocks.filter((b) => fresh.ran.has(b.id)).map((b) => b.id),
        outputs: p.blocks.flatMap((b) => (fresh.outputs.has(b.id) ? [[b.id, fresh.outputs.get(b.id)!] as [string, string]] : [])),
      };
      // A page --bail never started has no result to keep.
      if (key && entry.ran.length > 0 && isCacheableRun(entry.findings)) cache.write(key, entry);
    }
  }
  const run: RunOutcome | undefined = config.run && !bailed
    ? {
        findings: [...cachedRun.findings, ...(fresh?.findings ?? [])],
        ran: new Set([...cachedRun.ran, ...(fresh?.ran ?? [])]),
        outputs: new Map([...cachedRun.outputs, ...(fresh?.outputs ?? [])]),
      }
    : undefined;
  if (run) findings.push(...run.findings);
  // --pack: the same pages against the packed package(s) in a clean project; what fails only there is a pack/ finding.
  if (config.pack && !bailed) {
    const packed = await time("pack", () =>
      packCheck({
        config,
        pages,
        blocksOf: (page) => extracted.get(page)?.blocks ?? [],
        isActive: isProgram,
        findings,
        tsconfigOf,
        compilerOptionsOf: (b) => programs.groupOf(b).compilerOptions,
        checkPages: async (consumerPages, consumerConfig) => (await checkPages(consumerPages, consumerConfig, [], undefined, { subset: true })).result,
      }),
    );
    findings.push(...packed);
  }

  const stages: Stage[] = ["extract"];
  if (config.typecheck) stages.push("typecheck");
  if (config.lint) stages.push("lint");
  if (config.run) stages.push("run");
  const typeOnly = new Set([...classes].filter(([, c]) => c.noRun?.reason === "type-only").map(([id]) => id));
  const jsTyped = new Set(allBlocks.filter((b) => b.kind === "js" && typechecked.has(b.id) && jsModeOf(b) === "typed").map((b) => b.id));
  const names = setAsideUndeclared(findings, jsTyped);
  const aside = setAsideTypeOnly(dropEchoes(fragmentReferenceErrors(names.findings, jsTyped, names.undeclared, names.misspelled)), typeOnly);
  // A config setup file's block is in every page it applies to; judge its findings once.
  const distinct = [...new Map(allBlocks.map((b) => [b.id, b])).values()];
  const unbuilt = collapseUnbuilt(applyExpectations(distinct, foldFindings(aside.findings, unparsable), { stages }), config.root);
  const origins = new Map(pages.flatMap((p) => (p.origin ? [[p.path, p.origin] as const] : [])));
  let final = onceForSetupFiles(new Set(pages.map((p) => p.path)), maskSecrets(applyDisables(distinct, unbuilt.findings), secretValues())).map(
    (f) => {
      const origin = origins.get(f.page);
      return origin ? attachOrigin(f, origin) : f;
    },
  );

  // Levels, from what the stages did and found; under --strict a block below `run` without an explicit attribute
  // is an error, and so is a block that needs the network.
  const blockFindings = new Map<string, Finding[]>();
  for (const f of final) if (f.blockId) blockFindings.set(f.blockId, [...(blockFindings.get(f.blockId) ?? []), f]);
  const grades = new Map<string, Grade>();
  for (const b of allBlocks) {
    const own = blockFindings.get(b.id) ?? [];
    const grade = gradeBlock({
      block: b,
      cls: classes.get(b.id),
      cap: capOf(b),
      typechecked: typechecked.has(b.id),
      ran: Boolean(run?.ran.has(b.id)),
      runStage: config.run,
      typecheckStage: config.typecheck,
      notRun: Boolean(run) && mayRun(b) && !run!.ran.has(b.id),
      undeclaredTypes: aside.undeclared.get(b.id),
      undeclaredNames: names.undeclared.get(b.id),
      findings: own,
    });
    grades.set(b.id, grade);
    if (config.strict) {
      if (!isExplicitStop(b, grade)) final.push(strictFinding(b, grade));
      for (const f of own) if (f.ruleId === "run/network" && f.severity === "warning") f.severity = "error";
    }
  }
  // --baseline: known errors become warnings marked `baselined` (after grading: levels and stop reasons say what
  // the block really reached). The file is only written by the caller.
  let baselineOutcome: BaselineOutcome | undefined;
  let baselineUpdate: CheckRun["baselineUpdate"];
  if (config.baseline) {
    const keys = blockKeys(distinct);
    const checkedPages = new Set(pages.map((p) => p.path));
    let use = baseline ?? { version: 1 as const, entries: [] };
    let updated: BaselineOutcome["updated"];
    if (config.updateBaseline) {
      // The run is judged against the baseline as written now: shrunk to what still fails (grown only with --force).
      const u = updateBaseline(baseline, entriesOf(final, keys), checkedPages, Boolean(config.force));
      use = u.file;
      updated = { removed: u.removed, added: u.added, notAdded: u.notAdded };
      baselineUpdate = { file: config.baseline, data: u.file };
    }
    const applied = applyBaseline(final, keys, use, toPosix(path.relative(config.root, config.baseline)) || config.baseline, checkedPages);
    final = applied.findings;
    baselineOutcome = { ...applied.outcome, ...(updated ? { updated } : {}) };
  }
  const byPage = new Map<string, Finding[]>();
  for (const f of final) {
    const list = byPage.get(f.page) ?? [];
    list.push(f);
    byPage.set(f.page, list);
  }

  const results: PageResult[] = pages.map((page) => {
    const ex = extracted.get(page.path)!;
    const pageFindings = sortFindings(byPage.get(page.path) ?? []);
    byPage.delete(page.path);
    // A config setup file's block belongs to that file: its findings are reported once, under the file's path.
    const blocks: BlockResult[] = ex.blocks.filter((b) => b.page === page.path).map((b) => {
      const checks: CheckName[] = [];
      if (typechecked.has(b.id)) checks.push("typecheck");
      if (run?.ran.has(b.id)) checks.push("run");
      if (linted.has(b.id)) checks.push("lint");
      const failed = pageFindings.some((f) => f.blockId === b.id && f.severity === "error");
      // A runnable block the run stage never started (an earlier block timed out, exited or crashed) is accounted
      // for as skipped with that reason, never as passed.
      const notRun = !failed && Boolean(run) && mayRun(b) && !run!.ran.has(b.id);
      // --bail: runnable blocks of pages the run never reached (or all of them, when the static stages failed).
      const bailSkip = !failed && config.bail && config.run && mayRun(b) && (bailed || (notRun && !ex.blocks.some((o) => run!.ran.has(o.id))));
      // Stopped at a network attempt: checked up to type-check, never "passed" (run/network says where).
      const network = !failed && pageFindings.some((f) => f.blockId === b.id && f.ruleId === "run/network");
      // The library rejected a placeholder's neutral value: checked up to type-check (run/placeholder says which).
      const rejected = !failed && pageFindings.some((f) => f.blockId === b.id && f.ruleId === "run/placeholder");
      const grade = grades.get(b.id)!;
      const notProgram = classes.get(b.id)?.notProgram;
      const skipReason =
        b.attrs.skip !== undefined
          ? b.attrs.skip || "(no reason given)"
          : network
            ? "needs network: stopped at its first network call (see the run/network finding)"
          : rejected
            ? "placeholder: the library rejected a placeholder's neutral value (see the run/placeholder finding)"
          : unbuilt.notChecked.has(b.id) && !failed
            ? unbuilt.notChecked.get(b.id)
          : notProgram && !failed
            ? notProgram.detail
          : bailSkip
            ? "not run: --bail stopped the run at the first error"
            : notRun
            ? pageFindings.some((f) => f.blockId === b.id && f.ruleId === "run/context-not-run")
              ? "not run: page context it uses did not run (see the run/context-not-run finding)"
              : "not run: an earlier block on this page ended the run (see the run/ finding)"
            : !failed && checks.length === 0
              ? "no check applied: the stages that apply to this block are turned off"
              : undefined;
      return {
        id: b.id,
        lang: b.lang,
        line: b.fence.start.line,
        ...(b.attrs.title ? { title: b.attrs.title } : {}),
        // A block no stage checked is never reported as passed.
        status: failed ? "failed" : skipReason !== undefined ? "skipped" : "passed",
        ...(skipReason !== undefined ? { skipReason } : {}),
        checks,
        level: grade.level,
        ...(grade.stop ? { stop: grade.stop } : {}),
        ...(grade.substitutes ? { substitutes: grade.substitutes } : {}),
      };
    });
    return {
      page: page.path,
      blocks,
      findings: pageFindings,
      counts: {
        ...ex.counts,
        checked: blocks.filter((b) => b.checks.length > 0).length,
        skipped: blocks.filter((b) => b.status === "skipped").length,
      },
      ...(ex.skipReason !== undefined ? { skipReason: ex.skipReason } : {}),
      ...(page.origin ? { origin: { template: page.origin.template, variant: page.origin.variant } } : {}),
    };
  });
  // Findings on files that are not checked pages (see `early`) get a page result of their own: never dropped.
  for (const [page, list] of byPage) {
    results.push({ page, blocks: [], findings: sortFindings(list), counts: emptyCounts() });
  }
  results.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : 0));
  timings.total = Math.round(performance.now() - clock.started);
  const templated = rendered.length > 0 || final.some((f) => f.stage === "template");
  // Every variant rendered (in a shard too: merge-reports regroups the shards' findings in render order).
  const templates = templated ? groupTemplates(results, rendered) : undefined;

  return {
    result: {
      version: 1,
      tool: { name: "validate-docs", version: VERSION },
      root: config.root,
      pages: results,
      summary: summarize(results),
      timings,
      ...(cache ? { cache: cache.stats } : {}),
      ...(templates ? { templates } : {}),
      ...(baselineOutcome ? { baseline: baselineOutcome } : {}),
      ...(scope.shard ? { shard: { ...scope.shard } } : {}),
    },
    pages: new Map(pages.map((p) => [p.path, p])),
    blocks: new Map([...extracted].map(([k, v]) => [k, v.blocks])),
    run,
    ...(baselineUpdate ? { baselineUpdate } : {}),
  };
}

/** Takes the findings of cached blocks from the cache (into `into`); returns the blocks that must be checked. */
function fromCache(cache: ResultCache, stage: "typecheck" | "lint", blocks: CodeBlock[], key: (b: CodeBlock) => string, into: Finding[]): CodeBlock[] {
  const misses: CodeBlock[] = [];
  for (const block of blocks) {
    const hit = cache.read<Finding[]>(key(block));
    if (hit) {
      cache.stats[stage].hits++;
      into.push(...hit);
    } else {
      cache.stats[stage].misses++;
      misses.push(block);
    }
  }
  return misses;
}

/** Stores each checked block's findings (an empty list is a result too). */
function store(cache: ResultCache, blocks: CodeBlock[], found: Finding[], key: (b: CodeBlock) => string): void {
  const byBlock = new Map<string, Finding[]>(blocks.map((b) => [b.id, []]));
  for (const f of found) if (f.blockId) byBlock.get(f.blockId)?.push(f);
  for (const b of blocks) cache.write(key(b), byBlock.get(b.id)!);
}

/** The blocks outside `checked` that the checked blocks see (page context), transitively. */
function lendersOf(checked: readonly CodeBlock[], all: readonly CodeBlock[]): CodeBlock[] {
  const byId = new Map(all.map((b) => [b.id, b]));
  const inside = new Set(checked.map((b) => b.id));
  const out = new Map<string, CodeBlock>();
  const queue = checked.flatMap((b) => b.context);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (inside.has(id) || out.has(id)) continue;
    const b = byId.get(id);
    if (!b) continue;
    out.set(id, b);
    queue.push(...b.context);
  }
  return [...out.values()];
}

/** The config setup files of a page path (read once each). */
function setupMatcher(config: ResolvedConfig): (page: string) => { path: string; source: string }[] {
  if (config.setup.length === 0) return () => [];
  const sources = new Map<string, string>();
  const matchers = config.setup.map((e) => ({ test: picomatch(e.glob, { dot: true }), files: e.files }));
  return (page) => {
    const files = [...new Set(matchers.filter((m) => m.test(page)).flatMap((m) => m.files))];
    return files.map((file) => {
      if (!sources.has(file)) sources.set(file, fs.readFileSync(path.join(config.root, file), "utf8"));
      return { path: file, source: sources.get(file)! };
    });
  };
}

/** The configured JavaScript type-check mode of a page path (the last matching glob wins; none → "typed"). */
function checkJsMatcher(entries: ResolvedConfig["checkJs"]): (page: string) => CheckJsMode {
  if (entries.length === 0) return () => "typed";
  const matchers = entries.map((e) => ({ test: picomatch(e.glob, { dot: true }), mode: e.mode }));
  return (page) => matchers.findLast((m) => m.test(page))?.mode ?? "typed";
}

/** The configured page-context default of a page path (the last matching glob wins; none → "page"). */
/** The value of the last entry whose page glob matches (config `context`, `environment`). */
function lastMatch<T>(entries: readonly { glob: string; value: T }[]): (page: string) => T | undefined {
  if (entries.length === 0) return () => undefined;
  const matchers = entries.map((e) => ({ test: picomatch(e.glob, { dot: true }), value: e.value }));
  return (page) => {
    let value: T | undefined;
    for (const m of matchers) if (m.test(page)) value = m.value;
    return value;
  };
}

/** The page paths shard `shard` checks: pages weighed by their blocks, files with findings from before by 0. */
function shardOf(pages: Page[], extracted: ReadonlyMap<string, ExtractResult>, early: readonly Finding[], shard: ShardInfo): Set<string> {
  const weight = new Map(pages.map((p) => [p.path, extracted.get(p.path)!.blocks.filter((b) => b.page === p.path).length]));
  for (const f of early) if (!weight.has(f.page)) weight.set(f.page, 0);
  const items = [...weight.keys()].map((path) => ({ path }));
  return new Set(shardPages(items, (p) => weight.get(p.path)!, shard.index, shard.total).map((p) => p.path));
}

/** Findings with equal keys are one finding reported twice (a setup file's, from two pages or two shards). */
export function sameFindingKey(f: Finding): string {
  return JSON.stringify([f.page, f.blockId, f.ruleId, f.place.start.offset, f.place.end.offset, f.message]);
}

/** A config setup file is checked and run with every page it applies to: the same finding on it is kept once. */
function onceForSetupFiles(pagePaths: ReadonlySet<string>, findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (pagePaths.has(f.page)) return true;
    const key = sameFindingKey(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One problem, one finding: when the checker already reports a block's syntax error (TS1xxx), a missing module
 * (TS2307) or an undeclared name (TS2304), the run stage's echo of the same cause (the block could not be built,
 * threw "Cannot find module" or "ReferenceError: x is not defined") adds only noise and an internal temp path.
 */
function dropEchoes(findings: Finding[]): Finding[] {
  const syntax = new Set<string>();
  const missing = new Set<string>();
  const noExport = new Set<string>();
  /** `blockId name` of every "Cannot find name 'name'" the checker reported. */
  const undeclared = new Set<string>();
  for (const f of findings) {
    if (f.stage !== "typecheck" || !f.blockId || f.severity !== "error") continue;
    if (/^ts1\d{3}$/.test(f.ruleId)) syntax.add(f.blockId);
    if (f.ruleId === "ts2307" || f.ruleId === "ts2792") missing.add(f.blockId);
    // "has no exported member" (named, default, or with a did-you-mean).
    if (["ts2305", "ts2724", "ts2614", "ts2613", "ts1192"].includes(f.ruleId)) noExport.add(f.blockId);
    const name = /^ts(2304|2552|2580|2581|2582|2583|2584)$/.test(f.ruleId) ? /^Cannot find name '([^']+)'/.exec(f.message)?.[1] : undefined;
    if (name) undeclared.add(`${f.blockId} ${name}`);
  }
  if (!syntax.size && !missing.size && !noExport.size && !undeclared.size) return findings;
  return findings.filter((f) => {
    if (f.stage !== "run" || !f.blockId) return true;
    if (f.ruleId === "run/transpile" && syntax.has(f.blockId)) return false;
    if (f.ruleId === "run/threw" && missing.has(f.blockId) && /Cannot find (module|package)|ERR_MODULE_NOT_FOUND|ERR_PACKAGE_PATH_NOT_EXPORTED/.test(f.message)) return false;
    if (noExport.has(f.blockId) && /does not provide an export named|No matching export/.test(f.message)) return false;
    // The ReferenceError of a name the checker already reports as undeclared in the same block.
    const ref = f.ruleId === "run/threw" ? /^Uncaught ReferenceError: (\S+) is not defined/.exec(f.message)?.[1] : undefined;
    if (ref && undeclared.has(`${f.blockId} ${ref}`)) return false;
    return true;
  });
}

export function sortFindings(list: Finding[]): Finding[] {
  return [...list].sort(
    (a, b) =>
      (a.page < b.page ? -1 : a.page > b.page ? 1 : 0) ||
      a.place.start.line - b.place.start.line ||
      a.place.start.column - b.place.start.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

export function summarize(pages: PageResult[]): Summary {
  const s: Summary = { pages: pages.length, blocks: 0, passed: 0, failed: 0, skipped: 0, errors: 0, warnings: 0, infos: 0, levels: emptyLevels(), passedLevels: emptyLevels(), reasons: {} };
  for (const p of pages) {
    for (const b of p.blocks) {
      s.blocks++;
      s[b.status]++;
      if (b.status === "passed") s.passedLevels[b.level]++;
      countGrade(s, b.level, b.stop?.reason);
    }
    for (const f of p.findings) {
      // Known errors from the baseline are counted apart: they are not new warnings.
      if (f.baselined) s.baselined = (s.baselined ?? 0) + 1;
      else if (f.severity === "error") s.errors++;
      else if (f.severity === "warning") s.warnings++;
      else s.infos++;
    }
  }
  return s;
}

/**
 * The heuristics parse a block on the main thread; a block the parser cannot handle (a stack overflow on deep
 * nesting) gets no heuristic and is left to the stages, which report it as a crash finding on that block.
 */
function classifySafely(block: CodeBlock, envNames: ReadonlySet<string>): Classification {
  try {
    return classify(block, { envNames });
  } catch {
    return { parses: true };
  }
}
