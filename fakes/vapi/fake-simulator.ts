import { between, type FakeClock } from './fake-timers';
import type { CallInfo, CallScript, FakeOutcome, ToolStepContext } from './fake-options';
import type { FakeCall, FakeState } from './fake-state';
import type { WebhookSender } from './fake-webhooks';
import { endOfCallReport, statusUpdate, transcriptMessage } from './fake-payloads';
import { findTool, walkTools, type WalkEnd } from './fake-tool-walker';

// One call's life on the fake's clock: queued → ringing → (in-progress) → ended, then the
// end-of-call report after "post-processing". Webhooks follow the call's serverMessages list
// (Vapi's default when absent: no transcripts) to the call's server URL.

type Range = [number, number];

export interface SimulatorDeps {
  state: FakeState;
  clock: FakeClock;
  sender: WebhookSender;
  rand: () => number;
  durations: Record<'queuedSec' | 'ringSec' | 'talkSec' | 'voicemailSec' | 'reportDelaySec', Range>;
  webhookUrl: string | undefined;
  toolName: string;
  maxToolSteps: number;
  answer?: (ctx: ToolStepContext) => Record<string, unknown>;
}

// CreateAssistantDto.serverMessages default (SDK 2.0.1), minus types the fake never produces.
const DEFAULT_SERVER_MESSAGES = ['end-of-call-report', 'hang', 'status-update', 'tool-calls'];

const ENDED_REASON: Record<Exclude<FakeOutcome, 'answered' | 'opt_out'>, string> = {
  no_answer: 'customer-did-not-answer',
  busy: 'customer-busy',
  voicemail: 'voicemail',
  failed: 'twilio-failed-to-connect-call',
};

export function runCall(call: FakeCall, script: CallScript, info: CallInfo, deps: SimulatorDeps, endAtStart?: string): Promise<void> {
  return new Lifecycle(call, script, info, deps).run(endAtStart);
}

class Lifecycle {
  private readonly url: string | undefined;
  private readonly headers: Record<string, string>;
  private readonly serverMessages: string[];
  private simT = 0;
  private emitted = 0;

  constructor(
    private call: FakeCall,
    private script: CallScript,
    private info: CallInfo,
    private deps: SimulatorDeps,
  ) {
    const r = call.request;
    const server = r.assistantOverrides?.server ?? r.assistant?.server ?? {};
    this.url = server.url ?? deps.webhookUrl;
    this.headers = Object.fromEntries(Object.entries(server.headers ?? {}).map(([k, v]) => [k, String(v)]));
    this.serverMessages = r.assistantOverrides?.serverMessages ?? r.assistant?.serverMessages ?? DEFAULT_SERVER_MESSAGES;
  }

  async run(endAtStart?: string): Promise<void> {
    if (endAtStart) return this.end(endAtStart);
    await this.sleep(this.deps.durations.queuedSec);
    await this.setStatus('ringing');
    const outcome = this.script.outcome;
    if (outcome === 'failed') {
      await this.sleep([0.5, 2]);
      return this.end(ENDED_REASON.failed);
    }
    if (outcome === 'busy') {
      await this.sleep([1, 3]);
      return this.end(ENDED_REASON.busy);
    }
    await this.sleep(this.deps.durations.ringSec);
    if (outcome === 'no_answer') return this.end(ENDED_REASON.no_answer);
    this.call.startedAt = new Date().toISOString();
    await this.setStatus('in-progress');
    if (outcome === 'voicemail') return this.voicemail();
    return this.conversation(outcome);
  }

  private async voicemail() {
    this.say('user', "You've reached my voicemail. Please leave a message after the tone.");
    const message = this.call.request.assistantOverrides?.voicemailMessage ?? this.call.request.assistant?.voicemailMessage ?? 'Sorry we missed you. We will try again later.';
    this.say('bot', message);
    await this.pause(this.deps.durations.voicemailSec);
    return this.end(ENDED_REASON.voicemail);
  }

