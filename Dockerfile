# syntax=docker/dockerfile:1
# Quorum Reads: one image, any adapter (QR_ADAPTER / tokens from the environment).

# ---- build: production dependencies, with compilers for the sqlite3 native module ----
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: no compilers, non-root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    QR_DATA_DIR=/app/.data \
    QR_CATALOG_DIR=/app/data \
    QR_HEALTH_PORT=8080 \
    QR_LOG_FORMAT=json
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node src ./src
COPY --chown=node:node adapters ./adapters
COPY --chown=node:node data ./data
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
VOLUME ["/app/.data"]
# Health/metrics; Slack HTTP mode also listens on SLACK_PORT (3000) when used.
EXPOSE 8080 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.QR_HEALTH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node with tsx's loader (not npx): signals reach the bot directly, and no npm process sits in between.
CMD ["node", "--import", "tsx", "src/main.ts"]
