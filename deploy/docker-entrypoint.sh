#!/usr/bin/env bash
# Starts the Parley server with JVM flags suited to a container, then hands it the process
# (exec), so that SIGTERM from the runtime reaches the JVM and shuts it down cleanly.
#   JAVA_OPTS      extra JVM flags, appended after the defaults (later flags win)
#   PARLEY_JAR     the runnable jar (default /opt/parley/chat-server.jar)
#   JAVA           the java command (default: $JAVA_HOME/bin/java, else java on PATH)
# Arguments are passed to the server (`--help` lists them); every setting is also an
# environment variable (CHAT_PORT, CHAT_DB_URL, CHAT_REDIS_URL, CHAT_JWT_SECRET, ...).
set -euo pipefail

jar=${PARLEY_JAR:-/opt/parley/chat-server.jar}
if [[ -n "${JAVA:-}" ]]; then
  java_cmd=$JAVA
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_cmd=$JAVA_HOME/bin/java
else
  java_cmd=java
fi

if [[ ! -r "$jar" ]]; then
  echo "docker-entrypoint: no runnable jar at $jar (set PARLEY_JAR)" >&2
  exit 64
fi

# heap from the container's memory limit, not the host's; a JVM out of memory exits and is
# restarted instead of limping; heap grown during a connection ramp goes back to the OS within
# 30 s (a much shorter interval costs a concurrent GC cycle that often on a quiet node)
default_opts=(
  -XX:+UseContainerSupport
  -XX:MaxRAMPercentage=75.0
  -XX:InitialRAMPercentage=25.0
  -XX:+ExitOnOutOfMemoryError
  -XX:MinHeapFreeRatio=10
  -XX:MaxHeapFreeRatio=30
  -XX:G1PeriodicGCInterval=30000
  -Djava.security.egd=file:/dev/urandom
)
read -r -a extra_opts <<< "${JAVA_OPTS:-}"

exec "$java_cmd" "${default_opts[@]}" "${extra_opts[@]}" -jar "$jar" "$@"
