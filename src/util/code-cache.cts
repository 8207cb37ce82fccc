// V8's compiled code for the TypeScript compiler, kept between runs. Compiling the 9 MB typescript.js costs each
// thread that loads it (the main thread and the analysis worker) ≈ 0.2 s of CPU, plus compiling each function the
// first time it runs; V8 can serialize what it compiled (`script.createCachedData()`) and skip that work next time.
// Node 22.1 has `module.enableCompileCache()` for this; Node 20 does not, so the compiler is loaded here through
// `vm.Script` with `cachedData` instead of through `require`, and registered in `require.cache` so every
// `require("typescript")` of the process (the compiler shim src/typescript.cts, plugin rules) gets this instance.
//
// The cache is a file beside the compiler, one per thread role (main, worker):
// `<node_modules>/.cache/validate-docs/typescript-<role>-<version>-<key>.v8`, keyed by the compiler file (path,
// size, mtime) and Node's version and architecture. It cannot change what the compiler does: V8 checks the data
// against the source and its own version and flags, and compiles afresh when it does not match (code cached under
// other V8 flags, a torn or foreign file); the thread that found it rejected then replaces it. It is written
// atomically (a temp file, then a rename) by the thread that found none, after the compiler has done its work, so
// it holds the functions a run actually uses; a read-only node_modules only means no cache. `--no-cache` does not
// apply (results never come from it); VALIDATE_DOCS_CODE_CACHE=0 turns it off.
import crypto = require("node:crypto");
import fs = require("node:fs");
import Module = require("node:module");
import path = require("node:path");
import vm = require("node:vm");
import threads = require("node:worker_threads");

interface Pending {
  script: vm.Script;
  store: string;
  /** The file was there but V8 rejected it: replace it. Otherwise write it only if no other run has since. */
  replace: boolean;
}

const pending: Pending[] = [];

/**
 * The main thread uses the compiler's parser, the analysis worker its checker too: each keeps its own cache, so the
 * main thread does not deserialize the checker, and a run without type-checking does not leave a cache without it.
 */
const ROLE = threads.isMainThread ? "main" : "worker";

function storeFor(file: string, size: number, mtimeMs: number): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at === -1) return undefined;
  let version = "0";
  try {
    version = (JSON.parse(fs.readFileSync(path.join(path.dirname(file), "..", "package.json"), "utf8")) as { version?: string }).version ?? "0";
  } catch {
    /* the key below still tells builds apart */
  }
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([file, size, mtimeMs, process.version, process.arch]))
    .digest("hex")
    .slice(0, 16);
  return path.join(file.slice(0, at + marker.length - 1), ".cache", "validate-docs", `${path.basename(path.dirname(path.dirname(file)))}-${ROLE}-${version}-${key}.v8`);
}

/**
 * Loads the CommonJS module file `file` with V8's code cache and puts it in `require.cache`, so a `require` of it
 * after this returns it. Does nothing when it is loaded already or the cache is off. Says what it found: a cache V8
 * took, none, one V8 rejected, or nothing done.
 */
function preload(file: string): "hit" | "miss" | "rejected" | "off" {
  if (require.cache[file] || process.env.VALIDATE_DOCS_CODE_CACHE === "0") return "off";
  let source: string;
  let store: string | undefined;
  try {
    const stat = fs.statSync(file);
    source = fs.readFileSync(file, "utf8");
    store = storeFor(file, stat.size, stat.mtimeMs);
  } catch {
    return "off"; // `require` reports it
  }
  let cachedData: Buffer | undefined;
  try {
    if (store) cachedData = fs.readFileSync(store);
  } catch {
    /* none yet */
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  try {
    wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  } catch (err) {
    delete require.cache[file];
    throw err;
  }
  mod.loaded = true;
  if (store && (!cachedData || script.cachedDataRejected)) {
    pending.push({ script, store, replace: Boolean(cachedData) });
    // The main thread writes at exit; a worker thread that uses the compiler calls saveCodeCache when it is done.
    if (threads.isMainThread && pending.length === 1) process.once("exit", saveCodeCache);
  }
  return !cachedData ? "miss" : script.cachedDataRejected ? "rejected" : "hit";
}

/** Writes the code cache of what `preload` compiled without one (now holding every function compiled since). */
function saveCodeCache(): void {
  for (const { script, store, replace } of pending.splice(0)) {
    try {
      if (!replace && fs.existsSync(store)) continue; // another thread or run wrote it meanwhile
      const data = script.createCachedData();
      const dir = path.dirname(store);
      fs.mkdirSync(dir, { recursive: true });
      // One cache per compiler and role: those of an earlier install or Node version are dead weight (2–4 MB each).
      const name = path.basename(store);
      const prefix = name.split("-").slice(0, 2).join("-") + "-";
      for (const old of fs.readdirSync(dir)) if (old !== name && old.startsWith(prefix) && old.endsWith(".v8")) fs.rmSync(path.join(dir, old), { force: true });
      // Not util/fs.ts `writeFileAtomic`: this CommonJS module cannot require an ES module on Node 20, and the data is binary.
      const temp = `${store}.${process.pid}-${threads.threadId}.tmp`;
      try {
        fs.writeFileSync(temp, data);
        fs.renameSync(temp, store);
      } finally {
        fs.rmSync(temp, { force: true });
      }
    } catch {
      /* a read-only or full disk: no cache, nothing else changes */
    }
  }
}

export = { preload, saveCodeCache };
