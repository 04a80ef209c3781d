#!/usr/bin/env bash
# Fetch axe-core, the accessibility checker the browser tests inject into every page, from the
# npm registry into test-assets/axe-core/ (git-ignored), unless that version is there already.
# scripts/test.sh calls this; the tests themselves never reach the network.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="4.14.1"
DEST=test-assets/axe-core
if [ -f "$DEST/axe.min.js" ] && grep -q "\"version\": \"$VERSION\"" "$DEST/package.json" 2>/dev/null; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$VERSION" >/dev/null && tar xzf "axe-core-$VERSION.tgz")
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$work/package/axe.min.js" "$work/package/package.json" "$work/package/LICENSE" "$DEST/"
echo "axe-core $VERSION in $DEST"
