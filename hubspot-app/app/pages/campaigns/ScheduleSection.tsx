import { Checkbox, Flex, Input, NumberInput, Select, Text, Toggle, ToggleGroup } from '@hubspot/ui-extensions';

// When and how fast to call, and what to do after each kind of unanswered call.

export const RETRY_OUTCOMES = [
  { key: 'no_answer', label: 'No answer' },
  { key: 'busy', label: 'Busy' },
  { key: 'voicemail', label: 'Voicemail' },
  { key: 'failed', label: 'Call failed' },
] as const;
export type RetryKey = (typeof RETRY_OUTCOMES)[number]['key'];

export interface ScheduleState {
  windowStart: string;
  windowEnd: string;
  daysOfWeek: string[];
  timeZone: string;
  minConsent: 'none' | 'express' | 'written';
  maxConcurrent: number;
  callsPerMinute: number;
  maxAttempts: number;
  openEnrollment: boolean;
  retry: Record<RetryKey, { retry: boolean; delayMinutes: number }>;
}

export const DEFAULT_SCHEDULE: ScheduleState = {
  windowStart: '09:00',
  windowEnd: '20:00',
  daysOfWeek: ['1', '2', '3', '4', '5'],
  timeZone: '',
  minConsent: 'express',
  maxConcurrent: 5,
  callsPerMinute: 30,
  maxAttempts: 3,
  openEnrollment: false,
  retry: { no_answer: { retry: true, delayMinutes: 240 }, busy: { retry: true, delayMinutes: 60 }, voicemail: { retry: false, delayMinutes: 1440 }, failed: { retry: true, delayMinutes: 60 } },
};

const DAY_OPTIONS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((label, i) => ({ label, value: String(i + 1) }));

export function ScheduleSection({ value, onChange }: { value: ScheduleState; onChange(next: ScheduleState): void }) {
  const set = (patch: Partial<ScheduleState>) => onChange({ ...value, ...patch });
  const setRetry = (k: RetryKey, patch: Partial<ScheduleState['retry'][RetryKey]>) => set({ retry: { ...value.retry, [k]: { ...value.retry[k], ...patch } } });
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm">
        <Input testId="window-start" name="windowStart" label="Call from (contact's local time)" value={value.windowStart} onChange={(v) => set({ windowStart: v })} />
        <Input testId="window-end" name="windowEnd" label="Until" value={value.windowEnd} onChange={(v) => set({ windowEnd: v })} />
        <Input testId="time-zone" name="timeZone" label="Time zone (blank: each contact's own)" placeholder="America/New_York" value={value.timeZone} onChange={(v) => set({ timeZone: v })} />
      </Flex>
      <ToggleGroup testId="days" toggleType="checkboxList" name="days" label="Days" inline options={DAY_OPTIONS} value={value.daysOfWeek} onChange={(v: string[]) => set({ daysOfWeek: v })} />
      <Select
        testId="min-consent"
        name="minConsent"
        label="Call only contacts with at least"
        value={value.minConsent}
        options={[
          { label: 'Express consent', value: 'express' },
          { label: 'Written consent', value: 'written' },
          { label: 'No consent needed', value: 'none' },
        ]}
        onChange={(v) => set({ minConsent: v as ScheduleState['minConsent'] })}
      />
      <Flex direction="row" gap="sm">
        <NumberInput testId="max-concurrent" name="maxConcurrent" label="Calls at once" min={1} max={1000} value={value.maxConcurrent} onChange={(v) => set({ maxConcurrent: v })} />
        <NumberInput testId="calls-per-minute" name="callsPerMinute" label="Calls per minute" min={1} max={10000} value={value.callsPerMinute} onChange={(v) => set({ callsPerMinute: v })} />
        <NumberInput testId="max-attempts" name="maxAttempts" label="Attempts per contact" min={1} max={10} value={value.maxAttempts} onChange={(v) => set({ maxAttempts: v })} />
      </Flex>
      <Toggle
        testId="open-enrollment"
        name="openEnrollment"
        label="Open enrollment: keep running for contacts that workflows add later (close it when done)"
        labelDisplay="inline"
        checked={value.openEnrollment}
        onChange={(checked) => set({ openEnrollment: checked })}
      />
      <Text format={{ fontWeight: 'demibold' }}>Try again after</Text>
      {RETRY_OUTCOMES.map(({ key, label }) => (
        <Flex key={key} direction="row" gap="sm" align="center">
          <Checkbox name={`retry-${key}`} checked={value.retry[key].retry} onChange={(checked) => setRetry(key, { retry: checked })}>
            {label}
          </Checkbox>
          {value.retry[key].retry && <NumberInput name={`delay-${key}`} label="after (minutes)" min={1} max={10080} value={value.retry[key].delayMinutes} onChange={(v) => setRetry(key, { delayMinutes: v })} />}
        </Flex>
      ))}
    </Flex>
  );
}

/** The form's schedule as the campaign API takes it. */
export function scheduleBody(s: ScheduleState) {
  return {
    callingWindow: { start: s.windowStart.trim(), end: s.windowEnd.trim(), daysOfWeek: s.daysOfWeek.map(Number).sort(), timeZone: s.timeZone.trim() || null },
    pacing: { maxConcurrent: s.maxConcurrent, callsPerMinute: s.callsPerMinute },
    maxAttempts: s.maxAttempts,
    minConsent: s.minConsent,
    openEnrollment: s.openEnrollment,
    retryPolicy: Object.fromEntries(RETRY_OUTCOMES.map(({ key }) => [key, s.retry[key]])),
  };
}
