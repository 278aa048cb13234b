import { useState } from 'react';
import { Alert, Button, Flex, Select, Text } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import { contactBody, type CardActions, type CardData, type CardRecord } from '../lib/card-types';

// "Call now": one AI call with a chosen published script. The backend runs every dial-time check
// first; a refusal (do-not-call, consent, calling window, provider account…) comes back as a
// sentence and is shown here as is.
export function CallNowSection(props: { backend: Backend; record: CardRecord; data: CardData; actions: CardActions; onChanged(): void }) {
  const { backend, record, data, actions, onChanged } = props;
  const [versionId, setVersionId] = useState<string>(data.scripts[0]?.scriptVersionId ?? '');
  const action = useAction();

  if (data.scripts.length === 0) {
    return <Text variant="microcopy">{"Publish a script in the app's Scripts page to call from here."}</Text>;
  }
  const call = () =>
    action.run(async () => {
      const res = await backend.post<{ message: string }>('/call-now', { contact: contactBody(record), scriptVersionId: versionId });
      actions.addAlert({ type: 'success', title: 'AI call on its way', message: res.message });
      onChanged();
    });

  return (
    <Flex direction="column" gap="xs">
      <Select testId="call-now-script" name="script" label="Script" options={data.scripts.map((s) => ({ label: s.label, value: s.scriptVersionId }))} value={versionId} onChange={(v) => setVersionId(String(v))} />
      <Button testId="call-now" variant="primary" disabled={!versionId || action.busy || !data.phone.callable || data.dnc.listed} onClick={() => void call()}>
        {action.busy ? 'Checking…' : 'Call now'}
      </Button>
      {data.dnc.listed && <Text variant="microcopy">The number is on the do-not-call list.</Text>}
      {action.error && (
        <Alert title="Not called" variant="warning">
          {action.error}
        </Alert>
      )}
    </Flex>
  );
}
