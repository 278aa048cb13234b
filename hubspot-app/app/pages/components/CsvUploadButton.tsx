import { Button, Text } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';
import type { OpenIframeModal } from '../lib/app-context';

// A CSV file cannot travel through hubspot.fetch (JSON only, 1 MB): this asks the backend for a
// short-lived upload link and opens the backend's upload page in HubSpot's iframe modal.
export function CsvUploadButton({ backend, actions, onClosed, label = 'Import contacts from a CSV file' }: { backend: Backend; actions: { openIframeModal: OpenIframeModal }; onClosed?(): void; label?: string }) {
  const action = useAction();
  const open = () =>
    action.run(async () => {
      const { url } = await backend.post<{ url: string }>('/upload-tokens', {});
      actions.openIframeModal({ uri: url, height: 760, width: 800, title: 'Import contacts' }, () => onClosed?.());
    });
  return (
    <>
      <Button testId="csv-upload" variant="secondary" disabled={action.busy} onClick={() => void open()}>
        {label}
      </Button>
      {action.error && <Text testId="csv-upload-error">{action.error}</Text>}
    </>
  );
}
