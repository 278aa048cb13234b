import { Alert, List, Text } from '@hubspot/ui-extensions';

// Under a form's save button: "Not saved" with the problems no field shows (`placed` counts those
// shown at their fields above), or "Saved.".
export function SaveFeedback({ testId, problems, placed = 0, saved }: { testId: string; problems: string[]; placed?: number; saved: boolean }) {
  if (problems.length || placed) {
    return (
      <Alert testId={`${testId}-problems`} title="Not saved" variant="danger">
        {problems.length > 0 && (
          <List>
            {problems.map((p, i) => (
              <Text key={i}>{p}</Text>
            ))}
          </List>
        )}
        {placed > 0 && <Text testId={`${testId}-see-fields`}>{placed === 1 ? 'See the field marked above.' : 'See the fields marked above.'}</Text>}
      </Alert>
    );
  }
  return saved ? <Text testId={`${testId}-saved`}>Saved.</Text> : null;
}
