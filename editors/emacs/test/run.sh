#!/usr/bin/env bash
# Batch smoke test of notes-ls.el with Eglot:  bash editors/emacs/test/run.sh EMACS_BIN NOTES_LS_BIN
# Needs Eglot (Emacs 29+, or Debian's elpa-eglot on Emacs 28). Prints "emacs smoke: N passed, M failed".
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 EMACS_BIN NOTES_LS_BIN" >&2; exit 2; }
EMACS_BIN=$1
SERVER=$(cd "$(dirname "$2")" && echo "$(pwd)/$(basename "$2")")
[ -x "$SERVER" ] || { echo "run.sh: notes-ls binary not executable: $SERVER" >&2; exit 1; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/notes-ls-emacs.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/ws/.git"
cp "$HERE/../../nvim/test/fixture.notes" "$SCRATCH/ws/fixture.notes"
export NOTES_LS_BIN="$SERVER" NOTES_LS_FIXTURE="$SCRATCH/ws/fixture.notes" HOME="$SCRATCH"
# No -Q: Debian's site-start puts elpa packages (elpa-eglot) on the load-path.
cd "$SCRATCH/ws"
timeout 60 "$EMACS_BIN" --batch --no-init-file -L "$HERE/.." -l "$HERE/smoke.el"
