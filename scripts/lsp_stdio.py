"""The real server over stdio, for the measuring scripts beside this file: framed JSON-RPC
out and in, the server's own requests answered with null."""
import json
import os
import subprocess
import tempfile
import time


class Server:
    def __init__(self, binary):
        self.proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def read(self):
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            if line.lower().startswith(b"content-length"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def pump(self, done):
        """Reads until `done(message)`; answers the server's requests meanwhile."""
        while True:
            msg = self.read()
            if "id" in msg and "method" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif done(msg):
                return msg

    def request(self, method, params):
        """The answer, and the milliseconds until its last byte was read."""
        self.next_id += 1
        id_ = self.next_id
        start = time.perf_counter()
        self.send({"jsonrpc": "2.0", "id": id_, "method": method, "params": params})
        msg = self.pump(lambda m: m.get("id") == id_ and "method" not in m)
        return msg, (time.perf_counter() - start) * 1000

    def kill(self):
        self.proc.kill()


def shared_question_files(n, prefix):
    """`n` notes files in a new folder, each asking one question they all share and one of its
    own: the folder, and each file's URI with its text."""
    root = tempfile.mkdtemp(prefix=prefix)
    texts = {}
    for i in range(n):
        t = (f"*What is the shared question?\n-> an answer of a few words here {i}\n\n"
             f"*Own question {i}?\n-> yes it is answered well\n")
        path = os.path.join(root, f"n{i:05}.notes")
        with open(path, "w") as f:
            f.write(t)
        texts["file://" + path] = t
    return root, texts
