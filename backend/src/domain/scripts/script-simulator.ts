import type { TScriptGraph } from './script.schema';
import { buildScriptData, type CallFacts, type ContactFacts, type ScriptData } from './script-context';
import { decideDisposition, type DispositionDecision } from './script-disposition';
import { compileScript, openScript, stepScript, type CompiledScript, type StepInput } from './script-engine';
import { listEdges } from './script-graph';
import type { Instruction } from './script-instructions';

// Walks a script the way calls do (same engine as the next_step tool) with a sample contact
// and lists of answers, one list per run, and reports the path, the instruction the assistant
// would get at each stop, the final disposition, and which edges the runs covered.

export type SimAnswer = string | number | boolean | { optOut: true };

export interface SimStep {
  /** Where the call waits after this step (ask / end / transfer). */
  nodeId: string;
  /** Nodes walked to get there. */
  visited: string[];
  instruction: Instruction;
  /** The answer given at this stop, as sent and as the graph saw it. */
  answer?: SimAnswer;
  accepted?: string | number | boolean;
  invalid?: string;
}

export interface SimRun {
  path: string[];
  steps: SimStep[];
  answers: Record<string, unknown>;
  status: 'ended' | 'transferred' | 'opted_out' | 'needs_more_answers' | 'step_limit';
  disposition: string | null;
  /** What decideDisposition would conclude if the call ended normally here. */
  decision: DispositionDecision | null;
  unusedAnswers: number;
}

export interface SimulationResult {
  runs: SimRun[];
  coverage: { edgesTaken: number; edgesTotal: number; ratio: number; untaken: Array<{ key: string; from: string; to: string }> };
}

const MAX_SIM_STEPS = 200;

export function simulateScript(graph: TScriptGraph, input: { contact: ContactFacts; call?: CallFacts; runs: SimAnswer[][] }): SimulationResult {
  const cs = compileScript(graph);
  const taken = new Set<string>();
  const runs = input.runs.map((answers) => simulateRun(cs, input, answers, taken));
  const all = listEdges(graph);
  const untaken = all.filter((e) => !taken.has(e.key)).map(({ key, from, to }) => ({ key, from, to }));
  const edgesTaken = all.length - untaken.length;
  return { runs, coverage: { edgesTaken, edgesTotal: all.length, ratio: all.length ? Math.round((edgesTaken / all.length) * 1000) / 1000 : 1, untaken } };
}

function simulateRun(cs: CompiledScript, facts: { contact: ContactFacts; call?: CallFacts }, answers: SimAnswer[], taken: Set<string>): SimRun {
  let data: ScriptData = buildScriptData(facts);
  const opening = openScript(cs, data);
  opening.walk.edges.forEach((e) => taken.add(e));
  const steps: SimStep[] = [{ nodeId: opening.walk.stop.id, visited: opening.walk.visited, instruction: opening.instruction }];
  const path = [...opening.walk.visited];
  let used = 0;
  let optedOut = false;
  while (used < answers.length && steps.length < MAX_SIM_STEPS) {
    const last = steps[steps.length - 1]!;
    if (last.instruction.action !== 'ask') break;
    const answer = answers[used++]!;
    const input: StepInput = typeof answer === 'object' ? { optOut: true } : { answer };
    const outcome = stepScript(cs, last.nodeId, input, data);
    if (outcome.kind === 'invalid_answer') {
      steps.push({ nodeId: last.nodeId, visited: [], instruction: outcome.instruction, answer, invalid: outcome.problem });
      continue;
    }
    if (outcome.kind === 'finished') break;
    outcome.walk.edges.forEach((e) => taken.add(e));
    path.push(...outcome.walk.visited);
    if (outcome.kind === 'advanced') data = { ...data, answers: { ...data.answers, [outcome.answer.name]: outcome.answer.value } };
    else optedOut = true;
    steps.push({
      nodeId: outcome.walk.stop.id,
      visited: outcome.walk.visited,
      instruction: outcome.instruction,
      answer,
      ...(outcome.kind === 'advanced' ? { accepted: outcome.answer.value } : {}),
    });
  }
  const final = cs.byId.get(steps[steps.length - 1]!.nodeId)!;
  const concluded = final.type === 'end' || final.type === 'transfer';
  const disposition = concluded ? final.disposition : null;
  const status: SimRun['status'] = optedOut
    ? 'opted_out'
    : final.type === 'end'
      ? 'ended'
      : final.type === 'transfer'
        ? 'transferred'
        : steps.length >= MAX_SIM_STEPS
          ? 'step_limit'
          : 'needs_more_answers';
  const endedReason = final.type === 'transfer' ? 'assistant-forwarded-call' : 'assistant-ended-call';
  const decision = concluded ? decideDisposition({ graph: cs.graph }, { endedReason, answers: data.answers, contact: facts.contact, call: facts.call, disposition, isOptOut: optedOut }) : null;
  return { path, steps, answers: data.answers, status, disposition, decision, unusedAnswers: answers.length - used };
}
