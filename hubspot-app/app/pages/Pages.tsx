import { hubspot } from '@hubspot/ui-extensions';
import { createBackend, type Fetcher } from './lib/backend-client';
import { AppPages } from './AppPages';

// Entry point of the app pages: hands the pages hubspot.fetch (signed by HubSpot) pointed at the
// profile's BACKEND_URL, HubSpot's actions and the portal's time zone.
hubspot.extend<'pages'>(({ context, actions }) => (
  <AppPages
    services={{
      backend: createBackend({ baseUrl: String(context.variables?.BACKEND_URL ?? ''), fetcher: hubspot.fetch as unknown as Fetcher }),
      actions: { addAlert: actions.addAlert, navigateToPage: actions.navigateToPage, openIframeModal: actions.openIframeModal },
      timeZone: context.portal.timezone,
    }}
  />
));
