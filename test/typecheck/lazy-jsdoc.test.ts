// Declaration files parsed without their JSDoc (src/typecheck/lazy-jsdoc.ts): the tool's own rules see the same
// JSDoc as with a full parse. Real lib files, a real package's .d.ts in node_modules, the real rule.
import path from "node:path";
import { describe, expect, it } from "vitest";
import ts from "../../src/typescript.cjs";
import { extract } from "../../src/extract/index.js";
import { lint } from "../../src/lint/index.js";
import { createBlockProgram } from "../../src/typecheck/program.js";
import { makeProject, readPage } from "../helpers.js";

// The first statement starts the file (its JSDoc comes before any line break); inherited tags: a member with no
// JSDoc takes its base's @deprecated, one with tags of its own does not; a class's static and instance members.
const SDK = `/** @deprecated Use \`start\` instead. */
export declare function begin(): void;
export declare function start(): void;
export interface Base {
  /** @deprecated Use \`b\`. */
  a(): void;
  b(): void;
}
/** A derived API. */
export interface Derived extends Base {
  a(): void;
}
export interface Documented extends Base {
  /** @param n how many. */
  a(n?: number): void;
}
export declare class Client {
  /** @deprecated Pass options to {@link Client}'s constructor. */
  configure(): void;
  /** @deprecated */
  static legacy: number;
}
export declare const derived: Derived, documented: Documented, client: Client;
`;

const PAGE = `# Legacy

\`\`\`ts
import { begin, start, derived, documented, client, Client } from "legacy-sdk";
begin();
start();
derived.a();
derived.b();
documented.a();
client.configure();
void Client.legacy;
void "abc".substr(1);
void escape("x");
const re = /a/;
re.compile("b");
\`\`\`
`;

