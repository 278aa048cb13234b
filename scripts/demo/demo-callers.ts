import { defaultAnswer, instructionText } from '../../fakes/vapi/fake-tool-walker';
import type { ToolStepContext, VapiFakeOptions } from '../../fakes/vapi/fake-options';

// How the people in the demo answer the phone. The Vapi fake decides each call's fate from an
// outcome mix (Vapi's own ended reasons: answered, no answer, busy, voicemail, carrier failure,
// an opt-out heard mid-call) and, on answered calls, plays the customer against our script
// through the real next_step tool: it reads the instruction our backend returned and answers
// what was asked, with a spread of answers so every branch of the sample script is walked.

/** Relative weights of what happens when the demo dials someone. */
export const DEMO_OUTCOME_MIX = { answered: 62, no_answer: 14, busy: 6, voicemail: 10, failed: 3, opt_out: 5 };

// Own seeded stream, so the answers do not depend on the fake's other random draws.
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function demoAnswer(rand: () => number) {
  return (ctx: ToolStepContext): Record<string, unknown> => {
    if (ctx.outcome === 'opt_out') return { optOut: true };
    // The first next_step call answers the opening question (the script's first "ask").
    const text = ctx.step === 0 ? 'answer set to yes or no.' : instructionText(ctx.lastResult);
    const hint = /answer set to (.+?)\.(?:\s|$)/.exec(text)?.[1] ?? '';
    if (/yes or no/i.test(hint)) return { answer: rand() < 0.8 ? 'yes' : 'no' };
    if (/a number/i.test(hint)) return { answer: Math.round(60 + rand() * 340) }; // $60–$400 a month
    const options = [...hint.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    if (options.length) return { answer: options[Math.floor(rand() * options.length)] };
    return defaultAnswer(ctx);
  };
}

export function demoCallerOptions(o: { apiKey: string; timeScale: number; seed: number; webhookSecret?: string }): VapiFakeOptions {
  return {
    apiKeys: [o.apiKey],
    timeScale: o.timeScale,
    seed: o.seed,
    // Vapi's default account: 10 live calls.
    concurrencyLimit: 10,
    outcomeMix: DEMO_OUTCOME_MIX,
    toolWalk: { answer: demoAnswer(rng(o.seed * 7919)) },
    ...(o.webhookSecret ? { webhook: { auth: { type: 'secret', secret: o.webhookSecret } } } : {}),
  };
}
