// THE option table: every config option and CLI flag once, with its description, default, type and check. It
// drives the CLI (cli.ts builds cac's options and --help from it), config validation and defaults (config.ts), and
// the docs: the JSDoc of UserConfig (config-types.ts) and the table in docs/configuration.md must say what this
// table says (test/config/options.test.ts fails when they drift; `npm run gen:docs` rewrites both). Adding an
// option is one row here (plus its field in UserConfig/ResolvedConfig and wherever it is used).
//
// Descriptions are Markdown as docs/configuration.md shows them (links relative to docs/); --help and the JSDoc get
// a plain-text form of the same sentence.
//
// Loaded by cli.ts at start: keep it free of heavy imports.
import os from "node:os";
import type { RuleSetting, UserConfig } from "./config-types.js";
import { ConfigError } from "./errors.js";
import { parseDuration } from "./extract/attributes.js";
import { CHECK_JS_MODES, CHECK_LEVELS } from "./types.js";
import { closest } from "./util/suggest.js";

export type CommandName = "check" | "templates" | "merge-reports" | "init-hook";

export interface OptionSpec {
  /** Config key; absent for CLI-only switches (`--fix`, `--quiet`). */
  key?: keyof UserConfig;
  /** cac flag spec (`--timeout <ms>`, `-q, --quiet`, `--no-run`); absent for config-only options. */
  flag?: string;
  /** Commands that take the flag (default: check and templates render). */
  commands?: readonly CommandName[];
  /** One sentence (Markdown), shown in `--help`, in the config types' JSDoc and in docs/configuration.md. */
  description: string;
  /** `--help` text when the flag means something else than the option (`--no-run` turns `run` off). */
  flagHelp?: string;
  /** The default as people read it (Markdown: help, docs); absent when there is none. */
  defaultText?: string;
  /** The default value resolveConfig uses, when it is a plain value. */
  defaultValue?: () => unknown;
  /** The value's type as written in docs. */
  type: string;
  /**
   * Checks a value (config file or flag): throws a ConfigError for a bad one, or returns several problems at once
   * (each a ConfigError whose message names the option).
   */
  check?: Check;
}

export type Check = (value: unknown, name: string) => void | ConfigError[];

export function bad(name: string, value: unknown, expected: string): ConfigError {
  return new ConfigError(`invalid value for option \`${name}\`: ${JSON.stringify(value) ?? String(value)} (expected ${expected})`);
}

