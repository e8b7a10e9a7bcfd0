#!/bin/bash
# The stand-in redis image's entrypoint: as the official image does, reachable from other
# containers without a config file.
if [ "${1:-}" = redis-server ]; then set -- "$@" --protected-mode no; fi
exec "$@"
