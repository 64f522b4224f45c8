# sentiment-batch as a container for scheduled runs (cron, systemd timers,
# Kubernetes CronJobs). See docs/container.md for volumes, schedules and exit codes.
# The image runs as uid 1000 (node): --user lets it write to a folder you own.
#
#   docker build -t sentiment-batch -t sentiment-batch:0.1.0 .   # jobs/cron/ runs the versioned tag (package.json's version)
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/data:/data" sentiment-batch score /data/reviews.csv --text-column review
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/data:/data" -v "$PWD/jobs:/jobs:ro" \
#     -e CLOUDFLARE_ACCOUNT_ID -e CLOUDFLARE_API_TOKEN sentiment-batch run /jobs/docker-nightly.json

# ---- build: compile TypeScript, then keep only the production dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
# onnxruntime-node's install script only downloads GPU providers from outside the
# npm registry; it never runs here (--ignore-scripts), and is told to skip if it did.
ENV ONNXRUNTIME_NODE_INSTALL=skip

# Dependencies first, in their own layer, so a source edit does not reinstall them.
# --ignore-scripts: no dependency needs an install script (lmdb loads a prebuilt
# binary shipped in its platform package), and the project's own `prepare`
# script (tsc, then the bundle) needs the sources, which are not copied yet; it runs below.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

COPY tsconfig.json ./
COPY src ./src
COPY scripts/bundle-cli.ts ./scripts/
COPY model ./model
RUN npm run build && npm prune --omit=dev --ignore-scripts

# onnxruntime-node ships every platform's native runtime (~290 MB); keep only
# this image's (linux, its architecture).
RUN ort=node_modules/onnxruntime-node/bin/napi-v6 \
 && find "$ort" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} + \
 && find "$ort/linux" -mindepth 1 -maxdepth 1 ! -name "$(node -p process.arch)" -exec rm -rf {} + \
 && test -e "$ort/linux/$(node -p process.arch)/onnxruntime_binding.node"

# Assemble exactly what the runtime needs in one folder: the bundled program
# (no source maps: nothing enables them at run time), production node_modules,
# the model files (embedded model + tokenizer, found by walking up from
# dist/bin to the package.json named sentiment-batch), package.json and the
# licence notices that exist.
COPY package.json NOTICE* LICENSE* ./
RUN mkdir -p /out/dist \
 && cp -r dist/bin /out/dist/bin \
 && find /out/dist -name '*.map' -delete \
 && cp -r node_modules model package.json /out/ \
 && for f in NOTICE* LICENSE*; do if [ -e "$f" ]; then cp "$f" /out/; fi; done

# ---- runtime ----
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app

# Owned by root and read-only to the `node` user: the program cannot be altered
# by the job it runs.
COPY --from=build /out/ /app/

# /data: inputs, outputs, checkpoints and the result cache (mount a volume).
# Owned by `node` (uid 1000) so a fresh named volume is writable; a bind mount
# must be writable by uid 1000, or run with --user "$(id -u):$(id -g)".
# /data/cache, /data/in and /data/out (jobs/docker-nightly.json's layout) are
# made here and node's too: a fresh named volume mounted at one of them on its
# own (a cache kept apart from the exports) takes the owner of the image's
# folder there; with no folder there it was root's, and the run exit 74.
# /jobs: job files (mount read-only). Nothing the program does writes there, and
# a job file says what is read, written and where the token goes: root's, so a
# fresh volume there is read-only to the job it configures, as /app is.
# npm, npx, corepack and yarn (the base image's package managers, for builds) go:
# the job never runs them (the program starts only node itself), and a scanner
# of the image then no longer reports their bundled packages. The base image's
# layer still holds their bytes, so the image is not smaller for it.
# tini: the init run as PID 1 (ENTRYPOINT, below); apt's lists and caches go in
# the same layer, so it adds 1.7 MB to the image.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx \
      /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-v* \
 && mkdir -p /data/cache /data/in /data/out /jobs && chown node:node /data /data/cache /data/in /data/out \
 && apt-get update && apt-get install -y --no-install-recommends tini \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
VOLUME ["/data", "/jobs"]

USER node
WORKDIR /data

# tini (Debian's package) is PID 1 and passes every signal on to node. Node as
# PID 1 would get no default signal actions: a `docker stop` while Node itself
# starts (before the CLI's first line installs its SIGINT/SIGTERM handlers: 20-200 ms
# measured) would be dropped, and the run killed at the stop timeout (137).
# Under tini such a stop ends node at once with 143 (nothing had begun); later
# ones reach the CLI's handlers: checkpoint, exit 130, which tini passes on.
# -s: tini stays quiet under `docker run --init` (then not PID 1 itself).
# docs/container.md, "Stopping: signals".
# No credentials are baked in: pass CLOUDFLARE_ACCOUNT_ID and
# CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_TOKEN_FILE pointing at a mounted
# secret; without them the embedded offline model scores.
# --disable-sigusr1 (Node >= 22.14): Node's own start, before the CLI's first
# line ignores SIGUSR1, would otherwise open the inspector on 127.0.0.1:9229 for
# a SIGUSR1 (any local user who can signal the process could run code in it,
# the API token in reach). docs/container.md, "Stopping: signals".
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "node", "--disable-sigusr1", "/app/dist/bin/cli.js"]
CMD ["--help"]
