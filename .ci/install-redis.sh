#!/usr/bin/env bash
# Installs Debian's redis-server for the shared-rate-limit tests when it is
# missing. The tests start their own redis-server on a free loopback port
# (test/support/redis.ts), so no Redis service has to run; without
# redis-server they skip with a reason instead of failing.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server already installed: $(redis-server --version)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-redis: redis-server is missing and this user cannot install packages (not root, no sudo); the Redis tests will be skipped" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-redis: no apt-get on this system; install redis-server with the system's package manager, or the Redis tests will be skipped" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y redis-server
echo "installed: $(redis-server --version)"
