#!/usr/bin/env python3
"""silent_server.py --port-file FILE | SOCKET_PATH - accepts connections,
reads what it is sent and never answers: a stalled registry (a free TCP
port of 127.0.0.1, its number written to FILE) or engine (a Unix socket).
FILE or the socket appears only once it accepts connections, so a test
waits for it to exist, never a fixed time."""
import os
import socket
import sys
import threading

if sys.argv[1] == "--port-file":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    with open(sys.argv[2] + ".new", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.replace(sys.argv[2] + ".new", sys.argv[2])
else:
    where = sys.argv[1]
    if os.path.exists(where):
        os.unlink(where)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(where + ".new")
    s.listen(64)
    os.replace(where + ".new", where)


def drain(c):
    while c.recv(65536):
        pass


while True:
    c, _ = s.accept()
    threading.Thread(target=drain, args=(c,), daemon=True).start()
