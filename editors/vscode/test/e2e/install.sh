#!/usr/bin/env bash
# Installs what the VS Code (code-server) end-to-end test needs, idempotently:
#   - Debian packages: chromium, ripgrep, and the headers/toolchain to build code-server's
#     native node modules (apt-get, as root or through sudo)
#   - code-server 4.96.4 from npm (installed with --ignore-scripts, its postinstall redone by hand
#     because the published shrinkwrap points @vscode/proxy-agent at a GitHub URL, which a closed
#     network can't reach) into ${XDG_CACHE_HOME:-$HOME/.cache}/notes-ls-ci/code-server-4.96.4
#   - the test's own npm deps (playwright-core, no browser download) into test/e2e/node_modules
#
#   bash editors/vscode/test/e2e/install.sh            # prints the code-server path on the last line
#   source editors/vscode/test/e2e/install.sh && install_vscode_e2e   # (what editors/ci.sh does)
#
# A finished install is marked with .notes-ls-complete; anything without the marker is wiped and
# redone. Env: NOTES_LS_E2E_CODE_SERVER_DIR overrides the install dir.

CODE_SERVER_VERSION=4.96.4
VSCODE_E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CODE_SERVER_DIR=${NOTES_LS_E2E_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/notes-ls-ci/code-server-$CODE_SERVER_VERSION}
# The code-server launcher (a node script); run it with `node`.
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js"

_e2e_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

_e2e_apt_packages() {
  local pkgs=(chromium ripgrep libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev
    build-essential python3 pkg-config)
  local missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "apt-get install ${missing[*]}"
    _e2e_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _e2e_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# node-gyp builds against the running node's headers (NodeSource's nodejs ships them in
# /usr/include/node); otherwise node-gyp would try to download them.
_e2e_nodedir_env() {
  if [ -f /usr/include/node/node.h ] && [ "$(command -v node)" = /usr/bin/node ]; then
    echo "npm_config_nodedir=/usr"
  else
    echo "npm_config_nodedir=$(dirname "$(dirname "$(command -v node)")")"
  fi
}

_e2e_install_code_server() {
  if [ -f "$CODE_SERVER_DIR/.notes-ls-complete" ] && [ -f "$CODE_SERVER_BIN" ]; then
    echo "code-server $CODE_SERVER_VERSION: cached in $CODE_SERVER_DIR"
    return 0
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" = 20 ] || { echo "code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version)"; return 1; }
  echo "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  local nodedir npmq=(--no-audit --no-fund --loglevel=error)
  nodedir=$(_e2e_nodedir_env)
  (
    set -euo pipefail
    export "${nodedir?}"
    cd "$CODE_SERVER_DIR"
    echo '{"name":"notes-ls-ci-code-server","private":true}' >package.json
    npm install "${npmq[@]}" --ignore-scripts "code-server@$CODE_SERVER_VERSION"
    # argon2 (password hashing) is native; rebuild it against this node.
    npm rebuild "${npmq[@]}" argon2

    cd node_modules/code-server/lib/vscode
    # Use @vscode/proxy-agent 0.27.0 from npm instead of the shrinkwrap's GitHub URL
    # (same version; the integrity in the shrinkwrap is the npm tarball's).
    node -e '
      const fs = require("fs");
      const f = "npm-shrinkwrap.json";
      const j = JSON.parse(fs.readFileSync(f, "utf8"));
      const e = j.packages["node_modules/@vscode/proxy-agent"];
      if (e && String(e.resolved).startsWith("git")) delete e.resolved;
      fs.writeFileSync(f, JSON.stringify(j, null, 2));
    '
    npm install "${npmq[@]}" --omit=dev --ignore-scripts
    # Build the native modules (the Windows-only ones are skipped; @vscode/ripgrep's install
    # script would download rg from GitHub, so Debian's rg is linked in below instead).
    npm rebuild "${npmq[@]}" kerberos @parcel/watcher @vscode/spdlog @vscode/deviceid \
      native-watchdog node-pty
    # What code-server's postinstall.sh does, plus Debian's ripgrep in place of the
    # @vscode/ripgrep download.
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sfn "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    rm -rf node_modules.asar
    ln -s node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)

    cd extensions
    npm install "${npmq[@]}" --omit=dev --ignore-scripts
    npm rebuild "${npmq[@]}"
  )
  # (--config: keep code-server from writing ~/.config/code-server/config.yaml)
  printf 'auth: none\ncert: false\n' >"$CODE_SERVER_DIR/config.yaml"
  node "$CODE_SERVER_BIN" --config "$CODE_SERVER_DIR/config.yaml" --version
  touch "$CODE_SERVER_DIR/.notes-ls-complete"
}

_e2e_install_npm_deps() {
  (
    cd "$VSCODE_E2E_DIR"
    if [ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
      echo "test/e2e npm deps: up to date"
    else
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
    fi
  )
}

# install_vscode_e2e: everything above; sets CODE_SERVER_BIN (a node script).
install_vscode_e2e() {
  local t0=$SECONDS
  _e2e_apt_packages
  _e2e_install_code_server
  _e2e_install_npm_deps
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
  echo "vscode e2e install: $((SECONDS - t0)) s"
  echo "$CODE_SERVER_BIN"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  install_vscode_e2e
fi
