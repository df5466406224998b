#!/usr/bin/env python3
"""A client that sends whole texts: opens one large notes file in the real server over stdio,
then sends K `didChange`s that each replace the whole text, as full-sync clients do, and
reports the time from each change to its diagnostics and the server's peak RSS.
Usage: python3 scripts/full-sync.py BIN QUESTIONS K (figures in docs/performance.md)."""
import statistics
import sys
import time

from lsp_stdio import Server

binary, questions, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
text = "".join(f"*What is question {i} about caching 😀?\n-> An answer of some words {i}.\n\n"
               for i in range(questions))
uri = "file:///tmp/full-sync.notes"
s = Server(binary)
s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
s.notify("initialized", {})
s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "notes",
                                                   "version": 1, "text": text}})
s.pump(lambda m: m.get("method") == "textDocument/publishDiagnostics")
times = []
for v in range(2, k + 2):
    text = text.replace("😀?", "😀 ?", 1) if v % 2 == 0 else text.replace("😀 ?", "😀?", 1)
    start = time.perf_counter()
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
                                        "contentChanges": [{"text": text}]})
    s.pump(lambda m: m.get("method") == "textDocument/publishDiagnostics"
           and m["params"].get("version") == v)
    times.append((time.perf_counter() - start) * 1000)
with open(f"/proc/{s.proc.pid}/status") as f:
    hwm = next(line.split()[1] for line in f if line.startswith("VmHWM"))
print(f"{len(text) / 1e6:.1f} MB text, {k} whole-text changes: median "
      f"{statistics.median(times):.0f} ms, max {max(times):.0f} ms; peak RSS {int(hwm) / 1024:.1f} MB")
s.kill()
