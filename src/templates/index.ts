// Guide templates: load sets from the config, render each template × variant in memory, map findings back
// to template lines, group them across variants, and write rendered pages once they pass.
import { registerTemplateEngine } from "./engine.js";
import { createHandlebarsEngine } from "./handlebars.js";

registerTemplateEngine({ id: "handlebars", create: createHandlebarsEngine });

export { registerTemplateEngine, getTemplateEngine, TemplateError } from "./engine.js";
export type { CompiledTemplate, MappedRender, MissingValue, Segment, TemplateEngine, TemplateEngineProvider } from "./engine.js";
export { createHandlebarsEngine, TemplateErrors } from "./handlebars.js";
export { loadTemplateSets, parseVariants, toVariants } from "./load.js";
export type { LoadedPartial, LoadedSet, LoadedTemplate, Variant } from "./load.js";
export { defaultOutput, outputPath, renderVariants } from "./render.js";
export type { RenderResult, RenderedPage } from "./render.js";
export { originOf } from "./origin.js";
export type { Origin, OriginMap } from "./origin.js";
export { attachOrigin, groupTemplates } from "./group.js";
export type { TemplateFindingGroup, TemplateReport } from "./group.js";
export { blockingErrors, renderToDisk } from "./disk.js";
export type { RenderToDiskOptions, RenderToDiskResult } from "./disk.js";
export { changedFiles, installHook, selectChanged } from "./hook.js";
export type { InstallHookResult } from "./hook.js";

