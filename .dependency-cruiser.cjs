// Import boundaries (style.md): http -> domain -> platform; worker -> domain, queues, providers;
// nothing imports http except app.ts; worker never imports backend/src/http; no cycles.
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'only-app-imports-http',
      severity: 'error',
      from: { pathNot: ['^backend/src/http/', '^backend/src/app\\.ts$'] },
      to: { path: '^backend/src/http/' },
    },
    { name: 'worker-not-into-http', severity: 'error', from: { path: '^worker/' }, to: { path: '^backend/src/http/' } },
    { name: 'backend-not-into-worker', severity: 'error', from: { path: '^backend/' }, to: { path: '^worker/' } },
    {
      name: 'domain-has-no-http-or-sdk',
      severity: 'error',
      from: { path: '^backend/src/domain/' },
      to: { path: ['^backend/src/http/', 'node_modules/(@vapi-ai|@hubspot|retell-sdk|express)', '^backend/src/generated/vapi-sdk'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['backend/src/generated'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
