import { createContext, useContext } from 'react';
import type { Backend } from './backend-client';

// What every app page needs, provided once by Pages.tsx: the backend client (hubspot.fetch,
// signed), HubSpot's actions, the portal's time zone, and how often live figures refresh.

export type OpenIframeModal = (args: { uri: string; height: number; width: number; title?: string }, onClose?: () => void) => void;

export interface AppServices {
  backend: Backend;
  actions: {
    addAlert(args: { type?: 'info' | 'warning' | 'success' | 'danger' | 'tip'; message: string; title?: string }): void;
    navigateToPage(options: { to: string; params?: Record<string, string> }): void;
    openIframeModal: OpenIframeModal;
  };
  timeZone?: string;
  /** Live progress refresh; tests set 0. */
  pollEveryMs?: number;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const app = useContext(AppContext);
  if (!app) throw new Error('App pages must be rendered inside <AppContext.Provider>');
  return app;
}
