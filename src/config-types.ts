// The user-facing configuration shape (validate-docs.config.{ts,mjs,js,json}) and its resolved form.
// Every option is documented in docs/configuration.md with its default.
import type { CheckJsMode, CheckLevel, RunEnv } from "./types.js";

/** A JavaScript type-check mode as written in a config: a mode name, or a boolean (`true` = "full", `false` = "off"). */
export type CheckJsSetting = CheckJsMode | boolean;

export type RuleLevel = "error" | "warn" | "off";
export type ContextMode = "page" | "none";
export type RuleSetting = RuleLevel | [RuleLevel, Record<string, unknown>?];

/** A declarative ban, used by the `no-banned-api` rule. */
export interface BannedApi {
  /** Package or path the banned thing is imported from, e.g. `@acme/tracer`. */
  module: string;
  /** A named export (`init`, `Tracer.init` for a static member); omit to ban the whole import path. */
  export?: string;
  /** A property of an object literal argument of a call of `export` (e.g. `instrumentors`). */
  property?: string;
  message: string;
  /** Replacement text for the banned identifier/path; enables `--fix`. */
  replaceWith?: string;
}

export interface TemplateSet {
  /** Glob(s) of template files, relative to the root, e.g. `templates/**\/*.md.hbs`. */
  files: string | string[];
  /** Variants: a JSON/YAML file path, or an inline array of data objects. */
  variants: string | Record<string, unknown>[];
  /** Output path pattern for a rendered page, e.g. `docs/integrations/{{provider}}.md`. */
  output?: string;
  /** Variant key used as its name (default: `name`, then `id`, then the first string value). */
  variantName?: string;
  /** Partials: name → file path (relative to root), or a glob whose file base names become partial names. */
  partials?: Record<string, string> | string;
  /** Helper functions (only from a JS/TS config). */
  helpers?: Record<string, (...args: unknown[]) => unknown>;
  /** Template engine id (default `handlebars`). */
  engine?: string;
}

/** A user rule module's shape is `Rule` from src/lint; kept opaque here to avoid a stage import. */
export type RuleModuleRef = string | { default: unknown } | unknown | Promise<unknown>;

