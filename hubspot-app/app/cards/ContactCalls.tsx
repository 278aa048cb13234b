import { useMemo } from 'react';
import { ErrorState, LoadingSpinner, Text, hubspot } from '@hubspot/ui-extensions';
import type { CrmContext, ExtensionPointApiActions } from '@hubspot/ui-extensions';
import { useCrmProperties } from '@hubspot/ui-extensions/crm';
import { createBackend, type Fetcher } from './lib/backend-client';
import { ContactCallsCard } from './ContactCallsCard';

// Entry point of the contact sidebar card: reads the record's phone, name and lawful basis, and
// gives the view hubspot.fetch (signed by HubSpot) pointed at the profile's BACKEND_URL.

const PROPERTIES = ['phone', 'mobilephone', 'firstname', 'lastname', 'email', 'hs_legal_basis'];

function ContactCallsExtension({ context, actions }: { context: CrmContext; actions: ExtensionPointApiActions<'crm.record.sidebar'> }) {
  const { properties, isLoading, error } = useCrmProperties(PROPERTIES);
  const backend = useMemo(() => createBackend({ baseUrl: String(context.variables?.BACKEND_URL ?? ''), fetcher: hubspot.fetch as unknown as Fetcher }), [context.variables?.BACKEND_URL]);
  if (isLoading) return <LoadingSpinner label="Loading contact…" />;
  if (error) {
    return (
      <ErrorState title="The contact's details could not be read">
        <Text>{error.message}</Text>
      </ErrorState>
    );
  }
  const record = {
    hubspotContactId: String(context.crm.objectId),
    phone: properties.phone,
    mobilePhone: properties.mobilephone,
    firstName: properties.firstname,
    lastName: properties.lastname,
    email: properties.email,
    legalBasis: properties.hs_legal_basis,
  };
  return <ContactCallsCard backend={backend} record={record} actions={actions} timeZone={context.portal.timezone} />;
}

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => <ContactCallsExtension context={context} actions={actions} />);
