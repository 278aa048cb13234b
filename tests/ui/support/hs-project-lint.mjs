// Runs HubSpot's `hs project lint` over this project, offline.
//
//   node tests/ui/support/hs-project-lint.mjs <path to the hs binary>
//   (e.g. after `npm install --prefix /tmp/hscli @hubspot/cli@8.14.0 --ignore-scripts`:
//    node tests/ui/support/hs-project-lint.mjs /tmp/hscli/node_modules/.bin/hs)
//
// Why a copy: the CLI requires each UI folder's lint packages in <folder>/node_modules
// (lib/projects/uieLinting.js, isPackageInNodeModules), but this repository installs the folders
// as npm workspaces, whose packages are hoisted to the root node_modules. The copy gets per-folder
// node_modules of symlinks to the installed packages; the CLI then lints exactly our files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const hs = process.argv[2];
if (!hs || !fs.existsSync(hs)) {
  console.error('usage: node tests/ui/support/hs-project-lint.mjs <path to hs>');
  process.exit(2);
}
const LINT_PACKAGES = ['eslint', '@eslint/js', 'typescript-eslint', '@hubspot/eslint-config-ui-extensions', 'eslint-config-prettier', 'eslint-plugin-react', 'eslint-plugin-react-hooks', 'eslint-plugin-unused-imports', 'prettier', 'jiti', '@hubspot/ui-extensions', 'react', 'typescript'];
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hac-hs-lint-'));
try {
  fs.copyFileSync(path.join(ROOT, 'hsproject.json'), path.join(copy, 'hsproject.json'));
  fs.cpSync(path.join(ROOT, 'hubspot-app'), path.join(copy, 'hubspot-app'), { recursive: true, filter: (p) => !p.split(path.sep).includes('node_modules') });
  for (const folder of ['cards', 'pages', 'settings']) {
    const nm = path.join(copy, 'hubspot-app/app', folder, 'node_modules');
    for (const pkg of LINT_PACKAGES) {
      fs.mkdirSync(path.dirname(path.join(nm, pkg)), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'node_modules', pkg), path.join(nm, pkg));
    }
    fs.mkdirSync(path.join(nm, '.bin'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules/.bin/eslint'), path.join(nm, '.bin/eslint'));
  }
  const r = spawnSync(hs, ['project', 'lint'], { cwd: copy, stdio: ['ignore', 'inherit', 'inherit'] });
  process.exitCode = r.status ?? 1;
} finally {
  fs.rmSync(copy, { recursive: true, force: true });
}
