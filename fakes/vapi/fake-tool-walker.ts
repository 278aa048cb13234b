import crypto from 'node:crypto';
import type { FakeOutcome, ToolStepContext } from './fake-options';
import type { FakeCall } from './fake-state';
import type { WebhookSender } from './fake-webhooks';
import { toolCallsMessage } from './fake-payloads';

// Plays the model's part in a scripted call: when the call's assistant has a server tool named
// next_step, each turn the "customer" answers, the fake POSTs a tool-calls message (research/
// vapi.md §3.7) to the tool's server and reads back {results:[{toolCallId, result}]}. The result
// is the script engine's instruction: words to say, then ask again, end, or transfer.

export interface FoundTool {
  tool: Record<string, any>;
  url: string;
  headers: Record<string, string>;
}

/** Tools may sit in assistantOverrides["tools:append"], assistantOverrides.model.tools or the assistant's model. */
export function findTool(request: Record<string, any>, toolName: string, fallbackServer?: { url?: string; headers?: Record<string, string> }): FoundTool | undefined {
  const o = request.assistantOverrides ?? {};
  const a = request.assistant ?? {};
  const candidates: any[] = [...(o['tools:append'] ?? []), ...(o.model?.tools ?? []), ...(a.model?.tools ?? []), ...(a['tools:append'] ?? [])];
  const tool = candidates.find((t) => t && (t.function?.name ?? t.name) === toolName);
  const url = tool?.server?.url ?? fallbackServer?.url;
  if (!tool || !url) return undefined;
  return { tool, url, headers: { ...(fallbackServer?.headers ?? {}), ...(tool.server?.headers ?? {}) } };
}

export type WalkEnd = 'end' | 'transfer' | 'error' | 'max_steps';

export interface WalkInput {
  call: FakeCall;
  found: FoundTool;
  sender: WebhookSender;
  outcome: FakeOutcome;
  answers: unknown[];
  maxSteps: number;
  answer?: (ctx: ToolStepContext) => Record<string, unknown>;
  /** Advances simulated time between turns; returns the seconds from the call's start. */
  pause: () => Promise<number>;
  callInfo: ToolStepContext['call'];
}

export async function walkTools(input: WalkInput): Promise<WalkEnd> {
  const { call, found, sender } = input;
  let lastResult: unknown;
  for (let step = 0; step < input.maxSteps; step++) {
    const ctx: ToolStepContext = { step, lastResult, call: input.callInfo, outcome: input.outcome, answers: input.answers };
    const args = (input.answer ?? defaultAnswer)(ctx);
    call.transcript.push({ role: 'user', text: args.optOut ? 'Please stop calling me and take me off your list.' : String(args.answer ?? ''), secondsFromStart: await input.pause() });
    const toolCallId = `call_${crypto.randomBytes(8).toString('hex')}`;
    const res = await sender.post(found.url, toolCallsMessage(call, found.tool, toolCallId, args), call.id, found.headers);
    const result = resultFor(res.body, toolCallId);
    call.toolSteps.push({ arguments: args, result, status: res.status ?? 0 });
    if (res.status === null || res.status >= 300 || result === undefined) return 'error';
    lastResult = result;
    const text = instructionText(result);
    const say = sayOf(result, text);
    if (say) call.transcript.push({ role: 'bot', text: say, secondsFromStart: await input.pause() });
    const end = endOf(result, text);
    if (end) return end;
  }
  return 'max_steps';
}

function resultFor(body: unknown, toolCallId: string): unknown {
  const results = (body as { results?: Array<{ toolCallId?: string; result?: unknown }> } | undefined)?.results;
  if (!Array.isArray(results)) return undefined;
  const mine = results.find((r) => r.toolCallId === toolCallId) ?? results[0];
  const value = mine?.result;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function instructionText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object') {
    const r = result as Record<string, unknown>;
    for (const key of ['text', 'instruction', 'message']) if (typeof r[key] === 'string') return r[key] as string;
    return JSON.stringify(result);
  }
  return '';
}

const sayOf = (result: unknown, text: string) =>
  (result && typeof result === 'object' && typeof (result as any).say === 'string' ? (result as any).say : undefined) ?? /Say: "([\s\S]*?)"(?=\s|$)/.exec(text)?.[1];

function endOf(result: unknown, text: string): WalkEnd | undefined {
  const r = (result && typeof result === 'object' ? result : {}) as Record<string, any>;
  if (r.action === 'transfer' || /transferCall|transfer the call/i.test(text)) return 'transfer';
  if (r.action === 'end' || r.end === true || r.done === true || r.type === 'end' || /endCall|end the call/i.test(text)) return 'end';
  return undefined;
}

/** Answers like a model reading the instruction: the hint says what kind of answer is wanted. */
export function defaultAnswer(ctx: ToolStepContext): Record<string, unknown> {
  if (ctx.outcome === 'opt_out') return { optOut: true };
  if (ctx.answers.length > 0) return { answer: ctx.answers.shift() };
  const expects = (ctx.lastResult as { expects?: { type?: string; options?: string[] } } | undefined)?.expects;
  const hint = expects?.type ?? /answer set to (.+?)\.(?:\s|$)/.exec(instructionText(ctx.lastResult))?.[1] ?? '';
  if (/yes.?or.?no|yes_no/i.test(hint)) return { answer: 'yes' };
  if (/number/i.test(hint)) return { answer: 3 };
  if (/choice|one of/i.test(hint)) return { answer: expects?.options?.[0] ?? /"([^"]+)"/.exec(hint)?.[1] ?? 'yes' };
  if (/date/i.test(hint)) return { answer: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) };
  if (/text|words/i.test(hint)) return { answer: 'sounds good' };
  return { answer: 'yes' };
}
