// What a block's result depends on outside its own text: the packages and local modules it imports (found with
// the compiler's import scanner, resolved with the compiler's module resolution from the page's directory, local
// modules followed transitively), and the ambient type packages every block sees (node_modules/@types).
//
// A package is identified by its name, version, the content of its package.json and of the entry files the checker
// and Node resolve to; a local module by its content. Anything unresolved is named as such, so creating the missing
// file later changes the fingerprint.
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type ts from "../typescript.cjs";
import { virtualFileName } from "../typecheck/program.js";
import type { CodeBlock } from "../types.js";
import { typescript } from "../util/typescript.js";

export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

const SCRIPT = /\.(?:[cm]?[jt]sx?)$/;

export class DependencyScanner {
  private readonly ts = typescript();
  private readonly resolution: ts.ModuleResolutionCache;
  private readonly fileHashes = new Map<string, string | null>();
  private readonly packageIds = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly options: ts.CompilerOptions,
    /** Where ambient type packages are looked for from (the tsconfig's folder: TypeScript's default typeRoots). */
    private readonly typesFrom: string = root,
  ) {
    this.resolution = this.ts.createModuleResolutionCache(root, (f) => f, options);
  }

  /** Sorted dependency entries of a block (packages with versions and hashes, local files with hashes). */
  blockDependencies(block: CodeBlock): string[] {
    const nodeModules = (this.options.module ?? 0) >= this.ts.ModuleKind.Node16 && (this.options.module ?? 0) <= this.ts.ModuleKind.NodeNext;
    const from = virtualFileName(this.root, block, nodeModules);
    const out = new Set<string>();
    this.importsOf(block.code, from, out, new Set());
    return [...out].sort();
  }

  /** The ambient type packages in node_modules/@types from the tsconfig's folder up (every block sees them with `types: ["*"]`). */
  ambientTypes(): string[] {
    const out: string[] = [];
    const dirs = new Set<string>();
    for (let dir = this.typesFrom; ; dir = path.dirname(dir)) {
      dirs.add(path.join(dir, "node_modules/@types"));
      if (path.dirname(dir) === dir) break;
    }
    for (const typesDir of dirs) {
      let names: string[];
      try {
        names = fs.readdirSync(typesDir);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        const pkg = path.join(typesDir, name, "package.json");
        out.push(`types:${typesDir}/${name}#${this.hashFile(pkg) ?? "none"}`);
      }
    }
    return out;
  }

  private importsOf(code: string, from: string, out: Set<string>, seen: Set<string>): void {
    const info = this.ts.preProcessFile(code, true, true);
    const specifiers = [...info.importedFiles, ...info.referencedFiles, ...info.typeReferenceDirectives].map((f) => f.fileName);
    for (const spec of specifiers) this.dependency(spec, from, out, seen);
  }

  private dependency(spec: string, from: string, out: Set<string>, seen: Set<string>): void {
    const { resolvedModule } = this.ts.resolveModuleName(spec, from, this.options, this.ts.sys, this.resolution);
    if (!resolvedModule) {
      // A builtin (`node:fs`, typed by @types/node, see ambientTypes) or a missing module: the name is the input.
      out.add(`unresolved:${spec}:${this.runtimeEntry(spec, from) ?? ""}`);
      return;
    }
    const file = resolvedModule.resolvedFileName;
    if (resolvedModule.isExternalLibraryImport) {
      out.add(`package:${spec}:${this.packageId(file)}:${this.hashFile(file) ?? ""}:${this.runtimeEntry(spec, from) ?? ""}`);
      return;
    }
    out.add(`file:${path.relative(this.root, file)}#${this.hashFile(file) ?? "missing"}`);
    if (seen.has(file) || !SCRIPT.test(file)) return;
    seen.add(file);
    const text = this.readFile(file);
    if (text !== undefined) this.importsOf(text, file, out, seen);
  }

  /** The file Node loads for a bare specifier (CommonJS resolution; ESM-only packages have none here). */
  private runtimeEntry(spec: string, from: string): string | undefined {
    if (spec.startsWith(".") || spec.startsWith("/")) return undefined;
    try {
      const file = createRequire(from).resolve(spec);
      return path.isAbsolute(file) ? `${path.relative(this.root, file)}#${this.hashFile(file) ?? ""}` : file;
    } catch {
      return undefined;
    }
  }

  /** `name@version#hash(package.json)` of the package a file belongs to. */
  private packageId(file: string): string {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const cached = this.packageIds.get(dir);
      if (cached !== undefined) return cached;
      const text = this.readFile(path.join(dir, "package.json"));
      if (text !== undefined) {
        let id = "";
        try {
          const pkg = JSON.parse(text) as { name?: string; version?: string };
          id = `${pkg.name ?? ""}@${pkg.version ?? ""}`;
        } catch {
          // An unreadable package.json still counts by its content hash.
        }
        const full = `${id}#${sha256(text)}`;
        this.packageIds.set(dir, full);
        return full;
      }
      if (path.basename(dir) === "node_modules" || path.dirname(dir) === dir) return "no-package-json";
    }
  }

  private readFile(file: string): string | undefined {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  }

  private hashFile(file: string): string | null {
    let hash = this.fileHashes.get(file);
    if (hash === undefined) {
      try {
        hash = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
      } catch {
        hash = null;
      }
      this.fileHashes.set(file, hash);
    }
    return hash;
  }
}
