#!/usr/bin/env python3
"""A quick fix over a long line of misspellings, with a glossary of W words: the real
server over stdio. Usage: python3 scripts/quick-fix-cost.py BIN N W (figures in
docs/performance.md)."""
import json, os, shutil, statistics, subprocess, sys, tempfile, time
binary, n, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
root = tempfile.mkdtemp(prefix="qfix-")
open(os.path.join(root, "glossary.toml"), "w").write(
    "words = [\n" + "".join(f'    "word{i}",\n' for i in range(w)) + "]\n")
typos = ["gunicon", "redus", "postgress", "kubernets", "uvicron"]
line = "*" + " ".join(typos[i % len(typos)] for i in range(n)) + "?"
text = line + "\n-> An answer.\n"
path = os.path.join(root, "q.notes"); open(path, "w").write(text)
u = "file://" + path
p = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
def send(m):
    b = json.dumps(m).encode(); p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
def recv():
    k = 0
    while True:
        l = p.stdout.readline()
        if l in (b"\r\n", b"\n"): break
        if l.lower().startswith(b"content-length"): k = int(l.split(b":")[1])
    return json.loads(p.stdout.read(k))
def pump(done):
    while True:
        m = recv()
        if "id" in m and "method" in m: send({"jsonrpc":"2.0","id":m["id"],"result":None}); continue
        if done(m): return m
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":None,"rootUri":"file://"+root,"capabilities":{"workspace":{"workspaceEdit":{"resourceOperations":["create"]}}}}})
pump(lambda m: m.get("id") == 1)
send({"jsonrpc":"2.0","method":"initialized","params":{}})
send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":u,"languageId":"notes","version":1,"text":text}}})
pump(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == u)
times = []
for i in range(10):
    t0 = time.perf_counter()
    send({"jsonrpc":"2.0","id":10+i,"method":"textDocument/codeAction","params":{"textDocument":{"uri":u},
          "range":{"start":{"line":0,"character":0},"end":{"line":0,"character":len(line)}},"context":{"diagnostics":[]}}})
    m = pump(lambda m: m.get("id") == 10+i)
    times.append((time.perf_counter()-t0)*1000)
adds = sum(1 for a in m["result"] if a["title"].startswith("Add `"))
print(f"{n} misspellings, glossary of {w} words: codeAction median {statistics.median(times):.1f} ms, {len(m['result'])} actions, {adds} additions")
p.kill(); shutil.rmtree(root)
