#!/usr/bin/env bash
# Put the free Fandol fonts (Song, Hei, Kai, Fang; full GB2312 coverage, simplified glyphs) in
# var/fonts/fandol for the printed circulars. They ship in Debian's texlive-lang-chinese; only the
# .otf files are taken from the package, without installing TeX.
# Usage: scripts/fetch-fonts.sh [TARGET_DIR]
set -euo pipefail

target="${1:-var/fonts/fandol}"
wanted=(FandolFang-Regular.otf FandolHei-Regular.otf FandolKai-Regular.otf FandolSong-Regular.otf FandolSong-Bold.otf)

missing=0
for font in "${wanted[@]}"; do [ -s "$target/$font" ] || missing=1; done
[ "$missing" -eq 0 ] && exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "Fetching the Fandol fonts (Debian package texlive-lang-chinese, ~50 MB download)"
(cd "$work" && apt-get download -qq texlive-lang-chinese 2>/dev/null) || {
  [ "$(id -u)" -eq 0 ] && apt-get update -qq && (cd "$work" && apt-get download -qq texlive-lang-chinese 2>/dev/null)
}
deb="$(ls "$work"/texlive-lang-chinese_*.deb)"
dpkg-deb -x "$deb" "$work/root"
mkdir -p "$target"
for font in "${wanted[@]}"; do
  cp "$work/root/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/$font" "$target/$font"
done
echo "Fonts in $target: ${wanted[*]}"
