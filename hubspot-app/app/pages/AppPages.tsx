import type { ReactNode } from 'react';
import { Flex, Text } from '@hubspot/ui-extensions';
import { PageHeader, PageRoutes, createPageRouter } from '@hubspot/ui-extensions/pages';
import { AppContext, type AppServices } from './lib/app-context';
import { CampaignsListPage } from './campaigns/CampaignsListPage';
import { CampaignDetailPage } from './campaigns/CampaignDetailPage';
import { CampaignCreatePage } from './campaigns/CampaignCreatePage';
import { ScriptsListPage } from './scripts/ScriptsListPage';
import { ScriptBuilderPage } from './scripts/ScriptBuilderPage';

// The app's pages under one router (HubSpot allows one page component per app): campaigns
// (list, new, detail) and scripts (list, builder). Pages.tsx is the entry that provides services.

function Layout({ children }: { children?: ReactNode }) {
  return (
    <>
      <PageHeader>
        <PageHeader.PrimaryAction>
          <PageHeader.PageLink to="/campaigns/new">New campaign</PageHeader.PageLink>
        </PageHeader.PrimaryAction>
        <PageHeader.SecondaryActions>
          <PageHeader.PageLink to="/">Campaigns</PageHeader.PageLink>
          <PageHeader.PageLink to="/scripts">Scripts</PageHeader.PageLink>
        </PageHeader.SecondaryActions>
      </PageHeader>
      {children}
    </>
  );
}

function NotFoundPage() {
  return (
    <Flex direction="column" gap="sm">
      <Text testId="not-found">This page does not exist. Use Campaigns or Scripts above.</Text>
    </Flex>
  );
}

export const PageRouter = createPageRouter(
  <PageRoutes layoutComponent={Layout}>
    <PageRoutes.IndexRoute component={CampaignsListPage} />
    <PageRoutes.Route path="/campaigns/new" component={CampaignCreatePage} />
    <PageRoutes.Route path="/campaigns/:campaignId" component={CampaignDetailPage} />
    <PageRoutes.Route path="/scripts" component={ScriptsListPage} />
    <PageRoutes.Route path="/scripts/:scriptId" component={ScriptBuilderPage} />
    <PageRoutes.AnyRoute component={NotFoundPage} />
  </PageRoutes>,
);

export function AppPages({ services }: { services: AppServices }) {
  return (
    <AppContext.Provider value={services}>
      <PageRouter />
    </AppContext.Provider>
  );
}
