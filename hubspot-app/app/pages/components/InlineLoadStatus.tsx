import { Button, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { LoadState } from '../lib/use-backend-data';

// Loading and failure of one part of a form (the page around it stays usable): a spinner, or the
// reason in words with a retry. Nothing once the data is there.
export function InlineLoadStatus({ state, loadingLabel, testIdPrefix, onRetry }: { state: LoadState<unknown>; loadingLabel: string; testIdPrefix: string; onRetry(): void }) {
  if (state.status === 'loading') return <LoadingSpinner label={loadingLabel} />;
  if (state.status !== 'error') return null;
  return (
    <Flex direction="row" gap="sm" align="center">
      <Text testId={`${testIdPrefix}-error`}>{state.message}</Text>
      <Button testId={`${testIdPrefix}-retry`} size="xs" variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </Flex>
  );
}
