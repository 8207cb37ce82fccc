// Secret values from the parent environment never reach a report: findings are masked as a last step.
import type { Finding } from "./types.js";

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;

/** Shorter values would mask ordinary words and numbers all over the report. */
const MIN_SECRET_LENGTH = 6;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Values of parent env vars whose names look secret, longest first (so a secret containing another is masked whole). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_SECRET_LENGTH && isSecretName(name)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("***");
  return out;
}

/** The shortest piece of a secret masked where a text was cut (at a capture limit or a kept tail). */
const MIN_PIECE = 3;

/**
 * Masks whole secrets, and a secret's piece at an edge where the text was cut: `cutEnd` when only the start of the
 * text was kept (a capture limit cut a secret in two, its first characters are at the end), `cutStart` when only
 * the tail was kept.
 */
export function maskCutText(text: string, secrets: readonly string[], cut: { cutStart?: boolean; cutEnd?: boolean }): string {
  let out = maskText(text, secrets);
  for (const s of secrets) {
    if (cut.cutEnd) {
      for (let n = Math.min(s.length - 1, out.length); n >= MIN_PIECE; n--) {
        if (out.endsWith(s.slice(0, n))) {
          out = `${out.slice(0, out.length - n)}***`;
          break;
        }
      }
    }
    if (cut.cutStart) {
      for (let n = Math.min(s.length - 1, out.length); n >= MIN_PIECE; n--) {
        if (out.startsWith(s.slice(s.length - n))) {
          out = `***${out.slice(n)}`;
          break;
        }
      }
    }
  }
  return out;
}

/** Every string inside a JSON-like value masked (messages from a run process, before anything is cut or quoted). */
export function maskDeep<T>(value: T, secrets: readonly string[]): T {
  if (!secrets.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return maskText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export function maskSecrets(findings: Finding[], secrets: readonly string[]): Finding[] {
  if (!secrets.length) return findings;
  return findings.map((f) => ({
    ...f,
    message: maskText(f.message, secrets),
    ...(f.hint !== undefined ? { hint: maskText(f.hint, secrets) } : {}),
    ...(f.suggestion !== undefined ? { suggestion: maskText(f.suggestion, secrets) } : {}),
    // A fix is text that --update/--fix writes into the docs: a secret must never land there either.
    ...(f.fix !== undefined ? { fix: { ...f.fix, text: maskText(f.fix.text, secrets) } } : {}),
  }));
}
