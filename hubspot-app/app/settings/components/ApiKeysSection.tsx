import { useState } from 'react';
import { Alert, Button, Flex, Input, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import { useBackendData } from '../lib/use-backend-data';
import { formatWhen } from '../lib/format';

// Portal API keys for server-to-server use: a new key's value is shown once, here; the list shows
// only each key's prefix; a key can be revoked.
interface KeyRow {
  id: string;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function ApiKeysSection({ backend, timeZone }: { backend: Backend; timeZone?: string }) {
  const keys = useBackendData(() => backend.get<{ keys: KeyRow[] }>('/settings/api-keys'), []);
  const [name, setName] = useState('');
  const [fresh, setFresh] = useState<string | null>(null);
  const action = useAction();
  const create = () =>
    action.run(async () => {
      const k = await backend.post<{ apiKey: string }>('/settings/api-keys', { name: name.trim() });
      setFresh(k.apiKey);
      setName('');
      keys.refresh();
    });
  const revoke = (keyId: string) =>
    action.run(async () => {
      await backend.post('/settings/api-keys/revoke', { keyId });
      keys.refresh();
    });
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="end">
        <Input testId="key-name" name="keyName" label="New key for" placeholder="Zapier" value={name} onChange={setName} />
        <Button testId="create-key" disabled={!name.trim() || action.busy} onClick={() => void create()}>
          Create key
        </Button>
      </Flex>
      {fresh && (
        <Alert testId="new-key" title="Copy this key now: it will not be shown again" variant="warning">
          {fresh}
        </Alert>
      )}
      {action.error && <Text testId="key-error">{action.error}</Text>}
      {keys.state.status === 'error' && <Text testId="keys-load-error">{keys.state.message}</Text>}
      {keys.state.status === 'ready' && (
        <Table bordered density="condensed">
          <TableHead>
            <TableRow>
              <TableHeader>Name</TableHeader>
              <TableHeader>Key</TableHeader>
              <TableHeader>Last used</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {keys.state.data.keys.map((k) => (
              <TableRow key={k.id}>
                <TableCell>{k.name}</TableCell>
                <TableCell>{k.hint}</TableCell>
                <TableCell>{k.lastUsedAt ? formatWhen(k.lastUsedAt, timeZone) : 'never'}</TableCell>
                <TableCell>
                  {k.revokedAt ? (
                    <Text variant="microcopy">Revoked {formatWhen(k.revokedAt, timeZone)}</Text>
                  ) : (
                    <Button testId={`revoke-${k.id}`} size="xs" variant="destructive" disabled={action.busy} onClick={() => void revoke(k.id)}>
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
