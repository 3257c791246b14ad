#!/usr/bin/env bash
# The shape of the code for a closing note: the largest source files and which package imports which
# (main code only; an arrow means "imports from"). Run from the repository root: make packages
set -euo pipefail
root=src/main/java/com/catvsnoncat
echo "## Largest files under src/main/java (lines)"
find src/main/java -name '*.java' -print0 | xargs -0 wc -l | grep -v ' total$' | sort -rn | awk -v top="${TOP:-15}" 'NR <= top'
echo
echo "## Package dependencies (package -> packages it imports)"
for dir in "$root"/*/; do
  pkg=$(basename "$dir")
  deps=$(grep -ho '^import \(static \)\?com\.catvsnoncat\.[a-z0-9]*\.' "$dir"*.java 2>/dev/null \
    | sed -E 's/^import (static )?com\.catvsnoncat\.([a-z0-9]*)\./\2/' | grep -vx "$pkg" | sort -u | tr "\n" " " || true)
  printf '%-11s -> %s\n' "$pkg" "${deps:-(none)}"
done
