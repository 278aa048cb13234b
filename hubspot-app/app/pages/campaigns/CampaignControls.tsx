import { useState } from 'react';
import { Alert, Button, ButtonRow } from '@hubspot/ui-extensions';
import type { Backend } from '../lib/backend-client';
import { useAction } from '../lib/use-action';

// Start / pause / resume / cancel, offered by state. Cancelling asks once more: it cannot be undone.
export function CampaignControls({ backend, campaignId, state, openEnrollment = false, onChanged }: { backend: Backend; campaignId: string; state: string; openEnrollment?: boolean; onChanged(): void }) {
  const action = useAction();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const send = (verb: 'start' | 'pause' | 'resume' | 'cancel' | 'close-enrollment') =>
    action.run(async () => {
      await backend.post(`/campaigns/${campaignId}/${verb}`, {});
      setConfirmCancel(false);
      onChanged();
    });
  return (
    <>
      <ButtonRow>
        {state === 'draft' && (
          <Button testId="start" variant="primary" disabled={action.busy} onClick={() => void send('start')}>
            Start campaign
          </Button>
        )}
        {state === 'running' && (
          <Button testId="pause" disabled={action.busy} onClick={() => void send('pause')}>
            Pause
          </Button>
        )}
        {state === 'paused' && (
          <Button testId="resume" variant="primary" disabled={action.busy} onClick={() => void send('resume')}>
            Resume
          </Button>
        )}
        {openEnrollment && ['running', 'paused'].includes(state) && (
          <Button testId="close-enrollment" disabled={action.busy} onClick={() => void send('close-enrollment')}>
            Close enrollment
          </Button>
        )}
        {['scheduled', 'running', 'paused'].includes(state) &&
          (confirmCancel ? (
            <Button testId="confirm-cancel" variant="destructive" disabled={action.busy} onClick={() => void send('cancel')}>
              Cancel for good: no more calls
            </Button>
          ) : (
            <Button testId="cancel" variant="secondary" onClick={() => setConfirmCancel(true)}>
              Cancel campaign
            </Button>
          ))}
      </ButtonRow>
      {action.error && (
        <Alert testId="control-error" title="The campaign did not change" variant="danger">
          {action.error}
        </Alert>
      )}
    </>
  );
}
