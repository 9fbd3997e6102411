#!/usr/bin/env bash
# Installs code-server (a real VS Code with a Node extension host) into .vscode-test/ for the
# integration tests. @vscode/test-electron cannot download VS Code without internet; this can.
# Idempotent: a finished install is marked by a stamp file and reused.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}" # newest release that declares Node 20
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.vscode-test/code-server-$VERSION"
STAMP="$DEST/.installed"

if [[ -f "$STAMP" ]]; then
  echo "code-server $VERSION already installed in $DEST"
  exit 0
fi

command -v rg >/dev/null || { echo "ripgrep (Debian package 'ripgrep') is required" >&2; exit 1; }

rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
echo '{"name":"code-server-host","private":true}' > package.json

export npm_config_unsafe_perm=true # code-server refuses to install as root otherwise
export npm_config_yes=true         # node-pty's build runs `npx node-gyp`, which would prompt
export npm_config_audit=false npm_config_fund=false

echo "installing code-server@$VERSION (scripts off) ..."
npm install --no-save --ignore-scripts "code-server@$VERSION" >/dev/null

VSCODE_DIR="$DEST/node_modules/code-server/lib/vscode"
cd "$VSCODE_DIR"
echo "installing the bundled VS Code's dependencies ..."
npm install --omit=dev --ignore-scripts >/dev/null
# @vscode/ripgrep downloads rg from GitHub unless bin/ exists; use Debian's.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
echo "building native modules ..."
npm rebuild >/dev/null
echo "installing built-in extensions' dependencies ..."
(cd extensions && npm install --omit=dev >/dev/null)

cd "$DEST/node_modules/code-server"
npm rebuild argon2 --build-from-source >/dev/null

touch "$STAMP"
echo "code-server $VERSION installed in $DEST"
