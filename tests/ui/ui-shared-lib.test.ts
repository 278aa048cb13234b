import fs from 'node:fs';
import path from 'node:path';

// Each UI extension folder (cards, pages, settings) is bundled by HubSpot on its own: an import from
// outside the folder fails at build time (@hubspot/eslint-config-ui-extensions' no-parent-imports
// rule, run by `npm run lint:ui`). The folders' common helpers therefore exist as one copy per
// folder. A workspace package would be HubSpot's suggested way to share them, but whether
// `hs project upload` builds a workspace dependency from outside the extension folder cannot be
// tried from here; until it can, the copies stay — and must stay the same, which this test holds.

const APP = path.resolve(__dirname, '../../hubspot-app/app');
const FOLDERS = ['cards', 'pages', 'settings'] as const;
const SHARED = ['backend-client.ts', 'format.ts', 'use-backend-data.ts', 'use-action.ts'];

describe('helpers copied into every UI extension folder', () => {
  it.each(SHARED)('lib/%s is the same file in cards, pages and settings', (file) => {
    const [first, ...rest] = FOLDERS.map((f) => ({ folder: f, text: fs.readFileSync(path.join(APP, f, 'lib', file), 'utf8') }));
    for (const other of rest) {
      if (other.text !== first!.text) throw new Error(`${other.folder}/lib/${file} differs from ${first!.folder}/lib/${file}: change every copy together.`);
    }
  });

  it('no other lib file is shared by name without being in the list above', () => {
    const names = FOLDERS.map((f) => new Set(fs.readdirSync(path.join(APP, f, 'lib'))));
    const inAll = [...names[0]!].filter((n) => names.every((s) => s.has(n)));
    expect(inAll.sort()).toEqual([...SHARED].sort());
  });
});
