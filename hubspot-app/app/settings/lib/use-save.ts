import { useState } from 'react';
import { BackendError, messageOf, type Backend } from './backend-client';
import type { SettingsData } from './settings-types';

// Saving one part of the settings (PUT /api/v1/settings with that part only): the backend checks
// everything and refuses all of it with every problem located (422 SETTINGS_INVALID: details
// .problems[].path such as `provider.retellAgentId`; 400 VALIDATION_FAILED: details.issues[].path
// such as `body.provider.apiKey`). A form shows each problem at its field (`at`) and lists the
// rest next to its save button (`unplaced`).

export interface Problem {
  /** Where the backend located it (`provider.apiKey`, `callerIds.0`); '' when it named no field. */
  path: string;
  message: string;
}

function problemsOf(err: unknown): Problem[] {
  const details = err instanceof BackendError ? (err.details as { problems?: unknown; issues?: unknown } | undefined) : undefined;
  const listed = Array.isArray(details?.problems) ? details.problems : Array.isArray(details?.issues) ? details.issues : [];
  const located = listed
    .filter((p): p is { path?: unknown; message: string } => Boolean(p) && typeof (p as { message?: unknown }).message === 'string')
    .map((p) => ({ path: typeof p.path === 'string' ? p.path.replace(/^body\./, '') : '', message: p.message }));
  return located.length ? located : [{ path: '', message: messageOf(err) }];
}

/** Whether a problem's path is `field` or inside it (`provider.phoneNumberIds.+1415…` is inside `provider.phoneNumberIds`). */
const within = (path: string, field: string) => path === field || path.startsWith(`${field}.`);

export function useSettingsSave(backend: Backend, onSaved: (next: SettingsData) => void) {
  const [busy, setBusy] = useState(false);
  const [located, setLocated] = useState<Problem[]>([]);
  const [saved, setSaved] = useState(false);
  async function save(part: Record<string, unknown>) {
    setBusy(true);
    setLocated([]);
    setSaved(false);
    try {
      onSaved(await backend.put<SettingsData>('/settings', part));
      setSaved(true);
    } catch (err) {
      setLocated(problemsOf(err));
    } finally {
      setBusy(false);
    }
  }
  function at(...fields: string[]): string | undefined {
    const here = located.filter((p) => fields.some((f) => within(p.path, f)));
    return here.length ? here.map((p) => p.message).join(' ') : undefined;
  }
  return {
    busy,
    saved,
    save,
    /** Every problem's sentence, in the backend's order. */
    problems: located.map((p) => p.message),
    /** The sentences of the problems at one of these fields (joined), for its `validationMessage`. */
    at,
    /** An input's error props for the problems at these fields: spread onto the input. */
    marks: (...fields: string[]) => ({ error: Boolean(at(...fields)), validationMessage: at(...fields) }),
    /** The sentences of the problems at none of these fields: they are listed with the save button. */
    unplaced(fields: string[]): string[] {
      return located.filter((p) => !fields.some((f) => within(p.path, f))).map((p) => p.message);
    },
  };
}
