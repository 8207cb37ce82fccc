// Thin CLI over the typed option table in config.ts. Sets the exit code: 0 clean, 1 error findings,
// 2 usage/config/internal error (never 0 on an internal error).
import path from "node:path";
import { cac, type Command } from "cac";
import pc from "picocolors";
import type { ResolvedConfig } from "./config-types.js";
import { resolveConfig, type CliOverrides } from "./config.js";
import { isUsageError, UsageError } from "./errors.js";
import { VERSION } from "./pipeline.js";
import { reporters, writeReport } from "./report/index.js";
import { applyRewrites } from "./rewrite.js";
import { emergencyCleanup } from "./run/cleanup.js";
import { checkWithTemplates, consoleWithTemplates, templateFiles, type TemplateCheck } from "./templates/check.js";
import { installHook, renderToDisk } from "./templates/index.js";
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
  templates?: boolean;
  force?: boolean;
  command?: string;
}

/** Options of every command that checks pages (the default command and `templates render`). */
function checkOptions(cmd: Command): Command {
  return cmd
    .option("--root <dir>", "Project root: pages, tsconfig and node_modules are resolved from it (default: cwd)")
    .option("-c, --config <file>", "Config file (default: validate-docs.config.{ts,mts,mjs,js,json} in the root)")
    .option("--tsconfig <file>", "tsconfig.json used to type-check blocks (default: <root>/tsconfig.json if present)")
    .option("--no-typecheck", "Skip the type-check stage")
    .option("--no-run", "Skip running blocks")
    .option("--no-lint", "Skip lint rules")
    .option("--check-js", "Type-check JavaScript blocks too")
    .option("--timeout <ms>", "Per-block run timeout in ms (default: 10000; attribute timeout=… per block)")
    .option("--concurrency <n>", "Pages run in parallel (default: number of cores)")
    .option("--memory-limit <mb>", "Memory cap per run process in MB (default: 512)")
    .option("--warnings <level>", "Warnings printed by dependency code while running: error | warn | off (default: error)")
    .option("--no-color", "Disable colors")
    .option("-q, --quiet", "Print only the summary line and errors");
}

function buildCli() {
  const cli = cac("validate-docs");
  checkOptions(
    cli.command("[...paths]", "Check TypeScript/JavaScript code blocks in Markdown/MDX pages (default: docs/**/*.{md,mdx} and README.md)"),
  )
    .option("-o, --out <dir>", "Report directory (default: <root>/reports)")
    .option("--reporter <name>", "Reporter(s) to use: console, json, markdown; repeat for several (default: all three)")
    .option("--update", "Rewrite expected `output` fences in the Markdown with the actual output")
    .option("--fix", "Apply rule fixes to the Markdown (only the changed spans are touched)")
    .option("--changed <ref>", "Only check pages changed against a git ref (plus untracked pages, and templates whose file, partials or variants changed)")
    .option("--templates", "Validate guide templates (from config `templates`; on by default when the config has template sets)")
    .example("validate-docs")
    .example("validate-docs docs/guide.md --no-run")
    .example("validate-docs --root path/to/project --out reports")
    .example("validate-docs templates render --out docs/integrations")
    .example("validate-docs init-hook");
  checkOptions(
    cli.command("templates <action>", "`templates render`: check every template variant, then write the rendered pages only if all pass"),
  )
    .option("--out <dir>", "Directory for the rendered pages (default: each template set's `output` path)")
    .option("--force", "Write the rendered pages even when checks fail (the exit code still reports the errors)")
    .example("validate-docs templates render --out docs/integrations");
  cli
    .command("init-hook", "Install a git pre-push hook that runs validate-docs --changed origin/HEAD")
    .option("--root <dir>", "Repository root (default: cwd)")
    .option("-c, --config <file>", "Config file the hook passes to validate-docs (default: found in the root)")
    .option("--command <cmd>", "Command the hook runs (default: npx --no-install validate-docs)")
    .option("--no-color", "Disable colors");
  // cac gives `--no-x` flags a default of true and prints "(default: true)", which reads as "skipped by default";
  // we read negations from argv ourselves, so drop that default from the help.
  for (const command of [cli.globalCommand, ...cli.commands]) {
    for (const option of command.options) if (option.negated) delete option.config.default;
  }
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
  installInterruptHandlers();
  const cli = buildCli();
  const color = !argv.includes("--no-color") && pc.isColorSupported;
  try {
    const parsed = cli.parse(["node", "validate-docs", ...argv], { run: false });
    if (parsed.options.help || parsed.options.version) return EXIT.ok;
    const command = cli.matchedCommand;
    if (!command) {
      throw new UsageError(`unknown command: ${parsed.args.join(" ")}`, "run `validate-docs --help`");
    }
    // cac validates unknown options and required args only when it runs the matched command's action.
    command.checkUnknownOptions();
    command.checkOptionValue();
    command.checkRequiredArgs();
    const flags = parsed.options as Flags;
    const args = parsed.args as string[];
    const quiet = Boolean(flags.quiet);
    if (command.name === "init-hook") return initHook(flags);
    if (command.name === "templates") return await templatesCommand(args, flags, argv, { color, quiet });
    const config = await resolveConfig(toOverrides(flags, argv));
    const t = await checkWithTemplates(config, { paths: args, base: process.cwd(), requireTemplates: Boolean(flags.templates) });
    return finish(t, config, { color, quiet });
  } catch (err) {
    return reportError(err);
  }
}

