import crypto from 'node:crypto';
import { FakeClock, between } from '../vapi/fake-timers';
import { defaultAnswer, instructionText } from '../vapi/fake-tool-walker';
import type { RetellFakeOutcome } from './fake-options';
import type { RetellFakeCall, RetellFakeState } from './fake-state';
import type { RetellSender } from './fake-sender';

// Plays one Retell phone call: registered → ringing → (connected: call_started, the agent's
// next_step custom function walked against our backend, talk) → call_ended → call_analyzed, or
// not_connected with the dial's disconnection_reason. Webhooks carry the whole call object, as
// Retell's do.

export interface RetellSimDeps {
  state: RetellFakeState;
  clock: FakeClock;
  sender: RetellSender;
  rand: () => number;
  durations: Record<'ringSec' | 'talkSec' | 'voicemailSec' | 'analysisDelaySec', [number, number]>;
  webhookUrl?: string;
  functionUrl?: string;
  /** Events this call never delivers (webhook.dropEvents). */
  dropEvents: string[];
  maxFunctionSteps: number;
}

const NOT_CONNECTED: Partial<Record<RetellFakeOutcome, string>> = { no_answer: 'dial_no_answer', busy: 'dial_busy', failed: 'dial_failed' };
/** Cents per minute, for call_cost.combined_cost (Retell states it in cents). */
const CENTS_PER_MINUTE = 7;

export async function runRetellCall(call: RetellFakeCall, deps: RetellSimDeps, endAtStart?: string): Promise<void> {
  const w = call.wire;
  const send = async (event: string) => {
    if (deps.dropEvents.includes(event)) {
      deps.state.counters.webhooksDropped += 1;
      return;
    }
    if (deps.webhookUrl) await deps.sender.post(deps.webhookUrl, call.apiKey, { event, call: { ...w } }, { event, callId: w.call_id });
  };
  try {
    if (endAtStart) {
      end(call, endAtStart, 'not_connected', deps.state);
      await send('call_ended');
      w.call_analysis = { call_summary: 'The call did not start.', call_successful: false, in_voicemail: false, user_sentiment: 'Unknown', custom_analysis_data: {} };
      await send('call_analyzed');
      return;
    }
    await deps.clock.sleep(between(deps.rand, deps.durations.ringSec));
    const notConnected = NOT_CONNECTED[call.outcome as RetellFakeOutcome];
    if (notConnected) {
      end(call, notConnected, 'not_connected', deps.state);
      await send('call_ended');
      await deps.clock.sleep(between(deps.rand, deps.durations.analysisDelaySec));
      w.call_analysis = { call_summary: 'The call did not connect.', call_successful: false, in_voicemail: false, user_sentiment: 'Unknown', custom_analysis_data: {} };
      await send('call_analyzed');
      return;
    }
    w.call_status = 'ongoing';
    w.start_timestamp = Date.now();
    w.transcript_with_tool_calls = [];
    await send('call_started');
    let reason = 'agent_hangup';
    if (call.outcome === 'voicemail') {
      await deps.clock.sleep(between(deps.rand, deps.durations.voicemailSec));
      reason = 'voicemail_reached';
    } else {
      const talk = between(deps.rand, deps.durations.talkSec);
      await walkFunctions(call, deps);
      await deps.clock.sleep(talk);
      reason = call.outcome === 'opt_out' ? 'agent_hangup' : 'user_hangup';
    }
    end(call, reason, 'ended', deps.state);
    await send('call_ended');
    await deps.clock.sleep(between(deps.rand, deps.durations.analysisDelaySec));
    w.call_analysis = {
      call_summary: call.outcome === 'voicemail' ? 'Reached voicemail.' : 'The contact answered the script questions.',
      call_successful: call.outcome === 'answered',
      in_voicemail: call.outcome === 'voicemail',
      user_sentiment: 'Neutral',
      custom_analysis_data: call.outcome === 'opt_out' ? { optOut: true } : {},
    };
    await send('call_analyzed');
  } finally {
    if (call.holdsSlot) {
      call.holdsSlot = false;
      deps.state.releaseSlot(call.apiKey);
    }
  }
}

function end(call: RetellFakeCall, reason: string, status: 'ended' | 'not_connected', state?: RetellFakeState) {
  const w = call.wire;
  // The concurrency slot frees when the line drops, not when the analysis is done.
  if (state && call.holdsSlot) {
    call.holdsSlot = false;
    state.releaseSlot(call.apiKey);
  }
  w.call_status = status;
  w.disconnection_reason = reason;
  w.end_timestamp = Date.now();
  const durationMs = typeof w.start_timestamp === 'number' ? Math.max(0, w.end_timestamp - w.start_timestamp) : 0;
  w.duration_ms = durationMs;
  w.call_cost = { combined_cost: Math.round((durationMs / 60_000) * CENTS_PER_MINUTE * 100) / 100, product_costs: [], total_duration_seconds: Math.round(durationMs / 1000), total_duration_unit_price: CENTS_PER_MINUTE / 60 };
  w.transcript = (w.transcript_with_tool_calls ?? [])
    .filter((u: any) => u.role === 'agent' || u.role === 'user')
    .map((u: any) => `${u.role === 'agent' ? 'Agent' : 'User'}: ${u.content}`)
    .join('\n');
}

/** The agent's turns: each answer goes to next_step as Retell's custom-function request {name, call, args}. */
async function walkFunctions(call: RetellFakeCall, deps: RetellSimDeps): Promise<void> {
  if (!deps.functionUrl) return;
  const w = call.wire;
  let lastResult: unknown;
  const info = { callId: w.call_id, number: w.to_number, attemptId: call.attemptId, metadata: w.metadata ?? {} };
  for (let step = 0; step < deps.maxFunctionSteps; step++) {
    const args = defaultAnswer({ step, lastResult, call: info, outcome: call.outcome === 'opt_out' ? 'opt_out' : 'answered', answers: [] });
    w.transcript_with_tool_calls.push({ role: 'user', content: args.optOut ? 'Please stop calling me.' : String(args.answer ?? ''), words: [] });
    const toolCallId = `tool_${crypto.randomBytes(8).toString('hex')}`;
    w.transcript_with_tool_calls.push({ role: 'tool_call_invocation', tool_call_id: toolCallId, name: 'next_step', arguments: JSON.stringify(args) });
    deps.state.counters.functionCalls += 1;
    const res = await deps.sender.post(deps.functionUrl, call.apiKey, { name: 'next_step', call: { ...w }, args }, { event: 'function:next_step', callId: w.call_id });
    const result = (res.body as { result?: unknown } | undefined)?.result ?? res.body;
    call.functionSteps.push({ args, status: res.status, result });
    if (res.status === null || res.status >= 300) return;
    const text = instructionText(result);
    w.transcript_with_tool_calls.push({ role: 'tool_call_result', tool_call_id: toolCallId, content: text });
    w.transcript_with_tool_calls.push({ role: 'agent', content: text.slice(0, 200), words: [] });
    lastResult = result;
    if (/end_?call|end the call|transfer/i.test(text)) return;
  }
}
