import type { z } from 'zod';
import { SCRIPT_LIMITS, ZScriptGraph, type ScriptIssue, type TScriptGraph } from './script.schema';
import { applyCompliance, checkCompliance } from './script-compliance';
import { checkStructure } from './script-graph';
import { checkLogic, propPath } from './script-logic';
import { checkTemplate, listTemplateVariables } from './script-template';
import { checkVariablePath, type VarRules } from './script-variables';

// One entry point that tells a rep everything wrong with a script and where: size and depth
// first (cheap, and they protect the rest), then the shape (zod), then the whole-graph rules.
// A valid result carries the graph as it will be stored (preamble generated, opt_out present).

export type ScriptValidation =
  | { ok: true; graph: TScriptGraph; warnings: ScriptIssue[] }
  | { ok: false; errors: ScriptIssue[]; warnings: ScriptIssue[] };

const fail = (errors: ScriptIssue[]): ScriptValidation => ({ ok: false, errors, warnings: [] });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateScriptGraph(input: unknown): ScriptValidation {
  const size = Buffer.byteLength(JSON.stringify(input) ?? '');
  if (size > SCRIPT_LIMITS.maxBytes) {
    return fail([{ code: 'SCRIPT_TOO_LARGE', path: '$', message: `The script is ${Math.ceil(size / 1024)} KB; the limit is ${SCRIPT_LIMITS.maxBytes / 1024} KB.` }]);
  }
  const scanned = scanDocument(input, SCRIPT_LIMITS.maxJsonDepth);
  if (scanned.length) return fail(scanned);
  if (isRecord(input) && Array.isArray(input.nodes) && input.nodes.length > SCRIPT_LIMITS.maxNodes) {
    return fail([{ code: 'TOO_MANY_NODES', path: '$.nodes', message: `The script has ${input.nodes.length} nodes; the limit is ${SCRIPT_LIMITS.maxNodes}.` }]);
  }
  const parsed = ZScriptGraph.safeParse(input);
  if (!parsed.success) return fail(parsed.error.issues.map((issue) => fromZodIssue(issue, input)));

  const graph = applyCompliance(parsed.data);
  const rules: VarRules = { scope: 'script', answerNames: new Set(graph.nodes.flatMap((n) => (n.type === 'ask' ? [n.answer.name] : []))) };
  const errors = [...checkCompliance(graph), ...checkStructure(graph), ...checkConditions(graph, rules), ...checkTexts(graph, rules)];
  const warnings = missingFallbacks(graph);
  return errors.length ? { ok: false, errors, warnings } : { ok: true, graph, warnings };
}

export function formatPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : propPath(String(p)))).join('');
}

function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): ScriptIssue {
  const path = formatPath(issue.path);
  const [head, index] = issue.path;
  const node = head === 'nodes' && typeof index === 'number' && isRecord(input) && Array.isArray(input.nodes) ? input.nodes[index] : undefined;
  const nodeId = isRecord(node) && typeof node.id === 'string' ? node.id : undefined;
  let code = 'SCHEMA_INVALID';
  if (head === 'compliance') code = isRecord(input) && input.compliance === undefined ? 'COMPLIANCE_REQUIRED' : 'COMPLIANCE_INVALID';
  const message =
    code === 'COMPLIANCE_REQUIRED'
      ? 'Every script needs a compliance block: callerName and companyName (who is calling, on whose behalf).'
      : `${path}: ${issue.message.replace(/^Invalid input: /, '')}.`;
  return { code, path, message, ...(nodeId ? { nodeId } : {}) };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * One iterative pass over the raw document (no recursion on hostile input): the first value
 * nested deeper than `max`, and every key that could reach an object's prototype when copied.
 */
function scanDocument(root: unknown, max: number): ScriptIssue[] {
  const issues: ScriptIssue[] = [];
  const stack: Array<[unknown, string, number]> = [[root, '$', 0]];
  while (stack.length) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= max) return [{ code: 'DEPTH_LIMIT', path, message: `The script nests more than ${max} levels deep.` }];
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${path}[${i}]`, depth + 1]));
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k)) issues.push({ code: 'KEY_FORBIDDEN', path: path + propPath(k), message: `The key "${k}" is not allowed anywhere in a script.` });
      stack.push([v, path + propPath(k), depth + 1]);
    }
  }
  return issues;
}

function checkConditions(graph: TScriptGraph, rules: VarRules): ScriptIssue[] {
  const issues: ScriptIssue[] = [];
  graph.nodes.forEach((n, i) => {
    if (n.type !== 'branch') return;
    n.edges.forEach((e, j) => issues.push(...checkLogic(e.when, { path: `$.nodes[${i}].edges[${j}].when`, nodeId: n.id, rules })));
  });
  const dispositionRules: VarRules = { ...rules, scope: 'disposition' };
  graph.dispositionRules.forEach((r, k) => {
    issues.push(...checkLogic(r.when, { path: `$.dispositionRules[${k}].when`, rules: dispositionRules }));
    for (const [prop, value] of Object.entries(r.hubspotProperties)) {
      issues.push(...checkTemplate(value, { path: `$.dispositionRules[${k}].hubspotProperties${propPath(prop)}`, rules: dispositionRules }));
    }
  });
  return issues;
}

function spokenTexts(graph: TScriptGraph): Array<{ text: string; path: string; nodeId: string }> {
  return graph.nodes.flatMap((n, i) => ('text' in n && n.text !== undefined ? [{ text: n.text, path: `$.nodes[${i}].text`, nodeId: n.id }] : []));
}

function checkTexts(graph: TScriptGraph, rules: VarRules): ScriptIssue[] {
  const issues = spokenTexts(graph).flatMap((t) => checkTemplate(t.text, { path: t.path, nodeId: t.nodeId, rules }));
  for (const key of Object.keys(graph.fallbacks)) {
    const problem = checkVariablePath(key, rules);
    if (problem) issues.push({ code: problem.code, path: `$.fallbacks${propPath(key)}`, message: problem.message });
  }
  return issues;
}

/** Not errors: a contact field may be empty, and then the text reads without it. */
function missingFallbacks(graph: TScriptGraph): ScriptIssue[] {
  return spokenTexts(graph).flatMap((t) =>
    listTemplateVariables(t.text)
      .filter((v) => v.startsWith('contact.') && graph.fallbacks[v] === undefined)
      .map((v) => ({ code: 'MISSING_FALLBACK', nodeId: t.nodeId, path: t.path, message: `"{{${v}}}" has no fallback; when the contact has no value the text is spoken without it.` })),
  );
}
