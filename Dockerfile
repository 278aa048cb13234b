# syntax=docker/dockerfile:1
# One image, two roles: `docker run <image> web` serves HTTP, `docker run <image> worker` runs the
# BullMQ workers (scale it out as many times as you like), `docker run <image> migrate` applies the
# migrations (Railway runs it before each deploy). Source runs through tsx, as everywhere else.

ARG NODE_VERSION=20.19

# ---- build: production dependencies, the generated Prisma client and the bundled Vapi SDK ----
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# Manifests first so the dependency layer is reused until they change. The HubSpot UI folders are
# npm workspaces of the root package, so `npm ci` needs them present.
COPY package.json package-lock.json ./
COPY hubspot-app/ ./hubspot-app/
# No install scripts: nothing may download at install (design.md §6); ours (postinstall: prisma
# generate and the Vapi SDK bundle) run below once the schema is in place. `npm install` rather
# than `npm ci`, as in .ci/run: the lockfile lacks other platforms' optional builds and `npm ci`
# refuses it; the locked versions are installed all the same.
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund
COPY prisma/ ./prisma/
COPY prisma.config.ts ./
COPY scripts/prisma-generate.js scripts/bundle-vapi-sdk.js ./scripts/
RUN node scripts/prisma-generate.js && node scripts/bundle-vapi-sdk.js

# ---- runtime: non-root, only what runs ----
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.json prisma.config.ts ./
COPY --chown=root:root prisma/ ./prisma/
COPY --chown=root:root backend/ ./backend/
COPY --from=build --chown=root:root /app/backend/src/generated ./backend/src/generated
COPY --chown=root:root worker/ ./worker/
COPY --chown=root:root scripts/docker-entrypoint.sh ./scripts/docker-entrypoint.sh
# The app's files stay root-owned and read-only to the process; it writes only under DATA_DIR
# (CSV uploads) and the system temp dir (tsx's cache).
RUN mkdir -p /data && chown node:node /data && chmod 0755 scripts/docker-entrypoint.sh
USER node
EXPOSE 3000
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["web"]
