#!/usr/bin/env bash
# setup.sh - install the Debian packages daftar needs, then configure and build.
#
# Idempotent: packages already present are not reinstalled, the build dir is
# reused.  Works as root or through sudo.  Environment:
#   DAFTAR_BUILD      build directory (default: build)
#   DAFTAR_SANITIZE   ON to build with AddressSanitizer + UBSan (default OFF)
#   DAFTAR_NO_BUILD   1 to install packages only
set -euo pipefail

cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git
  tesseract-ocr tesseract-ocr-ara tesseract-ocr-script-arab tesseract-ocr-osd
  tesseract-ocr-fas
  libtesseract-dev libleptonica-dev libtiff-dev libtiff-tools libpng-dev libjpeg-dev
  libsqlite3-dev sqlite3 libarchive-dev libarchive-tools
  check libsubunit-dev libmicrohttpd-dev libsodium-dev
  libpango1.0-dev libcairo2-dev
  fonts-noto-core fonts-hosny-amiri fonts-dejavu-core
  curl python3 wrk time
  chromium
)
# The browser end-to-end test (tests/browser) runs playwright-core under
# node.  Debian's nodejs and npm are installed only when no node/npm is on
# the PATH: a node from elsewhere (e.g. NodeSource's nodejs, which bundles
# npm) conflicts with Debian's npm package.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "setup.sh: need root or sudo to install packages" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
else
  echo "setup.sh: all packages present"
fi

# The project's own models (committed, small), trained by
# scripts/train-sorani (ckb) and scripts/train-numbers (daftar_num), go
# beside Debian's Arabic-script model, where Tesseract looks for models.
tessdata=/usr/share/tesseract-ocr/5/tessdata
for m in models/*.traineddata; do
  [ -f "$m" ] && [ -d "$tessdata" ] || continue
  if ! cmp -s "$m" "$tessdata/$(basename "$m")"; then
    $SUDO install -m 644 "$m" "$tessdata/$(basename "$m")"
    echo "setup.sh: installed the model $tessdata/$(basename "$m")"
  fi
done

[ "${DAFTAR_NO_BUILD:-0}" = 1 ] && exit 0

BUILD="${DAFTAR_BUILD:-build}"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDAFTAR_SANITIZE="${DAFTAR_SANITIZE:-OFF}" >/dev/null
cmake --build "$BUILD" -j "$(nproc)"
echo "setup.sh: built $BUILD/cli/daftar"
