import { useState } from 'react';
import { Alert, Button, Flex, Select, Text } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import { stateLabel } from '../lib/format';
import { contactBody, type CardData, type CardRecord } from '../lib/card-types';

// "Add to campaign", and the campaigns this contact is already in with its state in each.
export function AddToCampaignSection({ backend, record, data, onChanged }: { backend: Backend; record: CardRecord; data: CardData; onChanged(): void }) {
  const [campaignId, setCampaignId] = useState<string>(data.campaigns[0]?.id ?? '');
  const [result, setResult] = useState<string | null>(null);
  const action = useAction();

  const add = () =>
    action.run(async () => {
      setResult(null);
      const res = await backend.post<{ message: string }>('/contact-card/enroll', { contact: contactBody(record), campaignId });
      setResult(res.message);
      onChanged();
    });

  return (
    <Flex direction="column" gap="xs">
      {data.enrollments.map((e) => (
        <Text key={e.campaignId} variant="microcopy">
          {e.campaignName}: {stateLabel(e.state)}
          {e.skipReasonText ? ` (${e.skipReasonText})` : ''}
        </Text>
      ))}
      {data.campaigns.length === 0 ? (
        <Text variant="microcopy">No open campaign to add this contact to.</Text>
      ) : (
        <>
          <Select testId="campaign-select" name="campaign" label="Campaign" options={data.campaigns.map((c) => ({ label: `${c.name} (${stateLabel(c.state)})`, value: c.id }))} value={campaignId} onChange={(v) => setCampaignId(String(v))} />
          <Button testId="add-to-campaign" disabled={!campaignId || action.busy || !data.phone.callable} onClick={() => void add()}>
            Add to campaign
          </Button>
        </>
      )}
      {result && <Text testId="enroll-result">{result}</Text>}
      {action.error && (
        <Alert title="Not added" variant="warning">
          {action.error}
        </Alert>
      )}
    </Flex>
  );
}
