#!/usr/bin/env bash
# End-to-end test of the notes-ls VS Code extension in a real VS Code (code-server's web build)
# driven by Debian's chromium (playwright-core; no browser download).
#
#   bash editors/vscode/test/e2e/run.sh VSIX NOTES_LS_BIN
#
#   VSIX          the packaged extension (editors/vscode/notes-ls.vsix, from `npm run package`)
#   NOTES_LS_BIN  the server binary (set as notesLs.server.path in the user settings)
#
# Installs code-server/chromium/playwright-core first if missing (install.sh; cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/notes-ls-ci). Screenshots and logs go to target/vscode-e2e/.
# Env: NOTES_LS_E2E_TIMEOUT_MS (default 20000) per wait; NOTES_LS_E2E_KEEP=1 keeps the scratch dir;
#      NOTES_LS_E2E_ARTIFACTS overrides the screenshot dir.
# Prints "vscode e2e: N passed, M failed"; exits non-zero on any failure.
set -euo pipefail

[ $# -eq 2 ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
VSIX=$1
SERVER=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -s "$VSIX" ] || { echo "run.sh: no vsix at $VSIX (cd editors/vscode && npm ci && npm run package)" >&2; exit 1; }
[ -x "$SERVER" ] || { echo "run.sh: notes-ls binary not executable: $SERVER" >&2; exit 1; }

# shellcheck source=install.sh
source "$HERE/install.sh"
if [ ! -f "$CODE_SERVER_DIR/.notes-ls-complete" ] || [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -x /usr/bin/chromium ]; then
  install_vscode_e2e
fi

echo "code-server: $CODE_SERVER_BIN"
echo "chromium:    $(/usr/bin/chromium --version 2>/dev/null)"
echo "notes-ls:    $SERVER ($(timeout 10 "$SERVER" --version </dev/null 2>/dev/null | head -n1 || true))"
echo "vsix:        $VSIX"
exec node "$HERE/run.mjs" --code-server "$CODE_SERVER_BIN" --vsix "$VSIX" --server "$SERVER"
