# syntax=docker/dockerfile:1
# talkcal-sync: build stage compiles TypeScript; the runtime stage holds only production modules.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY config ./config
# tsx and esbuild are dev dependencies (the image runs dist/); TypeScript stays after the prune only
# as valibot's optional peer (types, never loaded at run time), so it is removed by hand.
RUN npm run build && npm prune --omit=dev \
  && rm -rf node_modules/typescript node_modules/@typescript node_modules/.bin/tsc

FROM node:24-slim AS runtime
# NODE_OPTIONS caps the main thread's heap: without it V8 lets a burst of first syncs' garbage grow
# the heap (and the RSS, never returned) to ~440 MB, while what stays live is ~60-140 MB (README,
# Deployment). Translation threads have their own cap (limits.translateMemoryMb).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=256 \
    TZ=UTC \
    TALKCAL_HTTP__HOST=0.0.0.0 \
    TALKCAL_HTTP__PORT=8080
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root config ./config
COPY --chown=root:root bin ./bin
COPY --chown=root:root package.json ./
# The image's files belong to root and are read-only for the process, which runs as `node`.
USER node
EXPOSE 8080
# The port the daemon listens on (TALKCAL_HTTP__PORT, 8080 unless set at `docker run -e`).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.TALKCAL_HTTP__PORT || 8080}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/talkcal.js"]
CMD ["start"]
