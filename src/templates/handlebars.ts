// The built-in engine: real Handlebars, twice. A plain environment produces the published output; an
// instrumented one (same partials and helpers) produces the origin map. The two outputs must agree.
import Handlebars from "handlebars";
import type { CompiledTemplate, MappedRender, TemplateEngine } from "./engine.js";
import { TemplateError } from "./engine.js";
import { type Frame, type HbsNode, type HbsProgram, PROBE_HELPER, PROBE_KEY, instrument, strip } from "./instrument.js";
import { lineColumnAt } from "../extract/position.js";
import { approximateSegments } from "./origin.js";

/** Several template errors at once (e.g. every missing partial of a template). */
export class TemplateErrors extends Error {
  override name = "TemplateErrors";
  constructor(readonly errors: TemplateError[]) {
    super(errors.map((e) => e.message).join("\n"));
  }
}

interface Partial {
  file: string;
  source: string;
  ast: HbsProgram;
  instrumented?: HbsProgram;
}

const BLOCK_TAG = /\{\{(~?)\s*([#^/])\s*>?\s*([^\s}~]+)|\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g;

/** The opening tag of the first block left unclosed, found by a tag scan (the parser only says "EOF"). */
function unclosedBlock(source: string): { name: string; offset: number } | undefined {
  const stack: { name: string; offset: number }[] = [];
  for (const m of source.matchAll(BLOCK_TAG)) {
    if (!m[2]) continue; // a comment
    if (m[2] === "/") {
      const i = stack.map((s) => s.name).lastIndexOf(m[3]!);
      if (i >= 0) stack.length = i;
    } else {
      stack.push({ name: m[3]!, offset: m.index });
    }
  }
  return stack[stack.length - 1];
}

function pointAt(source: string, offset: number): { line: number; column: number } {
  return lineColumnAt(source, offset);
}

/** Converts a Handlebars parse/compile exception into a positioned TemplateError. */
export function syntaxError(err: unknown, source: string, file: string): TemplateError {
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? err);
  const firstLine = message.split("\n")[0]!;
  if (/got 'EOF'/.test(message) && /OPEN_ENDBLOCK/.test(message)) {
    const open = unclosedBlock(source);
    if (open) {
      const at = pointAt(source, open.offset);
      return new TemplateError(
        `Unclosed block {{#${open.name}}}: the template ends before {{/${open.name}}}. Add {{/${open.name}}} where the block should end.`,
        "template/syntax-error", file, at.line, at.column);
    }
  }
  if (typeof e.lineNumber === "number") {
    return new TemplateError(`Handlebars syntax error: ${firstLine}. Fix the tag at this position.`,
      "template/syntax-error", file, e.lineNumber, (e.column ?? 0) + 1);
  }
  const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
  const detail = message.split("\n").slice(1).join(" ").replace(/\s+/g, " ").trim();
  return new TemplateError(`Handlebars syntax error: ${firstLine.replace(/:$/, "")}${detail ? ` (${detail})` : ""}. Fix the tag on this line.`,
    "template/syntax-error", file, line, 1);
}

function parse(source: string, file: string): HbsProgram {
  try {
    return Handlebars.parse(source) as unknown as HbsProgram;
  } catch (err) {
    throw syntaxError(err, source, file);
  }
}

/** Static partial references `{{> name}}` (not dynamic ones, not `@partial-block`), with their nodes. */
function partialRefs(program: HbsProgram): { name: string; node: HbsNode }[] {
  const out: { name: string; node: HbsNode }[] = [];
  const walk = (node: HbsNode): void => {
    if (node.type === "PartialStatement") {
      const name = node.name as HbsNode;
      if (name.type === "PathExpression" && !name.data) out.push({ name: String(name.original), node });
    }
    for (const key of ["program", "inverse"]) {
      const p = node[key] as HbsProgram | undefined;
      if (p?.body) p.body.forEach(walk);
    }
  };
  program.body.forEach(walk);
  return out;
}

export function createHandlebarsEngine(): TemplateEngine {
  const plain = Handlebars.create();
  const mapped = Handlebars.create();
  const partials = new Map<string, Partial>();
  const frames: Frame[] = [];
  let missingIds = new Set<number>();
  mapped.registerHelper(PROBE_HELPER, function (this: unknown, value: unknown, options: { hash: Record<string, unknown> }) {
    // Handlebars calls a function found in the data (a "lambda"); keep that behaviour.
    const v = typeof value === "function" ? (value as (o: unknown) => unknown).call(this, options) : value;
    if (v === undefined) missingIds.add(Number(options.hash[PROBE_KEY]));
    return v;
  });
  const isHelper = (name: string): boolean => Object.prototype.hasOwnProperty.call(plain.helpers, name);
  const instrumented = (program: HbsProgram, file: string, source: string): HbsProgram =>
    instrument(program, { file, source, frames, isHelper });

  const checkPartials = (program: HbsProgram, file: string, source: string, seen = new Set<string>()): TemplateError[] => {
    const errors: TemplateError[] = [];
    for (const ref of partialRefs(program)) {
      const found = partials.get(ref.name);
      if (!found) {
        const loc = ref.node.loc;
        const known = [...partials.keys()].sort();
        errors.push(new TemplateError(
          `Partial "${ref.name}" is not registered, so this template cannot render. ` +
            (known.length ? `Known partials: ${known.join(", ")}. ` : "No partials are configured. ") +
            `Add it under \`partials\` in the template set or fix the name.`,
          "template/missing-partial", file, loc?.start.line ?? 1, (loc?.start.column ?? 0) + 1,
          loc?.end.line ?? 1, (loc?.end.column ?? 0) + 1));
      } else if (!seen.has(ref.name)) {
        seen.add(ref.name);
        errors.push(...checkPartials(found.ast, found.file, found.source, seen));
      }
    }
    void source;
    return errors;
  };

  return {
    id: "handlebars",
    registerPartial(name, source, file) {
      partials.set(name, { file, source, ast: parse(source, file) });
      plain.registerPartial(name, source);
    },
    registerHelper(name, fn) {
      plain.registerHelper(name, fn as Handlebars.HelperDelegate);
      mapped.registerHelper(name, fn as Handlebars.HelperDelegate);
    },
    compile(source, file): CompiledTemplate {
      const ast = parse(source, file);
      const errors = checkPartials(ast, file, source);
      if (errors.length === 1) throw errors[0];
      if (errors.length) throw new TemplateErrors(errors);
      const render = plain.compile(source);
      let mappedTemplate: HandlebarsTemplateDelegate | undefined;
      const renderPlain = (data: Record<string, unknown>): string => {
        try {
          return render(data);
        } catch (err) {
          const e = err as { message?: string; lineNumber?: number; column?: number };
          throw new TemplateError(`Rendering failed: ${e.message ?? String(err)}`, "template/render-error", file,
            e.lineNumber ?? 1, (e.column ?? 0) + 1);
        }
      };
      return {
        render: renderPlain,
        partialsUsed: [...new Set(partialRefs(ast).map((r) => r.name))],
        renderMapped(data): MappedRender {
          const output = renderPlain(data);
          if (!mappedTemplate) {
            for (const [name, p] of partials) {
              p.instrumented ??= instrumented(p.ast, p.file, p.source);
              mapped.registerPartial(name, mapped.compile(p.instrumented as unknown as hbs.AST.Program));
            }
            mappedTemplate = mapped.compile(instrumented(ast, file, source) as unknown as hbs.AST.Program);
          }
          missingIds = new Set();
          try {
            const result = strip(mappedTemplate(data), frames, missingIds);
            if (result.output === output) return result;
          } catch {
            // A helper that cannot cope with marker text: fall through to the approximation.
          }
          const sources = [{ file, source }, ...[...partials.values()].map((p) => ({ file: p.file, source: p.source }))];
          return { output, segments: approximateSegments(output, sources), missing: [], approximate: true };
        },
      };
    },
  };
}