const isStr: Check = (v, n) => {
  if (typeof v !== "string") throw bad(n, v, "a string");
};
const isBool: Check = (v, n) => {
  if (typeof v !== "boolean") throw bad(n, v, "true or false");
};
const isPosInt: Check = (v, n) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw bad(n, v, "a positive integer");
};
/** Milliseconds, or a duration string as block attributes take it (`250ms`, `5s`, `2m`). */
const isDuration: Check = (v, n) => {
  if (typeof v === "number" ? !(Number.isInteger(v) && v > 0) : typeof v !== "string" || parseDuration(v) === undefined) {
    throw bad(n, v, 'a positive number of milliseconds or a duration like "5s"');
  }
};
const isStrArray: Check = (v, n) => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw bad(n, v, "an array of strings");
};
const isIsolate: Check = (v, n) => {
  if (v !== "worker" && v !== "process") throw bad(n, v, '"worker" or "process"');
};
const isTypescriptMode: Check = (v, n) => {
  if (v !== "6" && v !== "auto" && v !== "native") throw bad(n, v, '"6", "auto" or "native"');
};
const isLevel: Check = (v, n) => {
  if (v !== "error" && v !== "warn" && v !== "off") throw bad(n, v, '"error", "warn" or "off"');
};
const isObject: Check = (v, n) => {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad(n, v, "an object");
};
const isStrRecord: Check = (v, n) => {
  isObject(v, n);
  for (const [k, x] of Object.entries(v as object)) if (typeof x !== "string") throw bad(`${n}.${k}`, x, "a string");
};
const isRules: Check = (v, n) => {
  isObject(v, n);
  for (const [k, x] of Object.entries(v as object)) {
    const setting = x as RuleSetting;
    if (Array.isArray(setting)) {
      isLevel(setting[0], `${n}.${k}[0]`);
      if (setting[1] !== undefined) isObject(setting[1], `${n}.${k}[1]`);
    } else isLevel(setting, `${n}.${k}`);
  }
};
const isArray: Check = (v, n) => {
  if (!Array.isArray(v)) throw bad(n, v, "an array");
};
const SANDBOX_KEYS: Record<string, Check> = {
  childProcess: isBool,
  workers: isBool,
  addons: isBool,
  read: isStrArray,
  write: isStrArray,
};
const isSandbox: Check = (v, n) => {
  if (typeof v === "boolean") return;
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad(n, v, "true, false or an object { childProcess, workers, addons, read, write }");
  for (const [k, x] of Object.entries(v as object)) {
    const check = SANDBOX_KEYS[k];
    if (!check) throw new ConfigError(`unknown key \`${n}.${k}\``, `known keys: ${Object.keys(SANDBOX_KEYS).join(", ")}`);
    check(x, `${n}.${k}`);
  }
};
const isLevelName = (v: unknown): boolean => typeof v === "string" && (CHECK_LEVELS as readonly string[]).includes(v);
/** A level, or page glob → level. */
const isLevelSetting: Check = (v, n) => {
  const expected = `${CHECK_LEVELS.map((l) => `"${l}"`).join(", ")}, or an object of page glob → level`;
  if (typeof v === "string") {
    if (!isLevelName(v)) throw bad(n, v, expected);
    return;
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad(n, v, expected);
  for (const [k, x] of Object.entries(v as object)) if (!isLevelName(x)) throw bad(`${n}["${k}"]`, x, CHECK_LEVELS.map((l) => `"${l}"`).join(", "));
};
const isCheckJsName = (v: unknown): boolean => typeof v === "boolean" || (typeof v === "string" && (CHECK_JS_MODES as readonly string[]).includes(v));
/** A JavaScript type-check mode (or a boolean), or page glob → one. */
const isCheckJsSetting: Check = (v, n) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    if (!isCheckJsName(v)) throw bad(n, v, '"typed", "full" (or true), "off" (or false), or an object of page glob → one of those');
    return;
  }
  for (const [k, x] of Object.entries(v)) if (!isCheckJsName(x)) throw bad(`${n}["${k}"]`, x, '"typed", "full" (or true), "off" (or false)');
};
/** One of `values`, or an object of page glob → one of them. */
const oneOrPerGlob = (values: readonly string[]): Check => (v, n) => {
  const one = values.map((x) => `"${x}"`).join(" or ");
  if (typeof v === "string") {
    if (!values.includes(v)) throw bad(n, v, `${one}, or an object of page glob → ${values.map((x) => `"${x}"`).join(" | ")}`);
    return;
  }
  isObject(v, n);
  for (const [k, x] of Object.entries(v as object)) if (typeof x !== "string" || !values.includes(x)) throw bad(`${n}["${k}"]`, x, one);
};
const isContext = oneOrPerGlob(["page", "none"]);
const isEnvironment = oneOrPerGlob(["node", "browser"]);
const isSetup: Check = (v, n) => {
  isObject(v, n);
  for (const [k, x] of Object.entries(v as object)) {
    if (typeof x !== "string" && !(Array.isArray(x) && x.every((f) => typeof f === "string"))) throw bad(`${n}["${k}"]`, x, "a file path or an array of file paths");
  }
};

/** The reporters `reporters` / `--reporter` accept; src/report/index.ts registers exactly these (its type says so). */
export const REPORTER_IDS = ["console", "json", "markdown", "junit", "sarif", "github", "html"] as const;
export type ReporterId = (typeof REPORTER_IDS)[number];
export const DEFAULT_REPORTERS: readonly ReporterId[] = ["console", "json", "markdown"];

/** `NAME[=PATH]`: a reporter and where its output goes (`-` = standard output). */
export function parseReporterSpec(spec: string): { id: string; path?: string } {
  const eq = spec.indexOf("=");
  if (eq < 0) return { id: spec.trim() };
  return { id: spec.slice(0, eq).trim(), path: spec.slice(eq + 1).trim() };
}

