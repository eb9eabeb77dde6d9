# One image for every AirSuite service; docker-compose.yml picks the command per service.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY airtable-gateway/package.json airtable-gateway/
COPY tools/package.json tools/
COPY platform-api/package.json platform-api/
COPY mcp-server/package.json mcp-server/
COPY orchestrator/package.json orchestrator/
COPY cli/package.json cli/
COPY evals/package.json evals/
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["npx", "--no-install", "airsuite"]
CMD ["--help"]
