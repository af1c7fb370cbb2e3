# One image for every service; APP picks which one runs (built from apps/$APP/src/main.ts).
#   docker build --build-arg APP=sending -t sabia-sending .
# Services run from their builds (`nx build`, scripts/build-app.ts: our code bundled, npm
# packages beside it), as the tests and the quick start run them; building needs the dev
# dependencies (esbuild, tsx): plain `npm ci`, no --omit=dev.
FROM node:24-bookworm-slim

WORKDIR /app
# Workspaces need every apps/*/ and libs/*/ package.json before `npm ci`, so the whole (filtered,
# see .dockerignore) tree goes in at once: simpler than listing each manifest, at the cost of
# re-installing when source changes.
COPY . .
# npm ci refuses this lock (it cannot list other platforms' optional nx/buf binaries that our
# registry lacks; see .ci/run): npm install then installs the same locked versions.
RUN (npm ci --no-audit --no-fund || npm install --no-audit --no-fund) && npm cache clean --force

# Every service built, so that APP may also be chosen when the container starts.
RUN for app in billing carrier-sim incident sending status-tracking ticketing; do npx tsx scripts/build-app.ts "apps/$app" || exit 1; done

# After `npm ci` and the builds, so those layers are shared by all six images.
ARG APP
ENV APP=${APP} \
    NODE_ENV=production

# Never root at run time; the node image's `node` user (uid 1000) only reads /app.
USER node
# exec: node becomes PID 1's successor and receives SIGTERM itself (graceful shutdown).
# The flags are SERVICE_NODE_FLAGS (libs/platform/runtime/src/node-flags.ts).
CMD ["sh", "-c", "test -n \"$APP\" || { echo 'set APP (e.g. --build-arg APP=sending or -e APP=sending)' >&2; exit 64; }; exec node --max-semi-space-size=32 \"dist/apps/$APP/src/main.js\""]
