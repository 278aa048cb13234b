import { useState } from 'react';
import { Button, Flex, SearchInput, Select, Text } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useBackendData } from '../lib/use-backend-data';
import { useAction } from '../lib/use-action';
import { formatCount } from '../lib/format';
import { InlineLoadStatus } from '../components/InlineLoadStatus';

// Choosing a HubSpot contact list by name: a search box (searched when the text is committed:
// Enter or leaving the box), then a select of the lists found with their size, a page at a time
// from GET /api/v1/hubspot/lists. Loading, failure (with retry) and "nothing found" say so in words.

export interface HubSpotList {
  id: string;
  name: string;
  size: number | null;
  processingType: string;
}

interface ListPage {
  lists: HubSpotList[];
  nextCursor: string | null;
}

export const LIST_PAGE_SIZE = 20;

const KIND: Record<string, string> = { DYNAMIC: 'active', MANUAL: 'static', SNAPSHOT: 'static (snapshot)' };

export function listLabel(l: HubSpotList): string {
  const size = l.size === null ? 'size unknown' : `${formatCount(l.size)} ${l.size === 1 ? 'contact' : 'contacts'}`;
  return `${l.name} · ${size}${KIND[l.processingType] ? ` · ${KIND[l.processingType]}` : ''}`;
}

export function HubSpotListPicker(props: { backend: Backend; value: { id: string; name: string } | null; onPick(list: HubSpotList): void }) {
  const { backend, value, onPick } = props;
  const [query, setQuery] = useState('');
  const first = useBackendData(() => backend.get<ListPage>('/hubspot/lists', { query, limit: LIST_PAGE_SIZE }), [query]);
  // Pages after the first, for the query they were read for (a new search starts over).
  const [more, setMore] = useState<(ListPage & { query: string }) | null>(null);
  const loadingMore = useAction();

  const page = first.state.status === 'ready' ? first.state.data : null;
  const extra = more?.query === query ? more : null;
  const lists = page ? [...page.lists, ...(extra?.lists ?? [])] : [];
  const nextCursor = extra ? extra.nextCursor : (page?.nextCursor ?? null);
  const loadMore = () =>
    loadingMore.run(async () => {
      const next = await backend.get<ListPage>('/hubspot/lists', { query, limit: LIST_PAGE_SIZE, cursor: nextCursor });
      setMore({ query, lists: [...(extra?.lists ?? []), ...next.lists], nextCursor: next.nextCursor });
    });
  // The chosen list stays selectable while another search shows other lists.
  const options = lists.map((l) => ({ label: listLabel(l), value: l.id }));
  if (value && !lists.some((l) => l.id === value.id)) options.unshift({ label: value.name, value: value.id });

  return (
    <Flex direction="column" gap="xs">
      <SearchInput testId="list-search" name="listSearch" label="Find a HubSpot list" placeholder="Part of the list name" value={query} onChange={(v) => setQuery(v.trim())} />
      <InlineLoadStatus state={first.state} loadingLabel="Loading HubSpot lists…" testIdPrefix="lists" onRetry={first.reload} />
      {page && lists.length === 0 && (
        <Text testId="no-lists">{query ? `No HubSpot contact list has "${query}" in its name.` : 'This HubSpot account has no contact lists yet.'}</Text>
      )}
      {page && options.length > 0 && (
        <Select
          testId="list"
          name="list"
          label="HubSpot list"
          placeholder="Choose a list"
          options={options}
          value={value?.id ?? ''}
          onChange={(v) => {
            const picked = lists.find((l) => l.id === String(v));
            if (picked) onPick(picked);
          }}
        />
      )}
      {page && nextCursor && (
        <Button testId="more-lists" size="xs" variant="transparent" disabled={loadingMore.busy} onClick={() => void loadMore()}>
          Show more lists
        </Button>
      )}
      {loadingMore.error && <Text testId="more-lists-error">{loadingMore.error}</Text>}
    </Flex>
  );
}
