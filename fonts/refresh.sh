#!/usr/bin/env bash
# Re-fetch the vendored fonts from their registry packages (see README.md).
# Needs: npm, apt-get (Debian), sha256sum. Versions are pinned; bump them here
# and in README.md together, then re-run `python3 check.py` and update SHA256SUMS.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

EBG=@expo-google-fonts/eb-garamond@0.4.3
SANS=@expo-google-fonts/source-sans-3@0.4.1
EMOJI=@expo-google-fonts/noto-emoji@0.4.7
JBM_LICENCE=@expo-google-fonts/jetbrains-mono@0.4.1   # only its OFL text is used
DEJAVU=dejavu-fonts-ttf@2.37.3
JBM_DEB=fonts-jetbrains-mono=2.242+ds-3               # Debian 12 (bookworm)

cd "$WORK"
unpack() { # npm-spec dir
  local tgz
  tgz="$(npm pack --silent "$1" | tail -n1)"
  mkdir -p "$2" && tar xzf "$tgz" -C "$2"
}
unpack "$EBG" ebg
unpack "$SANS" sans
unpack "$EMOJI" emoji
unpack "$JBM_LICENCE" jbmlic
unpack "$DEJAVU" dejavu
apt-get download "$JBM_DEB" >/dev/null
mkdir -p jbm && dpkg-deb -x fonts-jetbrains-mono_*.deb jbm

P=package
install -D -m644 ebg/$P/400Regular/EBGaramond_400Regular.ttf             "$HERE/eb-garamond/EBGaramond-Regular.ttf"
install -D -m644 ebg/$P/400Regular_Italic/EBGaramond_400Regular_Italic.ttf "$HERE/eb-garamond/EBGaramond-Italic.ttf"
install -D -m644 ebg/$P/700Bold/EBGaramond_700Bold.ttf                   "$HERE/eb-garamond/EBGaramond-Bold.ttf"
install -D -m644 ebg/$P/700Bold_Italic/EBGaramond_700Bold_Italic.ttf     "$HERE/eb-garamond/EBGaramond-BoldItalic.ttf"
install -D -m644 ebg/$P/LICENSE_FONT                                     "$HERE/eb-garamond/OFL.txt"

install -D -m644 sans/$P/400Regular/SourceSans3_400Regular.ttf           "$HERE/source-sans-3/SourceSans3-Regular.ttf"
install -D -m644 sans/$P/700Bold/SourceSans3_700Bold.ttf                 "$HERE/source-sans-3/SourceSans3-Bold.ttf"
install -D -m644 sans/$P/LICENSE_FONT                                    "$HERE/source-sans-3/OFL.txt"

JD=jbm/usr/share/fonts/truetype/jetbrains-mono
install -D -m644 $JD/JetBrainsMono-Regular.ttf                           "$HERE/jetbrains-mono/JetBrainsMono-Regular.ttf"
install -D -m644 $JD/JetBrainsMono-Bold.ttf                              "$HERE/jetbrains-mono/JetBrainsMono-Bold.ttf"
install -D -m644 jbmlic/$P/LICENSE_FONT                                  "$HERE/jetbrains-mono/OFL.txt"
install -D -m644 jbm/usr/share/doc/fonts-jetbrains-mono/copyright        "$HERE/jetbrains-mono/debian-copyright.txt"
install -D -m644 /usr/share/common-licenses/Apache-2.0                   "$HERE/jetbrains-mono/LICENSE-Apache-2.0.txt"

install -D -m644 dejavu/$P/ttf/DejaVuSans.ttf                            "$HERE/dejavu/DejaVuSans.ttf"
install -D -m644 dejavu/$P/LICENSE                                       "$HERE/dejavu/LICENSE.txt"

install -D -m644 emoji/$P/400Regular/NotoEmoji_400Regular.ttf            "$HERE/noto-emoji/NotoEmoji-Regular.ttf"
install -D -m644 emoji/$P/LICENSE_FONT                                   "$HERE/noto-emoji/OFL.txt"

cd "$HERE"
if [ "${UPDATE_SUMS:-0}" = 1 ]; then
  find . -type f ! -name SHA256SUMS ! -name README.md ! -name refresh.sh ! -name check.py \
    | LC_ALL=C sort | xargs sha256sum > SHA256SUMS
fi
sha256sum --quiet -c SHA256SUMS && echo "fonts: checksums OK"
