#!/usr/bin/env bash
# Build the Debian root filesystem every stand-in starts from and commit it as IMAGE.
# Usage: rootfs.sh SUITE IMAGE MACHINE_DIR [ARCH]   (run through buildah-cli.sh's store: CONTAINERPROOF_STORE)
# ARCH is a Debian architecture (amd64, arm64), the machine's own by default. For another one, debootstrap
# unpacks the packages (--foreign) and their second stage runs in the chroot as that architecture's code,
# through qemu-user and binfmt_misc (.ci/install/arm64.sh), as does everything run in the image later.
# MACHINE_DIR holds this machine's extra CA certificates (ca/*.crt): they go in before ca-certificates is
# configured, so apt, pip, npm and the JDK trust the same registries the host does. Nothing of it is committed.
set -euo pipefail
suite="${1:?usage: rootfs.sh SUITE IMAGE MACHINE_DIR}"
image="${2:?usage: rootfs.sh SUITE IMAGE MACHINE_DIR}"
machine="${3:?usage: rootfs.sh SUITE IMAGE MACHINE_DIR}"
native="$(dpkg --print-architecture)"
arch="${4:-$native}"
cli="$(dirname "$0")/buildah-cli.sh"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

work="$(mktemp -d)"
container=""
cleanup() {
  if [ -n "$container" ]; then "$cli" rm "$container" >/dev/null 2>&1 || true; fi
  # A second stage that failed may leave /proc, /sys... of the chroot mounted: never delete through them.
  awk -v root="$work/rootfs/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r \
    | while read -r mount; do umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# A suite newer than this debootstrap (e.g. forky) is bootstrapped like sid.
script="/usr/share/debootstrap/scripts/$suite"
[ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
if [ "$arch" = "$native" ]; then
  debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" "$script" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
else
  debootstrap --arch="$arch" --foreign --variant=minbase "$suite" "$work/rootfs" "$mirror" "$script" \
    >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  chroot "$work/rootfs" /debootstrap/debootstrap --second-stage >>"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" "$work/rootfs/debootstrap/debootstrap.log" >&2 2>/dev/null; exit 1; }
  printf 'deb %s %s main\n' "$mirror" "$suite" >"$work/rootfs/etc/apt/sources.list"
fi
mkdir -p "$work/rootfs/usr/local/share/ca-certificates"
cp "$machine"/ca/*.crt "$work/rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
# The machine's own apt settings on the archive's Release dates (its mirror may serve an expired one).
if [ -f "$machine/apt.conf" ]; then cp "$machine/apt.conf" "$work/rootfs/etc/apt/apt.conf.d/99containerproof-machine"; fi
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*

container="$("$cli" from --arch "$arch" scratch)"
"$cli" copy "$container" "$work/rootfs/" / >/dev/null
"$cli" run "$container" -- sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*'
"$cli" config --arch "$arch" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash \
  --label containerproof.standin=true --label "containerproof.debian-suite=$suite" "$container"
"$cli" commit --quiet --rm "$container" "$image" >/dev/null
container=""
echo "rootfs: committed $image (Debian $suite, minbase, $arch)"
