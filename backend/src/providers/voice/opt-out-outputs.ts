// One rule for every provider: a structured output / analysis field named like optOut or
// doNotCall with a truthy value means the person asked not to be called again.
const OPT_OUT_NAME = /^(optout|optedout|donotcall|dnc|unsubscribe)$/i;
const isTruthy = (v: unknown) => v === true || (typeof v === 'string' && /^(true|yes|1)$/i.test(v.trim())) || v === 1;

export function optOutRequestedIn(outputs: Record<string, unknown>): boolean {
  return Object.entries(outputs).some(([name, value]) => OPT_OUT_NAME.test(name.replace(/[\s_-]/g, '')) && isTruthy(value));
}
