# syntax=docker/dockerfile:1
# Quorum Reads: one image, any adapter (QR_ADAPTER / tokens from the environment).
# Node 26 is the Active LTS line (26.13.0 'Lithium', 2026-10-28; supported to April 2029). Both stages
# use the same image, so the sqlite3 native module is built for the Node that runs it.

# ---- build: all dependencies (compilers for sqlite3, TypeScript), compile to dist/, drop dev deps ----
FROM node:26-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: compiled JavaScript, production dependencies, no compilers, non-root ----
FROM node:26-bookworm-slim AS runtime
ENV NODE_ENV=production \
    QR_DATA_DIR=/app/.data \
    QR_CATALOG_DIR=/app/data \
    QR_HEALTH_PORT=8080 \
    QR_LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node data ./data
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
VOLUME ["/app/.data"]
# Health/metrics; Slack HTTP mode also listens on SLACK_PORT (3000) when used.
EXPOSE 8080 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.QR_HEALTH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Plain node on the compiled build (not npm): signals reach the bot directly. Other entry points:
# node dist/adapters/discord/deploy-commands.js, node dist/adapters/discord/shard.js, node dist/src/cli/oneshot.js.
CMD ["node", "dist/src/main.js"]
