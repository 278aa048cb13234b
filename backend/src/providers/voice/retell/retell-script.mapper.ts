import type { TScriptGraph } from '../../../domain/scripts/script.schema';
import { buildScriptData, type CallFacts, type ContactFacts } from '../../../domain/scripts/script-context';
import { compileScript, openScript } from '../../../domain/scripts/script-engine';
import { OPT_OUT_HINT } from '../../../domain/scripts/script-instructions';
import { NEXT_STEP_TOOL } from '../../../domain/scripts/script-step.service';
// Provider-neutral helpers that happen to live with the first adapter: which contact fields the
// script reads, and the branches decidable before the call.
import { decideContactOnlyBranches, usedContactFields } from '../vapi/vapi-script.mapper';

// A published script version → what one Retell call needs (Retell places calls from a saved
// agent, so the script travels as dynamic variables; every value is a string):
//  - script_first_message: the opening walk (compliance preamble first), for the agent's
//    begin message "{{script_first_message}}";
//  - script_protocol: how to follow the script, for the agent's prompt "{{script_protocol}}";
//  - contact_<field>: the contact fields the script reads, with fallbacks; nothing else leaves;
//  - script_version_id / script_opening_node / script_branches: for the agent and our logs.
// In-call steps: the agent's custom function next_step posts to
// /webhooks/retell/functions/next_step, answered by the same script engine as Vapi's tool.
// Dispositions come after the call from call_analyzed (custom analysis data, e.g. optOut).

export interface RetellScriptInput {
  version: { id: string; version: number; graph: TScriptGraph };
  contact: ContactFacts;
  call?: CallFacts;
  attemptId?: string;
}

export interface RetellScriptMapping {
  dynamicVariables: Record<string, string>;
  metadata: Record<string, string | number>;
  openingNodeId: string;
}

export function buildRetellScriptVariables(input: RetellScriptInput): RetellScriptMapping {
  const cs = compileScript(input.version.graph);
  const data = buildScriptData({ contact: input.contact, call: input.call });
  const opening = openScript(cs, data);
  const dynamicVariables: Record<string, string> = {
    script_first_message: opening.firstMessage,
    script_protocol: buildRetellProtocol(cs.graph, opening.instruction.text),
    script_version_id: input.version.id,
    script_version: String(input.version.version),
    script_opening_node: opening.walk.stop.id,
    script_branches: JSON.stringify(decideContactOnlyBranches(cs, data)),
  };
  for (const [field, value] of Object.entries(usedContactFields(cs, data))) {
    if (value !== undefined && value !== null) dynamicVariables[`contact_${field}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return {
    dynamicVariables,
    metadata: { scriptVersionId: input.version.id, scriptVersion: input.version.version },
    openingNodeId: opening.walk.stop.id,
  };
}

export function buildRetellProtocol(graph: TScriptGraph, openingInstruction: string): string {
  const c = graph.compliance;
  return [
    `You are ${c.callerName}, an automated AI assistant calling on behalf of ${c.onBehalfOf ?? c.companyName}, on an outbound phone call that follows a fixed script.`,
    'How the script works:',
    `- Your first message introduces you and starts the script. After each reply, call the ${NEXT_STEP_TOOL} function with the answer; its result tells you exactly what to say and do next. Follow it literally.`,
    `- ${OPT_OUT_HINT} Then say what it returns and end the call.`,
    '- Say only what the script gives you. Never invent offers, prices or promises. If asked something the script does not cover, say a colleague can follow up, then continue.',
    '- If asked whether you are a person, say you are an automated AI assistant.',
    '- When told to end the call, use end_call. When told to transfer, use transfer_call.',
    `First step: ${openingInstruction}`,
  ].join('\n');
}