/** Every problem of a reporter list: unknown ids (did-you-mean), empty paths, conflicting paths, two on stdout. */
const isReporters: Check = (v, n) => {
  isStrArray(v, n);
  const ids: readonly string[] = REPORTER_IDS;
  const problems: ConfigError[] = [];
  const seen = new Map<string, string | undefined>();
  for (const r of v as string[]) {
    const { id, path: target } = parseReporterSpec(r);
    if (!ids.includes(id)) {
      const guess = closest(id, ids);
      problems.push(new ConfigError(`unknown reporter \`${id}\``, `${guess ? `did you mean \`${guess}\`? ` : ""}known reporters: ${ids.join(", ")}`));
    } else if (target === "") {
      problems.push(new ConfigError(`reporter \`${r}\` has an empty path`, `write \`${id}=FILE\`, \`${id}=-\` for standard output, or just \`${id}\``));
    } else if (seen.has(id) && seen.get(id) !== target) {
      problems.push(new ConfigError(`reporter \`${id}\` is given twice with different paths`, "give each reporter once"));
    }
    seen.set(id, target);
  }
  const toStdout = (v as string[]).map(parseReporterSpec).filter((r) => r.path === "-" || ((r.id === "console" || r.id === "github") && r.path === undefined));
  if (toStdout.some((r) => r.path === "-") && new Set(toStdout.map((r) => r.id)).size > 1) {
    problems.push(
      new ConfigError(
        `more than one reporter writes to standard output (${[...new Set(toStdout.map((r) => r.id))].join(", ")})`,
        "a report piped from `-` must be alone on stdout: give the others a file (`console=run.log`) or drop them",
      ),
    );
  }
  return problems;
};

export const DEFAULT_INCLUDE = ["docs/**/*.{md,mdx}", "README.md"];

const PAGES: readonly CommandName[] = ["check", "templates"];
const CHECK: readonly CommandName[] = ["check"];
/** Options that say where the project is and how reports are written: a run, and `merge-reports` of shard runs. */
const PAGES_AND_MERGE: readonly CommandName[] = ["check", "templates", "merge-reports"];
const REPORTING: readonly CommandName[] = ["check", "merge-reports"];

