// The templates step before the one pipeline: load template sets, render every variant in memory (each page
// carries its origin map) and hand the rendered pages and the template errors to `check()`, whose merge step
// maps findings back to template lines and groups them (`result.templates`).
// Also `--changed <ref>` (git-changed pages, plus templates whose file, partials or variants changed).
import path from "node:path";
import { changedCode, changesEverything } from "../changed.js";
import type { ResolvedConfig } from "../config-types.js";
import { UsageError } from "../errors.js";
import { check, type CheckRun } from "../pipeline.js";
import type { Progress } from "../progress.js";
import type { Finding } from "../types.js";
// Through index.js, so the built-in Handlebars engine is registered before any set loads.
import type { RenderResult } from "./render.js";
import { changedFiles, selectChanged } from "./hook.js";
import { escapeGlob, toPosix } from "../util/paths.js";

export interface TemplateCheckOptions {
  /** Positional paths/globs (relative to `base`); empty → config.include. */
  paths?: string[];
  base?: string;
  /** `--templates`: the config must have template sets (a usage error otherwise). */
  requireTemplates?: boolean;
  /** Check only the rendered variants, not the pages on disk (`templates render`). */
  templatesOnly?: boolean;
  /** `--changed <ref>`. */
  changed?: string;
  progress?: Progress;
}

export interface TemplateCheck {
  run: CheckRun;
  rendered: RenderResult;
  /** Template-stage findings (loading and rendering); also in `run.result`. */
  templateFindings: Finding[];
}


/** check() with the config's template sets rendered in and `--changed` applied. */
export async function checkWithTemplates(config: ResolvedConfig, opts: TemplateCheckOptions = {}): Promise<TemplateCheck> {
  if (opts.requireTemplates && !config.templates.length) {
    throw new UsageError(
      `--templates was given but ${config.configFile ? path.basename(config.configFile) : "the config (none found)"} has no \`templates\``,
      'add a template set, e.g. "templates": [{ "files": "templates/*.md.hbs", "variants": "templates/variants.json" }] (see docs/templates.md)',
    );
  }
  // Pages named on the command line are checked alone; templates join them only with --templates.
  const pagesOnly = Boolean(opts.paths?.length) && !opts.requireTemplates && !opts.templatesOnly;
  // The template engines (Handlebars) load only when there are templates to render.
  const templates = config.templates.length && !pagesOnly ? await import("./index.js") : undefined;
  const loaded = templates ? await templates.loadTemplateSets(config) : { sets: [], findings: [] };
  let sets = loaded.sets;
  let changed: Set<string> | undefined;
  const ref = opts.changed ?? config.changed;
  const configFile = config.configFile ? toPosix(path.relative(config.root, config.configFile)) : undefined;
  if (ref) {
    // The reports of an earlier run are not a change to the project.
    const out = toPosix(path.relative(config.root, config.out));
    changed = new Set([...changedFiles(config.root, ref)].filter((f) => out.startsWith("..") || !(f === out || f.startsWith(`${out}/`))));
    // A changed config, tsconfig, package.json or lockfile can change what every page means: check everything.
    const tsconfig = config.tsconfig ? toPosix(path.relative(config.root, config.tsconfig)) : undefined;
    if (changesEverything(changed, { configFile, tsconfig })) changed = undefined;
    else sets = selectChanged(sets, [], changed, { configFile }).sets;
  }
  const rendered: RenderResult = templates ? templates.renderVariants(sets) : { pages: [], findings: [] };
  // Loading problems are few and cheap to report; they are kept even under --changed (never drop a finding).
  const templateFindings = [...loaded.findings, ...rendered.findings];
  const renderedPaths = rendered.pages.map((p) => p.path);

  let only: Set<string> | undefined;
  if (opts.templatesOnly) only = new Set(renderedPaths);
  else if (changed) only = new Set([...changed, ...renderedPaths]);
  // A generated page committed to disk at a rendered page's path is the same page: check the in-memory one only.
  const effective = renderedPaths.length ? { ...config, exclude: [...config.exclude, ...renderedPaths.map(escapeGlob)] } : config;
  const run = await check(effective, {
    paths: opts.paths,
    base: opts.base,
    extraPages: rendered.pages,
    templateFindings,
    only,
    codeChanged: !opts.templatesOnly && changed !== undefined && changedCode(changed).length > 0,
    shard: config.shard,
    progress: opts.progress,
  });
  return { run, rendered, templateFindings };
}

