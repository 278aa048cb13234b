import { useState } from 'react';
import { Alert, Button, EmptyState, ErrorState, Flex, Input, LoadingSpinner, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { PageLink, PageTitle } from '@hubspot/ui-extensions/pages';
import { useApp } from '../lib/app-context';
import { useAction } from '../lib/use-action';
import { useBackendData } from '../lib/use-backend-data';
import { formatWhen } from '../lib/format';

// The portal's scripts, with their published version; a new one starts from the sample script.

interface ScriptRow {
  id: string;
  name: string;
  latestVersion: number;
  updatedAt: string;
}

export function ScriptsListPage() {
  const { backend, actions, timeZone } = useApp();
  const { state, reload } = useBackendData(() => backend.get<{ scripts: ScriptRow[] }>('/scripts'), []);
  const [name, setName] = useState('');
  const creating = useAction();
  const create = () =>
    creating.run(async () => {
      const s = await backend.post<{ id: string }>('/scripts', { name: name.trim() });
      actions.navigateToPage({ to: `/scripts/${s.id}` });
    });

  return (
    <Flex direction="column" gap="md">
      <PageTitle>Scripts</PageTitle>
      <Flex direction="row" gap="sm" align="end">
        <Input testId="new-script-name" name="name" label="New script" placeholder="Solar qualifier" value={name} onChange={setName} />
        <Button testId="create-script" variant="primary" disabled={!name.trim() || creating.busy} onClick={() => void create()}>
          Create
        </Button>
      </Flex>
      {creating.error && <Alert title="Not created" variant="danger">{creating.error}</Alert>}
      {state.status === 'loading' && <LoadingSpinner label="Loading scripts…" />}
      {state.status === 'error' && (
        <ErrorState title="Scripts could not be loaded">
          <Text testId="load-error">{state.message}</Text>
          <Button onClick={reload}>Try again</Button>
        </ErrorState>
      )}
      {state.status === 'ready' &&
        (state.data.scripts.length === 0 ? (
          <EmptyState title="No scripts yet">
            <Text>A script is what the AI says and asks, and where each answer leads.</Text>
          </EmptyState>
        ) : (
          <Table bordered>
            <TableHead>
              <TableRow>
                <TableHeader>Script</TableHeader>
                <TableHeader>Published</TableHeader>
                <TableHeader>Last edited</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {state.data.scripts.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <PageLink to={`/scripts/${s.id}`}>{s.name}</PageLink>
                  </TableCell>
                  <TableCell>{s.latestVersion ? `Version ${s.latestVersion}` : 'Draft only'}</TableCell>
                  <TableCell>{formatWhen(s.updatedAt, timeZone)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
    </Flex>
  );
}
