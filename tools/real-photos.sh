#!/usr/bin/env bash
# make real-photos: what the shipped models answer for ordinary full-size photographs, none of them from the
# training set. The photos are scikit-image's sample images (public domain or CC0: each one's docstring in
# skimage/data/_fetchers.py says which), taken from Debian's python3-skimage package at a pinned version, so anyone
# with Debian's package registry fetches the same bytes. Each file's SHA-256 is checked before use.
#
#   tools/real-photos.sh JAR
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:?usage: tools/real-photos.sh JAR}
PACKAGE=python3-skimage=0.19.3-8
DATA=usr/lib/python3/dist-packages/skimage/data
# What each photo shows, and its SHA-256 in that package version.
PHOTOS=(
  "chelsea.png cat 596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"
  "coffee.png a-cup-of-coffee cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"
  "astronaut.png a-person 88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
  "camera.png a-person-grey b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a"
  "rocket.jpg a-rocket c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c"
  "motorcycle_left.png a-motorcycle db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179"
  "coins.png coins f8d773fc9cfa6f4d8e5942dc34d0a0788fcaed2a4fefbbed0aef5398d7ef4cba"
  "horse.png a-horse-silhouette c7fb60789fe394c485f842291ea3b21e50d140f39d6dcb5fb9917cc178225455"
  "hubble_deep_field.jpg galaxies 3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4"
  "logo.png a-logo f2c57fe8af089f08b5ba523d95573c26e62904ac5967f4c8851b27d033690168"
)
JAVA=(java --add-modules jdk.incubator.vector)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q "$PACKAGE" >/dev/null 2>&1) \
  || { echo "apt-get download $PACKAGE failed: this needs Debian's package registry" >&2; exit 1; }
dpkg-deb -x "$tmp"/python3-skimage_*.deb "$tmp/x"
files=()
for photo in "${PHOTOS[@]}"; do
  read -r file _ sha <<< "$photo"
  echo "$sha  $tmp/x/$DATA/$file" | sha256sum -c --quiet -
  files+=("$tmp/x/$DATA/$file")
done

predict() { "${JAVA[@]}" -jar "$JAR" predict "$@" 2>/dev/null | awk '{print $1, $2}'; }
mapfile -t features < <(predict "${files[@]}")
mapfile -t pixels < <(predict -m src/main/resources/model/pixels.npz "${files[@]}")
printf '| photo | shows | default model (features) | reference pixel model |\n|---|---|---|---|\n'
for i in "${!PHOTOS[@]}"; do
  read -r file shows _ <<< "${PHOTOS[$i]}"
  printf '| %s | %s | %s | %s |\n' "$file" "${shows//-/ }" "${features[$i]}" "${pixels[$i]}"
done
