// Template sets from the config: template files (globs), variants (file or inline), partials, helpers.
// Problems become findings on the file and line they are about; loading never throws for bad user input.
import { readFileSync } from "node:fs";
import path from "node:path";
import { glob } from "tinyglobby";
import YAML from "yaml";
import type { ResolvedConfig, TemplateSet } from "../config-types.js";
import type { Finding, Severity } from "../types.js";
import type { TemplateEngine } from "./engine.js";
import { TemplateError, getTemplateEngine, templateEngineIds } from "./engine.js";
import { LineIndex, lineColumnAt } from "../extract/position.js";
import { toPosix } from "../util/paths.js";

export interface LoadedTemplate {
  /** Root-relative posix path. */
  path: string;
  abs: string;
  source: string;
}

export interface Variant {
  name: string;
  data: Record<string, unknown>;
}

export interface LoadedPartial {
  name: string;
  path: string;
  source: string;
}

export interface LoadedSet {
  /** Index of the set in `config.templates`. */
  index: number;
  set: TemplateSet;
  root: string;
  engine: TemplateEngine;
  templates: LoadedTemplate[];
  variants: Variant[];
  /** Root-relative path of the variants file, when variants are not inline. */
  variantsFile?: string;
  partials: LoadedPartial[];
}

/** A stage-"template" finding at a 1-based line:column of `file` (root-relative). */
export function templateFinding(ruleId: string, message: string, file: string, source: string | undefined,
  line: number, column: number, opts: { severity?: Severity; endLine?: number; endColumn?: number; variant?: string; template?: string } = {}): Finding {
  const lines = new LineIndex(source ?? "");
  const at = (l: number, c: number) => ({ ...lines.pointOf(l, c), line: l, column: c });
  const place = { start: at(line, column), end: at(opts.endLine ?? line, opts.endColumn ?? column) };
  return {
    stage: "template", ruleId, severity: opts.severity ?? "error", message, page: file, place,
    origin: { template: opts.template ?? file, variant: opts.variant ?? "*", file, place },
  };
}

export function errorFinding(err: TemplateError, sources: Map<string, string>, template: string, variant?: string): Finding {
  return templateFinding(err.ruleId, err.message, err.file, sources.get(err.file), err.line, err.column,
    { endLine: err.endLine, endColumn: err.endColumn, template, variant });
}


function configPlace(config: ResolvedConfig): string {
  return config.configFile ? toPosix(path.relative(config.root, config.configFile)) : "validate-docs.config";
}

