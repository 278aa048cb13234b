import { z } from 'zod';

// The stored script format: a graph of say / ask / branch / transfer / end nodes whose edges carry
// JSONLogic conditions over { contact, answers, call }. zod checks the shape; everything that
// needs the whole graph (targets, reachability, cycles, variables, operators) lives in
// script-validator.ts so each problem can be reported with its node id and JSON path.

export const SCRIPT_LIMITS = {
  /** Serialized size of one graph. */
  maxBytes: 256 * 1024,
  maxNodes: 200,
  /** Nesting of the whole document, checked before zod so a hostile payload cannot recurse deeply. */
  maxJsonDepth: 32,
  /** Nesting of operators inside one JSONLogic condition. */
  maxLogicDepth: 10,
  maxTextChars: 2000,
  maxEdgesPerBranch: 20,
  maxDispositionRules: 50,
} as const;

/** Reserved node that every script has: where an opt-out heard at any point leads. */
export const OPT_OUT_NODE_ID = 'opt_out';
export const OPT_OUT_DISPOSITION = 'opted_out';

const noTemplateSyntax = (v: string) => !/\{\{|\}\}|\{%|%\}/.test(v);

export const ZNodeId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
  message: 'must start with a letter and use only letters, digits, "_" or "-" (at most 64)',
});
export const ZSlug = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'must be lower_snake_case (at most 40 characters)' });
const ZText = z.string().trim().min(1).max(SCRIPT_LIMITS.maxTextChars);
const ZPlain = (max: number) => z.string().trim().min(1).max(max).refine(noTemplateSyntax, { message: 'must not contain {{ }} or {% %}' });
const ZE164 = z.string().regex(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 phone number such as +14155550100' });
/** A JSONLogic expression; its operators and variables are checked by script-logic.ts. */
const ZLogic = z.unknown().refine((v) => v !== undefined, { message: 'a JSONLogic condition is required' });
const ZUi = z.strictObject({ x: z.number().finite(), y: z.number().finite() }).partial().optional();

export const ZAnswerName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, {
  message: 'must start with a letter and use only letters, digits and "_" (at most 40)',
});

export const ZAnswerSpec = z.discriminatedUnion('type', [
  z.strictObject({ name: ZAnswerName, type: z.literal('yes_no') }),
  z.strictObject({ name: ZAnswerName, type: z.literal('text') }),
  z.strictObject({ name: ZAnswerName, type: z.literal('number'), min: z.number().finite().optional(), max: z.number().finite().optional() }),
  z.strictObject({ name: ZAnswerName, type: z.literal('choice'), options: z.array(ZPlain(80)).min(2).max(20) }),
  z.strictObject({ name: ZAnswerName, type: z.literal('date') }),
]);

const base = { id: ZNodeId, label: z.string().max(120).optional(), ui: ZUi };

export const ZSayNode = z.strictObject({ ...base, type: z.literal('say'), text: ZText, next: ZNodeId });
export const ZAskNode = z.strictObject({ ...base, type: z.literal('ask'), text: ZText, answer: ZAnswerSpec, next: ZNodeId });
export const ZEdge = z.strictObject({ when: ZLogic, to: ZNodeId, label: z.string().max(120).optional() });
// `else` is optional here only so the validator can name the branch that lacks it (BRANCH_WITHOUT_ELSE).
export const ZBranchNode = z.strictObject({
  ...base,
  type: z.literal('branch'),
  edges: z.array(ZEdge).min(1).max(SCRIPT_LIMITS.maxEdgesPerBranch),
  else: ZNodeId.optional(),
});
export const ZTransferNode = z.strictObject({
  ...base,
  type: z.literal('transfer'),
  number: ZE164,
  reason: ZPlain(200),
  text: ZText.optional(),
  disposition: ZSlug.default('transferred'),
});
export const ZEndNode = z.strictObject({ ...base, type: z.literal('end'), disposition: ZSlug, text: ZText.optional() });

export const ZScriptNode = z.discriminatedUnion('type', [ZSayNode, ZAskNode, ZBranchNode, ZTransferNode, ZEndNode]);

/** Who is calling and for whom; the spoken preamble is generated from it and cannot be edited away. */
export const ZCompliance = z.strictObject({
  callerName: ZPlain(60),
  companyName: ZPlain(100),
  onBehalfOf: ZPlain(100).optional(),
  callbackNumber: ZE164.optional(),
  /** Generated on save and publish from the fields above; a value sent by a client is replaced. */
  preamble: z.string().max(1000).optional(),
});

/** Post-call rule: JSONLogic over { endedReason, outcomeClass, disposition, isOptOut, structured, answers, contact, call }. */
export const ZDispositionRule = z.strictObject({
  when: ZLogic,
  outcome: ZSlug,
  shouldRetry: z.boolean().default(false),
  hubspotProperties: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, { message: 'must be a HubSpot internal property name' }), z.string().max(500)).default({}),
  label: z.string().max(120).optional(),
});

export const ZScriptGraph = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  compliance: ZCompliance,
  start: ZNodeId,
  nodes: z.array(ZScriptNode).min(1).max(SCRIPT_LIMITS.maxNodes),
  /** Text spoken when a {{variable}} has no value, by variable path (e.g. "contact.firstName": "there"). */
  fallbacks: z.record(z.string().max(120), z.string().max(200).refine(noTemplateSyntax, { message: 'must not contain {{ }} or {% %}' })).default({}),
  dispositionRules: z.array(ZDispositionRule).max(SCRIPT_LIMITS.maxDispositionRules).default([]),
});

export type TScriptGraph = z.infer<typeof ZScriptGraph>;
export type TScriptNode = z.infer<typeof ZScriptNode>;
export type TAskNode = z.infer<typeof ZAskNode>;
export type TBranchNode = z.infer<typeof ZBranchNode>;
export type TTransferNode = z.infer<typeof ZTransferNode>;
export type TEndNode = z.infer<typeof ZEndNode>;
export type TAnswerSpec = z.infer<typeof ZAnswerSpec>;
export type TCompliance = z.infer<typeof ZCompliance>;
export type TDispositionRule = z.infer<typeof ZDispositionRule>;
/** Nodes where a walk through the graph stops: waiting for an answer, or the call is concluding. */
export type TStopNode = TAskNode | TTransferNode | TEndNode;

/** One problem, located: the node it belongs to (when it belongs to one) and a JSON path ($.nodes[3].edges[0].when). */
export interface ScriptIssue {
  code: string;
  nodeId?: string;
  path: string;
  message: string;
}
