#!/usr/bin/env python3
"""flaky_proxy.py PORT UPSTREAM LOG [stall|count] - a proxy in front of a real
registry that fails the way networks and busy registries do, once per path
(with "count": never; it only writes what was asked, to count requests):
the first request for each path gets 503 (or 429 with Retry-After for
manifests), and the first full download of each blob is cut off half way
(with "stall": stops sending half way and holds the connection open for
five minutes). Honours Range on blobs (206), as registries do. Writes one
line per request to LOG: "METHOD PATH STATUS [range] [cut|stall]".
"""
import http.client
import http.server
import socketserver
import sys
import threading
import time

PORT, UPSTREAM, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]
STALL = len(sys.argv) > 4 and sys.argv[4] == "stall"
COUNT = len(sys.argv) > 4 and sys.argv[4] == "count"
seen, cut = set(), set()
lock = threading.Lock()


def log(line):
    with lock, open(LOG, "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path
        with lock:
            first = path not in seen
            seen.add(path)
        if first and "/v2/" in path and path != "/v2/" and not COUNT:
            code = 429 if "/manifests/" in path else 503
            self.send_response(code)
            if code == 429:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            log("GET %s %d" % (path, code))
            return
        host, port = UPSTREAM.split(":")
        c = http.client.HTTPConnection(host, int(port))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "range")}
        c.request("GET", path, headers=headers)
        r = c.getresponse()
        body = r.read()
        rng = self.headers.get("Range")
        status, start = r.status, 0
        if rng and r.status == 200 and "/blobs/" in path:
            start = int(rng.split("=")[1].split("-")[0])
            status = 206
        self.send_response(status)
        for k, v in r.getheaders():
            if k.lower() in ("content-length", "transfer-encoding", "connection"):
                continue
            self.send_header(k, v)
        part = body[start:]
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(body) - 1, len(body)))
        self.send_header("Content-Length", str(len(part)))
        self.end_headers()
        with lock:
            cut_it = ("/blobs/" in path and status == 200 and path not in cut and len(part) > 64
                      and not COUNT)
            if cut_it:
                cut.add(path)
        log("GET %s %d%s%s" % (path, status, " range=%d" % start if rng else "",
                                (" stall" if STALL else " cut") if cut_it else ""))
        if cut_it:
            self.wfile.write(part[: len(part) // 2])
            self.wfile.flush()
            if STALL:
                time.sleep(300)
            self.close_connection = True
            return
        self.wfile.write(part)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


Server(("127.0.0.1", PORT), Handler).serve_forever()
