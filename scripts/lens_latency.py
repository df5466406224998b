#!/usr/bin/env python3
"""Times textDocument/codeLens of the real server on one notes file (docs/performance.md).

    python3 scripts/lens_latency.py target/release/notes-ls /tmp/study/big.notes [REQUESTS]

The file's folder is the workspace root; its .notes-ls/reviews.json, if any, is the review state.
Prints the number of lenses, the first lens, and the first and median request times.
"""
import os
import sys

from lsp_stdio import Server


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, path = sys.argv[1], os.path.abspath(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    root = os.path.dirname(path)
    s = Server(binary)
    s.request("initialize", {"processId": None, "rootUri": "file://" + root, "capabilities": {}})
    s.notify("initialized", {})
    uri = "file://" + path
    with open(path, encoding="utf-8") as f:
        text = f.read()
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "interview-notes", "version": 1, "text": text}})
    times = []
    for _ in range(count):
        answer, ms = s.request("textDocument/codeLens", {"textDocument": {"uri": uri}})
        lenses = answer["result"]
        times.append(ms)
    later = sorted(times[1:]) or times
    print(f"{len(lenses or [])} lenses; first: {(lenses or [{}])[0].get('command', {}).get('title')}")
    print(f"first request {times[0]:.1f} ms; median of the next {len(later)}: {later[len(later) // 2]:.1f} ms")
    s.request("shutdown", None)
    s.notify("exit", None)
    s.proc.wait(10)


if __name__ == "__main__":
    main()
