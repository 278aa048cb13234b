import { OPT_OUT_NODE_ID, type ScriptIssue, type TScriptGraph } from './script.schema';

// The graph's shape: explicit edges, targets that exist, an else on every branch, every node
// reachable from the start, and no loop the call can never leave.

export interface EdgeRef {
  /** Stable id for coverage: "<from>:next", "<from>:e<index>", "<from>:else". */
  key: string;
  from: string;
  to: string;
  kind: 'next' | 'edge' | 'else';
  /** JSON path of the field that names the target. */
  path: string;
}

export function listEdges(graph: TScriptGraph): EdgeRef[] {
  const edges: EdgeRef[] = [];
  graph.nodes.forEach((n, i) => {
    if (n.type === 'say' || n.type === 'ask') edges.push({ key: `${n.id}:next`, from: n.id, to: n.next, kind: 'next', path: `$.nodes[${i}].next` });
    if (n.type === 'branch') {
      n.edges.forEach((e, j) => edges.push({ key: `${n.id}:e${j}`, from: n.id, to: e.to, kind: 'edge', path: `$.nodes[${i}].edges[${j}].to` }));
      if (n.else !== undefined) edges.push({ key: `${n.id}:else`, from: n.id, to: n.else, kind: 'else', path: `$.nodes[${i}].else` });
    }
  });
  return edges;
}

export function checkStructure(graph: TScriptGraph): ScriptIssue[] {
  const issues: ScriptIssue[] = [];
  const indexOf = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    if (indexOf.has(n.id)) {
      issues.push({ code: 'DUPLICATE_NODE_ID', nodeId: n.id, path: `$.nodes[${i}].id`, message: `Another node already has the id "${n.id}".` });
    } else indexOf.set(n.id, i);
  });
  if (!indexOf.has(graph.start)) {
    issues.push({ code: 'UNKNOWN_TARGET', path: '$.start', message: `The start node "${graph.start}" does not exist.` });
  }
  const answerAt = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    if (n.type === 'branch' && n.else === undefined) {
      issues.push({ code: 'BRANCH_WITHOUT_ELSE', nodeId: n.id, path: `$.nodes[${i}].else`, message: `Branch "${n.id}" needs an "else" target for when no condition matches.` });
    }
    if (n.type === 'ask') {
      if (answerAt.has(n.answer.name)) {
        issues.push({ code: 'DUPLICATE_ANSWER', nodeId: n.id, path: `$.nodes[${i}].answer.name`, message: `The answer "${n.answer.name}" is already collected by another ask node.` });
      } else answerAt.set(n.answer.name, i);
    }
  });
  const edges = listEdges(graph);
  for (const e of edges) {
    if (!indexOf.has(e.to)) issues.push({ code: 'UNKNOWN_TARGET', nodeId: e.from, path: e.path, message: `Node "${e.from}" points to "${e.to}", which does not exist.` });
  }
  const valid = edges.filter((e) => indexOf.has(e.to) && indexOf.has(e.from));
  issues.push(...checkReachable(graph, valid, indexOf), ...checkCycles(graph, valid, indexOf));
  return issues;
}

function successorsOf(edges: EdgeRef[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  return out;
}

function checkReachable(graph: TScriptGraph, edges: EdgeRef[], indexOf: Map<string, number>): ScriptIssue[] {
  const next = successorsOf(edges);
  // opt_out is reached from anywhere the callee says "stop calling", not through an edge.
  const seen = new Set<string>([OPT_OUT_NODE_ID]);
  const queue = indexOf.has(graph.start) ? [graph.start] : [];
  seen.add(graph.start);
  while (queue.length) {
    for (const to of next.get(queue.shift()!) ?? []) {
      if (seen.has(to)) continue;
      seen.add(to);
      queue.push(to);
    }
  }
  return graph.nodes
    .map((n, i) => ({ n, i }))
    .filter(({ n, i }) => !seen.has(n.id) && indexOf.get(n.id) === i)
    .map(({ n, i }) => ({ code: 'UNREACHABLE_NODE', nodeId: n.id, path: `$.nodes[${i}]`, message: `No path from the start reaches "${n.id}".` }));
}

/** Strongly connected components (Tarjan); a component with a loop must have a way out and a question in it. */
function checkCycles(graph: TScriptGraph, edges: EdgeRef[], indexOf: Map<string, number>): ScriptIssue[] {
  const next = successorsOf(edges);
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  // Recursion depth is bounded by SCRIPT_LIMITS.maxNodes.
  const connect = (v: string) => {
    order.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!order.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, order.get(w)!));
      }
    }
    if (low.get(v) !== order.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    components.push(component);
  };
  for (const id of indexOf.keys()) if (!order.has(id)) connect(id);

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const issues: ScriptIssue[] = [];
  for (const component of components) {
    const members = new Set(component);
    const isLoop = component.length > 1 || (next.get(component[0]!) ?? []).includes(component[0]!);
    if (!isLoop) continue;
    const first = [...component].sort((a, b) => indexOf.get(a)! - indexOf.get(b)!)[0]!;
    const where = { nodeId: first, path: `$.nodes[${indexOf.get(first)}]` };
    const names = component.map((id) => `"${id}"`).join(', ');
    const hasExit = edges.some((e) => members.has(e.from) && !members.has(e.to));
    if (!hasExit) {
      issues.push({ code: 'CYCLE_WITHOUT_EXIT', ...where, message: `The nodes ${names} form a loop with no edge leading out of it, so the call could never end.` });
    } else if (!component.some((id) => byId.get(id)?.type === 'ask')) {
      issues.push({ code: 'CYCLE_WITHOUT_QUESTION', ...where, message: `The nodes ${names} loop without asking anything; nothing can change between rounds, so the call would spin forever.` });
    }
  }
  return issues;
}
