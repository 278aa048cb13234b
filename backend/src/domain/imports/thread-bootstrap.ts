import path from 'node:path';

// Worker threads load this project's TypeScript the way the process does: through tsx when
// running from source (the only way this project runs), directly when compiled to .js. The
// returned code is for `new Worker(code, { eval: true })`.
export function threadBootstrap(entryName: string): string {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `${entryName}${ext}`);
  const register = ext === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs'))});` : '';
  return `${register}require(${JSON.stringify(entry)});`;
}
