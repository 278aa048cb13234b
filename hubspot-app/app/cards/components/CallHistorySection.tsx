import { useState } from 'react';
import { Button, EmptyState, Flex, LoadingSpinner, Tag, Text, Tile } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import { formatDuration, formatWhen, outcomeLabel, outcomeVariant } from '../lib/format';
import type { CardCall } from '../lib/card-types';

// The contact's AI calls, newest first: outcome, when, how long, the summary; the transcript is
// fetched only when asked for (GET /api/v1/calls/:callId), as it can be long.
export function CallHistorySection({ backend, calls, timeZone }: { backend: Backend; calls: CardCall[]; timeZone?: string }) {
  const [open, setOpen] = useState<{ id: string; text: string } | null>(null);
  const action = useAction();

  if (calls.length === 0) {
    return (
      <EmptyState title="No AI calls yet" layout="vertical" imageWidth={80}>
        <Text>Calls placed to this contact by a campaign, a workflow or Call now appear here.</Text>
      </EmptyState>
    );
  }
  const showTranscript = (id: string) =>
    action.run(async () => {
      const call = await backend.get<{ transcript: string | null }>(`/calls/${id}`);
      setOpen({ id, text: call.transcript?.trim() || 'No transcript was recorded for this call.' });
    });

  return (
    <Flex direction="column" gap="sm">
      {calls.map((c) => (
        <Tile key={c.id} compact>
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="sm" align="center">
              <Tag variant={outcomeVariant(c.outcome)}>{outcomeLabel(c.outcome)}</Tag>
              <Text variant="microcopy">
                {formatWhen(c.placedAt, timeZone)} · {formatDuration(c.durationSec)}
              </Text>
            </Flex>
            {c.campaignName && <Text variant="microcopy">{c.campaignName}</Text>}
            {c.optedOut && <Text format={{ fontWeight: 'bold' }}>Asked not to be called again</Text>}
            {c.summary && <Text>{c.summary}</Text>}
            {open?.id === c.id ? (
              <>
                <Text testId={`transcript-${c.id}`}>{open.text}</Text>
                <Button size="xs" variant="secondary" onClick={() => setOpen(null)}>
                  Hide transcript
                </Button>
              </>
            ) : (
              <Button testId={`open-transcript-${c.id}`} size="xs" variant="secondary" disabled={action.busy} onClick={() => void showTranscript(c.id)}>
                Transcript
              </Button>
            )}
          </Flex>
        </Tile>
      ))}
      {action.busy && <LoadingSpinner label="Loading transcript…" size="xs" />}
      {action.error && <Text testId="transcript-error">{action.error}</Text>}
    </Flex>
  );
}
