import { renderTemplate, readPath } from '../../backend/src/domain/scripts/script-template';
import { buildScriptData } from '../../backend/src/domain/scripts/script-context';

describe('variable resolution in spoken text', () => {
  const data = buildScriptData({
    contact: { firstName: '  Jane ', lastName: 'Doe', company: 'Acme', properties: { tier: 'vip', seats: 12, nested: { no: 1 } } },
    answers: { interested: true, budget: 1500, slot: 'morning' },
    call: { attemptNumber: 2, localTimeAtDial: '2026-11-23T14:05:00-05:00' },
  });

  it('resolves contact, properties, answers and call values', () => {
    expect(renderTemplate('Hi {{contact.firstName}} ({{ contact.fullName }}) from {{contact.company}}', data)).toBe('Hi Jane (Jane Doe) from Acme');
    expect(renderTemplate('{{contact.properties.tier}} with {{contact.properties.seats}} seats', data)).toBe('vip with 12 seats');
    expect(renderTemplate('Interested: {{answers.interested}}, budget {{answers.budget}}, {{answers.slot}}', data)).toBe('Interested: yes, budget 1500, morning');
    expect(renderTemplate('Attempt {{call.attemptNumber}} at {{call.localHour}}h', data)).toBe('Attempt 2 at 14h');
  });

  it('uses the fallback for a missing value and never says undefined or null', () => {
    const empty = buildScriptData({ contact: { firstName: null, company: '' } });
    expect(renderTemplate('Hi {{contact.firstName}}, from {{contact.company}}!', empty, { 'contact.firstName': 'there' })).toBe('Hi there, from!');
    const out = renderTemplate('Hi {{contact.firstName}}, how are you?', empty);
    expect(out).toBe('Hi, how are you?');
    expect(out).not.toMatch(/undefined|null/);
    // Objects are not spoken either.
    expect(renderTemplate('x{{contact.properties.nested}}y', data, { 'contact.properties.nested': '-' })).toBe('x-y');
  });

  it('strips template syntax from values so contact data cannot inject Liquid', () => {
    const evil = buildScriptData({ contact: { firstName: '{{system.secret}}{% if x %}Bob' } });
    expect(renderTemplate('Hi {{contact.firstName}}', evil)).toBe('Hi system.secret if x Bob');
  });

  it('reads own properties only', () => {
    expect(readPath({ a: {} }, 'a.constructor')).toBeUndefined();
    expect(readPath({ a: { toString: 'x' } }, 'a.toString')).toBe('x');
    expect(readPath(data, 'contact.properties.tier')).toBe('vip');
  });

  it('keeps only scalar contact properties', () => {
    expect(data.contact.properties).toEqual({ tier: 'vip', seats: 12 });
  });
});