export interface UserConfig {
  // Generated from the option table (src/options.ts) by `npm run gen:docs`; test/config/options.test.ts checks it.
  /**
   * Project root: pages, `tsconfig.json` and `node_modules` are resolved from it. Default: the config file's directory;
   * else, as ESLint and vitest do, the nearest directory from the current one up that holds a config file or
   * `package.json` (not above the git repository's top); else the current directory.
   */
  root?: string;
  /**
   * Page globs, files or directories (on the command line: the positional paths); in a monorepo (`workspaces` in
   * package.json, pnpm-workspace.yaml) each workspace package's README.md and docs are added, and with `include` set
   * only those of packages with a config file of their own (see docs/monorepos.md). Default: ["docs/**\/*.{md,mdx}",
   * "README.md"].
   */
  include?: string[];
  /**
   * Extra ignore globs; `node_modules`, `.git`, the report directory and `.gitignore`d paths are always ignored.
   * Default: [].
   */
  exclude?: string[];
  /**
   * `tsconfig.json` for the blocks' compiler options (its `include`/`files` are ignored: the blocks are the program); a
   * page in a folder below the root that has its own `tsconfig.json` uses the nearest one (see docs/monorepos.md);
   * `--tsconfig` on the command line applies to every page. Default: `<root>/tsconfig.json` when present.
   */
  tsconfig?: string;
  /**
   * Report directory; it may not hold checked pages (exit 2), and a file there that validate-docs did not write is
   * never overwritten (exit 2). Default: reports.
   */
  out?: string;
  /**
   * How JavaScript blocks are type-checked: `"typed"` (misuse of typed APIs only), `"full"` or `true` (every
   * diagnostic, as TypeScript's `checkJs`; the flag alone), `"off"` or `false` (syntax only); or per page glob (`{
   * "docs/legacy/**": "off" }`, the last matching glob wins); a block's `check-js=` attribute wins (see
   * docs/real-world.md). Default: "typed".
   */
  checkJs?: CheckJsSetting | Record<string, CheckJsSetting>;
  /**
   * Which compiler finds the type errors: `"6"`, TypeScript 6 alone; `"native"`, the native TypeScript 7 compiler
   * installed in the project (`typescript@7`, `typescript7`, `@typescript/native-preview`) finds the blocks with a
   * diagnostic and TypeScript 6 reports them, so findings and codes stay TypeScript 6's (a warning when it cannot be
   * used); `"auto"`, native when installed (see docs/performance.md). Default: "6".
   */
  typescript?: "6" | "auto" | "native";
  /** Run the type-check stage. Default: true. */
  typecheck?: boolean;
  /** Run the blocks. Default: true. */
  run?: boolean;
  /** Run the lint rules. Default: true. */
  lint?: boolean;
  /**
   * Reuse the results of unchanged blocks and pages from `node_modules/.cache/validate-docs` (see docs/performance.md).
   * Default: true.
   */
  cache?: boolean;
  /**
   * Per-block run timeout: milliseconds or a duration like `"5s"` (attribute `timeout=…` per block). Default: 10000.
   */
  timeout?: number | string;
  /** Pages run in parallel. Default: number of cores. */
  concurrency?: number;
  /** Heap cap of each page (its worker thread, or its process), in MB. Default: 512. */
  memoryLimit?: number;
  /** Warnings printed by dependency code while a block runs: `error`, `warn` or `off`. Default: "error". */
  warnings?: RuleLevel;
  /** Accepted warning texts: substrings, or `/regex/` strings. Default: []. */
  allowWarnings?: string[];
  /** Env vars given to run processes (placeholders for secrets: `{ OPENAI_API_KEY: "sk-test" }`). Default: {}. */
  env?: Record<string, string>;
  /** Names of env vars passed through from the parent environment. Default: []. */
  passEnv?: string[];
  /**
   * Hosts examples may reach while running: `"api.example.com"`, `"*.example.com"`, `"host:port"`, `"localhost"` (every
   * loopback address), `"*"` (everything); a server the example starts itself is always reachable (see
   * docs/running.md). Default: [].
   */
  network?: string[];
  /**
   * The permission sandbox of run processes (Node's permission model): examples may read the project and every
   * `node_modules` above it, write only to the page's temp dir, and may not start processes, worker threads or native
   * addons; `false` turns it off, `{ childProcess, workers, addons, read, write }` opens what examples need (see
   * docs/security.md). Default: true.
   */
  sandbox?: boolean | SandboxConfig;
  /**
   * How pages are isolated from each other when run: `"worker"`, a fresh worker thread per page in long-lived runner
   * processes and a fresh process only for the pages that need one; `"process"`, a fresh process per page (see
   * docs/running.md). Default: "worker".
   */
  isolate?: "worker" | "process";
  /** Rule levels and options: `"error"`, `"warn"`, `"off"` or `["error", { … }]`. Default: built-in defaults. */
  rules?: Record<string, RuleSetting>;
  /** User rule modules: `{ "my-rule": "./rules/my-rule.ts" }` (see docs/custom-rules.md). Default: {}. */
  plugins?: Record<string, RuleModuleRef>;
  /** Declarative bans for the `no-banned-api` rule. Default: []. */
  bannedApis?: BannedApi[];
  /** Guide template sets (see docs/templates.md). Default: []. */
  templates?: TemplateSet[];
  /**
   * Setup files (docs/attributes.md) per page glob, run and seen before every block of a matching page, like hidden
   * setup in the page: `{ "docs/sdk/**": "docs/sdk/setup.ts" }` (paths relative to the root; a missing file is a
   * configuration error). Default: {}.
   */
  setup?: Record<string, string | string[]>;
  /**
   * Page context (docs/attributes.md): `"page"` lets a block see the imports and declarations of the earlier blocks on
   * its page, `"none"` checks each block alone; or per page glob `{ "docs/reference/**": "none" }` (the last matching
   * glob wins). Default: "page".
   */
  context?: ContextMode | Record<string, ContextMode>;
  /**
   * Where blocks run: `"node"`, or `"browser"` to run them under a DOM implementation (happy-dom or jsdom, installed in
   * your project); or per page glob `{ "docs/web/**": "browser" }` (the last matching glob wins); `env=` on a block or
   * `env-file=` on a page wins (see docs/real-world.md). Default: "node".
   */
  environment?: RunEnv | Record<string, RunEnv>;
  /**
   * The deepest check blocks get: `"parse"`, `"resolve"`, `"typecheck"` or `"run"`, or per page glob (`{
   * "docs/reference/**": "typecheck" }`, the last matching glob wins); a block's `level=` attribute wins (see
   * docs/real-world.md). Default: "run".
   */
  level?: CheckLevel | Record<string, CheckLevel>;
  /**
   * Every block must reach the run level or carry an explicit attribute (`skip`, `no-run`, `level=…`; a config `level`
   * counts); anything else is a `grade/below-run` error, and a block that needs the network is an error. Default:
   * false.
   */
  strict?: boolean;
  /**
   * Also check the pages as a user of the published package would: `npm pack` the repository's packages the docs
   * import, install the tarballs in a clean temporary project and check and run the pages there; what fails only there
   * is a `pack/…` error (see docs/monorepos.md). Default: false.
   */
  pack?: boolean;
  /**
   * Reports to produce: `console`, `json`, `markdown`, `junit`, `sarif`, `github`, `html` (flag: comma-separated or
   * repeated); files go to `--out`; `NAME=PATH` sends one elsewhere (a file for junit, sarif and html, a directory for
   * json and markdown; `-` = standard output, `json=-` prints the whole result), see docs/reports.md. Default:
   * ["console", "json", "markdown"].
   */
  reporters?: string[];
  /**
   * Known failures: errors recorded in this file (page, block, rule) do not fail the gate, new ones do; entries that no
   * longer fail are reported as removable (see docs/ci.md). Default: none.
   */
  baseline?: string;
}

