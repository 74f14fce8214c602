#!/usr/bin/env bash
# arm64 area (tests/test_arm64.py): arm64 ELF binaries run on an x86_64 machine through qemu-user and the
# kernel's binfmt_misc, as Docker Desktop and buildah run arm64 images there. Idempotent; Debian packages.
# Proven by running a tiny arm64 program that exits with status 42.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(uname -m)" = aarch64 ]; then
  echo "arm64.sh: this machine is arm64, nothing to emulate"
  exit 0
fi

packages=(qemu-user-static binfmt-support)
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    apt-get update -qq
    break
  fi
done
.ci/apt-install-missing.sh "${packages[@]}"

# The probe: mov x0, #42; mov x8, #93 (exit); svc #0, in the smallest static ELF that holds it.
probe="$(mktemp)"
trap 'rm -f "$probe"' EXIT
python3 - "$probe" <<'PY'
import struct, sys
code = struct.pack("<3I", 0xD2800540, 0xD2800BA8, 0xD4000001)
base, start = 0x400000, 64 + 56
elf = (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
       + struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, base + start, 64, 0, 0, 64, 56, 1, 0, 0, 0)
       + struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, start + len(code), start + len(code), 0x1000)
       + code)
with open(sys.argv[1], "wb") as out:
    out.write(elf)
PY
chmod 755 "$probe"
arm64_runs() { local status=0; "$probe" 2>/dev/null || status=$?; [ "$status" = 42 ]; }

# A container may see the host's registration without seeing binfmt_misc itself: then nothing is to do.
if ! arm64_runs; then
  binfmt=/proc/sys/fs/binfmt_misc
  if [ ! -e "$binfmt/register" ] && ! mount -t binfmt_misc binfmt_misc "$binfmt"; then
    echo "arm64.sh: binfmt_misc cannot be mounted at $binfmt (an unprivileged container?): register qemu-aarch64 on the host" >&2
    exit 1
  fi
  # qemu-user-static's entry has the F flag: the interpreter is opened now, so it also serves chroots.
  [ -e "$binfmt/qemu-aarch64" ] || update-binfmts --import qemu-aarch64 >/dev/null 2>&1 || true
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  if ! arm64_runs; then
    echo "arm64.sh: an arm64 program does not run even with qemu-aarch64 enabled in $binfmt" >&2
    exit 1
  fi
fi
echo "arm64.sh: arm64 programs run here ($(qemu-aarch64-static --version | head -n 1))"