  private async conversation(outcome: FakeOutcome) {
    const r = this.call.request;
    this.say('bot', r.assistantOverrides?.firstMessage ?? r.assistant?.firstMessage ?? 'Hello, this is an automated assistant calling.');
    const found = findTool(r, this.deps.toolName, r.assistantOverrides?.server ?? r.assistant?.server ?? (this.deps.webhookUrl ? { url: this.deps.webhookUrl } : undefined));
    const turn: Range = [this.deps.durations.talkSec[0] / 6, this.deps.durations.talkSec[1] / 6];
    let walked: WalkEnd | undefined;
    if (found) {
      walked = await walkTools({
        call: this.call,
        found,
        sender: this.deps.sender,
        outcome,
        answers: [...(this.script.answers ?? [])],
        maxSteps: this.deps.maxToolSteps,
        answer: this.deps.answer,
        callInfo: this.info,
        pause: async () => {
          await this.pause(turn);
          return this.simT;
        },
      });
    } else if (outcome === 'opt_out') {
      await this.pause(turn);
      this.say('user', 'Please stop calling me and take me off your list.');
      await this.pause(turn);
      this.say('bot', 'Understood. We will not call you again. Goodbye.');
    } else {
      for (const [role, text] of [['user', 'Yes, speaking.'], ['bot', 'Thanks for taking the call. Do you have a minute?'], ['user', 'Sure, go ahead.'], ['bot', 'Great, thank you. Goodbye.']] as const) {
        await this.pause(turn);
        this.say(role, text);
      }
    }
    await this.pause(turn);
    if (outcome === 'opt_out') this.call.structuredOutputs = { 'fake-opt-out': { name: 'optOut', result: true } };
    const reason = walked === 'transfer' ? 'assistant-forwarded-call' : walked === 'end' || outcome === 'opt_out' ? 'assistant-ended-call' : 'customer-ended-call';
    return this.end(reason);
  }

  private say(role: 'bot' | 'user', text: string) {
    this.call.transcript.push({ role, text, secondsFromStart: Number(this.simT.toFixed(2)) });
  }

  private async end(endedReason: string) {
    const call = this.call;
    await this.flushTranscript();
    call.status = 'ended';
    call.endedReason = endedReason;
    call.endedAt = new Date().toISOString();
    call.updatedAt = call.endedAt;
    call.durationSec = call.startedAt ? this.simT : 0;
    call.cost = call.startedAt ? Number((0.02 + 0.12 * (this.simT / 60)).toFixed(4)) : 0;
    if (call.holdsSlot) {
      call.holdsSlot = false;
      this.deps.state.releaseSlot(call.apiKey);
    }
    await this.send(statusUpdate(call));
    await this.sleep(this.deps.durations.reportDelaySec);
    await this.send(endOfCallReport(call));
  }

  private async setStatus(status: FakeCall['status']) {
    this.call.status = status;
    this.call.updatedAt = new Date().toISOString();
    await this.send(statusUpdate(this.call));
  }

  private async pause(range: Range) {
    await this.flushTranscript();
    const sec = between(this.deps.rand, range);
    await this.deps.clock.sleep(sec);
    this.simT += sec;
  }

  private sleep(range: Range) {
    return this.deps.clock.sleep(between(this.deps.rand, range));
  }

  private async flushTranscript() {
    if (!this.wants('transcript')) return;
    while (this.emitted < this.call.transcript.length) await this.send(transcriptMessage(this.call, this.call.transcript[this.emitted++]!));
  }

  private wants(type: string) {
    return this.serverMessages.some((m) => m === type || m.startsWith(`${type}[`));
  }

  private async send(payload: { message: { type: string } }) {
    if (this.deps.clock.isClosed || !this.url || !this.wants(payload.message.type)) return;
    await this.deps.sender.notify(this.url, payload, this.call.id, this.headers);
  }
}
