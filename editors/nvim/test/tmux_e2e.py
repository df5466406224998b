"""Neovim as a person uses it: a real terminal (tmux), the user's init.lua taken from the README.

    python tmux_e2e.py NVIM_BIN NOTES_LS_BIN

The notes folder holds `interview.txt` (a .txt file: detected by content) and no `.git`, so the
workspace must fall back to the file's own folder. `notes-ls` is found on PATH, as after
`cargo install`. Neovim runs in a tmux pane; what the person sees is read from the screen
(`tmux capture-pane`) and keys are typed with `tmux send-keys`. pynvim, attached to the same
Neovim through --listen, reads state the screen cannot show exactly (the text of a line, the
cursor). Prints `nvim tmux e2e: N passed, M failed`; exits non-zero on any failure. Screens of
each step are saved under $NOTES_LS_ARTIFACTS (default target/nvim-e2e).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pynvim

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SESSION = "notes-ls-e2e"
results = {"passed": 0, "failed": 0}


def log(msg):
    print(msg, flush=True)


def check(name, cond, detail=""):
    if cond:
        results["passed"] += 1
        log(f"  ok   {name}")
    else:
        results["failed"] += 1
        log(f"  FAIL {name}" + (f": {detail}" if detail else ""))
    return cond


def tmux(*args, check_rc=True):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check_rc)


def screen():
    return tmux("capture-pane", "-p", "-t", SESSION).stdout


def keys(*k):
    tmux("send-keys", "-t", SESSION, *k)


def wait_for(pred, timeout=10.0, step=0.1):
    deadline = time.time() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.time() > deadline:
            return value
        time.sleep(step)


def readme_setup(plugin):
    """The README's Neovim block, with the path to this checkout filled in."""
    text = (REPO / "README.md").read_text()
    m = re.search(r"<!-- neovim-setup.*?-->\s*```lua\n(.*?)```", text, re.S)
    if not m:
        raise SystemExit("README.md has no neovim-setup block")
    return m.group(1).replace("/path/to/notes-ls/editors/nvim", str(plugin))


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    nvim_bin = Path(sys.argv[1]).resolve()
    server = Path(sys.argv[2]).resolve()
    artifacts = Path(os.environ.get("NOTES_LS_ARTIFACTS", REPO / "target" / "nvim-e2e"))
    version = subprocess.run([nvim_bin, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    tag = re.sub(r"[^0-9.]", "", version.split()[-1]) or "nvim"
    artifacts.mkdir(parents=True, exist_ok=True)
    log(f"nvim tmux e2e: {version}, server {server}")

    scratch = Path(tempfile.mkdtemp(prefix="notes-ls-tmux-"))
    home = scratch / "home"
    notes = home / "notes"
    bin_dir = scratch / "bin"
    for d in (notes, bin_dir, home / ".config" / "nvim"):
        d.mkdir(parents=True)
    shutil.copy(HERE / "interview.txt", notes / "interview.txt")
    # A file nobody opens, with an unanswered question: :NotesUnanswered covers the workspace.
    (notes / "other.notes").write_text("*What is a race condition?\n->\n")
    (bin_dir / "notes-ls").symlink_to(server)
    (home / ".config" / "nvim" / "init.lua").write_text(readme_setup(REPO / "editors" / "nvim"))
    sock = scratch / "nvim.sock"

    def shot(name):
        (artifacts / f"{tag}-{name}.txt").write_text(screen())

    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "TERM": "xterm-256color",
        # The server's log lands in Neovim's lsp.log (NOTES_LS_E2E_KEEP=1 keeps it).
        "NOTES_LS_LOG": os.environ.get("NOTES_LS_LOG", "warn"),
    }
    env_args = [f"{k}={v}" for k, v in env.items()]
    tmux("kill-session", "-t", SESSION, check_rc=False)
    tmux("new-session", "-d", "-s", SESSION, "-x", "140", "-y", "40", "-c", str(notes),
         "env", *env_args, str(nvim_bin), "--listen", str(sock), "interview.txt")
    try:
        run(notes, sock, shot)
    finally:
        shot("last")
        tmux("kill-session", "-t", SESSION, check_rc=False)
        if os.environ.get("NOTES_LS_E2E_KEEP") != "1":
            shutil.rmtree(scratch, ignore_errors=True)
    log(f"nvim tmux e2e: {results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


def run(notes, sock, shot):
    if not check("nvim is listening", wait_for(sock.exists, 10), str(sock)):
        log(screen())
        return
    nvim = pynvim.attach("socket", path=str(sock))
    lua = nvim.exec_lua

    check("interview.txt is detected as notes by its content", nvim.current.buffer.options["filetype"] == "notes",
          nvim.current.buffer.options["filetype"])
    root = wait_for(lambda: lua("""
        local c = require('notes_ls').clients(0)[1]
        return c and c.initialized ~= false and c.config.root_dir or nil""") or None, 10)
    check("the workspace is the file's folder (absolute)", root == str(notes), repr(root))

    lines = nvim.current.buffer[:]
    def line_of(prefix):
        return next(i for i, l in enumerate(lines) if l.startswith(prefix))

    # Diagnostics arrive; the unmarked, unanswered last question shows a warning sign.
    unanswered = line_of("what does DEBUG")
    def diags():
        return lua("return vim.tbl_map(function(d) return {d.lnum, d.severity, d.code or ''} end, vim.diagnostic.get(0))")
    wait_for(lambda: any(d[0] == unanswered for d in diags()), 15)
    shot("diagnostics")
    row = next((r for r in screen().splitlines() if "what does DEBUG = True" in r), "")
    check("the warning sign (W) is shown on the unanswered question", row.startswith("W"), repr(row))
    codes = [d for d in diags() if d[0] == unanswered]
    check("one finding on that line, a warning", len(codes) == 1 and codes[0][1] == 2, repr(codes))

    # K: hover on a known term.
    nginx = line_of("Gunicorn: the WSGI")
    nvim.current.window.cursor = (nginx + 1, lines[nginx].index("Nginx"))
    keys("K")
    hover = wait_for(lambda: "reverse proxy" in screen(), 10)
    shot("hover")
    check("K shows the definition of Nginx", hover, screen())
    keys("Escape")
    nvim.command("silent! lua for _, w in ipairs(vim.api.nvim_list_wins()) do "
                 "if vim.api.nvim_win_get_config(w).relative ~= '' then vim.api.nvim_win_close(w, true) end end")

    # gd: from a mention to where the notes define the term.
    mention = line_of("Each Gunicorn worker")
    nvim.current.window.cursor = (mention + 1, lines[mention].index("Gunicorn") + 2)
    keys("g", "d")
    moved = wait_for(lambda: nvim.current.window.cursor[0] == nginx + 1, 10)
    check("gd jumps to the notes' definition of Gunicorn", moved, repr(nvim.current.window.cursor))

    # Completion of a multi-word term leaves the right text.
    limits = line_of("*Which limits")
    nvim.current.window.cursor = (limits + 2, 0)
    keys("o")
    keys("-l", "we use rate lim")
    keys("C-x", "C-o")
    popup = wait_for(lambda: "rate limiting" in screen(), 10)
    shot("completion")
    check("<C-x><C-o> offers rate limiting", popup, screen())
    keys("C-y")
    keys("Escape")
    typed = wait_for(lambda: nvim.current.line if nvim.api.get_mode()["mode"] == "n" else None, 5)
    check("the completed line reads 'we use rate limiting'", typed == "we use rate limiting", repr(typed))

    # Add to glossary, save: the misspelling goes.
    lines = nvim.current.buffer[:]
    miss = next(i for i, l in enumerate(lines) if "gunicon" in l)
    def misspelled():
        return any(d[0] == miss and d[2] == "misspelled-term" for d in diags())
    check("gunicon is flagged", wait_for(misspelled, 20), repr(diags()))
    nvim.current.window.cursor = (miss + 1, lines[miss].index("gunicon"))
    keys("\\", "c", "a")
    menu = wait_for(lambda: re.search(r"(\d+)[:.] .*glossary", screen()), 10)
    shot("code-action")
    if check("<leader>ca offers adding the word to the glossary", menu, screen()):
        keys(menu.group(1), "Enter")
        time.sleep(0.5)
        nvim.command("silent! wall")
        # The server looks at its glossary once a second; a loaded CI machine needs more.
        gone = wait_for(lambda: not misspelled(), 30)
        shot("after-glossary")
        check("after :wall the misspelling is no longer flagged", gone, repr(diags()))
        glossary = notes / "glossary.toml"
        check("glossary.toml holds the word", glossary.exists() and "gunicon" in glossary.read_text(),
              glossary.read_text() if glossary.exists() else "missing")

    # :NotesUnanswered covers the folder (files nobody opened too) and says so.
    def listed():
        nvim.command("silent! NotesUnanswered")
        return lua("""return vim.tbl_map(function(i) return vim.fn.fnamemodify(vim.fn.bufname(i.bufnr), ':t') end,
                      vim.fn.getqflist())""")
    files = wait_for(lambda: "other.notes" in listed() and listed(), 10)
    check(":NotesUnanswered lists the unopened other.notes too", files and "other.notes" in files, repr(files))
    title = lua("return vim.fn.getqflist({ title = 1 }).title")
    check(":NotesUnanswered is titled for the workspace", "workspace" in title, title)


if __name__ == "__main__":
    main()
