import type { Vapi } from '@vapi-ai/server-sdk';
import type { TScriptGraph } from '../../../domain/scripts/script.schema';
import { buildScriptData, type CallFacts, type ContactFacts, type ScriptData } from '../../../domain/scripts/script-context';
import { compileScript, openScript, type CompiledScript } from '../../../domain/scripts/script-engine';
import { OPT_OUT_HINT } from '../../../domain/scripts/script-instructions';
import { collectVarPaths, evaluateCondition } from '../../../domain/scripts/script-logic';
import { listTemplateVariables, readPath } from '../../../domain/scripts/script-template';
import { NEXT_STEP_TOOL } from '../../../domain/scripts/script-step.service';

// A published script version → the pieces of Vapi `assistantOverrides` for one call
// (research/vapi.md §5, "single assistant + server tool"; Workflows are retired):
// - before the call, branches that read only the contact (or call facts) are decided here;
//   the opening walk becomes `firstMessage` (compliance preamble first), and the contact fields
//   the script uses plus those decisions go to `variableValues` (Liquid variables);
// - `systemPrompt` explains the protocol; put it in model.messages (withScriptPrompt), or
//   reference {{scriptProtocol}} from a saved assistant's prompt;
// - ONE server tool, next_step, that /webhooks/vapi answers from the graph, plus Vapi's built-in
//   endCall and (when the script transfers) transferCall;
// - `metadata` carries the version, and our attempt id when the dialer passes it.
// Pure functions: no I/O, no SDK values (types only).

export interface VapiScriptInput {
  version: { id: string; version: number; graph: TScriptGraph };
  contact: ContactFacts;
  call?: CallFacts;
  /** Where Vapi posts next_step calls: `${publicBaseUrl}/webhooks/vapi`. */
  publicBaseUrl: string;
  /** Sent as X-Vapi-Secret on the tool's server (Vapi may not attach credentials to transient servers, §3.6). */
  webhookSecret?: string;
  attemptId?: string;
}

export type VapiScriptOverrides = Pick<Vapi.AssistantOverrides, 'firstMessage' | 'variableValues' | 'tools:append' | 'metadata'> & {
  firstMessage: string;
  variableValues: Record<string, unknown>;
  'tools:append': Vapi.AssistantOverridesToolsAppendItem[];
  metadata: Record<string, unknown>;
};

export interface VapiScriptMapping {
  assistantOverrides: VapiScriptOverrides;
  systemPrompt: string;
  /** Where the opening walk stopped (the node the first next_step call answers). */
  openingNodeId: string;
  /** Contact-only branch decisions taken before the call: branch id → target node id. */
  precomputedBranches: Record<string, string>;
}

export function buildVapiScriptOverrides(input: VapiScriptInput): VapiScriptMapping {
  const cs = compileScript(input.version.graph);
  const data = buildScriptData({ contact: input.contact, call: input.call });
  const opening = openScript(cs, data);
  const precomputedBranches = decideContactOnlyBranches(cs, data);
  const systemPrompt = buildSystemPrompt(cs.graph, opening.instruction.text);
  return {
    systemPrompt,
    openingNodeId: opening.walk.stop.id,
    precomputedBranches,
    assistantOverrides: {
      firstMessage: opening.firstMessage,
      variableValues: {
        contact: usedContactFields(cs, data),
        script: { versionId: input.version.id, version: input.version.version, openingNodeId: opening.walk.stop.id, branches: precomputedBranches },
        scriptProtocol: systemPrompt,
      },
      'tools:append': buildScriptTools(cs.graph, input.publicBaseUrl, input.webhookSecret),
      metadata: { scriptVersionId: input.version.id, scriptVersion: input.version.version, ...(input.attemptId ? { attemptId: input.attemptId } : {}) },
    },
  };
}

/** A model override carrying the protocol as its system message (for a transient or overridden model). */
export function withScriptPrompt<M extends { messages?: unknown[] }>(model: M, systemPrompt: string): M {
  const rest = (model.messages ?? []).filter((m) => (m as { role?: string }).role !== 'system');
  return { ...model, messages: [{ role: 'system', content: systemPrompt }, ...rest] };
}