/** `templates render [--out DIR] [--force]`: the gate and the generator in one command. */
async function templatesCommand(args: string[], flags: Flags, argv: string[], opts: { color: boolean; quiet: boolean }): Promise<number> {
  const [action, ...extra] = args;
  if (action !== "render" || extra.length) {
    throw new UsageError(`unknown templates action: ${args.join(" ")}`, "the only action is `validate-docs templates render [--out DIR] [--force]`");
  }
  // Here --out is where pages go; reports keep the config's `out`.
  const config = await resolveConfig(toOverrides({ ...flags, out: undefined }, argv));
  const t = await checkWithTemplates(config, { requireTemplates: true, templatesOnly: true });
  const code = finish(t, config, opts);
  const written = renderToDisk(t.rendered, flags.out, config.root, { force: Boolean(flags.force), result: t.run.result, templateFindings: t.templateFindings });
  if (written.blocked) {
    process.stderr.write(`validate-docs: ${written.reason ?? "nothing was written"}\n`);
    return EXIT.findings;
  }
  const where = flags.out ? path.relative(process.cwd(), path.resolve(config.root, flags.out)) || "." : "their output paths";
  process.stdout.write(`Wrote ${written.written.length} rendered page${written.written.length === 1 ? "" : "s"} to ${where}.\n`);
  return code;
}

/** `init-hook [--command "…"]`: 0 when installed or updated, 1 when an existing foreign hook was left alone. */
function initHook(flags: Flags): number {
  const root = path.resolve(flags.root ?? process.cwd());
  const base = flags.command ?? "npx --no-install validate-docs";
  const command = flags.config ? `${base} --config ${shellQuote(flags.config)}` : base;
  const r = installHook(root, { command });
  if (r.status === "refused") {
    process.stderr.write(`validate-docs: ${r.message}\n`);
    return EXIT.findings;
  }
  process.stdout.write(`${r.message}\n`);
  return EXIT.ok;
}

function shellQuote(s: string): string {
  return /^[\w./:@=-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function finish(t: TemplateCheck, config: ResolvedConfig, opts: { color: boolean; quiet: boolean }): number {
  const { run, reports } = t;
  const { result } = run;
  const sources = new Map([...run.pages].map(([k, p]) => [k, p.source]));
  const files: ReportFile[] = [];
  for (const id of config.reporters) {
    if (id === "console") files.push(consoleWithTemplates(result, reports, { sources, color: opts.color }));
    else files.push(...reporters[id]!.render(result, { sources, color: opts.color }));
  }
  // Same writeReport call, so the stale-file manifest covers the template reports too.
  files.push(...templateFiles(reports, config.reporters));
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

/** Ctrl-C or a CI cancel must not leave example processes or temp dirs behind. */
function installInterruptHandlers(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    emergencyCleanup();
    process.stderr.write(`validate-docs: interrupted (${signal}); running examples were stopped and temp files removed\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", emergencyCleanup);
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