export interface SandboxConfig {
  /** Allow child processes (spawn, exec, fork). */
  childProcess?: boolean;
  /** Allow worker threads. */
  workers?: boolean;
  /** Allow native addons. */
  addons?: boolean;
  /** More paths examples may read (relative to the root). */
  read?: string[];
  /** More paths examples may write (relative to the root). */
  write?: string[];
}

/** The sandbox as the run stage applies it: absolute paths, every switch decided. */
export interface ResolvedSandbox {
  childProcess: boolean;
  workers: boolean;
  addons: boolean;
  read: string[];
  write: string[];
}

/** A package of the repository (a workspace package, or a folder with its own validate-docs config). */
export interface WorkspacePackage {
  /** Its folder, relative to the root (posix). */
  dir: string;
  /** The `name` in its package.json. */
  name?: string;
  /** Its own validate-docs config file (absolute), when it has one. */
  configFile?: string;
  /** The tsconfig its config file names (absolute). */
  tsconfig?: string;
  /** Its page globs, relative to the root. */
  include: string[];
  exclude: string[];
}

export interface ResolvedConfig {
  root: string;
  configFile?: string;
  include: string[];
  exclude: string[];
  /** The root's tsconfig (absolute): pages with no nearer tsconfig.json use it. */
  tsconfig?: string;
  /** `--tsconfig` was given on the command line: every page uses `tsconfig`, nearer ones are not looked for. */
  tsconfigForAll?: boolean;
  /** Workspace packages (npm/yarn `workspaces`, pnpm-workspace.yaml) and folders with their own config file. */
  packages?: WorkspacePackage[];
  out: string;
  /** JavaScript type-check mode per page glob, in order (the last match wins; none → "typed"). */
  checkJs: { glob: string; mode: CheckJsMode }[];
  typecheck: boolean;
  run: boolean;
  lint: boolean;
  timeout: number;
  concurrency: number;
  memoryLimit: number;
  warnings: RuleLevel;
  allowWarnings: string[];
  env: Record<string, string>;
  passEnv: string[];
  network: string[];
  /** false: off. */
  sandbox: ResolvedSandbox | false;
  isolate: "worker" | "process";
  typescript: "6" | "auto" | "native";
  rules: Record<string, RuleSetting>;
  plugins: Record<string, unknown>;
  bannedApis: BannedApi[];
  templates: TemplateSet[];
  /** Page context default per page glob, in order (the last match wins); `**` first when set as one value. */
  context: { glob: string; mode: ContextMode }[];
  /** Run environment default per page glob, in order (the last match wins); `**` first when set as one value. */
  environments: { glob: string; env: RunEnv }[];
  /** Setup files (root-relative posix paths) per page glob, in config order. */
  setup: { glob: string; files: string[] }[];
  reporters: string[];
  /** Reuse unchanged results (src/cache); absent means on. */
  cache?: boolean;
  /** Where a reporter's output goes when a path was given: absolute, or `-` for standard output. */
  reporterPaths: Record<string, string>;
  /** Level defaults per page glob, in order (a plain level is one entry for `**`). */
  levels: { glob: string; level: CheckLevel }[];
  strict: boolean;
  /** `--pack`: check the pages against the packed package(s) too. */
  pack?: boolean;
  /** CLI-only switches. */
  update: boolean;
  fix: boolean;
  changed?: string;
  /** `--max-warnings N`: more warnings than N fail the run (exit 1). */
  maxWarnings?: number;
  /** `--bail`: stop at the first error (no further examples start). */
  bail?: boolean;
  /** Absolute path of the baseline file, when one is used. */
  baseline?: string;
  /** `--update-baseline`: shrink the baseline to what still fails (create it when missing). */
  updateBaseline?: boolean;
  /** `--force`: with --update-baseline, also add new failures. */
  force?: boolean;
  /** `--shard k/n`: check only this part of the pages. */
  shard?: { index: number; total: number };
}
