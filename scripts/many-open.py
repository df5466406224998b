#!/usr/bin/env python3
"""Many open documents: opens N notes files that share a question in the real server over
stdio, then times `workspace/symbol` and a severity change that re-publishes every open
document. Usage: python3 scripts/many-open.py BIN N (figures in docs/performance.md)."""
import shutil
import statistics
import sys
import time

from lsp_stdio import Server, shared_question_files

binary, n = sys.argv[1], int(sys.argv[2])
root, texts = shared_question_files(n, "manyopen-")
s = Server(binary)
s.request("initialize", {"processId": None, "rootUri": "file://" + root,
                         "capabilities": {"window": {"workDoneProgress": True}}})
s.notify("initialized", {})
s.pump(lambda m: m.get("method") == "window/logMessage" and "Indexed" in m["params"]["message"])
for u, t in texts.items():
    s.notify("textDocument/didOpen", {"textDocument": {"uri": u, "languageId": "notes",
                                                       "version": 1, "text": t}})
# The opens' index updates settle first.
time.sleep(8)
times = []
for _ in range(15):
    m, ms = s.request("workspace/symbol", {"query": "shared question"})
    times.append(ms)
print(f"workspace/symbol with {n} open: median {statistics.median(times):.1f} ms, "
      f"hits {len(m['result'])}")
# A severity change: every open document's findings change and go out again.
for sev in ["warning", "information", "warning", "information"]:
    start = time.perf_counter()
    s.notify("workspace/didChangeConfiguration",
             {"settings": {"notesLs": {"diagnostics": {"duplicate-question": sev}}}})
    want = 3 if sev == "information" else 2
    seen = set()

    def got(m):
        if m.get("method") == "textDocument/publishDiagnostics":
            ds = m["params"]["diagnostics"]
            if any(d.get("code") == "duplicate-question" and d.get("severity") == want
                   for d in ds):
                seen.add(m["params"]["uri"])
        return len(seen) == n
    s.pump(got)
    print(f"severity -> {sev}: all {n} re-published in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
s.kill()
shutil.rmtree(root)
