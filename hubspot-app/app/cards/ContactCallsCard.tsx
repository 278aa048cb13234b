import { Accordion, Button, Divider, ErrorState, Flex, Heading, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { Backend } from './lib/backend-client';
import { useBackendData } from './lib/use-backend-data';
import type { CardActions, CardData, CardRecord } from './lib/card-types';
import { CallingStatusSection } from './components/CallingStatusSection';
import { CallNowSection } from './components/CallNowSection';
import { AddToCampaignSection } from './components/AddToCampaignSection';
import { CallHistorySection } from './components/CallHistorySection';
import { CsvUploadButton } from './components/CsvUploadButton';

// The contact record's "AI calls" sidebar card (view only: ContactCalls.tsx is the entry point
// that hands it hubspot.fetch, the record's properties and HubSpot's actions).

export interface ContactCallsCardProps {
  backend: Backend;
  record: CardRecord;
  actions: CardActions;
  timeZone?: string;
  slowAfterMs?: number;
}

// Numbers go in the query string as digits and "+" only: the signed URL then has nothing that
// HubSpot's proxy or ours could escape differently.
const dialable = (phone: string | null | undefined) => phone?.replace(/[^\d+]/g, '') || undefined;

export function ContactCallsCard({ backend, record, actions, timeZone, slowAfterMs }: ContactCallsCardProps) {
  const { state, reload, refresh } = useBackendData(
    () => backend.get<CardData>('/contact-card', { hubspotContactId: record.hubspotContactId, phone: dialable(record.phone), mobilePhone: dialable(record.mobilePhone) }),
    [record.hubspotContactId, record.phone, record.mobilePhone],
    { slowAfterMs },
  );

  if (state.status === 'loading') {
    return (
      <Flex direction="column" gap="sm">
        <LoadingSpinner label="Loading AI calls…" layout="centered" />
        {state.slow && <Text testId="slow-note">The calling service is taking longer than usual to answer…</Text>}
      </Flex>
    );
  }
  if (state.status === 'error') {
    return (
      <ErrorState title="AI calls could not be loaded" type="support">
        <Text testId="load-error">{state.message}</Text>
        <Button testId="retry" onClick={reload}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  const data = state.data;
  return (
    <Flex direction="column" gap="sm">
      <CallingStatusSection backend={backend} record={record} data={data} onChanged={refresh} />
      <Divider />
      <Heading>Call now</Heading>
      <CallNowSection backend={backend} record={record} data={data} actions={actions} onChanged={refresh} />
      <Accordion title="Campaigns" size="sm" defaultOpen={data.enrollments.length > 0}>
        <AddToCampaignSection backend={backend} record={record} data={data} onChanged={refresh} />
      </Accordion>
      <Divider />
      <Heading>AI call history</Heading>
      <CallHistorySection backend={backend} calls={data.calls} timeZone={timeZone} />
      <Divider />
      <CsvUploadButton backend={backend} actions={actions} onClosed={refresh} />
    </Flex>
  );
}
