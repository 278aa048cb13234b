#!/bin/sh
# Container entry point (Dockerfile): the first argument picks the process. `exec` replaces the
# shell, so node is PID 1 and the platform's SIGTERM reaches its graceful shutdown directly.
set -eu
# As package.json's start scripts (README, "Memory"): glibc keeps at most two malloc arenas, and
# TypeScript is compiled by tsx's require hook alone, without the ESM loader's extra thread.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
role="${1:-web}"
case "$role" in
  web) exec node --require tsx/cjs backend/src/main.ts ;;
  worker) exec node --require tsx/cjs worker/src/main.ts ;;
  migrate) exec node --require tsx/cjs backend/src/cli/migrate.ts ;;
  admin) shift; exec node --require tsx/cjs backend/src/cli/admin.ts "$@" ;;
  *) exec "$@" ;;
esac
