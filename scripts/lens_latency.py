#!/usr/bin/env python3
"""Times textDocument/codeLens of the real server on one notes file (docs/performance.md).

    python3 scripts/lens_latency.py target/release/notes-ls /tmp/study/big.notes [REQUESTS]

The file's folder is the workspace root; its .notes-ls/reviews.json, if any, is the review state.
Prints the number of lenses, the first lens, and the first and median request times.
"""
import json
import os
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, path = sys.argv[1], os.path.abspath(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    root = os.path.dirname(path)
    server = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)

    def send(msg):
        body = json.dumps(msg).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def read():
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            header += server.stdout.read(1)
        length = next(int(l.split(b":")[1]) for l in header.split(b"\r\n")
                      if l.lower().startswith(b"content-length"))
        return json.loads(server.stdout.read(length))

    def request(id_, method, params):
        send({"jsonrpc": "2.0", "id": id_, "method": method, "params": params})
        while True:
            msg = read()
            if msg.get("id") == id_ and "method" not in msg:
                return msg
            if "method" in msg and "id" in msg:  # a request from the server
                send({"jsonrpc": "2.0", "id": msg["id"], "result": None})

    request(1, "initialize", {"processId": None, "rootUri": "file://" + root, "capabilities": {}})
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file://" + path
    with open(path, encoding="utf-8") as f:
        text = f.read()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "interview-notes", "version": 1, "text": text}}})
    times = []
    for i in range(count):
        start = time.perf_counter()
        lenses = request(10 + i, "textDocument/codeLens", {"textDocument": {"uri": uri}})["result"]
        times.append((time.perf_counter() - start) * 1000)
    later = sorted(times[1:]) or times
    print(f"{len(lenses or [])} lenses; first: {(lenses or [{}])[0].get('command', {}).get('title')}")
    print(f"first request {times[0]:.1f} ms; median of the next {len(later)}: {later[len(later) // 2]:.1f} ms")
    request(999, "shutdown", None)
    send({"jsonrpc": "2.0", "method": "exit"})
    server.wait(10)


if __name__ == "__main__":
    main()
