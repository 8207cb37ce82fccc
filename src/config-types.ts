// The user-facing configuration shape (validate-docs.config.{ts,mjs,js,json}) and its resolved form.
// Every option is documented in docs/configuration.md with its default.
import type { CheckLevel } from "./types.js";

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
  /** Project root; paths are relative to it. Default: the config file's directory, or cwd. */
  root?: string;
  /** Page globs. Default: `docs/**\/*.{md,mdx}` and `README.md`. */
  include?: string[];
  /** Extra ignore globs (node_modules, the report dir and .gitignore'd paths are always ignored). */
  exclude?: string[];
  /** tsconfig path relative to the root. Default: `tsconfig.json` at the root when present. */
  tsconfig?: string;
  /** Report directory. Default: `reports`. */
  out?: string;
  /** Type-check JavaScript blocks too. Default: false. */
  checkJs?: boolean;
  /** Stages to run. Default: all true. */
  typecheck?: boolean;
  run?: boolean;
  lint?: boolean;
  /** Per-block run timeout: ms, or a duration like "5s". Default: 10000. */
  timeout?: number | string;
  /** Pages run in parallel. Default: number of cores. */
  concurrency?: number;
  /** Memory cap per run process (MB). Default: 512. */
  memoryLimit?: number;
  /** Warnings printed by dependency code while running. Default: "error". */
  warnings?: RuleLevel;
  /** Warning texts that are accepted (substring or /regex/ string). */
  allowWarnings?: string[];
  /** Extra env vars for run processes: name → value (placeholders for secrets). */
  env?: Record<string, string>;
  /** Names of parent env vars passed through to run processes. */
  passEnv?: string[];
  /**
   * Hosts examples may reach while running: `api.example.com`, `*.example.com`, `host:port`, `localhost` (every
   * loopback address), `*` (everything). Default: none (a server the example starts itself is always reachable).
   */
  network?: string[];
  /**
   * The permission sandbox of run processes (Node's permission model). Default on: examples may read the project
   * and every node_modules above it, write only to the page's temp dir, and may not start processes, worker
   * threads or native addons. `false` turns it off; an object opens what examples need.
   */
  sandbox?: boolean | SandboxConfig;
  /** Rules: id → level or [level, options]. */
  rules?: Record<string, RuleSetting>;
  /** User rule modules: id → module path (relative to root) or an imported module. */
  plugins?: Record<string, RuleModuleRef>;
  /** Declarative bans for `no-banned-api`. */
  bannedApis?: BannedApi[];
  templates?: TemplateSet[];
  /**
   * Page context (docs/attributes.md): `"page"` (default: a block sees the imports and declarations of the earlier
   * blocks of its page) or `"none"`, for every page or per glob: `{ "docs/reference/**": "none" }` (the last
   * matching glob wins).
   */
  context?: ContextMode | Record<string, ContextMode>;
  /**
   * Setup files per page glob: `{ "docs/sdk/**": "docs/sdk/setup.ts" }` (paths relative to the root). Their code
   * comes before every block of a matching page, for checking and running, like hidden setup in the page.
   */
  setup?: Record<string, string | string[]>;
  /**
   * Reporters written on every run, each `NAME` or `NAME=PATH` (`-` = standard output; a file for junit, sarif and
   * html, a directory for json and markdown). Default: ["console", "json", "markdown"].
   */
  reporters?: string[];
  /** Reuse results of unchanged blocks and pages from node_modules/.cache/validate-docs. Default: true. */
  cache?: boolean;
  /**
   * The deepest check blocks get (`parse`, `resolve`, `typecheck`, `run`), for every page or per page glob
   * (`{ "docs/reference/**": "typecheck" }`; the last matching glob wins). A block's `level=` attribute wins.
   * Default: "run".
   */
  level?: CheckLevel | Record<string, CheckLevel>;
  /** Every block must reach `run` or carry an explicit attribute (skip, no-run, level=…). Default: false. */
  strict?: boolean;
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

export interface ResolvedConfig {
  root: string;
  configFile?: string;
  include: string[];
  exclude: string[];
  tsconfig?: string;
  out: string;
  checkJs: boolean;
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
  rules: Record<string, RuleSetting>;
  plugins: Record<string, unknown>;
  bannedApis: BannedApi[];
  templates: TemplateSet[];
  /** Page context default per page glob, in order (the last match wins); `**` first when set as one value. */
  context: { glob: string; mode: ContextMode }[];
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
  /** CLI-only switches. */
  update: boolean;
  fix: boolean;
  changed?: string;
  /** `--max-warnings N`: more warnings than N fail the run (exit 1). */
  maxWarnings?: number;
  /** `--bail`: stop at the first error (no further examples start). */
  bail?: boolean;
}
