#!/usr/bin/env python3
"""Many open documents: opens N notes files that share a question in the real server
over stdio, then times `workspace/symbol` and a severity change that re-publishes every
open document. Usage: python3 scripts/many-open.py BIN N (figures in docs/performance.md)."""
import json, os, shutil, statistics, subprocess, sys, tempfile, time
binary, n = sys.argv[1], int(sys.argv[2])
root = tempfile.mkdtemp(prefix="manyopen-")
texts = {}
for i in range(n):
    t = f"*What is the shared question?\n-> an answer of a few words here {i}\n\n*Own question {i}?\n-> yes it is answered well\n"
    path = os.path.join(root, f"n{i:05}.notes")
    open(path, "w").write(t)
    texts["file://" + path] = t
p = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
def send(m):
    b = json.dumps(m).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
def recv():
    n = 0
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b"\n"): break
        if line.lower().startswith(b"content-length"): n = int(line.split(b":")[1])
    return json.loads(p.stdout.read(n))
def pump(done):
    while True:
        m = recv()
        if "id" in m and "method" in m:
            send({"jsonrpc":"2.0","id":m["id"],"result":None}); continue
        if done(m): return m
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":None,"rootUri":"file://"+root,"capabilities":{"window":{"workDoneProgress":True}}}})
pump(lambda m: m.get("id") == 1)
send({"jsonrpc":"2.0","method":"initialized","params":{}})
pump(lambda m: m.get("method") == "window/logMessage" and "Indexed" in m["params"]["message"])
for u, t in texts.items():
    send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":u,"languageId":"notes","version":1,"text":t}}})
# The opens' index updates settle first.
time.sleep(8)
ids = 100
def request(method, params):
    global ids
    ids += 1; i = ids
    t0 = time.perf_counter()
    send({"jsonrpc":"2.0","id":i,"method":method,"params":params})
    m = pump(lambda m: m.get("id") == i)
    return time.perf_counter() - t0, m
sym = []
for _ in range(15):
    dt, m = request("workspace/symbol", {"query": "shared question"})
    sym.append(dt * 1000)
print(f"workspace/symbol with {n} open: median {statistics.median(sym):.1f} ms, hits {len(m['result'])}")
# a severity change: every open document's findings change and go out again
for sev in ["warning", "information", "warning", "information"]:
    t0 = time.perf_counter()
    send({"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":{"settings":{"notesLs":{"diagnostics":{"duplicate-question":sev}}}}})
    seen = set()
    want = "Information" if sev == "information" else "Warning"
    def got(m):
        if m.get("method") == "textDocument/publishDiagnostics":
            ds = m["params"]["diagnostics"]
            if any(d.get("code") == "duplicate-question" and d.get("severity") == (3 if sev == "information" else 2) for d in ds):
                seen.add(m["params"]["uri"])
        return len(seen) == n
    pump(got)
    print(f"severity -> {sev}: all {n} re-published in {(time.perf_counter()-t0)*1000:.0f} ms")
p.kill()
shutil.rmtree(root)
