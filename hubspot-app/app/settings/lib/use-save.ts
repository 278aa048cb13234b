import { useState } from 'react';
import { BackendError, messageOf, type Backend } from './backend-client';
import type { SettingsData } from './settings-types';

// Saving one part of the settings (PUT /api/v1/settings with that part only): the backend checks
// everything and refuses all of it with every problem located; those are listed next to the form.
export function useSettingsSave(backend: Backend, onSaved: (next: SettingsData) => void) {
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  async function save(part: Record<string, unknown>) {
    setBusy(true);
    setProblems([]);
    setSaved(false);
    try {
      onSaved(await backend.put<SettingsData>('/settings', part));
      setSaved(true);
    } catch (err) {
      const details = err instanceof BackendError ? (err.details as { problems?: Array<{ message: string }> } | undefined) : undefined;
      setProblems(details?.problems?.length ? details.problems.map((p) => p.message) : [messageOf(err)]);
    } finally {
      setBusy(false);
    }
  }
  return { busy, problems, saved, save };
}
