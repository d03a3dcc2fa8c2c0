#!/usr/bin/env bash
# Install the Debian packages a64sim needs, only those that are missing.
# As root: apt-get installs them. Otherwise: print the exact command and stop.
#
#   scripts/deps.sh           build + test dependencies (what make run/check need)
#   scripts/deps.sh --check   only report what is missing; exit 1 if anything is
set -eu

# Needed to build and to run `make check` (gdb-multiarch: the gdb stub's tests).
required="make gcc pkg-config python3 libelf-dev libcapstone-dev check libfdt-dev
          gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross gdb-multiarch"
# Oracles and tools the test suite and `make bench` use when present. They are
# installed too, so that CI compares against QEMU rather than skipping.
# clang: libFuzzer for `make fuzz` (which falls back to a plain mutation driver without it).
# parallel: GNU parallel, the engine the explorer's sharding is tested with (docs/explore.md).
oracles="qemu-system-arm qemu-user device-tree-compiler valgrind clang parallel"

missing=""
for p in $required $oracles; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

if [ "${1:-}" = "--check" ]; then
  echo "deps.sh: missing Debian packages:$missing" >&2
  exit 1
fi

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: these Debian packages are missing:$missing" >&2
  echo "deps.sh: run as root:  apt-get update && $cmd" >&2
  exit 1
fi

echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
