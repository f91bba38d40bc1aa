#!/usr/bin/env bash
# System packages the project needs beyond PyPI, from Debian's archive:
#   fonts-wqy-zenhei  the free TrueType CJK font embedded in every PDF (GB/T 9704 output)
#   chromium          the browser the Playwright tests drive (never a downloaded build)
#   poppler-utils     pdftoppm, to look at generated PDFs as images
#   fonts-arphic-uming a second TrueType CJK font, for the test that GUIFAN_CJK_FONT picks it
# Installs what is missing when run as root; otherwise says what to install.
set -euo pipefail
need=()
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
if [ "${1:-}" = "--with-browser" ]; then
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  [ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || need+=(fonts-arphic-uming)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "缺少系统软件包 (missing system packages): ${need[*]}" >&2
  echo "请执行 (please run): sudo apt-get install ${need[*]}" >&2
  exit 1
fi
