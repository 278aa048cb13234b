import { useState } from 'react';
import { Button, EmptyState, Flex, Input, LoadingSpinner, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import { useBackendData } from '../lib/use-backend-data';
import { formatWhen } from '../lib/format';

// The portal's do-not-call list: search by digits, add a number with a reason, remove an entry.
interface DncEntry {
  id: string;
  phone: string;
  reason: string;
  source: string;
  createdAt: string;
}

export function DncSection({ backend, timeZone }: { backend: Backend; timeZone?: string }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const list = useBackendData(() => backend.get<{ items: DncEntry[]; nextCursor: string | null }>('/dnc', { limit: 25, phone: query }), [query]);
  const action = useAction();
  const add = () =>
    action.run(async () => {
      await backend.post('/dnc', { phone: phone.trim(), reason: reason.trim() || 'Added in the app settings', source: 'hubspot_settings' });
      setPhone('');
      setReason('');
      list.refresh();
    });
  const remove = (id: string) =>
    action.run(async () => {
      await backend.del(`/dnc/${id}`);
      list.refresh();
    });
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="end">
        <Input testId="dnc-phone" name="dncPhone" label="Number" value={phone} onChange={setPhone} />
        <Input testId="dnc-reason" name="dncReason" label="Reason" value={reason} onChange={setReason} />
        <Button testId="dnc-add" disabled={!phone.trim() || action.busy} onClick={() => void add()}>
          Add to do-not-call
        </Button>
      </Flex>
      {action.error && <Text testId="dnc-error">{action.error}</Text>}
      <Flex direction="row" gap="sm" align="end">
        <Input testId="dnc-search" name="dncSearch" label="Find a number" value={search} onChange={setSearch} />
        <Button size="xs" variant="secondary" onClick={() => setQuery(search.trim())}>
          Search
        </Button>
      </Flex>
      {list.state.status === 'loading' && <LoadingSpinner label="Loading the do-not-call list…" />}
      {list.state.status === 'error' && <Text testId="dnc-load-error">{list.state.message}</Text>}
      {list.state.status === 'ready' &&
        (list.state.data.items.length === 0 ? (
          <EmptyState title={query ? 'No number matches' : 'The do-not-call list is empty'} layout="horizontal" imageWidth={60}>
            <Text>Numbers added here, on a contact card, or heard opting out on a call are never dialed.</Text>
          </EmptyState>
        ) : (
          <Table bordered density="condensed">
            <TableHead>
              <TableRow>
                <TableHeader>Number</TableHeader>
                <TableHeader>Reason</TableHeader>
                <TableHeader>Added</TableHeader>
                <TableHeader> </TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.state.data.items.map((e) => (
                <TableRow key={e.id}>
                  <TableCell>{e.phone}</TableCell>
                  <TableCell>
                    {e.reason} ({e.source})
                  </TableCell>
                  <TableCell>{formatWhen(e.createdAt, timeZone)}</TableCell>
                  <TableCell>
                    <Button testId={`dnc-remove-${e.id}`} size="xs" variant="destructive" disabled={action.busy} onClick={() => void remove(e.id)}>
                      Remove
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
    </Flex>
  );
}
