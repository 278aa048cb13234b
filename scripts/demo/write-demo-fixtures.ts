import fs from 'node:fs';
import path from 'node:path';
import { generateDemoContacts } from '../../tests/fixtures/demo/demo-contacts.generator';

// npm run demo:fixtures — (re)writes the committed sample files from the deterministic generator.
const dir = path.resolve(__dirname, '../../tests/fixtures/demo');
const out = generateDemoContacts();
fs.writeFileSync(path.join(dir, 'contacts.csv'), out.contactsCsv);
fs.writeFileSync(path.join(dir, 'dnc.csv'), out.dncCsv);
console.log(JSON.stringify(out.expected));
