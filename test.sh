#!/usr/bin/env bash
# Runs the whole Zk0 test suite. Installs the system tools the tests drive (ffmpeg, redis-server, and
# chromium for the dashboard's browser test) when they are missing, so a fresh Debian machine with the
# .NET SDK needs nothing else.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]}" >&2
  as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296}
log=$(mktemp -t zk0-test-XXXXXX.log)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Zk0.Aspire.sln --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
if ((status != 0)) && grep -q "^  Failed " "$log"; then
  # The failures scroll far up among thousands of lines; repeat them where a CI log's tail shows them.
  echo
  echo "test.sh: failed tests:"
  grep -A 25 "^  Failed " "$log" | grep -v "^  Passed " | cut -c1-400
fi
exit "$status"
