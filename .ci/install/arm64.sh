#!/usr/bin/env bash
# arm64 area (tests/test_arm64.py): arm64 ELF binaries run on an x86_64 machine through qemu-user and the
# kernel's binfmt_misc, as Docker Desktop and buildah run arm64 images there. Idempotent; Debian packages.
# Proven at the end by running a tiny arm64 program that exits with status 42.
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

binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/register" ]; then
  mount -t binfmt_misc binfmt_misc "$binfmt"
fi
# qemu-user-static's entry has the F flag: the interpreter is opened now, so it also serves chroots.
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  update-binfmts --import qemu-aarch64 >/dev/null 2>&1 || true
fi
update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
if ! grep -qx enabled "$binfmt/qemu-aarch64" 2>/dev/null; then
  echo "arm64.sh: qemu-aarch64 is not enabled in $binfmt: $(update-binfmts --display qemu-aarch64 2>&1 | head -n 1)" >&2
  exit 1
fi

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
status=0
"$probe" || status=$?
if [ "$status" != 42 ]; then
  echo "arm64.sh: an arm64 program did not run (exit status $status, 42 expected)" >&2
  exit 1
fi
echo "arm64.sh: arm64 programs run here ($(qemu-aarch64-static --version | head -n 1))"
