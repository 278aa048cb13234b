import { useState } from 'react';
import { Button, Checkbox, Flex, Input, NumberInput, Select, Text, ToggleGroup } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import type { SettingsData } from '../lib/settings-types';
import { useSettingsSave } from '../lib/use-save';
import { SaveFeedback } from './SaveFeedback';

// Defaults new campaigns start from (calling window, days, time zone, consent floor), pacing
// within the account's limit, and what is written back to HubSpot.

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((label, i) => ({ label, value: String(i + 1) }));

export function CallingSection({ backend, data, onSaved }: { backend: Backend; data: SettingsData; onSaved(next: SettingsData): void }) {
  const [c, setC] = useState(data.calling);
  const [pacing, setPacing] = useState(data.pacing);
  const [w, setW] = useState(data.writeback);
  const s = useSettingsSave(backend, onSaved);
  const save = () =>
    s.save({
      calling: c,
      pacing,
      writeback: { hubspotMatchCsvContacts: w.hubspotMatchCsvContacts, hubspotTimelineEventTemplateId: w.hubspotTimelineEventTemplateId?.trim() || null, conversionDispositions: w.conversionDispositions },
    });
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm">
        <Input testId="window-start" name="windowStart" label="Call from" value={c.windowStart} onChange={(v) => setC({ ...c, windowStart: v })} />
        <Input testId="window-end" name="windowEnd" label="Until" value={c.windowEnd} onChange={(v) => setC({ ...c, windowEnd: v })} />
        <Input testId="time-zone" name="timeZone" label="Default time zone" value={c.timeZone} onChange={(v) => setC({ ...c, timeZone: v })} />
        <Input testId="region" name="region" label="Default country" value={c.region} onChange={(v) => setC({ ...c, region: v })} />
      </Flex>
      <ToggleGroup testId="days" toggleType="checkboxList" name="days" label="Days" inline options={DAYS} value={c.daysOfWeek.map(String)} onChange={(v: string[]) => setC({ ...c, daysOfWeek: v.map(Number) })} />
      <Select
        testId="min-consent"
        name="minConsent"
        label="Consent required by default"
        value={c.minConsent}
        options={[
          { label: 'Express consent', value: 'express' },
          { label: 'Written consent', value: 'written' },
          { label: 'No consent needed', value: 'none' },
        ]}
        onChange={(v) => setC({ ...c, minConsent: v as typeof c.minConsent })}
      />
      <Flex direction="row" gap="sm">
        <NumberInput testId="max-concurrent" name="maxConcurrentCalls" label={`Calls at once (at most ${data.limits.maxConcurrentCalls})`} min={1} max={data.limits.maxConcurrentCalls} value={pacing.maxConcurrentCalls} onChange={(v) => setPacing({ ...pacing, maxConcurrentCalls: v })} />
        <NumberInput testId="calls-per-minute" name="callsPerMinute" label={`Calls per minute (at most ${data.limits.callsPerMinute})`} min={1} max={data.limits.callsPerMinute} value={pacing.callsPerMinute} onChange={(v) => setPacing({ ...pacing, callsPerMinute: v })} />
      </Flex>
      <Text format={{ fontWeight: 'demibold' }}>Writing back to HubSpot</Text>
      <Checkbox testId="match-csv" name="matchCsv" checked={w.hubspotMatchCsvContacts} onChange={(checked) => setW({ ...w, hubspotMatchCsvContacts: checked })}>
        Find CSV-imported contacts in HubSpot (by phone, then email) to log their calls there
      </Checkbox>
      <Input testId="timeline-template" name="timelineTemplate" label="Timeline event template id (only if HubSpot approved one)" value={w.hubspotTimelineEventTemplateId ?? ''} onChange={(v) => setW({ ...w, hubspotTimelineEventTemplateId: v })} />
      <Input testId="conversions" name="conversions" label="Outcomes that count as a conversion (comma-separated)" value={w.conversionDispositions.join(', ')} onChange={(v) => setW({ ...w, conversionDispositions: v.split(',').map((x) => x.trim()).filter(Boolean) })} />
      <Button testId="save-calling" variant="primary" disabled={s.busy} onClick={() => void save()}>
        Save defaults
      </Button>
      <SaveFeedback testId="calling" problems={s.problems} saved={s.saved} />
    </Flex>
  );
}
