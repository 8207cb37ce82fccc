// Worker-thread entry for type-check + lint: the synchronous TypeScript checker runs here, so the main thread keeps
// its event loop and answers SIGINT/SIGTERM at any moment (it kills example processes and exits 130/143).
import { parentPort, workerData } from "node:worker_threads";
import { loadConfigFile } from "../config.js";
import { loadPlugins } from "../lint/plugins.js";
import codeCache from "../util/code-cache.cjs";
import { analyze, type AnalyzeOptions, type AnalyzeRequest } from "./index.js";
import type { PluginSource } from "./threaded.js";

const { requests, options, plugins } = workerData as { requests: AnalyzeRequest[]; options: AnalyzeOptions; plugins: PluginSource };

async function main() {
  // Rule modules cannot cross a thread boundary: load them here from their paths, or from the config file again.
  const refs = plugins.configFile ? ((await loadConfigFile(plugins.configFile)).plugins ?? {}) : (plugins.paths ?? {});
  const loaded = await loadPlugins(refs, options.root);
  const outcome = analyze(requests, options, loaded);
  // The compiler's code cache, when this run found none: written now that it holds the checker's functions too.
  codeCache.saveCodeCache();
  return outcome;
}

main().then(
  (outcome) => parentPort!.postMessage({ ok: true, outcome }),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
);