export const OPTIONS: readonly OptionSpec[] = [
  { key: "root", flag: "--root <dir>", commands: PAGES_AND_MERGE, type: "string", check: isStr,
    description: "Project root: pages, `tsconfig.json` and `node_modules` are resolved from it",
    defaultText:
      "the config file's directory; else, as ESLint and vitest do, the nearest directory from the current one up that holds a config file or `package.json` (not above the git repository's top); else the current directory" },
  { flag: "-c, --config <file>", commands: PAGES_AND_MERGE, type: "string",
    description: "Config file", defaultText: "`validate-docs.config.{ts,mts,mjs,js,json}` in the root" },
  { key: "include", type: "string[]", check: isStrArray, defaultValue: () => DEFAULT_INCLUDE,
    description:
      "Page globs, files or directories (on the command line: the positional paths); in a monorepo (`workspaces` in package.json, pnpm-workspace.yaml) each workspace package's README.md and docs are added, and with `include` set only those of packages with a config file of their own (see [docs/monorepos.md](monorepos.md#every-workspace-package-from-the-root))",
    defaultText: '["docs/**/*.{md,mdx}", "README.md"]' },
  { key: "exclude", type: "string[]", check: isStrArray, defaultValue: () => [], defaultText: "[]",
    description: "Extra ignore globs; `node_modules`, `.git`, the report directory and `.gitignore`d paths are always ignored" },
  { key: "tsconfig", flag: "--tsconfig <file>", type: "string", check: isStr,
    description: "`tsconfig.json` for the blocks' compiler options (its `include`/`files` are ignored: the blocks are the program); a page in a folder below the root that has its own `tsconfig.json` uses the nearest one (see [docs/monorepos.md](monorepos.md#a-tsconfig-per-package)); `--tsconfig` on the command line applies to every page",
    defaultText: "`<root>/tsconfig.json` when present" },
  { key: "out", flag: "-o, --out <dir>", commands: REPORTING, type: "string", check: isStr, defaultValue: () => "reports",
    description: "Report directory; it may not hold checked pages (exit 2), and a file there that validate-docs did not write is never overwritten (exit 2)",
    defaultText: "reports" },
  { key: "checkJs", flag: "--check-js [mode]", type: '"typed" | "full" | "off" | boolean, or page glob → one', check: isCheckJsSetting, defaultText: '"typed"',
    description:
      'How JavaScript blocks are type-checked: `"typed"` (misuse of typed APIs only), `"full"` or `true` (every diagnostic, as TypeScript\'s `checkJs`; the flag alone), `"off"` or `false` (syntax only); or per page glob (`{ "docs/legacy/**": "off" }`, the last matching glob wins); a block\'s `check-js=` attribute wins (see [docs/real-world.md](real-world.md#javascript-blocks))' },
  { key: "typescript", flag: "--typescript <mode>", type: '"6" | "auto" | "native"', check: isTypescriptMode, defaultValue: () => "6", defaultText: '"6"',
    description:
      'Which compiler finds the type errors: `"6"`, TypeScript 6 alone; `"native"`, the native TypeScript 7 compiler installed in the project (`typescript@7`, `typescript7`, `@typescript/native-preview`) finds the blocks with a diagnostic and TypeScript 6 reports them, so findings and codes stay TypeScript 6\'s (a warning when it cannot be used); `"auto"`, native when installed (see [docs/performance.md](performance.md#the-native-typescript-7-fast-path))' },
  { key: "typecheck", flag: "--no-typecheck", type: "boolean", check: isBool, defaultValue: () => true, defaultText: "true",
    description: "Run the type-check stage", flagHelp: "Skip the type-check stage" },
  { key: "run", flag: "--no-run", type: "boolean", check: isBool, defaultValue: () => true, defaultText: "true",
    description: "Run the blocks", flagHelp: "Skip running blocks" },
  { key: "lint", flag: "--no-lint", type: "boolean", check: isBool, defaultValue: () => true, defaultText: "true",
    description: "Run the lint rules", flagHelp: "Skip lint rules" },
  { key: "cache", flag: "--no-cache", type: "boolean", check: isBool, defaultValue: () => true, defaultText: "true",
    description: "Reuse the results of unchanged blocks and pages from `node_modules/.cache/validate-docs` (see [docs/performance.md](performance.md#result-cache))",
    flagHelp: "Check everything again instead of reusing unchanged results (node_modules/.cache/validate-docs)" },
  { key: "timeout", flag: "--timeout <ms>", type: "number | string", check: isDuration, defaultValue: () => 10_000, defaultText: "10000",
    description: 'Per-block run timeout: milliseconds or a duration like `"5s"` (attribute `timeout=…` per block)' },
  { key: "concurrency", flag: "--concurrency <n>", type: "integer", check: isPosInt,
    defaultValue: () => Math.max(1, os.availableParallelism?.() ?? os.cpus().length), defaultText: "number of cores",
    description: "Pages run in parallel" },
  { key: "memoryLimit", flag: "--memory-limit <mb>", type: "integer", check: isPosInt, defaultValue: () => 512, defaultText: "512",
    description: "Heap cap of each page (its worker thread, or its process), in MB" },
  { key: "warnings", flag: "--warnings <level>", type: '"error" | "warn" | "off"', check: isLevel, defaultValue: () => "error",
    defaultText: '"error"', description: "Warnings printed by dependency code while a block runs: `error`, `warn` or `off`" },
  { key: "allowWarnings", type: "string[]", check: isStrArray, defaultValue: () => [], defaultText: "[]",
    description: "Accepted warning texts: substrings, or `/regex/` strings" },
  { key: "env", type: "Record<string, string>", check: isStrRecord, defaultValue: () => ({}), defaultText: "{}",
    description: 'Env vars given to run processes (placeholders for secrets: `{ OPENAI_API_KEY: "sk-test" }`)' },
  { key: "passEnv", type: "string[]", check: isStrArray, defaultValue: () => [], defaultText: "[]",
    description: "Names of env vars passed through from the parent environment" },
  { key: "network", type: "string[]", check: isStrArray, defaultValue: () => [], defaultText: "[]",
    description:
      'Hosts examples may reach while running: `"api.example.com"`, `"*.example.com"`, `"host:port"`, `"localhost"` (every loopback address), `"*"` (everything); a server the example starts itself is always reachable (see [docs/running.md](running.md#network))' },
  { key: "sandbox", type: "boolean | { childProcess, workers, addons, read, write }", check: isSandbox, defaultText: "true",
    description:
      "The permission sandbox of run processes (Node's permission model): examples may read the project and every `node_modules` above it, write only to the page's temp dir, and may not start processes, worker threads or native addons; `false` turns it off, `{ childProcess, workers, addons, read, write }` opens what examples need (see [docs/security.md](security.md))" },
  { key: "isolate", flag: "--isolate <mode>", type: '"worker" | "process"', check: isIsolate, defaultValue: () => "worker", defaultText: '"worker"',
    description:
      'How pages are isolated from each other when run: `"worker"`, a fresh worker thread per page in long-lived runner processes and a fresh process only for the pages that need one; `"process"`, a fresh process per page (see [docs/running.md](running.md#isolation-threads-and-processes))' },
  { key: "rules", type: "Record<string, RuleSetting>", check: isRules, defaultValue: () => ({}), defaultText: "built-in defaults",
    description: 'Rule levels and options: `"error"`, `"warn"`, `"off"` or `["error", { … }]`' },
  { key: "plugins", type: "Record<string, RuleModuleRef>", check: isObject, defaultValue: () => ({}), defaultText: "{}",
    description: 'User rule modules: `{ "my-rule": "./rules/my-rule.ts" }` (see [docs/custom-rules.md](custom-rules.md))' },
  { key: "bannedApis", type: "BannedApi[]", check: isArray, defaultValue: () => [], defaultText: "[]",
    description: "Declarative bans for the `no-banned-api` rule" },
  { key: "templates", type: "TemplateSet[]", check: isArray, defaultValue: () => [], defaultText: "[]",
    description: "Guide template sets (see [docs/templates.md](templates.md))" },
  { key: "setup", type: "Record<string, string | string[]>", check: isSetup, defaultText: "{}",
    description:
      'Setup files ([docs/attributes.md](attributes.md#setup)) per page glob, run and seen before every block of a matching page, like hidden setup in the page: `{ "docs/sdk/**": "docs/sdk/setup.ts" }` (paths relative to the root; a missing file is a configuration error)' },
  { key: "context", type: '"page" | "none" | Record<string, "page" | "none">', check: isContext, defaultText: '"page"',
    description:
      'Page context ([docs/attributes.md](attributes.md#page-context)): `"page"` lets a block see the imports and declarations of the earlier blocks on its page, `"none"` checks each block alone; or per page glob `{ "docs/reference/**": "none" }` (the last matching glob wins)' },
  { key: "environment", type: '"node" | "browser" | Record<string, "node" | "browser">', check: isEnvironment, defaultText: '"node"',
    description:
      'Where blocks run: `"node"`, or `"browser"` to run them under a DOM implementation (happy-dom or jsdom, installed in your project); or per page glob `{ "docs/web/**": "browser" }` (the last matching glob wins); `env=` on a block or `env-file=` on a page wins (see [docs/real-world.md](real-world.md#browser-code))' },
  { key: "level", type: 'CheckLevel | Record<string, CheckLevel>', check: isLevelSetting, defaultText: '"run"',
    description:
      'The deepest check blocks get: `"parse"`, `"resolve"`, `"typecheck"` or `"run"`, or per page glob (`{ "docs/reference/**": "typecheck" }`, the last matching glob wins); a block\'s `level=` attribute wins (see [docs/real-world.md](real-world.md#check-levels))' },
  { key: "strict", flag: "--strict", type: "boolean", check: isBool, defaultValue: () => false, defaultText: "false",
    description:
      "Every block must reach the run level or carry an explicit attribute (`skip`, `no-run`, `level=…`; a config `level` counts); anything else is a `grade/below-run` error, and a block that needs the network is an error" },
  { key: "pack", flag: "--pack", commands: CHECK, type: "boolean", check: isBool, defaultValue: () => false, defaultText: "false",
    description:
      "Also check the pages as a user of the published package would: `npm pack` the repository's packages the docs import, install the tarballs in a clean temporary project and check and run the pages there; what fails only there is a `pack/…` error (see [docs/monorepos.md](monorepos.md#the-consumers-view---pack))" },
  { key: "reporters", flag: "--reporter <name[=path]>", commands: REPORTING, type: "string[]", check: isReporters,
    defaultValue: () => [...DEFAULT_REPORTERS], defaultText: '["console", "json", "markdown"]',
    description:
      "Reports to produce: `console`, `json`, `markdown`, `junit`, `sarif`, `github`, `html` (flag: comma-separated or repeated); files go to `--out`; `NAME=PATH` sends one elsewhere (a file for junit, sarif and html, a directory for json and markdown; `-` = standard output, `json=-` prints the whole result), see [docs/reports.md](reports.md)" },
  { flag: "--update", commands: CHECK, type: "boolean",
    description: "Rewrite expected `output` fences in the Markdown with the actual output" },
  { flag: "--fix", commands: CHECK, type: "boolean",
    description: "Apply rule fixes to the Markdown (only the changed spans are touched)" },
  { flag: "--max-warnings <n>", commands: CHECK, type: "integer",
    description: "As in ESLint: more than n warnings fail the run (exit 1, and a line on stderr says so); `--max-warnings 0` makes any warning fail",
    defaultText: "no limit" },
  { flag: "--bail", commands: CHECK, type: "boolean",
    description:
      "Stop at the first error, as vitest's `--bail`: an error from the type-check or lint means no example runs, and once a page's run has an error no further page starts (running ones finish); blocks that did not run are reported as skipped" },
  { flag: "--changed <ref>", commands: CHECK, type: "string",
    description:
      "Only check what a change against a git ref can break: changed pages, pages importing changed local code, all pages when tsconfig/package.json/lockfile/config changed (see [`--changed`](#--changed))" },
  { key: "baseline", flag: "--baseline <file>", commands: CHECK, type: "string", check: isStr, defaultText: "none",
    description:
      "Known failures: errors recorded in this file (page, block, rule) do not fail the gate, new ones do; entries that no longer fail are reported as removable (see [docs/ci.md](ci.md#turning-the-gate-on-for-a-big-site-baseline))" },
  { flag: "--update-baseline", commands: CHECK, type: "boolean",
    description: "Write the baseline: shrink it to what still fails (create it when missing); new failures are added only with `--force`" },
  { flag: "--force", commands: CHECK, type: "boolean", description: "With `--update-baseline`: also add today's new failures to the baseline" },
  { flag: "--shard <k/n>", commands: CHECK, type: "string",
    description:
      "Check only part k of n of the pages (deterministic, balanced by code blocks, pages kept whole); join the shards' report directories with `validate-docs merge-reports DIR…` (see [docs/ci.md](ci.md#shards-on-a-job-matrix))" },
  { flag: "--watch", commands: CHECK, type: "boolean",
    description:
      "Keep running: after the first run, check again on every change to a page, template, module or JSON file under the root (not under `node_modules`, the report dir or a directory whose name starts with a dot) and print only the pages whose result changed, then the summary; the result cache re-checks what a change reaches (the page, later blocks that see an edited block, pages importing a changed local module or using a changed setup file); reports are rewritten each time; the configuration is read once; Ctrl-C stops it (exit 130)" },
  { flag: "--templates", commands: CHECK, type: "boolean",
    description: "Validate guide templates (from config `templates`; on by default when the config has template sets; exit 2 if none)" },
  { flag: "--no-color", commands: ["check", "templates", "merge-reports", "init-hook"], type: "boolean", description: "Disable colors" },
  { flag: "-q, --quiet", commands: PAGES_AND_MERGE, type: "boolean",
    description: "Print only the error lines and the summary line (no code frames, hints or warnings); no progress line on a terminal" },
  // `templates render`
  { flag: "--out <dir>", commands: ["templates"], type: "string",
    description: "Directory for the rendered pages", defaultText: "each template set's `output` path" },
  { flag: "--force", commands: ["templates"], type: "boolean",
    description: "Write the rendered pages even when checks fail (the exit code still reports the errors)" },
  // `init-hook`
  { flag: "--root <dir>", commands: ["init-hook"], type: "string", description: "Repository root", defaultText: "the current directory" },
  { flag: "-c, --config <file>", commands: ["init-hook"], type: "string",
    description: "Config file the hook passes to validate-docs", defaultText: "found in the root" },
  { flag: "--command <cmd>", commands: ["init-hook"], type: "string",
    description: "Command the hook runs", defaultText: "`npx --no-install validate-docs`" },
];

