#!/usr/bin/env python3
"""strict_chromium.py ARGS...: stands in for `chromium` (a test links it as
`chromium` first in PATH). Runs the real one with ARGS and puts a proxy before
its DevTools port that answers "403 Forbidden" to every WebSocket handshake
carrying an Origin header, as Chromium 150 (Debian 12's main archive) does for
any origin not named by --remote-allow-origins, its own http://127.0.0.1:PORT
included; Chromium 156 (bookworm-security) lets that one in. The DevTools line
on stderr names the proxy's port; /json/list, asked through the proxy, then
hands out WebSocket addresses on it too. Each handshake is logged to
$STRICT_CHROMIUM_LOG as "refused ORIGIN" or "passed PATH". The first request
of each connection is checked: DevTools clients open one per WebSocket."""
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading

here = os.path.dirname(os.path.abspath(sys.argv[0]))
path = os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep)
                       if d and os.path.abspath(d) != here)
real = shutil.which("chromium", path=path) or shutil.which("chromium-browser", path=path)
if real is None:
    print("strict_chromium: no chromium in PATH", file=sys.stderr)
    sys.exit(1)
log = os.environ.get("STRICT_CHROMIUM_LOG")
lock = threading.Lock()


def note(line):
    if log:
        with lock, open(log, "a") as f:
            f.write(line + "\n")


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(c, upstream):
    head = b""
    while b"\r\n\r\n" not in head:
        data = c.recv(65536)
        if not data:
            c.close()
            return
        head += data
    lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    if fields.get("upgrade", "").lower() == "websocket":
        if "origin" in fields:
            note("refused " + fields["origin"])
            body = ("Rejected an incoming WebSocket connection from the %s origin."
                    % fields["origin"]).encode()
            c.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n"
                      b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
            c.close()
            return
        note("passed " + lines[0].split(" ")[1])
    u = socket.create_connection(("127.0.0.1", upstream))
    u.sendall(head)
    threading.Thread(target=pipe, args=(u, c), daemon=True).start()
    pipe(c, u)


def accept(s, upstream):
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, upstream), daemon=True).start()


def orphan_guard():
    # the real browser ends when this process does, even by SIGKILL
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def main():
    proc = subprocess.Popen([real] + sys.argv[1:], stderr=subprocess.PIPE, text=True,
                            preexec_fn=orphan_guard)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    for line in proc.stderr:
        m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
        if m:
            threading.Thread(target=accept, args=(s, int(m.group(1))), daemon=True).start()
            line = line.replace(":%s/" % m.group(1), ":%d/" % s.getsockname()[1])
        sys.stderr.write(line)
        sys.stderr.flush()
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
