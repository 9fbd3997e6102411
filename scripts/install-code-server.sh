#!/usr/bin/env bash
# Installs code-server (a real VS Code with a Node extension host) into .vscode-test/ for the
# integration tests. @vscode/test-electron cannot download VS Code without internet; this only needs
# the npm registry (plus Debian's ripgrep, libkrb5-dev, build-essential, python3 for native modules).
#
# Idempotent: a finished install is marked by a stamp file and reused, but only when its native
# modules are really there (npm 11 may skip install scripts silently: "not yet covered by allowScripts").
#
# Env: CODE_SERVER_VERSION (default 4.100.3), CODE_SERVER_DIR (default .vscode-test/code-server-VERSION).
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}" # newest release that declares Node 20
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${CODE_SERVER_DIR:-$ROOT/.vscode-test/code-server-$VERSION}"
STAMP="$DEST/.installed"
LOG="$DEST.install.log"
CS_DIR="$DEST/node_modules/code-server"
VSCODE_DIR="$CS_DIR/lib/vscode"

# Files the server needs at start-up (mostly native modules); without one of them it crashes or half-works.
NATIVE_FILES=(
  "$DEST/node_modules/argon2/lib/binding/napi-v3/argon2.node"
  "$VSCODE_DIR/node_modules/node-pty/build/Release/pty.node"
  "$VSCODE_DIR/node_modules/@vscode/spdlog/build/Release/spdlog.node"
  "$VSCODE_DIR/node_modules/native-watchdog/build/Release/watchdog.node"
  "$VSCODE_DIR/node_modules/kerberos/build/Release/kerberos.node"
  "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"
  "$VSCODE_DIR/node_modules.asar"
)

missing_native() {
  local f missing=0
  for f in "${NATIVE_FILES[@]}"; do
    if [[ ! -e "$f" ]]; then
      echo "missing: ${f#"$DEST/"}" >&2
      missing=1
    fi
  done
  return $((1 - missing)) # success (0) when something is missing
}

if [[ -f "$STAMP" ]] && ! missing_native 2>/dev/null; then
  echo "code-server $VERSION already installed in $DEST"
  exit 0
fi

command -v rg >/dev/null || { echo "ripgrep (Debian package 'ripgrep') is required" >&2; exit 1; }
command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null ||
  { echo "building code-server's native modules needs build-essential and python3" >&2; exit 1; }

export npm_config_unsafe_perm=true # code-server refuses to install as root otherwise
export npm_config_yes=true         # node-pty's build runs `npx node-gyp`, which would prompt (~/.npmrc may say yes=false)
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_foreground_scripts=true # build output goes to the log instead of being swallowed
# node-gyp downloads Node's headers from nodejs.org unless told where they are; distro/NodeSource
# packages ship them under <prefix>/include/node.
NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
if [[ -z "${npm_config_nodedir:-}" && -f "$NODE_PREFIX/include/node/node.h" ]]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi

step() { echo "$*"; echo "=== $*" >>"$LOG"; }
run() {
  if ! "$@" >>"$LOG" 2>&1; then
    echo "failed: $* (in $(pwd)); last lines of $LOG:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

rm -rf "$DEST"
mkdir -p "$DEST"
: >"$LOG"
cd "$DEST"
echo '{"name":"code-server-host","private":true}' >package.json

step "installing code-server@$VERSION (scripts off; its postinstall is replayed below) ..."
run npm install --no-save --ignore-scripts "code-server@$VERSION"

cd "$VSCODE_DIR"
step "installing the bundled VS Code's dependencies ..."
run npm install --omit=dev --ignore-scripts
# @vscode/ripgrep downloads rg from GitHub unless bin/ exists; use Debian's.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
step "building VS Code's native modules (a few minutes) ..."
run npm rebuild
# What code-server's postinstall.sh does besides installing.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)

step "installing built-in extensions' dependencies ..."
(cd extensions && run npm install --omit=dev)

# argon2 is hoisted to $DEST/node_modules: rebuild it from $DEST (from code-server's own folder npm
# does not see it and silently rebuilds nothing).
cd "$DEST"
step "building argon2 ..."
run npm rebuild argon2 --build-from-source

# npm 11 only warns about install scripts "not yet covered by allowScripts" today; if a later npm skips
# them, run the packages' own build scripts explicitly (`npm run` is not subject to allowScripts).
if missing_native; then
  step "some native modules were not built by npm rebuild; building them explicitly ..."
  [[ -e "${NATIVE_FILES[0]}" ]] || (cd "$DEST/node_modules/argon2" && run npm run install -- --build-from-source)
  for pkg in kerberos node-pty @vscode/spdlog native-watchdog; do
    dir="$VSCODE_DIR/node_modules/$pkg"
    [[ -n "$(find "$dir/build/Release" -maxdepth 1 -name '*.node' 2>/dev/null)" ]] && continue
    (cd "$dir" && run npx --yes node-gyp rebuild)
  done
fi
if missing_native; then
  echo "code-server's native modules are still missing; see $LOG" >&2
  exit 1
fi

# Smoke test: the server's entry point loads (argon2 is required at start-up).
(cd "$CS_DIR" && run node -e "require('./out/node/util.js')")

touch "$STAMP"
echo "code-server $VERSION installed in $DEST (log: $LOG)"
