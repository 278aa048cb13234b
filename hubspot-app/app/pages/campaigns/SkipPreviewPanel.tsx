import { Alert, List, Text } from '@hubspot/ui-extensions';
import { formatCount } from '../lib/format';
import { SKIP_WORDS, type SkipPreview } from '../lib/page-types';

// "N will be skipped and why", shown before a campaign starts.
export function SkipPreviewPanel({ preview }: { preview: SkipPreview }) {
  const reasons = SKIP_WORDS.filter(([k]) => preview.skipped[k] > 0);
  return (
    <Alert testId="skip-preview" title={`${formatCount(preview.count)} contacts match; ${formatCount(preview.callable)} can be called`} variant={preview.skipped.total > 0 ? 'warning' : 'info'}>
      {preview.skipped.total === 0 ? (
        <Text>Nobody will be skipped.</Text>
      ) : (
        <>
          <Text>{formatCount(preview.skipped.total)} will be skipped or wait:</Text>
          <List>
            {reasons.map(([k, words]) => (
              <Text key={k}>
                {formatCount(preview.skipped[k])} {words}
              </Text>
            ))}
          </List>
        </>
      )}
    </Alert>
  );
}