/** The options a command takes, in table order. */
export function optionsOf(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.flag && (o.commands ?? PAGES).includes(command));
}

/** The config options (those with a key), by key. */
export const CONFIG_OPTIONS: ReadonlyMap<keyof UserConfig, OptionSpec> = new Map(
  OPTIONS.filter((o) => o.key).map((o) => [o.key!, o]),
);

/**
 * Markdown → the text --help and the JSDoc show: code spans stay, links keep their text, and in the JSDoc name the
 * doc page unless the text already does (`[running](running.md#network)` → "running (docs/running.md#network)").
 */
export function plain(markdown: string, form: "help" | "jsdoc" = "help"): string {
  return markdown.replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, label: string, href: string) => {
    if (form === "help" || href.startsWith("#") || label.includes(href.split("#")[0]!)) return label;
    return `${label} (docs/${href})`;
  });
}

/** `--help` text of an option: its description and default. */
export function helpText(o: OptionSpec): string {
  if (o.flagHelp) return o.flagHelp;
  const description = plain(o.description);
  return o.defaultText === undefined ? description : `${description} (default: ${plain(o.defaultText)})`;
}

/** The default value of a config option (throws for an option without a plain default: a bug in the table). */
export function defaultOf<K extends keyof UserConfig>(key: K): NonNullable<UserConfig[K]> {
  const value = CONFIG_OPTIONS.get(key)?.defaultValue;
  if (!value) throw new Error(`option table: \`${key}\` has no defaultValue`);
  return value() as NonNullable<UserConfig[K]>;
}

