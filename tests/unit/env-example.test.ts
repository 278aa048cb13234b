import fs from 'node:fs';
import path from 'node:path';
import { ZEnv } from '../../backend/src/config/env.schema';

// Every variable the config schema reads is documented in .env.example and the README, so a
// new one cannot be added silently.
const ROOT = path.resolve(__dirname, '../..');

describe('environment documentation', () => {
  const names = Object.keys(ZEnv.shape);
  it.each(names)('%s is in .env.example and the README', (name) => {
    const example = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
    expect(readme).toContain(`\`${name}\``);
  });
});