/** Parses a variants file; a syntax error becomes a finding at the parser's line:column. */
export function parseVariants(file: string, source: string): { data?: unknown; finding?: Finding } {
  if (/\.ya?ml$/i.test(file)) {
    const doc = YAML.parseDocument(source, { prettyErrors: true });
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
      const first = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return { finding: templateFinding("template/bad-variants",
        `Variants file is not valid YAML: ${first}. Fix the syntax here; no variant of this set was rendered.`,
        file, source, pos.line, pos.col) };
    }
    return { data: doc.toJS() };
  }
  try {
    return { data: JSON.parse(source) };
  } catch (e) {
    const message = (e as Error).message;
    const at = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const pt = lineColumnAt(source, at);
    return { finding: templateFinding("template/bad-variants",
      `Variants file is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}. Fix the syntax here; no variant of this set was rendered.`,
      file, source, pt.line, pt.column) };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Turns parsed variants (an array, or an object keyed by name) into named variants. */
export function toVariants(data: unknown, key: string | undefined): { variants: Variant[]; problem?: string } {
  const entries: [string | undefined, unknown][] = Array.isArray(data)
    ? data.map((d) => [undefined, d])
    : isRecord(data) ? Object.entries(data) : [];
  if (!Array.isArray(data) && !isRecord(data)) {
    return { variants: [], problem: "Variants must be an array of objects (or an object whose keys are variant names)." };
  }
  const variants: Variant[] = [];
  const seen = new Set<string>();
  for (const [i, [k, d]] of entries.entries()) {
    if (!isRecord(d)) return { variants, problem: `Variant #${i + 1} is not an object; each variant is the data one page is rendered with.` };
    const named = [key, "name", "id"].map((n) => (n ? d[n] : undefined)).find((v) => typeof v === "string" || typeof v === "number");
    const firstString = Object.values(d).find((v) => typeof v === "string");
    let name = String(k ?? named ?? firstString ?? `variant-${i + 1}`);
    if (seen.has(name)) name = `${name}-${i + 1}`;
    seen.add(name);
    variants.push({ name, data: d });
  }
  return { variants };
}

async function loadPartials(set: TemplateSet, root: string, findings: Finding[], cfg: string): Promise<LoadedPartial[]> {
  if (!set.partials) return [];
  const refs: [string, string][] = typeof set.partials === "string"
    ? (await glob(set.partials, { cwd: root, ignore: ["**/node_modules/**"] })).sort()
      .map((p) => [path.posix.basename(p).replace(/\..*$/, ""), p])
    : Object.entries(set.partials);
  const out: LoadedPartial[] = [];
  for (const [name, rel] of refs) {
    try {
      out.push({ name, path: toPosix(rel), source: readFileSync(path.resolve(root, rel), "utf8") });
    } catch {
      findings.push(templateFinding("template/missing-partial",
        `Partial "${name}" points at ${rel}, which cannot be read. Fix the path in the template set's \`partials\`.`, cfg, undefined, 1, 1));
    }
  }
  return out;
}

export async function loadTemplateSets(config: ResolvedConfig): Promise<{ sets: LoadedSet[]; findings: Finding[] }> {
  const sets: LoadedSet[] = [];
  const findings: Finding[] = [];
  const cfg = configPlace(config);
  for (const [index, set] of config.templates.entries()) {
    const engineId = set.engine ?? "handlebars";
    const provider = getTemplateEngine(engineId);
    if (!provider) {
      findings.push(templateFinding("template/unknown-engine",
        `Template set #${index + 1} uses engine "${engineId}", which is not registered (known: ${templateEngineIds().join(", ")}). Register it with registerTemplateEngine() in your config.`,
        cfg, undefined, 1, 1));
      continue;
    }
    const engine = provider.create();
    const files = (await glob(set.files, { cwd: config.root, ignore: ["**/node_modules/**"], onlyFiles: true })).sort();
    if (!files.length) {
      findings.push(templateFinding("template/no-files",
        `Template set #${index + 1}: \`files\` (${JSON.stringify(set.files)}) matches no file under ${config.root}. Fix the glob or remove the set.`,
        cfg, undefined, 1, 1, { severity: "warning" }));
    }
    const templates = files.map((p) => ({ path: toPosix(p), abs: path.resolve(config.root, p), source: readFileSync(path.resolve(config.root, p), "utf8") }));

    let variants: Variant[] = [];
    let variantsFile: string | undefined;
    let source: string | undefined;
    let parsed: unknown = set.variants;
    if (typeof set.variants === "string") {
      variantsFile = toPosix(set.variants);
      try {
        source = readFileSync(path.resolve(config.root, set.variants), "utf8");
        const r = parseVariants(variantsFile, source);
        if (r.finding) findings.push(r.finding);
        parsed = r.finding ? undefined : r.data;
      } catch {
        findings.push(templateFinding("template/bad-variants",
          `Variants file ${set.variants} cannot be read. Fix the \`variants\` path of template set #${index + 1}.`, cfg, undefined, 1, 1));
        parsed = undefined;
      }
    }
    if (parsed !== undefined) {
      const r = toVariants(parsed, set.variantName);
      if (r.problem) findings.push(templateFinding("template/bad-variants", r.problem, variantsFile ?? cfg, source, 1, 1));
      variants = r.variants;
    }

    const partials = await loadPartials(set, config.root, findings, cfg);
    for (const p of partials) {
      try {
        engine.registerPartial(p.name, p.source, p.path);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        findings.push(errorFinding(err, new Map([[p.path, p.source]]), p.path));
      }
    }
    for (const [name, fn] of Object.entries(set.helpers ?? {})) engine.registerHelper(name, fn);
    sets.push({ index, set, root: config.root, engine, templates, variants, variantsFile, partials });
  }
  return { sets, findings };
}
