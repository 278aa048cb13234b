import { useState } from 'react';
import { messageOf } from './backend-client';

// One user action against the backend (a button press): busy while it runs, its refusal kept as
// a sentence for the view to show next to the button. Copied into each extension folder.
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(messageOf(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, clearError: () => setError(null) };
}
