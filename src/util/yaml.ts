// The YAML parser on first use: loading it costs ≈ 50 ms of CPU, and most runs need it nowhere (it reads
// pnpm-workspace.yaml and tells YAML-looking blocks apart).
import { createRequire } from "node:module";
import type * as Yaml from "yaml";

let yaml: typeof Yaml | undefined;

export function yamlParser(): typeof Yaml {
  return (yaml ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}
