import { useState } from 'react';
import { Alert, Button, Flex, Input, List, Tag, Text } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import { parseValue } from './script-graph';

// Walks the draft with a sample contact and a list of answers (POST /scripts/:id/simulate), and
// shows what the assistant would say at each stop, where the run ended and with what outcome.

interface SimResult {
  runs: Array<{ path: string[]; status: string; disposition: string | null; steps: Array<{ nodeId: string; instruction: { say: string }; invalid?: string }> }>;
  coverage: { edgesTaken: number; edgesTotal: number };
}

export function ScriptSimulator({ backend, scriptId }: { backend: Backend; scriptId: string }) {
  const [firstName, setFirstName] = useState('Ada');
  const [answers, setAnswers] = useState('yes');
  const [result, setResult] = useState<SimResult | null>(null);
  const action = useAction();
  const run = () =>
    action.run(async () => {
      const list = answers.split(',').map((a) => a.trim()).filter(Boolean).map(parseValue);
      setResult(await backend.post<SimResult>(`/scripts/${scriptId}/simulate`, { version: 'draft', contact: { firstName }, answers: list }));
    });
  const r = result?.runs[0];
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="end">
        <Input testId="sim-first-name" name="simFirstName" label="Contact first name" value={firstName} onChange={setFirstName} />
        <Input testId="sim-answers" name="simAnswers" label="Answers, in order (comma-separated)" value={answers} onChange={setAnswers} />
        <Button testId="simulate" disabled={action.busy} onClick={() => void run()}>
          Simulate
        </Button>
      </Flex>
      {action.error && <Alert title="Simulation failed" variant="warning">{action.error}</Alert>}
      {r && (
        <Flex direction="column" gap="xs">
          <Text testId="sim-outcome">
            Ended: {r.status.replace(/_/g, ' ')}
            {r.disposition ? ` · outcome ${r.disposition}` : ''} · path {r.path.join(' → ')}
          </Text>
          <List>
            {r.steps.map((s, i) => (
              <Text key={i}>
                <Tag>{s.nodeId}</Tag> {s.instruction.say}
                {s.invalid ? ` (answer not accepted: ${s.invalid})` : ''}
              </Text>
            ))}
          </List>
          {result && <Text variant="microcopy">Conditions taken by this run: {result.coverage.edgesTaken} of {result.coverage.edgesTotal}.</Text>}
        </Flex>
      )}
    </Flex>
  );
}
