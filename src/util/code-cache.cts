// V8's compiled code for the TypeScript compiler, kept between runs. Compiling the 9 MB typescript.js costs each
// thread that loads it (the main thread and the analysis worker) ≈ 0.2 s of CPU, plus compiling each function the
// first time it runs; V8 can serialize what it compiled (`script.createCachedData()`) and skip that work next time.
// Node 22.1 has `module.enableCompileCache()` for this; Node 20 does not, so the compiler is loaded here through
// `vm.Script` with `cachedData` instead of through `require`, and registered in `require.cache` so every
// `require("typescript")` of the process (the compiler shim src/typescript.cts, plugin rules) gets this instance.
//
// Where: like Node 22's compile cache, one directory per user that every project and run shares,
// `<os.tmpdir()>/validate-docs-code-cache-<uid>` (VALIDATE_DOCS_CODE_CACHE_DIR names another). It must be a
// directory of this user that no one else can write (it is made with mode 0700): V8 trusts what it deserializes, so
// a directory someone else can write to means no cache. One file per loaded file and thread role (main, worker):
// `<package>-<role>-<key>.v8`, keyed by the loaded file (path, size, mtime), Node's version and architecture and
// V8's `cachedDataVersionTag()` (V8's version, the flags that change code, CPU features), so runs under other flags
// or another Node each keep their own. The file ends with a SHA-1 of the data: V8 checks the data's header against
// the source and its own version and flags, not the payload, so a damaged file is caught here; either way the
// compiler is compiled afresh and the file replaced. It is written atomically (a temp file in the directory, then a
// rename; concurrent runs each write a whole file, the last rename wins) by the thread that found none, after the
// compiler has done its work, so it holds the functions a run actually uses. An unwritable directory only means no
// cache. It holds V8's bytecode, never a result: `--no-cache` does not apply; VALIDATE_DOCS_CODE_CACHE=0 turns it
// off; VALIDATE_DOCS_DEBUG=code-cache says on stderr what each load found. Files unused for 30 days are removed.
import buffer = require("node:buffer");
import crypto = require("node:crypto");
import fs = require("node:fs");
import Module = require("node:module");
import os = require("node:os");
import path = require("node:path");
import v8 = require("node:v8");
import vm = require("node:vm");
import threads = require("node:worker_threads");

type Found = "hit" | "miss" | "rejected" | "off";

interface Pending {
  script: vm.Script;
  store: string;
  /** The file was there but unusable: replace it. Otherwise write it only if no other run has since. */
  replace: boolean;
}

const pending: Pending[] = [];

/**
 * The main thread uses the compiler's parser, the analysis worker its checker too: each keeps its own cache, so the
 * main thread does not deserialize the checker, and a run without type-checking does not leave a cache without it.
 */
const ROLE = threads.isMainThread ? "main" : "worker";
const CHECKSUM = 20; // bytes of SHA-1 after the data
const UNUSED_MS = 30 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

function debug(message: string): void {
  // fd 2 directly: a worker thread's process.stderr is forwarded by the main thread, and lost when the worker ends first.
  if (!(process.env.VALIDATE_DOCS_DEBUG ?? "").split(",").includes("code-cache")) return;
  try {
    fs.writeSync(2, `validate-docs: code cache: ${message} [${process.pid}/${threads.threadId}]\n`);
  } catch {
    /* stderr closed: a debug line is not worth failing for */
  }
}

/** The cache directory: VALIDATE_DOCS_CODE_CACHE_DIR or the per-user default; undefined when off. */
function cacheDir(): string | undefined {
  if (process.env.VALIDATE_DOCS_CODE_CACHE === "0") return undefined;
  const uid = typeof process.getuid === "function" ? String(process.getuid()) : os.userInfo().username;
  return path.resolve(process.env.VALIDATE_DOCS_CODE_CACHE_DIR || path.join(os.tmpdir(), `validate-docs-code-cache-${uid}`));
}

/** Whether `dir` is a directory (not a link) of this user that no other user can write to. */
function trusted(dir: string): boolean {
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) return false;
  if (typeof process.getuid !== "function") return true; // Windows: no owner or mode bits to check
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

function storeFor(dir: string, file: string, stat: fs.Stats): string {
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([file, stat.size, stat.mtimeMs, process.version, process.arch, v8.cachedDataVersionTag()]))
    .digest("hex")
    .slice(0, 24);
  // The package's directory name (typescript/lib/typescript.js → typescript), for a person looking at the directory.
  const name = path.basename(path.dirname(path.dirname(file))).replace(/[^\w.-]/g, "_");
  return path.join(dir, `${name}-${ROLE}-${key}.v8`);
}