export function buildNextStepTool(publicBaseUrl: string, webhookSecret?: string): Vapi.AssistantOverridesToolsAppendItem.Function {
  return {
    type: 'function',
    async: false,
    function: {
      name: NEXT_STEP_TOOL,
      description: "Report the person's answer to the current script question (or that they want no more calls) and receive the next instruction.",
      parameters: {
        type: 'object',
        properties: {
          answer: { type: 'string', description: 'Their answer, in the form the current instruction asks for (yes or no, a number, one of the options, a date as YYYY-MM-DD, or a few words).' },
          optOut: { type: 'boolean', description: 'True when they ask not to be called again or to be removed from the list.' },
        },
      },
    },
    server: { url: `${publicBaseUrl.replace(/\/+$/, '')}/webhooks/vapi`, timeoutSeconds: 10, ...(webhookSecret ? { headers: { 'X-Vapi-Secret': webhookSecret } } : {}) },
  };
}

function buildScriptTools(graph: TScriptGraph, publicBaseUrl: string, webhookSecret?: string): Vapi.AssistantOverridesToolsAppendItem[] {
  const tools: Vapi.AssistantOverridesToolsAppendItem[] = [buildNextStepTool(publicBaseUrl, webhookSecret), { type: 'endCall' }];
  const transfers = new Map<string, string>();
  for (const n of graph.nodes) if (n.type === 'transfer' && !transfers.has(n.number)) transfers.set(n.number, n.reason);
  if (transfers.size) {
    tools.push({ type: 'transferCall', destinations: [...transfers].map(([number, description]) => ({ type: 'number' as const, number, description })) });
  }
  return tools;
}

export function buildSystemPrompt(graph: TScriptGraph, openingInstruction: string): string {
  const c = graph.compliance;
  return [
    `You are ${c.callerName}, an automated AI assistant calling on behalf of ${c.onBehalfOf ?? c.companyName}, on an outbound phone call that follows a fixed script.`,
    'How the script works:',
    `- Your first message introduces you and starts the script. After each reply, call the ${NEXT_STEP_TOOL} tool with the answer; its result tells you exactly what to say and do next. Follow it literally.`,
    `- ${OPT_OUT_HINT} Then say what it returns and end the call.`,
    '- Say only what the script gives you. Never invent offers, prices or promises. If asked something the script does not cover, say a colleague can follow up, then continue.',
    '- If asked whether you are a person, say you are an automated AI assistant.',
    '- When told to end the call, use endCall. When told to transfer, use transferCall.',
    `First step: ${openingInstruction}`,
  ].join('\n');
}

/** Contact fields the script reads (text or conditions), with fallbacks applied; nothing else leaves. */
export function usedContactFields(cs: CompiledScript, data: ScriptData): Record<string, unknown> {
  const paths = new Set<string>();
  for (const n of cs.graph.nodes) {
    if ('text' in n && n.text) listTemplateVariables(n.text).forEach((p) => paths.add(p));
    if (n.type === 'branch') n.edges.forEach((e) => collectVarPaths(e.when).forEach((p) => paths.add(p)));
  }
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    if (!path.startsWith('contact.')) continue;
    const value = readPath(data, path) ?? cs.graph.fallbacks[path];
    if (value !== undefined) out[path.slice('contact.'.length).replace(/\./g, '_')] = value;
  }
  return out;
}

export function decideContactOnlyBranches(cs: CompiledScript, data: ScriptData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of cs.graph.nodes) {
    if (n.type !== 'branch') continue;
    const reads = n.edges.flatMap((e) => collectVarPaths(e.when));
    if (!reads.every((p) => p.startsWith('contact.') || p.startsWith('call.'))) continue;
    const taken = n.edges.find((e) => evaluateCondition(e.when, data));
    out[n.id] = taken ? taken.to : n.else!;
  }
  return out;
}
