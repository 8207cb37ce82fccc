// `env=browser`: which DOM implementation a page's browser blocks run under. It is the user's, resolved from the
// page's directory like any import of the page (an optional peer dependency of validate-docs): happy-dom first,
// then jsdom. The harness makes it global (src/runtime/dom.ts).
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { DomSpec } from "../runtime/dom.js";

export type { DomSpec } from "../runtime/dom.js";

export const DOM_PACKAGES = ["happy-dom", "jsdom"] as const;

/** The DOM implementation installed where `dir` resolves packages, or undefined. */
export function resolveDom(dir: string): DomSpec | undefined {
  const require = createRequire(path.join(dir, "__validate-docs__.js"));
  for (const kind of DOM_PACKAGES) {
    try {
      return { kind, module: pathToFileURL(require.resolve(kind)).href };
    } catch {
      // not installed here
    }
  }
  return undefined;
}

/** What to tell an author whose browser block has no DOM to run under. */
export function noDomMessage(pageDir: string): string {
  return (
    `This block runs under \`env=browser\`, but no DOM implementation is installed where the page resolves packages (${pageDir}): ` +
    "validate-docs uses happy-dom or jsdom from your project. Install one (`npm install --save-dev happy-dom`), or remove `env=browser` " +
    "to check the block up to type-check."
  );
}

/** `page` (root-relative) → the DOM implementation its directory resolves, looked up once per directory. */
export function domResolver(root: string): (page: string) => DomSpec | undefined {
  const cache = new Map<string, DomSpec | undefined>();
  return (page) => {
    const dir = path.dirname(path.join(root, page));
    if (!cache.has(dir)) cache.set(dir, resolveDom(dir));
    return cache.get(dir);
  };
}

/** Which DOM implementation (and version) `dir` resolves: part of the run cache key. */
export function domFingerprint(dir: string): string | null {
  const spec = resolveDom(dir);
  if (!spec) return null;
  try {
    const require = createRequire(path.join(dir, "__validate-docs__.js"));
    const { version } = require(`${spec.kind}/package.json`) as { version?: string };
    return `${spec.kind}@${version ?? "?"} ${spec.module}`;
  } catch {
    return `${spec.kind} ${spec.module}`;
  }
}
