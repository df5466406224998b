#!/usr/bin/env python3
"""A small file opened beside a large one (100,000 questions, each asked twice), over stdio:
the time to the small file's first diagnostics, eight times. By default another small file is
opened 5 ms before it, so that the refresh that opening starts (the large file's findings
computed again) is running; `--alone` leaves that out.
Usage: python3 scripts/open-behind.py BIN [--alone] (figures in docs/performance.md)."""
import statistics
import sys
import time

from lsp_stdio import Server

binary, alone = sys.argv[1], "--alone" in sys.argv
big = "".join(f"*What is question {i % 50000}?\n-> an answer of a few words {i}\n\n"
              for i in range(100000))
s = Server(binary)
s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
s.notify("initialized", {})


def open_doc(uri, text):
    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "notes",
                                                       "version": 1, "text": text}})


open_doc("file:///t/big.notes", big)
s.pump(lambda m: m.get("method") == "textDocument/publishDiagnostics"
       and m["params"]["uri"].endswith("big.notes"))
time.sleep(2)
times = []
for k in range(8):
    if not alone:
        open_doc(f"file:///t/a{k}.notes", f"*What is question 7?\n-> yes {k}\n")
        time.sleep(0.005)
    b = f"file:///t/b{k}.notes"
    start = time.perf_counter()
    open_doc(b, f"*Own {k}?\n-> yes\n")
    s.pump(lambda m: m.get("method") == "textDocument/publishDiagnostics"
           and m["params"]["uri"] == b)
    times.append((time.perf_counter() - start) * 1000)
    time.sleep(1.5)
print(f"first diagnostics of a small file {'alone' if alone else 'behind a refresh'}: "
      f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
s.kill()
