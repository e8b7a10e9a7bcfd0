#!/usr/bin/env bash
# The image's HEALTHCHECK: GET /healthz on this container's own port, with nothing but bash
# (the runtime image has no curl). Healthy (exit 0) only on HTTP 200.
#   CHAT_PORT  the server's port (default 8080)
set -euo pipefail
port=${CHAT_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
[[ "$status" == "HTTP/1.1 200"* ]]
