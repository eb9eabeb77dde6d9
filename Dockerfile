# One image for every AirSuite service; docker-compose.yml picks the command per service.
# The build stage packs the airsuite command (`npm pack` runs the build); the image installs
# that tarball as any user would, so it holds compiled JavaScript and runtime dependencies only.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY airtable-gateway/package.json airtable-gateway/
COPY airtable-emulator/package.json airtable-emulator/
COPY tools/package.json tools/
COPY platform-api/package.json platform-api/
COPY mcp-server/package.json mcp-server/
COPY orchestrator/package.json orchestrator/
COPY cli/package.json cli/
COPY evals/package.json evals/
RUN npm ci --no-audit --no-fund
COPY . .
RUN mkdir /pack && npm pack --workspace cli --pack-destination /pack

FROM node:20-slim
ENV NODE_ENV=production
COPY --from=build /pack/ /tmp/pack/
RUN npm install --global /tmp/pack/*.tgz --no-audit --no-fund && rm -rf /tmp/pack /root/.npm
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["airsuite"]
CMD ["--help"]
