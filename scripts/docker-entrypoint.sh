#!/bin/sh
# Container entry point (Dockerfile): the first argument picks the process. `exec` replaces the
# shell, so node is PID 1 and the platform's SIGTERM reaches its graceful shutdown directly.
set -eu
role="${1:-web}"
case "$role" in
  web) exec node --import tsx backend/src/main.ts ;;
  worker) exec node --import tsx worker/src/main.ts ;;
  migrate) exec node --import tsx backend/src/cli/migrate.ts ;;
  admin) shift; exec node --import tsx backend/src/cli/admin.ts "$@" ;;
  *) exec "$@" ;;
esac
