// The template engine seam. Handlebars is built in; a user can register another engine (Mustache, EJS,
// Nunjucks…) with `registerTemplateEngine`. Only `compile` + `render` are required: engines that can also
// say where each output character came from (`renderMapped`) give exact template positions, the others get
// a line-matching approximation (see origin.ts).

/** A template-side error with a position in the template (or partial) file. 1-based line and column. */
export class TemplateError extends Error {
  override name = "TemplateError";
  constructor(
    message: string,
    readonly ruleId: "template/syntax-error" | "template/missing-partial" | "template/render-error",
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly endLine = line,
    readonly endColumn = column,
  ) {
    super(message);
  }
}

export type { Segment } from "../types.js";
import type { Segment } from "../types.js";

/** A mustache that resolved to `undefined`, at its output offset. */
export interface MissingValue {
  name: string;
  file: string;
  /** File offsets of the mustache. */
  at: number;
  atEnd: number;
  /** Output offset where the (empty) value was inserted. */
  output: number;
}

export interface MappedRender {
  output: string;
  segments: Segment[];
  missing: MissingValue[];
  /** Set when exact positions were not available and lines were matched by text (see origin.ts). */
  approximate?: boolean;
}

export interface CompiledTemplate {
  render(data: Record<string, unknown>): string;
  /** Optional: the same output plus its origin segments and the mustaches that resolved to undefined. */
  renderMapped?(data: Record<string, unknown>): MappedRender;
  /** Partial names referenced statically (for `--changed` and missing-partial checks). */
  partialsUsed?: string[];
}

/** One engine instance per template set (partials and helpers are per set). */
export interface TemplateEngine {
  readonly id: string;
  /** Throws TemplateError for a syntax error in the partial. */
  registerPartial(name: string, source: string, file: string): void;
  registerHelper(name: string, fn: (...args: unknown[]) => unknown): void;
  /** Throws TemplateError (ruleId `template/syntax-error` or `template/missing-partial`). */
  compile(source: string, file: string): CompiledTemplate;
}

export interface TemplateEngineProvider {
  id: string;
  create(): TemplateEngine;
}

const engines = new Map<string, TemplateEngineProvider>();

/** Makes `engine: "<id>"` usable in a template set. Re-registering an id replaces it. */
export function registerTemplateEngine(provider: TemplateEngineProvider): void {
  engines.set(provider.id, provider);
}

export function getTemplateEngine(id: string): TemplateEngineProvider | undefined {
  return engines.get(id);
}

export function templateEngineIds(): string[] {
  return [...engines.keys()].sort();
}
