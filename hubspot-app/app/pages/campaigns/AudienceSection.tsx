import { Button, Flex, Input, Select, Text, TextArea, Toggle } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import type { OpenIframeModal } from '../lib/app-context';
import { CsvUploadButton } from '../components/CsvUploadButton';
import { HubSpotListPicker } from './HubSpotListPicker';
import { RULE_FIELDS, RULE_OPERATORS, type Condition } from './rule-builder';

// Who to call: every contact, a HubSpot list pulled in as an import, or a CSV uploaded through
// the upload page; then narrowed by conditions (or a JSONLogic rule typed in the JSON view).

export interface AudienceState {
  source: 'all' | 'list' | 'csv';
  /** The HubSpot list picked (its id is what the import is asked for) and its name, for the label. */
  listId: string;
  listName: string;
  importId: string | null;
  importLabel: string | null;
  conditions: Condition[];
  jsonMode: boolean;
  ruleJson: string;
}

interface ImportView {
  id: string;
  status: string;
  fileName?: string | null;
  counts?: { rowsRead: number; created: number; updated: number; rejected: number };
}

const describeImport = (i: ImportView) => `${i.fileName ?? 'HubSpot list'}: ${i.status}${i.counts ? `, ${i.counts.rowsRead} rows, ${i.counts.rejected} rejected` : ''}`;

export function AudienceSection(props: { backend: Backend; openIframeModal: OpenIframeModal; value: AudienceState; onChange(next: AudienceState): void }) {
  const { backend, value, onChange } = props;
  const action = useAction();
  const set = (patch: Partial<AudienceState>) => onChange({ ...value, ...patch });

  const importList = () =>
    action.run(async () => {
      const started = await backend.post<ImportView>('/imports/hubspot-list', { listId: value.listId });
      set({ importId: started.id, importLabel: `HubSpot list "${value.listName}": ${started.status}` });
    });
  const pickLatestCsv = () =>
    action.run(async () => {
      const latest = await backend.get<{ items: ImportView[] }>('/imports', { limit: 1 });
      const found = latest.items[0];
      if (found) set({ importId: found.id, importLabel: describeImport(found) });
    });
  const setCondition = (i: number, patch: Partial<Condition>) => set({ conditions: value.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) });

  return (
    <Flex direction="column" gap="sm">
      <Select
        testId="source"
        name="source"
        label="Contacts"
        value={value.source}
        options={[
          { label: 'All contacts in the app', value: 'all' },
          { label: 'A HubSpot list', value: 'list' },
          { label: 'A CSV file', value: 'csv' },
        ]}
        onChange={(v) => set({ source: v as AudienceState['source'], importId: null, importLabel: null })}
      />
      {value.source === 'list' && (
        <Flex direction="column" gap="sm">
          <HubSpotListPicker
            backend={backend}
            value={value.listId ? { id: value.listId, name: value.listName } : null}
            // Another list: the import pulled for the previous one is no longer the audience.
            onPick={(l) => l.id !== value.listId && set({ listId: l.id, listName: l.name, importId: null, importLabel: null })}
          />
          <Button testId="import-list" disabled={!value.listId || action.busy} onClick={() => void importList()}>
            Pull the list
          </Button>
        </Flex>
      )}
      {value.source === 'csv' && <CsvUploadButton backend={backend} actions={{ openIframeModal: props.openIframeModal }} onClosed={() => void pickLatestCsv()} label="Upload a CSV file" />}
      {value.importLabel && <Text testId="import-label">{value.importLabel}</Text>}
      {action.error && <Text testId="audience-error">{action.error}</Text>}

      <Toggle testId="json-mode" label="Edit the rule as JSON" labelDisplay="inline" checked={value.jsonMode} onChange={(checked) => set({ jsonMode: checked })} />
      {value.jsonMode ? (
        <TextArea testId="rule-json" name="rule" label="Rule (JSONLogic over contact fields)" rows={6} value={value.ruleJson} onChange={(v) => set({ ruleJson: v })} />
      ) : (
        <>
          {value.conditions.map((c, i) => (
            <Flex key={i} direction="row" gap="xs" align="end">
              <Select name={`field-${i}`} label={i === 0 ? 'Only contacts whose' : 'and whose'} options={RULE_FIELDS} value={c.field} onChange={(v) => setCondition(i, { field: String(v) })} />
              <Select name={`op-${i}`} options={RULE_OPERATORS} value={c.op} onChange={(v) => setCondition(i, { op: v as Condition['op'] })} />
              {c.op !== 'is_empty' && c.op !== 'is_not_empty' && <Input name={`value-${i}`} label="" value={c.value} onChange={(v) => setCondition(i, { value: v })} />}
              <Button size="xs" variant="transparent" onClick={() => set({ conditions: value.conditions.filter((_, j) => j !== i) })}>
                Remove
              </Button>
            </Flex>
          ))}
          <Button testId="add-condition" size="xs" variant="secondary" onClick={() => set({ conditions: [...value.conditions, { field: 'company', op: 'equals', value: '' }] })}>
            Add a condition
          </Button>
        </>
      )}
    </Flex>
  );
}
