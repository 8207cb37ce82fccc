// Alternatives: consecutive blocks that show the same example in several languages or setups are not a sequence.
// Recognised, each narrowly:
//   - MDX `<Tabs>`/`<CodeGroup>`/`<CodeTabs>` elements (Docusaurus, Mintlify, Nextra), label from `<TabItem label|value>`;
//   - the same as raw HTML lines in a Markdown page (`<Tabs>` … `<TabItem value="js">` … `</Tabs>`);
//   - Hugo shortcodes `{{< tabpane >}}`/`{{< tabs >}}` with `{{< tab "TypeScript" >}}` / `{{% tab name="…" %}}`;
//   - VitePress `::: code-group` containers (label from the fence's `[label]`);
//   - two blocks separated by one short sentence that starts with "or"/"alternatively" and ends with a colon
//     ("Or with CommonJS:").
import type { Code } from "mdast";
import type { Node, Parent } from "unist";
import { visitParents } from "unist-util-visit-parents";

export interface AlternativeMark {
  group: number;
  lane: string;
}

const JSX_GROUPS = new Set(["Tabs", "CodeGroup", "CodeTabs", "TabGroup", "CodeSwitcher"]);
const JSX_ITEMS = new Set(["TabItem", "Tab", "CodeTab"]);
const HTML_OPEN = /<(Tabs|CodeGroup|CodeTabs|TabGroup)\b[^>]*>/;
const HTML_CLOSE = /<\/(Tabs|CodeGroup|CodeTabs|TabGroup)\s*>/;
const HTML_ITEM = /<(?:TabItem|Tab|CodeTab)\b([^>]*)>/;
const HUGO_GROUP_OPEN = /\{\{[<%]\s*(tabpane|tabs)\b[^}]*[>%]\}\}/;
const HUGO_GROUP_CLOSE = /\{\{[<%]\s*\/(tabpane|tabs)\s*[>%]\}\}/;
const HUGO_TAB = /\{\{[<%]\s*tab\b([^}]*)[>%]\}\}/;
const HUGO_TAB_CLOSE = /\{\{[<%]\s*\/tab\s*[>%]\}\}/;
const VITEPRESS_OPEN = /^:::\s*code-group\b/;
const VITEPRESS_CLOSE = /^:::\s*$/;
const OR_SENTENCE = /^(or|alternatively)\b[^.!?]{0,80}:$/i;

function attr(text: string, names: string[]): string | undefined {
  for (const name of names) {
    const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|\\{\\s*["'\`]([^"'\`]*)["'\`]\\s*\\})`).exec(text);
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

function textOf(node: Node): string {
  const value = (node as { value?: unknown }).value;
  if (typeof value === "string") return value;
  const children = (node as Partial<Parent>).children;
  return children ? children.map(textOf).join("") : "";
}

function jsxName(node: Node): string | undefined {
  return node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement" ? ((node as { name?: string | null }).name ?? undefined) : undefined;
}

function jsxLabel(node: Node): string | undefined {
  const attributes = (node as { attributes?: { type: string; name?: string; value?: unknown }[] }).attributes ?? [];
  for (const name of ["label", "value", "title", "name"]) {
    const a = attributes.find((x) => x.type === "mdxJsxAttribute" && x.name === name);
    if (typeof a?.value === "string") return a.value;
  }
  return undefined;
}

/** Marks the code nodes that are alternatives of each other (group number and lane). */
export function findAlternatives(tree: Node): Map<Code, AlternativeMark> {
  const marks = new Map<Code, { key: string; lane: string | undefined }>();
  let next = 0;
  // Container state for Markdown-level syntax (raw HTML, shortcodes, VitePress).
  let open: { key: string; label?: string; implicit?: boolean; closedTab?: boolean } | undefined;
  const jsxGroups = new Map<Node, string>();
  let lastCode: { node: Code; key?: string } | undefined;
  let between: Node[] = [];

  visitParents(tree, (node, ancestors) => {
    if (node.type === "code") {
      const code = node as Code;
      const jsxGroup = [...ancestors].reverse().find((a) => JSX_GROUPS.has(jsxName(a) ?? ""));
      let key: string | undefined;
      let label: string | undefined;
      if (jsxGroup) {
        if (!jsxGroups.has(jsxGroup)) jsxGroups.set(jsxGroup, `g${next++}`);
        key = jsxGroups.get(jsxGroup);
        const item = [...ancestors].reverse().find((a) => JSX_ITEMS.has(jsxName(a) ?? ""));
        label = item ? jsxLabel(item) : undefined;
      } else if (open) {
        key = open.key;
        label = open.label;
      } else if (lastCode && isOrSentence(between)) {
        key = lastCode.key ?? `g${next++}`;
        if (!lastCode.key) marks.set(lastCode.node, { key, lane: undefined });
      }
      // VitePress: ```ts [TypeScript]
      label ??= /\[([^\]]+)\]/.exec(code.meta ?? "")?.[1];
      if (key) marks.set(code, { key, lane: label?.toLowerCase() });
      lastCode = { node: code, key };
      between = [];
      return "skip";
    }
    if (ancestors.length === 1) between.push(node);
    if (node.type === "html") {
      const text = textOf(node);
      if (HTML_OPEN.test(text)) open = { key: `g${next++}` };
      const item = HTML_ITEM.exec(text);
      if (item && open) open.label = attr(item[1] ?? "", ["label", "value", "title"]);
      if (HTML_CLOSE.test(text)) open = undefined;
      return "skip";
    }
    if (node.type === "paragraph") {
      const text = textOf(node).trim();
      if (HUGO_GROUP_OPEN.test(text)) open = { key: `g${next++}` };
      const tab = HUGO_TAB.exec(text);
      if (tab) {
        // A tab outside a tabpane starts a group of consecutive tabs.
        open ??= { key: `g${next++}`, implicit: true };
        open.closedTab = false;
        const args = tab[1] ?? "";
        open.label = attr(args, ["name", "header", "title", "lang"]) ?? /^\s*"([^"]+)"|^\s*(\S+)/.exec(args)?.slice(1).find(Boolean);
      }
      if (HUGO_GROUP_CLOSE.test(text)) open = undefined;
      else if (!tab && open?.implicit && HUGO_TAB_CLOSE.test(text)) {
        // A group of tabs without a tabpane ends at the first content after a closed tab that is not another tab.
        open.closedTab = true;
      } else if (!tab && open?.closedTab) {
        open = undefined;
      }
      if (VITEPRESS_OPEN.test(text)) open = { key: `g${next++}` };
      else if (VITEPRESS_CLOSE.test(text) && open) open = undefined;
      return "skip";
    }
    return undefined;
  });

  // Lanes default to the block language; extract keeps groups of two or more TS/JS blocks.
  const out = new Map<Code, AlternativeMark>();
  const numbers = new Map<string, number>();
  for (const [code, m] of marks) {
    if (!numbers.has(m.key)) numbers.set(m.key, numbers.size);
    out.set(code, { group: numbers.get(m.key)!, lane: m.lane ?? (code.lang ?? "").toLowerCase() });
  }
  return out;
}

/** The nodes between two code blocks are one short "Or with CommonJS:" sentence. */
function isOrSentence(between: Node[]): boolean {
  const content = between.filter((n) => !(n.type === "html" && textOf(n).trim().startsWith("<!--")));
  if (content.length !== 1 || content[0]!.type !== "paragraph") return false;
  return OR_SENTENCE.test(textOf(content[0]!).trim());
}
