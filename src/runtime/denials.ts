// Denials the example caught itself. Under the permission sandbox a refused operation throws ERR_ACCESS_DENIED
// (docs/security.md); an example that catches it (`try { fs.writeFileSync(…) } catch {}`) goes on as if it had
// worked, and the gate would pass an example whose write, child process or worker never happened. This module
// wraps the fs, fs/promises and child_process functions so every ERR_ACCESS_DENIED they raise is seen on its way
// out, whether the example catches it or not; the parent reports the ones that were not also thrown out of a block.
// Read denials are not reported when caught: libraries probe files outside the project (`~/.npmrc`,
// `~/.aws/credentials`) and treat a failure as "absent", which is what an empty home directory would give.
// Not seen: a denial surfacing as a stream's 'error' event (`fs.createWriteStream`), which only a listener could
// observe, and adding one would change whether the error is thrown.
import childProcess from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

export interface Denial {
  /** Node's permission scope: FileSystemWrite, ChildProcess, WorkerThreads, … */
  permission: string;
  /** The path or command it was denied on, when Node names one. */
  resource?: string;
  /** The function the example called: `fs.writeFileSync`, `child_process.execSync`, … */
  via: string;
}

const REPORTED = new Set(["FileSystemWrite", "ChildProcess", "WorkerThreads"]);

function denialOf(err: unknown, via: string): Denial | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { code?: unknown; permission?: unknown; resource?: unknown };
  if (e.code !== "ERR_ACCESS_DENIED" || typeof e.permission !== "string" || !REPORTED.has(e.permission)) return undefined;
  return { permission: e.permission, ...(typeof e.resource === "string" ? { resource: e.resource } : {}), via };
}

type AnyFn = (...args: unknown[]) => unknown;

function wrap(owner: Record<string, unknown>, name: string, via: string, onDenied: (d: Denial) => void): void {
  const original = owner[name];
  // Classes (fs.ReadStream, fs.Dirent, …) are constructed with `new`; only plain functions are wrapped.
  if (typeof original !== "function" || /^[A-Z]/.test(name)) return;
  const see = (err: unknown): void => {
    const d = denialOf(err, via);
    if (d) onDenied(d);
  };
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const last = args.length - 1;
    if (last >= 0 && typeof args[last] === "function") {
      const callback = args[last] as AnyFn;
      args[last] = function (this: unknown, err: unknown, ...rest: unknown[]) {
        see(err);
        return callback.call(this, err, ...rest);
      };
    }
    let result: unknown;
    try {
      result = (original as AnyFn).apply(this, args);
    } catch (err) {
      see(err);
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(undefined, (err: unknown) => {
        see(err);
        throw err;
      });
    }
    return result;
  };
  Object.defineProperty(wrapped, "name", { value: (original as AnyFn).name });
  Object.defineProperty(wrapped, "length", { value: (original as AnyFn).length });
  // util.promisify.custom and other own properties (fs.exists, fs.read) stay reachable.
  for (const key of Reflect.ownKeys(original as object)) {
    if (key === "name" || key === "length" || key === "prototype") continue;
    const desc = Object.getOwnPropertyDescriptor(original, key);
    if (desc) Object.defineProperty(wrapped, key, desc);
  }
  owner[name] = wrapped;
}

/** Watches fs, fs/promises and child_process for permission denials; call once, before the blocks run. */
export function watchDenials(onDenied: (d: Denial) => void): void {
  const modules: [Record<string, unknown>, string][] = [
    [fs as unknown as Record<string, unknown>, "fs"],
    [fs.promises as unknown as Record<string, unknown>, "fs.promises"],
    [childProcess as unknown as Record<string, unknown>, "child_process"],
  ];
  for (const [owner, prefix] of modules) {
    for (const name of Object.keys(owner)) {
      if (prefix === "fs" && name === "promises") continue;
      wrap(owner, name, `${prefix}.${name}`, onDenied);
    }
  }
  // `import { writeFileSync } from "node:fs"` reads the ESM bindings: make them the wrapped functions too.
  syncBuiltinESMExports();
}
