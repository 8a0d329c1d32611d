# atp: the trading engine, HTTP API and dashboard in one image (docs/operations.md).
# Build:  docker compose build     Run: docker compose up -d     Health: GET /api/health
#
# Stage 1 builds (TypeScript → dist/, the dashboard with it: `npm run build`) with dev dependencies
# and the native toolchain for better-sqlite3; stage 2 carries only the runtime, as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; better-sqlite3 is rebuilt below
RUN npm ci --ignore-scripts
COPY . .
RUN npm rebuild better-sqlite3 \
 && npm run build \
 && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    ATP_DATA_DIR=/var/lib/atp \
    LOG_PRETTY=false
RUN groupadd --system atp \
 && useradd --system --gid atp --home-dir /var/lib/atp --shell /usr/sbin/nologin atp \
 && mkdir -p /var/lib/atp \
 && chown atp:atp /var/lib/atp \
 && chmod 0700 /var/lib/atp
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/config ./config
USER atp
EXPOSE 8000
VOLUME ["/var/lib/atp"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=1", "--max-old-space-size=128", "bin/atp.js", "start"]
