import { hubspot } from '@hubspot/ui-extensions';
import { createBackend, type Fetcher } from './lib/backend-client';
import { SettingsView } from './SettingsView';

// Entry point of the settings page (Connected apps → this app → Settings).
hubspot.extend<'settings'>(({ context }) => (
  <SettingsView backend={createBackend({ baseUrl: String(context.variables?.BACKEND_URL ?? ''), fetcher: hubspot.fetch as unknown as Fetcher })} timeZone={context.portal.timezone} />
));
