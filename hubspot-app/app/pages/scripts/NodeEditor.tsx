import { Alert, Button, Flex, Input, Select, Tag, Text, TextArea, Tile } from '@hubspot/ui-extensions';
import { CONDITION_OPERATORS, conditionVariables, fromSimpleCondition, parseValue, toSimpleCondition, type ScriptGraph, type ScriptIssue, type ScriptNode } from './script-graph';

// One node of the script: its words, where it goes next, and for a branch the edges with their
// conditions (field / operator / value; richer JSONLogic is edited in the JSON view). The
// validator's messages for this node are shown on it.

const ANSWER_TYPES = [
  { label: 'Yes / no', value: 'yes_no' },
  { label: 'Text', value: 'text' },
  { label: 'Number', value: 'number' },
  { label: 'Date', value: 'date' },
];

export function NodeEditor({ graph, node, issues, onChange, onRemove }: { graph: ScriptGraph; node: ScriptNode; issues: ScriptIssue[]; onChange(next: ScriptNode): void; onRemove(): void }) {
  const targets = graph.nodes.filter((n) => n.id !== node.id).map((n) => ({ label: n.id, value: n.id }));
  const variables = conditionVariables(graph);
  const isStart = graph.start === node.id;
  return (
    <Tile testId={`node-${node.id}`}>
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="sm" align="center">
          <Tag>{node.type}</Tag>
          <Text format={{ fontWeight: 'bold' }}>{node.id}</Text>
          {isStart && <Tag variant="success">start</Tag>}
          {!isStart && (
            <Button size="xs" variant="transparent" onClick={onRemove}>
              Remove
            </Button>
          )}
        </Flex>
        {issues.map((i, k) => (
          <Alert key={k} testId={`issue-${node.id}`} title={i.code} variant="danger">
            {i.message}
          </Alert>
        ))}
        {(node.type === 'say' || node.type === 'ask' || node.type === 'end' || node.type === 'transfer') && (
          <TextArea name={`text-${node.id}`} label={node.type === 'ask' ? 'Question' : 'Words'} rows={2} value={node.text ?? ''} onChange={(text) => onChange({ ...node, text })} />
        )}
        {node.type === 'ask' && (
          <Flex direction="row" gap="sm">
            <Input name={`answer-${node.id}`} label="Answer saved as" value={node.answer.name} onChange={(name) => onChange({ ...node, answer: { ...node.answer, name } })} />
            <Select name={`answer-type-${node.id}`} label="Answer type" options={ANSWER_TYPES} value={node.answer.type} onChange={(v) => onChange({ ...node, answer: { ...node.answer, type: v as typeof node.answer.type } })} />
          </Flex>
        )}
        {(node.type === 'say' || node.type === 'ask') && <Select name={`next-${node.id}`} label="Then" options={targets} value={node.next} onChange={(v) => onChange({ ...node, next: String(v) })} />}
        {node.type === 'branch' && (
          <>
            {node.edges.map((edge, k) => {
              const simple = toSimpleCondition(edge.when);
              const setEdge = (patch: Partial<typeof edge>) => onChange({ ...node, edges: node.edges.map((e, j) => (j === k ? { ...e, ...patch } : e)) });
              return (
                <Flex key={k} direction="row" gap="xs" align="end">
                  {simple ? (
                    <>
                      <Select name={`edge-var-${node.id}-${k}`} label={k === 0 ? 'If' : 'Else if'} options={variables} value={simple.variable} onChange={(v) => setEdge({ when: fromSimpleCondition({ ...simple, variable: String(v) }) })} />
                      <Select name={`edge-op-${node.id}-${k}`} options={CONDITION_OPERATORS} value={simple.op} onChange={(v) => setEdge({ when: fromSimpleCondition({ ...simple, op: v as typeof simple.op }) })} />
                      <Input name={`edge-value-${node.id}-${k}`} label="" value={String(simple.value)} onChange={(v) => setEdge({ when: fromSimpleCondition({ ...simple, value: parseValue(v) }) })} />
                    </>
                  ) : (
                    <Text variant="microcopy">Custom condition: edit it in the JSON view.</Text>
                  )}
                  <Select name={`edge-to-${node.id}-${k}`} label="go to" options={targets} value={edge.to} onChange={(v) => setEdge({ to: String(v) })} />
                </Flex>
              );
            })}
            <Button size="xs" variant="secondary" onClick={() => onChange({ ...node, edges: [...node.edges, { when: fromSimpleCondition({ variable: variables[0]?.value ?? 'contact.firstName', op: '==', value: true }), to: targets[0]?.value ?? node.id }] })}>
              Add a condition
            </Button>
            <Select name={`else-${node.id}`} label="Otherwise go to" options={targets} value={node.else ?? ''} onChange={(v) => onChange({ ...node, else: String(v) })} />
          </>
        )}
        {(node.type === 'end' || node.type === 'transfer') && <Input name={`disposition-${node.id}`} label="Outcome (disposition)" value={node.disposition ?? ''} onChange={(disposition) => onChange({ ...node, disposition })} />}
        {node.type === 'transfer' && <Input name={`number-${node.id}`} label="Transfer to (E.164)" value={node.number} onChange={(number) => onChange({ ...node, number })} />}
      </Flex>
    </Tile>
  );
}
