import type { ScriptIssue } from './script.schema';
import { checkVariablePath, type VarRules } from './script-variables';

// {{contact.firstName}} in spoken text. Rendering never says "undefined" or "null": a missing
// value becomes the fallback the rep set for that path, else nothing, and the spacing around it
// is tidied. Substituted values lose any {{ }} / {% %} so contact data cannot inject template
// syntax into what Vapi renders with Liquid.

const TEMPLATE_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const PATH_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

export function listTemplateVariables(text: string): string[] {
  return [...text.matchAll(TEMPLATE_RE)].map((m) => m[1]!);
}

export interface TemplateCheckTarget {
  path: string;
  nodeId?: string;
  rules: VarRules;
}

export function checkTemplate(text: string, target: TemplateCheckTarget): ScriptIssue[] {
  const issues: ScriptIssue[] = [];
  const push = (code: string, message: string) =>
    issues.push({ code, path: target.path, message, ...(target.nodeId ? { nodeId: target.nodeId } : {}) });
  if (/\{%|%\}/.test(text)) push('TEMPLATE_INVALID', 'Template tags ({% %}) are not supported; use a branch node instead.');
  const leftover = text.replace(TEMPLATE_RE, '');
  if (/\{\{|\}\}/.test(leftover)) push('TEMPLATE_INVALID', 'A "{{" has no matching "}}" (or the other way round).');
  for (const path of listTemplateVariables(text)) {
    if (!PATH_RE.test(path)) {
      push('TEMPLATE_INVALID', `"{{${path}}}" is not a variable path such as {{contact.firstName}}.`);
      continue;
    }
    const problem = checkVariablePath(path, target.rules);
    if (problem) push(problem.code, problem.message);
  }
  return issues;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Reads a dotted path through own properties only. */
export function readPath(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

const stripTemplateSyntax = (s: string) => s.replace(/\{\{|\}\}|\{%|%\}/g, '');

function spoken(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : stripTemplateSyntax(value.trim());
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return undefined;
}

export function renderTemplate(text: string, data: object, fallbacks: Readonly<Record<string, string>> = {}): string {
  if (!text.includes('{{')) return text;
  const out = text.replace(TEMPLATE_RE, (_m, path: string) => spoken(readPath(data, path)) ?? (hasOwn(fallbacks, path) ? fallbacks[path]! : ''));
  // "Hi {{contact.firstName}}, ..." with no name and no fallback reads "Hi, ..." rather than "Hi , ...".
  return out.replace(/[ \t]{2,}/g, ' ').replace(/[ \t]+([,.!?;:])/g, '$1').trim();
}
