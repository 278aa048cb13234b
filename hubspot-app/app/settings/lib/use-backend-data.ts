import { useEffect, useRef, useState } from 'react';
import { messageOf } from './backend-client';

// Loading data from the backend with the three states every view shows (loading, error, ready),
// a "still waiting" flag once a request is slow, optional polling for live figures, a reload
// (back to loading) and a refresh (in the background, keeping what is shown).
// Copied into each extension folder with backend-client.ts (a test keeps the copies identical).

export type LoadState<T> =
  | { status: 'loading'; slow: boolean }
  | { status: 'error'; message: string }
  | { status: 'ready'; data: T; refreshing: boolean };

export interface LoadOptions {
  /** After this long without an answer, `slow` turns true so the view can say so. */
  slowAfterMs?: number;
  /** Refresh in the background this often (0 = never); a failed refresh keeps the last data. */
  pollEveryMs?: number;
}

interface Result<T> {
  key: string;
  data?: T;
  error?: string;
}

export function useBackendData<T>(load: () => Promise<T>, deps: readonly unknown[], opts: LoadOptions = {}) {
  const { slowAfterMs = 4000, pollEveryMs = 0 } = opts;
  const loadRef = useRef(load);
  const refreshRef = useRef<() => void>(() => undefined);
  useEffect(() => {
    loadRef.current = load;
  });
  const [reloads, setReloads] = useState(0);
  const [result, setResult] = useState<Result<T> | null>(null);
  const [slowKey, setSlowKey] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  // What is being loaded: a change of inputs or a reload starts over from "loading".
  const key = `${JSON.stringify(deps)}#${reloads}`;

  useEffect(() => {
    let live = true;
    const slowTimer = setTimeout(() => live && setSlowKey(key), slowAfterMs);
    const fetchOnce = (background: boolean) => {
      if (background) setRefreshing(true);
      loadRef
        .current()
        .then((data) => live && setResult({ key, data }))
        .catch((err: unknown) => live && setResult((prev) => (background && prev?.key === key && prev.data !== undefined ? prev : { key, error: messageOf(err) })))
        .finally(() => {
          clearTimeout(slowTimer);
          if (background && live) setRefreshing(false);
        });
    };
    fetchOnce(false);
    const poll = pollEveryMs > 0 ? setInterval(() => fetchOnce(true), pollEveryMs) : undefined;
    refreshRef.current = () => fetchOnce(true);
    return () => {
      live = false;
      clearTimeout(slowTimer);
      if (poll) clearInterval(poll);
      refreshRef.current = () => undefined;
    };
  }, [key, pollEveryMs, slowAfterMs]);

  let state: LoadState<T>;
  if (!result || result.key !== key) state = { status: 'loading', slow: slowKey === key };
  else if (result.error !== undefined) state = { status: 'error', message: result.error };
  else state = { status: 'ready', data: result.data as T, refreshing };

  // Called from event handlers only (a button, a finished action): never during render.
  return { state, reload: () => setReloads((n) => n + 1), refresh: () => refreshRef.current() };
}
