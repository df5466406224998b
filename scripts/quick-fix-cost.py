#!/usr/bin/env python3
"""A quick fix over a long line of misspellings, with a glossary of W words: the real server
over stdio. Usage: python3 scripts/quick-fix-cost.py BIN N W (figures in
docs/performance.md)."""
import os
import shutil
import statistics
import sys
import tempfile

from lsp_stdio import Server

binary, n, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
root = tempfile.mkdtemp(prefix="qfix-")
with open(os.path.join(root, "glossary.toml"), "w") as f:
    f.write("words = [\n" + "".join(f'    "word{i}",\n' for i in range(w)) + "]\n")
typos = ["gunicon", "redus", "postgress", "kubernets", "uvicron"]
line = "*" + " ".join(typos[i % len(typos)] for i in range(n)) + "?"
text = line + "\n-> An answer.\n"
path = os.path.join(root, "q.notes")
with open(path, "w") as f:
    f.write(text)
u = "file://" + path
s = Server(binary)
caps = {"workspace": {"workspaceEdit": {"resourceOperations": ["create"]}}}
s.request("initialize", {"processId": None, "rootUri": "file://" + root, "capabilities": caps})
s.notify("initialized", {})
s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "notes",
                                                   "version": 1, "text": text}})
s.pump(lambda m: m.get("method") == "textDocument/publishDiagnostics"
       and m["params"]["uri"] == u)
whole = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": len(line)}}
times = []
for _ in range(10):
    m, ms = s.request("textDocument/codeAction", {"textDocument": {"uri": u}, "range": whole,
                                                  "context": {"diagnostics": []}})
    times.append(ms)
adds = sum(1 for a in m["result"] if a["title"].startswith("Add `"))
print(f"{n} misspellings, glossary of {w} words: codeAction median "
      f"{statistics.median(times):.1f} ms, {len(m['result'])} actions, {adds} additions")
s.kill()
shutil.rmtree(root)
