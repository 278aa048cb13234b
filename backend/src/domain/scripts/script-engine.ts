import { OPT_OUT_NODE_ID, type TScriptGraph, type TScriptNode, type TStopNode } from './script.schema';
import { coerceAnswer } from './script-answers';
import type { ScriptData } from './script-context';
import { evaluateCondition } from './script-logic';
import { renderTemplate } from './script-template';
import { instructionFor, type Instruction } from './script-instructions';

// Walking a validated graph. One walk goes from a node through say and branch nodes (speaking
// the says, evaluating the branches) until it stops where the call needs something: an answer
// (ask), or the end (end / transfer). The same functions serve the pre-call opening, each
// in-call tool call and the simulator, so what the simulator shows is what a call does.

export interface CompiledScript {
  graph: TScriptGraph;
  byId: ReadonlyMap<string, TScriptNode>;
}

export function compileScript(graph: TScriptGraph): CompiledScript {
  return { graph, byId: new Map(graph.nodes.map((n) => [n.id, n])) };
}

export interface Walk {
  /** Node ids in the order visited, ending with the stop node. */
  visited: string[];
  /** Edge keys taken (see script-graph.ts EdgeRef.key). */
  edges: string[];
  /** Rendered text of the say nodes passed on the way. */
  spoken: string[];
  stop: TStopNode;
}

export class ScriptRuntimeError extends Error {}

export function walkFrom(cs: CompiledScript, fromId: string, data: ScriptData): Walk {
  const walk: Omit<Walk, 'stop'> = { visited: [], edges: [], spoken: [] };
  let id = fromId;
  // A validated graph has no loop without a question, so a walk visits each node at most once.
  for (let steps = 0; steps <= cs.graph.nodes.length; steps++) {
    const node = cs.byId.get(id);
    if (!node) throw new ScriptRuntimeError(`script node "${id}" does not exist`);
    walk.visited.push(id);
    if (node.type === 'say') {
      walk.spoken.push(renderTemplate(node.text, data, cs.graph.fallbacks));
      walk.edges.push(`${id}:next`);
      id = node.next;
    } else if (node.type === 'branch') {
      const taken = node.edges.findIndex((e) => evaluateCondition(e.when, data));
      walk.edges.push(taken >= 0 ? `${id}:e${taken}` : `${id}:else`);
      id = taken >= 0 ? node.edges[taken]!.to : node.else!;
    } else {
      return { ...walk, stop: node };
    }
  }
  throw new ScriptRuntimeError(`walk from "${fromId}" did not stop within ${cs.graph.nodes.length} nodes`);
}

export interface Opening {
  walk: Walk;
  preamble: string;
  /** What the assistant says first: preamble, the opening says, then the first question (or closing). */
  firstMessage: string;
  instruction: Instruction;
}

export function openScript(cs: CompiledScript, data: ScriptData): Opening {
  const walk = walkFrom(cs, cs.graph.start, data);
  const preamble = cs.graph.compliance.preamble ?? '';
  const instruction = instructionFor(cs.graph, walk, data, [preamble]);
  return { walk, preamble, firstMessage: instruction.say, instruction };
}

export type StepInput = { optOut: true } | { optOut?: false; answer: unknown };

export type StepOutcome =
  | { kind: 'advanced'; answer: { name: string; value: string | number | boolean }; walk: Walk; instruction: Instruction }
  | { kind: 'opted_out'; walk: Walk; instruction: Instruction }
  /** The answer could not be read as the declared type: ask again, nothing advances. */
  | { kind: 'invalid_answer'; problem: string; instruction: Instruction }
  /** The call is already at an end or transfer node: repeat that instruction. */
  | { kind: 'finished'; instruction: Instruction };

/** The instruction for a call waiting at a stop node, with nothing said on the way (a repeat). */
export function instructionAt(cs: CompiledScript, nodeId: string, data: ScriptData): Instruction {
  const node = cs.byId.get(nodeId);
  if (!node) throw new ScriptRuntimeError(`script node "${nodeId}" does not exist`);
  const stop = node.type === 'say' || node.type === 'branch' ? walkFrom(cs, nodeId, data).stop : node;
  return instructionFor(cs.graph, { spoken: [], stop }, data);
}

/** One in-call step from the node the call is waiting at. */
export function stepScript(cs: CompiledScript, currentId: string, input: StepInput, data: ScriptData): StepOutcome {
  const current = cs.byId.get(currentId);
  if (!current) throw new ScriptRuntimeError(`script node "${currentId}" does not exist`);
  if (input.optOut) {
    const walk = walkFrom(cs, OPT_OUT_NODE_ID, data);
    return { kind: 'opted_out', walk, instruction: instructionFor(cs.graph, walk, data) };
  }
  if (current.type !== 'ask') return { kind: 'finished', instruction: instructionAt(cs, currentId, data) };
  const coerced = coerceAnswer(current.answer, input.answer);
  if (!coerced.ok) {
    const again = instructionAt(cs, current.id, data);
    return { kind: 'invalid_answer', problem: coerced.problem, instruction: { ...again, text: `That answer could not be used (${coerced.problem}). ${again.text}` } };
  }
  const next: ScriptData = { ...data, answers: { ...data.answers, [current.answer.name]: coerced.value } };
  const walk = walkFrom(cs, current.next, next);
  walk.edges.unshift(`${current.id}:next`);
  return { kind: 'advanced', answer: { name: current.answer.name, value: coerced.value }, walk, instruction: instructionFor(cs.graph, walk, next) };
}

/** Renders one node's own text with the call's data (used by instructions and the simulator). */
export const renderNodeText = (cs: CompiledScript, text: string | undefined, data: ScriptData) =>
  text ? renderTemplate(text, data, cs.graph.fallbacks) : '';
