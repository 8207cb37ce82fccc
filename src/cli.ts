// Thin CLI over the typed option table in config.ts. Sets the exit code: 0 clean, 1 error findings,
// 2 usage/config/internal error (never 0 on an internal error).
import { cac } from "cac";
import pc from "picocolors";
import type { ResolvedConfig } from "./config-types.js";
import { resolveConfig, type CliOverrides } from "./config.js";
import { isUsageError } from "./errors.js";
import { check, VERSION, type CheckRun } from "./pipeline.js";
import { reporters, writeReport } from "./report/index.js";
import { applyRewrites } from "./rewrite.js";
import type { ReportFile } from "./types.js";

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

interface Flags {
  root?: string;
  config?: string;
  tsconfig?: string;
  out?: string;
  checkJs?: boolean;
  timeout?: number;
  concurrency?: number;
  memoryLimit?: number;
  warnings?: string;
  reporter?: string | string[];
  update?: boolean;
  fix?: boolean;
  changed?: string;
  color?: boolean;
  quiet?: boolean;
}

function buildCli() {
  const cli = cac("validate-docs");
  cli
    .command("[...paths]", "Check TypeScript/JavaScript code blocks in Markdown/MDX pages (default: docs/**/*.{md,mdx} and README.md)")
    .option("--root <dir>", "Project root: pages, tsconfig and node_modules are resolved from it (default: cwd)")
    .option("-c, --config <file>", "Config file (default: validate-docs.config.{ts,mts,mjs,js,json} in the root)")
    .option("--tsconfig <file>", "tsconfig.json used to type-check blocks (default: <root>/tsconfig.json if present)")
    .option("-o, --out <dir>", "Report directory (default: <root>/reports)")
    .option("--no-typecheck", "Skip the type-check stage")
    .option("--no-run", "Skip running blocks")
    .option("--no-lint", "Skip lint rules")
    .option("--check-js", "Type-check JavaScript blocks too")
    .option("--timeout <ms>", "Per-block run timeout in ms (default: 10000; attribute timeout=… per block)")
    .option("--concurrency <n>", "Pages run in parallel (default: number of cores)")
    .option("--memory-limit <mb>", "Memory cap per run process in MB (default: 512)")
    .option("--warnings <level>", "Warnings printed by dependency code while running: error | warn | off (default: error)")
    .option("--reporter <name>", "Reporter(s) to use: console, json, markdown; repeat for several (default: all three)")
    .option("--update", "Rewrite expected `output` fences in the Markdown with the actual output")
    .option("--fix", "Apply rule fixes to the Markdown (only the changed spans are touched)")
    .option("--changed <ref>", "Only check pages changed against a git ref (plus untracked pages)")
    .option("--no-color", "Disable colors")
    .option("-q, --quiet", "Print only the summary line and errors")
    .example("validate-docs")
    .example("validate-docs docs/guide.md --no-run")
    .example("validate-docs --root path/to/project --out reports");
  cli.help();
  cli.version(VERSION);
  return cli;
}

function toOverrides(flags: Flags, argv: string[]): CliOverrides {
  const has = (name: string) => argv.includes(name);
  const list = flags.reporter === undefined ? undefined : (Array.isArray(flags.reporter) ? flags.reporter : [flags.reporter]).flatMap((r) => String(r).split(","));
  const num = (v: unknown, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : (v as number); // left as-is so validation names the option
    void name;
  };
  return {
    root: flags.root,
    config: flags.config,
    tsconfig: flags.tsconfig,
    out: flags.out,
    checkJs: flags.checkJs,
    typecheck: has("--no-typecheck") ? false : undefined,
    run: has("--no-run") ? false : undefined,
    lint: has("--no-lint") ? false : undefined,
    timeout: num(flags.timeout, "timeout"),
    concurrency: num(flags.concurrency, "concurrency"),
    memoryLimit: num(flags.memoryLimit, "memory-limit"),
    warnings: flags.warnings as CliOverrides["warnings"],
    reporters: list,
    update: flags.update,
    fix: flags.fix,
    changed: flags.changed,
  };
}

/** Runs the CLI and returns the exit code. Never throws for user errors. */
export async function main(argv: string[]): Promise<number> {
  const cli = buildCli();
  const color = !argv.includes("--no-color") && pc.isColorSupported;
  try {
    const parsed = cli.parse(["node", "validate-docs", ...argv], { run: false });
    if (parsed.options.help || parsed.options.version) return EXIT.ok;
    if (!cli.matchedCommand) {
      throw new (await import("./errors.js")).UsageError(`unknown command: ${parsed.args.join(" ")}`, "run `validate-docs --help`");
    }
    // cac validates unknown options only when it runs the matched command's action.
    cli.matchedCommand.checkUnknownOptions();
    cli.matchedCommand.checkOptionValue();
    const config = await resolveConfig(toOverrides(parsed.options as Flags, argv));
    const run = await check(config, { paths: parsed.args as string[], base: process.cwd() });
    return finish(run, config, { color, quiet: Boolean(parsed.options.quiet) });
  } catch (err) {
    return reportError(err);
  }
}

function finish(run: CheckRun, config: ResolvedConfig, opts: { color: boolean; quiet: boolean }): number {
  const { result } = run;
  const sources = new Map([...run.pages].map(([k, p]) => [k, p.source]));
  const files: ReportFile[] = [];
  for (const id of config.reporters) files.push(...reporters[id]!.render(result, { sources, color: opts.color }));
  const { stdout } = writeReport(config.out, files);
  for (const text of stdout) {
    if (opts.quiet) {
      const lines = text.trimEnd().split("\n");
      process.stdout.write(lines[lines.length - 1] + "\n");
    } else process.stdout.write(text);
  }
  if (config.update || config.fix) {
    for (const line of applyRewrites(run, config)) process.stdout.write(line + "\n");
  }
  return result.summary.errors > 0 ? EXIT.findings : EXIT.ok;
}

function reportError(err: unknown): number {
  const e = err as Error & { hint?: string; name?: string };
  if (isUsageError(err) || e?.name === "CACError") {
    process.stderr.write(`validate-docs: ${e.message}\n`);
    if (e.hint) process.stderr.write(`  hint: ${e.hint}\n`);
    else if (e.name === "CACError") process.stderr.write("  hint: run `validate-docs --help` for the options\n");
    return EXIT.error;
  }
  process.stderr.write(`validate-docs: internal error: ${e?.stack ?? String(err)}\n`);
  process.stderr.write("  This is a bug in validate-docs; nothing was reported as passing. Please file an issue with this output.\n");
  return EXIT.error;
}
