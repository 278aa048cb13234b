import {
  OPT_OUT_DISPOSITION,
  OPT_OUT_NODE_ID,
  type ScriptIssue,
  type TCompliance,
  type TEndNode,
  type TScriptGraph,
} from './script.schema';

// What every script says first and where an opt-out always leads (research/vapi.md §7: an
// artificial-voice call identifies the caller and on whose behalf, and offers an opt-out at the
// start). The rep sets the names; the sentence itself is ours, regenerated on every save and
// publish, so it cannot be edited away. The opt_out end node may be reworded but not removed,
// retyped or given another disposition.

export function buildPreamble(c: TCompliance): string {
  const who =
    c.onBehalfOf && c.onBehalfOf !== c.companyName
      ? `an automated AI assistant with ${c.companyName}, calling on behalf of ${c.onBehalfOf}`
      : `an automated AI assistant calling on behalf of ${c.companyName}`;
  const parts = [
    `Hi, this is ${c.callerName}, ${who}.`,
    `If you'd rather not get these calls, just tell me at any time and we'll take you off our list.`,
  ];
  if (c.callbackNumber) parts.push(`You can reach us at ${c.callbackNumber}.`);
  return parts.join(' ');
}

export const DEFAULT_OPT_OUT_NODE: TEndNode = {
  id: OPT_OUT_NODE_ID,
  type: 'end',
  disposition: OPT_OUT_DISPOSITION,
  text: "Understood. We won't call you again and we're removing your number from our list. Goodbye.",
};

/** The graph as it is stored: generated preamble, and the opt_out node added when missing. */
export function applyCompliance(graph: TScriptGraph): TScriptGraph {
  const hasOptOut = graph.nodes.some((n) => n.id === OPT_OUT_NODE_ID);
  return {
    ...graph,
    compliance: { ...graph.compliance, preamble: buildPreamble(graph.compliance) },
    nodes: hasOptOut ? graph.nodes : [...graph.nodes, { ...DEFAULT_OPT_OUT_NODE }],
  };
}

export function checkCompliance(graph: TScriptGraph): ScriptIssue[] {
  const index = graph.nodes.findIndex((n) => n.id === OPT_OUT_NODE_ID);
  const node = graph.nodes[index];
  if (!node) {
    return [{ code: 'OPT_OUT_MISSING', path: '$.nodes', message: `Every script needs the "${OPT_OUT_NODE_ID}" end node.` }];
  }
  if (node.type !== 'end' || node.disposition !== OPT_OUT_DISPOSITION) {
    return [
      {
        code: 'OPT_OUT_NODE_INVALID',
        nodeId: OPT_OUT_NODE_ID,
        path: `$.nodes[${index}]`,
        message: `The "${OPT_OUT_NODE_ID}" node must stay an end node with disposition "${OPT_OUT_DISPOSITION}"; you may change its text.`,
      },
    ];
  }
  return [];
}
