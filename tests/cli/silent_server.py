#!/usr/bin/env python3
"""silent_server.py PORT|SOCKET_PATH - accepts connections, reads what it
is sent and never answers: a stalled registry (a TCP port) or engine (a
Unix socket path)."""
import os
import socket
import sys
import threading

where = sys.argv[1]
if where.isdigit():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(where)))
else:
    if os.path.exists(where):
        os.unlink(where)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(where)
s.listen(64)


def drain(c):
    while c.recv(65536):
        pass


while True:
    c, _ = s.accept()
    threading.Thread(target=drain, args=(c,), daemon=True).start()
