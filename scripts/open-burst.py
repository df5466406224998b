#!/usr/bin/env python3
"""A burst of openings: N notes files that share a question opened at once in the real server
over stdio, then the server's CPU time and the diagnostics it published, second by second,
until it is idle. `--no-root` opens them with no workspace folder (the index then learns each
file from its opening, so every opening changes the others' findings).
Usage: python3 scripts/open-burst.py BIN N [--no-root] (figures in docs/performance.md)."""
import os
import shutil
import sys
import threading
import time

from lsp_stdio import Server, shared_question_files

binary, n = sys.argv[1], int(sys.argv[2])
with_root = "--no-root" not in sys.argv
root, texts = shared_question_files(n, "open-burst-")
s = Server(binary)
s.request("initialize", {"processId": None, "rootUri": "file://" + root if with_root else None,
                         "capabilities": {"window": {"workDoneProgress": True}}})
s.notify("initialized", {})
if with_root:
    s.pump(lambda m: m.get("method") == "window/logMessage" and "Indexed" in m["params"]["message"])
published = [0]
flagged = set()


def read():
    while True:
        try:
            m = s.read()
        except Exception:
            return
        if m.get("method") == "textDocument/publishDiagnostics":
            published[0] += 1
            p = m["params"]
            if any(d.get("code") == "duplicate-question" for d in p["diagnostics"]):
                flagged.add(p["uri"])


threading.Thread(target=read, daemon=True).start()


def cpu():
    f = open(f"/proc/{s.proc.pid}/stat").read().split()
    return (int(f[13]) + int(f[14])) / os.sysconf("SC_CLK_TCK")


before = cpu()
start = time.perf_counter()
for u, t in texts.items():
    s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "notes",
                                                       "version": 1, "text": t}})
last = None
while True:
    time.sleep(0.5)
    now = cpu()
    if now == last and len(flagged) == n:
        break
    last = now
print(f"{n} openings ({'with' if with_root else 'no'} workspace folder): "
      f"{last - before:.2f} s of server CPU, {published[0]} messages, "
      f"all {len(flagged)} flagged after at most {time.perf_counter() - start - 0.5:.1f} s")
s.kill()
shutil.rmtree(root)
