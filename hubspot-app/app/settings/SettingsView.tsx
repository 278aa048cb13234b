import { useState } from 'react';
import { Accordion, Button, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { Backend } from './lib/backend-client';
import { useBackendData } from './lib/use-backend-data';
import type { SettingsData } from './lib/settings-types';
import { ProviderSection } from './components/ProviderSection';
import { CallingSection } from './components/CallingSection';
import { DncSection } from './components/DncSection';
import { ApiKeysSection } from './components/ApiKeysSection';

// The app's settings page (view only: Settings.tsx is the entry point).
export function SettingsView({ backend, timeZone, slowAfterMs }: { backend: Backend; timeZone?: string; slowAfterMs?: number }) {
  const { state, reload } = useBackendData(() => backend.get<SettingsData>('/settings'), [], { slowAfterMs });
  const [latest, setLatest] = useState<SettingsData | null>(null);
  if (state.status === 'loading') {
    return (
      <Flex direction="column" gap="sm">
        <LoadingSpinner label="Loading settings…" />
        {state.slow && <Text testId="slow-note">The calling service is taking longer than usual to answer…</Text>}
      </Flex>
    );
  }
  if (state.status === 'error') {
    return (
      <ErrorState title="Settings could not be loaded">
        <Text testId="load-error">{state.message}</Text>
        <Button testId="retry" onClick={reload}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  const data = latest ?? state.data;
  return (
    <Flex direction="column" gap="md">
      <Accordion title="Voice provider and caller ids" defaultOpen>
        <ProviderSection backend={backend} data={data} onSaved={setLatest} />
      </Accordion>
      <Accordion title="Calling defaults, pacing and HubSpot write-back" defaultOpen>
        <CallingSection backend={backend} data={data} onSaved={setLatest} />
      </Accordion>
      <Accordion title="Do-not-call list">
        <DncSection backend={backend} timeZone={timeZone} />
      </Accordion>
      <Accordion title="API keys">
        <ApiKeysSection backend={backend} timeZone={timeZone} />
      </Accordion>
    </Flex>
  );
}