/** The JSDoc text UserConfig must carry for an option (test/config/options.test.ts compares them). */
export function jsdocText(o: OptionSpec): string {
  const description = plain(o.description, "jsdoc");
  return o.defaultText === undefined ? `${description}.` : `${description}. Default: ${plain(o.defaultText, "jsdoc")}.`;
}

/** A default that is a value (`512`, `"error"`, `[]`, `reports`) rather than prose ("number of cores"). */
function literal(text: string): boolean {
  return /^[[{"\d]|^(true|false)$|^[\w.-]+$/.test(text) && !/ (of|when|else|in) /.test(text);
}

/** The options table of docs/configuration.md (between its `options-table` markers). */
export function optionsMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const code = (s: string) => `\`${s}\``;
  const flagCell = (flag: string) => code(flag.replace(/<([^>]+)>/g, (_, arg: string) => arg.toUpperCase()));
  const rows = ["| option | CLI flag | type | default | meaning |", "| --- | --- | --- | --- | --- |"];
  const seen = new Set<string>();
  for (const o of OPTIONS) {
    const flag = o.flag && !(o.commands ?? PAGES).includes("check") ? undefined : o.flag;
    if (!o.key && !flag) continue;
    const id = o.key ?? flag!;
    if (seen.has(id)) continue;
    seen.add(id);
    const flagText = flag ? flagCell(flag) + (o.key && o.flagHelp ? ` (${o.flagHelp.charAt(0).toLowerCase()}${o.flagHelp.slice(1)})` : "") : o.key === "include" ? "positional paths" : "—";
    const defaultText = o.defaultText === undefined ? "" : literal(o.defaultText) ? code(o.defaultText) : o.defaultText;
    rows.push(`| ${o.key ? code(o.key) : "—"} | ${cell(flagText)} | ${cell(code(o.type))} | ${cell(defaultText)} | ${cell(o.description)} |`);
  }
  return rows.join("\n");
}
