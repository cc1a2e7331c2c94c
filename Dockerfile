# DefenderMcp as a team server: Streamable HTTP at :8080/mcp (docs/deployment.md).
#   docker build -t defender-mcp .
#   docker run --read-only --tmpfs /tmp --stop-timeout 40 -p 8080:8080 \
#     -v defender-mcp-state:/var/lib/defender-mcp -v defender-mcp-audit:/var/log/defender-mcp \
#     -v /secure/defender:/run/secrets/defender:ro --env-file defender.env defender-mcp
# The image runs as the unprivileged "app" user on a read-only root file system: only the state and audit folders
# (volumes) are written. Configuration comes from environment variables and files mounted read-only.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files alone, so the layer is reused until a dependency changes.
COPY .editorconfig global.json Directory.Build.props Directory.Packages.props ./
COPY src/DefenderMcp/DefenderMcp.csproj src/DefenderMcp/
COPY src/DefenderMcp.Client/DefenderMcp.Client.csproj src/DefenderMcp.Client/
COPY src/DefenderMcp.Kql/DefenderMcp.Kql.csproj src/DefenderMcp.Kql/
COPY src/DefenderMcp.Emulator/DefenderMcp.Emulator.csproj src/DefenderMcp.Emulator/
RUN dotnet restore src/DefenderMcp/DefenderMcp.csproj -a "$TARGETARCH"
COPY src/ src/
# Framework-dependent (the runtime image has .NET and ASP.NET Core) and ReadyToRun for a fast start.
RUN dotnet publish src/DefenderMcp/DefenderMcp.csproj -c Release -a "$TARGETARCH" --self-contained false --no-restore \
      -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build /app ./
# The only writable places: state (scheduled hunts, confirmation tokens) and the audit trail, owned by the app user.
RUN mkdir -p /var/lib/defender-mcp /var/log/defender-mcp \
 && chown "$APP_UID:$APP_UID" /var/lib/defender-mcp /var/log/defender-mcp \
 && chmod 0700 /var/lib/defender-mcp /var/log/defender-mcp
ENV DEFENDER_MCP_STATE_DIR=/var/lib/defender-mcp \
    DEFENDER_MCP_AUDIT_FILE=/var/log/defender-mcp/audit.jsonl \
    DEFENDER_MCP_HTTP_URLS=http://0.0.0.0:8080 \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_NOLOGO=1
VOLUME ["/var/lib/defender-mcp", "/var/log/defender-mcp"]
USER $APP_UID
EXPOSE 8080
# /healthz answers 200 while the process serves; the image has no curl, so bash speaks HTTP/1.0 itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# SIGTERM (docker stop) drains calls in flight for up to DEFENDER_MCP_HTTP_SHUTDOWN_SECONDS (30), then exits 0; docker
# stop kills after 10 s unless the container is run with a longer --stop-timeout (40 above).
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/DefenderMcp.dll"]
CMD ["serve", "--transport", "http"]
