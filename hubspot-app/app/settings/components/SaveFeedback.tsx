import { Alert, List, Text } from '@hubspot/ui-extensions';

export function SaveFeedback({ testId, problems, saved }: { testId: string; problems: string[]; saved: boolean }) {
  if (problems.length) {
    return (
      <Alert testId={`${testId}-problems`} title="Not saved" variant="danger">
        <List>
          {problems.map((p, i) => (
            <Text key={i}>{p}</Text>
          ))}
        </List>
      </Alert>
    );
  }
  return saved ? <Text testId={`${testId}-saved`}>Saved.</Text> : null;
}