/** The stored data when its checksum holds; undefined when there is none, "damaged" when it does not hold. */
function readStore(store: string): Buffer | "damaged" | undefined {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(store);
  } catch {
    return undefined;
  }
  if (raw.length <= CHECKSUM) return "damaged";
  const data = raw.subarray(0, raw.length - CHECKSUM);
  const sum = crypto.createHash("sha1").update(data).digest();
  if (!sum.equals(raw.subarray(raw.length - CHECKSUM))) return "damaged";
  try {
    // Used: keep it from the pruning of unused files (at most once a day, the cost of a write).
    if (Date.now() - fs.statSync(store).mtimeMs > DAY_MS) fs.utimesSync(store, new Date(), new Date());
  } catch {
    /* read-only: it may be pruned and written again */
  }
  return data;
}

/**
 * The module's text. TypeScript's 9 MB are ASCII, and ASCII decoded as Latin-1 is the same string: checking and
 * decoding it that way costs ≈ 15 ms of CPU less per thread than UTF-8 decoding (≈ 30 ms). Any other text: UTF-8.
 */
function readSource(file: string): string {
  const bytes = fs.readFileSync(file);
  return buffer.isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/**
 * Loads the CommonJS module file `file` with V8's code cache and puts it in `require.cache`, so a `require` of it
 * after this returns it. Does nothing when it is loaded already or the cache is off. Says what it found: a cache V8
 * took, none, one that was damaged or V8 rejected, or nothing done.
 */
function preload(file: string): Found {
  const dir = cacheDir();
  if (require.cache[file] || !dir) return "off";
  let source: string;
  let store: string | undefined;
  try {
    const stat = fs.statSync(file);
    source = readSource(file);
    store = storeFor(dir, file, stat);
  } catch {
    return "off"; // `require` reports it
  }
  let stored: Buffer | "damaged" | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (trusted(dir)) stored = readStore(store);
    else {
      debug(`${dir} is not a directory of this user that only it can write to: no cache`);
      store = undefined;
    }
  } catch (err) {
    debug(`${dir}: ${(err as Error).message}: no cache`);
    store = undefined;
  }
  const cachedData = stored instanceof Buffer ? stored : undefined;
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
  const found: Found = !store ? "off" : stored === undefined ? "miss" : stored === "damaged" || script.cachedDataRejected ? "rejected" : "hit";
  debug(`${file} (${ROLE}): ${found}${store ? ` ${store}` : ""}`);
  if (store && found !== "hit") {
    pending.push({ script, store, replace: found === "rejected" });
    // The main thread writes at exit; a worker thread that uses the compiler calls saveCodeCache when it is done.
    if (threads.isMainThread && pending.length === 1) process.once("exit", saveCodeCache);
  }
  return found;
}

/** Removes the directory's cache files unused for 30 days (a hit refreshes a file's mtime once a day). */
function prune(dir: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(".v8") && !name.endsWith(".tmp")) continue;
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > (name.endsWith(".tmp") ? DAY_MS : UNUSED_MS)) fs.rmSync(file, { force: true });
    } catch {
      /* another run removed it */
    }
  }
}

/** Writes the code cache of what `preload` compiled without one (now holding every function compiled since). */
function saveCodeCache(): void {
  for (const { script, store, replace } of pending.splice(0)) {
    try {
      if (!replace && fs.existsSync(store)) continue; // another thread or run wrote it meanwhile
      const data = script.createCachedData();
      const sum = crypto.createHash("sha1").update(data).digest();
      prune(path.dirname(store));
      // Not util/fs.ts `writeFileAtomic`: this CommonJS module cannot require an ES module on Node 20, and the data is binary.
      const temp = `${store}.${process.pid}-${threads.threadId}-${crypto.randomBytes(4).toString("hex")}.tmp`;
      try {
        fs.writeFileSync(temp, Buffer.concat([data, sum]), { mode: 0o600 });
        fs.renameSync(temp, store);
        debug(`wrote ${store} (${data.length} bytes)`);
      } finally {
        fs.rmSync(temp, { force: true });
      }
    } catch (err) {
      debug(`${store}: ${(err as Error).message}: not written`); // a read-only or full disk: no cache, nothing else changes
    }
  }
}

export = { preload, saveCodeCache, cacheDir };
