#!/usr/bin/env bash
# Installs the servers and tools the tests start on loopback (idempotent): Debian's rclone for
# `rclone serve webdav`, and Debian's age (`age`, `age-keygen`) that the encryption tests check
# our files against. S3Proxy needs nothing here: Maven copies its jar to target/test-peers.
# Needs root (or sudo) on a fresh machine.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v rclone >/dev/null 2>&1; then
  echo "test-peers: installing Debian's rclone (WebDAV test server)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq rclone >/dev/null
fi
echo "test-peers: $(rclone version | head -1)"
if ! command -v age >/dev/null 2>&1 || ! command -v age-keygen >/dev/null 2>&1; then
  echo "test-peers: installing Debian's age (encryption tests)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq age >/dev/null
fi
echo "test-peers: age $(age --version)"
