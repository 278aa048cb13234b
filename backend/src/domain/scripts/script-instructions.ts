import type { TScriptGraph, TStopNode } from './script.schema';
import { answerHint } from './script-answers';
import type { ScriptData } from './script-context';
import { renderTemplate } from './script-template';

// The text handed to the assistant at each stop (the `next_step` tool result, and what the
// simulator shows): the exact words to say, then what to do next. Kept short and literal:
// the model follows a plain imperative more reliably than structured JSON.

export interface Instruction {
  nodeId: string;
  action: 'ask' | 'end' | 'transfer';
  /** The exact words to speak. */
  say: string;
  expects?: { name: string; type: string; options?: string[]; hint: string };
  transferTo?: string;
  /** The whole instruction as the model receives it. */
  text: string;
}

export const OPT_OUT_HINT = 'If at any point they ask not to be called again, call next_step with optOut set to true instead.';

export function instructionFor(graph: TScriptGraph, walk: { spoken: string[]; stop: TStopNode }, data: ScriptData, lead: string[] = []): Instruction {
  const stop = walk.stop;
  const own = stop.text ? renderTemplate(stop.text, data, graph.fallbacks) : '';
  const say = [...lead, ...walk.spoken, own].filter((s) => s.trim() !== '').join(' ');
  const speak = say ? `Say: "${say}" ` : '';
  switch (stop.type) {
    case 'ask': {
      const hint = answerHint(stop.answer);
      return {
        nodeId: stop.id,
        action: 'ask',
        say,
        expects: { name: stop.answer.name, type: stop.answer.type, ...(stop.answer.type === 'choice' ? { options: stop.answer.options } : {}), hint },
        text: `${speak}Then wait for their reply and call next_step with answer set to ${hint}. ${OPT_OUT_HINT}`,
      };
    }
    case 'transfer':
      return {
        nodeId: stop.id,
        action: 'transfer',
        say,
        transferTo: stop.number,
        text: `${speak || 'Tell them you are connecting them to a colleague. '}Then transfer the call to ${stop.number} using transferCall.`,
      };
    case 'end':
      return { nodeId: stop.id, action: 'end', say, text: `${speak || 'Thank them politely. '}Then end the call using endCall.` };
  }
}
