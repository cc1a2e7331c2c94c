#!/usr/bin/env bash
# Builds LOCAL STAND-INS for the Dockerfile's base images, for a machine with a Docker engine but no access to
# mcr.microsoft.com: it tags
#   mcr.microsoft.com/dotnet/aspnet:10.0   and   mcr.microsoft.com/dotnet/sdk:10.0
# in the local engine, so `docker build -t defender-mcp .` runs the repository's Dockerfile unchanged. They are NOT
# Microsoft's images: a Debian bookworm minbase root file system (debootstrap from the Debian mirror this machine uses)
# plus this machine's own .NET install (`dotnet --info`), with what the real images set and that the Dockerfile or the
# app relies on: ENV APP_UID=1654, ASPNETCORE_HTTP_PORTS=8080, DOTNET_RUNNING_IN_CONTAINER=true, the "app" user and group
# (uid/gid 1654, home /home/app), /usr/bin/dotnet, bash and coreutils (the HEALTHCHECK), ca-certificates, ICU, OpenSSL,
# tzdata; the SDK one adds the SDK and its ENV. Differences from the real ones: the real 10.0 tags are Ubuntu 24.04
# (noble), the runtime and SDK versions are this machine's, and the SDK stand-in trusts this machine's extra CA
# certificates (/usr/local/share/ca-certificates: an egress proxy in front of NuGet), which the restore stage needs here.
# Nothing is downloaded but Debian packages; nothing is pushed. docs/deployment.md says what was verified with them.
#
# Usage (root, Debian/Ubuntu host with debootstrap and a running Docker engine):
#   tests/DefenderMcp.E2E/Container/build-standin-base-images.sh [WORK_DIR]     # default /tmp/defender-mcp-standin
set -euo pipefail

work="${1:-/tmp/defender-mcp-standin}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime_version="$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -n 1)"
aspnet_version="$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -n 1)"
sdk_version="$(ls "$dotnet_root/sdk" | sort -V | tail -n 1)"
mkdir -p "$work"

# 1. The OS layer: Debian bookworm minbase with the libraries .NET needs (the real runtime-deps image's list).
if [ ! -x "$work/rootfs/bin/bash" ]; then
  debootstrap --variant=minbase \
    --include=ca-certificates,libicu72,libssl3,tzdata,zlib1g,libstdc++6,libgcc-s1 \
    bookworm "$work/rootfs" "$mirror"
  rm -rf "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/cache/apt/archives/"*.deb
  : > "$work/rootfs/etc/resolv.conf"
fi
tar -C "$work/rootfs" -c . | docker import - defender-mcp-standin/runtime-deps:bookworm

# 2. aspnet:10.0 = runtime-deps + the .NET and ASP.NET Core runtimes.
ctx="$work/aspnet"
rm -rf "$ctx" && mkdir -p "$ctx/dotnet/shared"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$ctx/dotnet/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$ctx/dotnet/shared/"
cat > "$ctx/Dockerfile" <<EOF
FROM defender-mcp-standin/runtime-deps:bookworm
ENV APP_UID=1654 \\
    ASPNETCORE_HTTP_PORTS=8080 \\
    DOTNET_RUNNING_IN_CONTAINER=true \\
    DOTNET_VERSION=$runtime_version \\
    ASPNET_VERSION=$aspnet_version
RUN groupadd --gid=\$APP_UID app && useradd --no-log-init --uid=\$APP_UID --gid=\$APP_UID --create-home app
COPY dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
LABEL org.opencontainers.image.description="LOCAL STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0 (Debian bookworm + this host's .NET), not Microsoft's image"
EOF
docker build -q -t mcr.microsoft.com/dotnet/aspnet:10.0 "$ctx"

# 3. sdk:10.0 = aspnet + the SDK (and this machine's extra CAs, so the restore reaches NuGet through its proxy).
ctx="$work/sdk"
rm -rf "$ctx" && mkdir -p "$ctx/dotnet" "$ctx/ca"
cp -a "$dotnet_root/sdk" "$dotnet_root/packs" "$dotnet_root/sdk-manifests" "$dotnet_root/templates" "$ctx/dotnet/"
cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
cat > "$ctx/Dockerfile" <<EOF
FROM mcr.microsoft.com/dotnet/aspnet:10.0
ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false \\
    DOTNET_NOLOGO=true \\
    DOTNET_SDK_VERSION=$sdk_version \\
    DOTNET_USE_POLLING_FILE_WATCHER=true \\
    NUGET_XMLDOC_MODE=skip
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
COPY dotnet /usr/share/dotnet
RUN dotnet --info > /dev/null
LABEL org.opencontainers.image.description="LOCAL STAND-IN for mcr.microsoft.com/dotnet/sdk:10.0 (Debian bookworm + this host's .NET SDK), not Microsoft's image"
EOF
docker build -q -t mcr.microsoft.com/dotnet/sdk:10.0 "$ctx"

docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(mcr.microsoft.com/dotnet|defender-mcp-standin)'
