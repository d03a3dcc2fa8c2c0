#!/usr/bin/env bash
# Build a small arm64 Linux 6.1 kernel with pseudo-NMIs (CONFIG_ARM64_PSEUDO_NMI) from Debian's
# linux-source-6.1 (apt-get download, from Debian's archive, nothing else): `make allnoconfig`
# plus tests/linux/nmi.config, cross-compiled with aarch64-linux-gnu-gcc. Cached under
# $BUILD/linux-nmi: a second call does nothing, unless the fragment changed (then the kernel
# is rebuilt, incrementally). As root, the host packages the build needs are installed first.
#
#   BUILD=build scripts/build-linux-nmi.sh      -> build/linux-nmi/Image
#
# Boot it with pseudo-NMIs on (the initramfs comes from scripts/get-linux.sh):
#   build/a64sim boot --kernel build/linux-nmi/Image --initrd build/linux/initrd.gz \
#     --append "console=ttyAMA0 irqchip.gicv3_pseudo_nmi=1"
set -eu
BUILD=${BUILD:-build}
D=$BUILD/linux-nmi
FRAGMENT=tests/linux/nmi.config
# One build at a time (the tests may run this in parallel with another caller).
mkdir -p "$D"
exec 9>"$D/.lock"
flock 9
[ -s "$D/Image" ] && ! [ "$FRAGMENT" -nt "$D/Image" ] && exit 0
start=$(date +%s)

# The host side of the build. bc: kernel/time/timeconst.h; flex, bison: Kconfig's
# parser; xz-utils: the source tarball. No libssl-dev or libelf-dev: this configuration signs
# no modules and runs no objtool.
host="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu flex bison bc xz-utils"
missing=""
for p in $host; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ] || ! apt-cache show linux-source-6.1 >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-linux-nmi.sh: missing Debian packages:${missing:- none, but apt knows no linux-source-6.1}" >&2
    echo "build-linux-nmi.sh: run as root:  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  [ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing >&2
fi

# The source: the tarball inside linux-source-6.1, unpacked once into $D/src. Downloaded
# rather than installed, so that nothing lands outside $BUILD (installing it would also
# upgrade linux-libc-dev to the same version).
if [ ! -s "$D/src/Makefile" ]; then
  mkdir -p "$D/debs"
  chmod a+rwx "$D/debs" # apt-get download fetches as the _apt user when it can
  rm -f "$D"/debs/linux-source-6.1_*.deb
  (cd "$D/debs" && apt-get download -qq linux-source-6.1)
  deb=$(ls "$D"/debs/linux-source-6.1_*.deb)
  rm -rf "$D/src.new"
  mkdir -p "$D/src.new"
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.1.tar.xz |
    tar -xJ -C "$D/src.new" --strip-components=1
  echo "linux-source-6.1 $(dpkg-deb -f "$deb" Version)" > "$D/src.new/a64sim-version"
  mv "$D/src.new" "$D/src"
  rm -rf "$D/debs"
fi

# Out of tree, in $D/obj. The KBUILD_BUILD_* variables fix the banner's user, host, date and
# build number, so that the same source and fragment give the same Image, hence the same run.
obj=$(realpath -m "$D/obj")
kmake() {
  make -C "$D/src" O="$obj" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
    KBUILD_BUILD_USER=a64sim KBUILD_BUILD_HOST=a64sim KBUILD_BUILD_VERSION=1 \
    KBUILD_BUILD_TIMESTAMP="$(date -u -d @0)" -s "$@"
}
kmake allnoconfig KCONFIG_ALLCONFIG="$(realpath "$FRAGMENT")"
# A line of the fragment whose dependencies are missing is silently dropped by Kconfig.
n=0
while IFS= read -r line; do
  n=$((n + 1))
  case $line in CONFIG_*) ;; *) continue ;; esac
  grep -qxF "$line" "$obj/.config" && continue
  got=$(grep -E "\<${line%%=*}[= ]" "$obj/.config" || echo "absent: a dependency is off, or no such symbol")
  echo "build-linux-nmi.sh: $FRAGMENT:$n: $line did not survive allnoconfig ($got)" >&2
  exit 1
done < "$FRAGMENT"
kmake -j"$(nproc)" Image

cp "$obj/arch/arm64/boot/Image" "$D/Image.new"
cp "$D/src/a64sim-version" "$D/version"
mv "$D/Image.new" "$D/Image"
elapsed=$(($(date +%s) - start))
echo "build-linux-nmi.sh: $D/Image ($(cat "$D/version"), $(($(stat -c %s "$D/Image") / 1024)) KiB)" \
  "in $((elapsed / 60))m$((elapsed % 60))s"