describe("JSDoc of declaration files, parsed on demand", () => {
  it("gives no-deprecated the same findings as a full parse, for lib files and a package's typings", () => {
    const root = makeProject({
      "package.json": JSON.stringify({ name: "app", type: "module" }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], types: [] } }),
      "node_modules/legacy-sdk/package.json": JSON.stringify({ name: "legacy-sdk", version: "1.0.0", types: "index.d.ts" }),
      "node_modules/legacy-sdk/index.d.ts": SDK,
      "docs/legacy.md": PAGE,
    });
    const { blocks } = extract(readPage(root, "docs/legacy.md"));
    const findingsOf = (lazyJsDoc: boolean) => {
      const bp = createBlockProgram(blocks, { root, tsconfig: path.join(root, "tsconfig.json"), checkJs: false, lazyJsDoc });
      const es5 = bp.program.getSourceFiles().find((f) => f.fileName.endsWith("/lib.es5.d.ts"))!;
      const sdk = bp.program.getSourceFiles().find((f) => f.fileName.endsWith("/legacy-sdk/index.d.ts"))!;
      // Parsed as asked: without JSDoc when lazy (the rule puts in place what it reads), with it otherwise.
      const mode = lazyJsDoc ? ts.JSDocParsingMode.ParseNone : ts.JSDocParsingMode.ParseAll;
      for (const file of [es5, sdk]) expect((file as { jsDocParsingMode?: ts.JSDocParsingMode }).jsDocParsingMode ?? ts.JSDocParsingMode.ParseAll).toBe(mode);
      return lint(bp, blocks, { rules: { "no-deprecated": "warn" }, plugins: {}, bannedApis: [] }).findings;
    };
    const lazy = findingsOf(true);
    expect(lazy).toEqual(findingsOf(false));
    const flagged = lazy.filter((f) => f.ruleId === "no-deprecated").map((f) => `${f.place.start.line}: ${f.message.replace(/ Readers copy.*/, "")}`);
    expect(flagged).toEqual([
      "5: `begin` is deprecated: Use `start` instead.",
      "7: `Derived.a` is deprecated: Use `b`.",
      "10: `Client.configure` is deprecated: Pass options to {@link Client}'s constructor.",
      "11: `Client.legacy` is deprecated (its @deprecated tag gives no reason).",
      "12: `String.substr` is deprecated: A legacy feature for browser compatibility.",
      "13: `escape` is deprecated: A legacy feature for browser compatibility.",
      "15: `RegExp.compile` is deprecated: A legacy feature for browser compatibility.",
    ]);
  });

  it("parses one member or module statement, not the declaration around it, with the same findings", () => {
    // As @types/node and ioredis ship them: a whole module in one `declare module` statement, an interface of
    // hundreds of members. A nested namespace, a class, a global augmentation inside the module.
    const AMBIENT = `/** The ambient SDK: its own JSDoc, before the module's opening brace. */
declare module "ambient-sdk" {
  export interface Api {
    /** @deprecated Use \`next\` instead. */
    old(): void;
    /** The current call. */
    next(): void;
    /** Never used by the page. */
    unused(): void;
  }
  export namespace tools.v1 {
    /** @deprecated Use \`tools.v2\`. */
    function run(): void;
  }
  export class Store {
    /** @deprecated Use \`get\`. */
    fetch(key: string): string;
    get(key: string): string;
  }
  /** @deprecated Use \`Store\`. */
  export const legacyStore: Store;
  export const api: Api;
  global {
    interface Array<T> {
      /** @deprecated Use \`at\`. */
      legacyAt(index: number): T | undefined;
    }
  }
}
`;
    const root = makeProject({
      "package.json": JSON.stringify({ name: "app", type: "module" }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], types: ["ambient-sdk"] } }),
      "node_modules/@types/ambient-sdk/index.d.ts": AMBIENT,
      "docs/ambient.md": `# Ambient

\`\`\`ts
import { api, tools, Store, legacyStore } from "ambient-sdk";
api.old();
api.next();
tools.v1.run();
new Store().fetch("k");
void legacyStore;
[1].legacyAt(0);
import * as sdk from "ambient-sdk";
sdk.api.next();
\`\`\`
`,
    });
    const { blocks } = extract(readPage(root, "docs/ambient.md"));
    const findingsOf = (lazyJsDoc: boolean) => {
      const bp = createBlockProgram(blocks, { root, tsconfig: path.join(root, "tsconfig.json"), checkJs: false, lazyJsDoc });
      const findings = lint(bp, blocks, { rules: { "no-deprecated": "warn" }, plugins: {}, bannedApis: [] }).findings;
      const sdk = bp.program.getSourceFiles().find((f) => f.fileName.endsWith("/ambient-sdk/index.d.ts"))!;
      const member = (name: string) => {
        let found: ts.Node | undefined;
        const visit = (n: ts.Node): void => {
          if (ts.isMethodSignature(n) && n.name.getText(sdk) === name) found = n;
          else ts.forEachChild(n, visit);
        };
        visit(sdk);
        return found as (ts.Node & { jsDoc?: ts.JSDoc[] }) | undefined;
      };
      const module = sdk.statements[0] as ts.Statement & { jsDoc?: ts.JSDoc[] };
      return { findings, read: member("next")?.jsDoc?.length ?? 0, unread: member("unused")?.jsDoc?.length ?? 0, module: module.jsDoc?.length ?? 0 };
    };
    const lazy = findingsOf(true);
    const full = findingsOf(false);
    expect(lazy.findings).toEqual(full.findings);
    // The member the page uses has its JSDoc; its sibling, which nothing asked for, was not parsed for it, also when the
    // page names the module itself (\`sdk\`: only the module's part before its opening brace is parsed).
    expect([lazy.read, lazy.unread, lazy.module, full.read, full.unread, full.module]).toEqual([1, 0, 1, 1, 1, 1]);
    const flagged = lazy.findings.filter((f) => f.ruleId === "no-deprecated").map((f) => `${f.place.start.line}: ${f.message.replace(/ Readers copy.*/, "")}`);
    expect(flagged).toEqual([
      "5: `Api.old` is deprecated: Use `next` instead.",
      "7: `tools.v1.run` is deprecated: Use `tools.v2`.",
      "8: `Store.fetch` is deprecated: Use `get`.",
      "9: `legacyStore` is deprecated: Use `Store`.",
      "10: `global.Array.legacyAt` is deprecated: Use `at`.",
    ]);
  });
});
