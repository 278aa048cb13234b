import { Alert, DescriptionList, DescriptionListItem, Select, Text, Toggle } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import { formatWhen } from '../lib/format';
import { contactBody, type CardData, type CardRecord } from '../lib/card-types';

// Do-not-call and consent, each changeable here. Both act on the number HubSpot holds for this
// record; the backend creates our contact from the record the first time.

const CONSENT_OPTIONS = [
  { label: 'None recorded', value: 'none' },
  { label: 'Express consent', value: 'express' },
  { label: 'Written consent', value: 'written' },
];

export function CallingStatusSection({ backend, record, data, onChanged }: { backend: Backend; record: CardRecord; data: CardData; onChanged(): void }) {
  const action = useAction();
  const canAct = data.phone.callable;

  const setDnc = (listed: boolean) =>
    action.run(async () => {
      await backend.put('/contact-card/dnc', { contact: contactBody(record), listed });
      onChanged();
    });
  const setConsent = (type: string) =>
    action.run(async () => {
      await backend.put('/contact-card/consent', { contact: contactBody(record), type, source: 'Recorded on the HubSpot contact card' });
      onChanged();
    });

  return (
    <>
      {!canAct && (
        <Alert title="Cannot be called" variant="warning">
          {data.phone.problem ?? 'The contact has no phone number to call.'}
        </Alert>
      )}
      <DescriptionList direction="row">
        <DescriptionListItem label="Do not call">
          <Toggle
            testId="dnc-toggle"
            label="On the do-not-call list"
            labelDisplay="inline"
            checked={data.dnc.listed}
            readonly={!canAct || action.busy}
            onChange={(checked) => void setDnc(checked)}
          />
          {data.dnc.listed && (
            <Text variant="microcopy">
              {data.dnc.reason ?? 'Listed'} · since {formatWhen(data.dnc.since)}
            </Text>
          )}
        </DescriptionListItem>
        <DescriptionListItem label="Consent to be called">
          <Select
            testId="consent-select"
            name="consent"
            options={CONSENT_OPTIONS}
            value={data.consent.type}
            readOnly={!canAct || action.busy}
            onChange={(v) => void setConsent(String(v))}
          />
          {data.consent.source && <Text variant="microcopy">{data.consent.source}</Text>}
        </DescriptionListItem>
      </DescriptionList>
      {action.error && (
        <Alert title="Not saved" variant="danger">
          {action.error}
        </Alert>
      )}
    </>
  );
}
