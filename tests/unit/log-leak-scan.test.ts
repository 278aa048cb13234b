import { findLeaks, needles } from '../support/log-leak-scan';
import { redactString } from '../../backend/src/platform/redact';

// The scanner the demo run's log check relies on: it must find a leak in every form one could
// take, and must not cry wolf at the logger's masked numbers.
describe('log leak scanner', () => {
  const phone = needles('phone', 'csv', ['+1 (415) 555-0123']);

  it.each([
    ['E.164', '{"message":"dialing +14155550123"}'],
    ['national, formatted', '{"to":"(415) 555-0123"}'],
    ['dotted', 'raw row 415.555.0123,Ada'],
    ['digits only', 'x=4155550123;'],
  ])('finds a phone number written %s', (_form, line) => {
    expect(findLeaks([line], phone)).toHaveLength(1);
  });

  it('passes the masked form the logger writes', () => {
    const line = `{"message":"${redactString('dialing +14155550123 and (415) 555-0123')}"}`;
    expect(line).toContain('0123');
    expect(findLeaks([line], phone)).toEqual([]);
  });

  it('finds emails whatever their case, tokens and transcript text inside JSON strings', () => {
    const n = [
      ...needles('email', 'csv', ['Ada.Lovelace@example.com']),
      ...needles('token', 'oauth', ['tok-123456789']),
      ...needles('transcript', 'call', ['User: I\'d say "yes", thanks'], 8),
    ];
    const lines = ['{"email":"ada.lovelace@EXAMPLE.com"}', 'Bearer tok-123456789', JSON.stringify({ text: 'User: I\'d say "yes", thanks' })];
    expect(findLeaks(lines, n).map((l) => [l.kind, l.lineIndex])).toEqual([['email', 0], ['token', 1], ['transcript', 2]]);
    // The failure message does not repeat the secret it found.
    expect(findLeaks(lines, n).map((l) => l.excerpt).join('\n')).not.toContain('tok-123456789');
  });

  it('skips values too short or too plain to be personal', () => {
    expect(needles('phone', 'csv', ['555-0142', '00000000000', 'n/a', null])).toEqual([]);
    expect(needles('transcript', 'call', ['yes', 'no'], 8)).toEqual([]);
  });
});
