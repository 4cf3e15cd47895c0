#!/usr/bin/env python3
"""Small local receivers for the sink tests; each binds 127.0.0.1 port 0 (or a unix socket),
writes the port it got to PORTFILE and stores what it receives, for at most 300 s.

  sink-receiver.py http PORTFILE OUTDIR [STATUS]  every POST: OUTDIR/NNNN.body and .meta (path, type)
  sink-receiver.py udp PORTFILE OUTFILE            every datagram appended to OUTFILE, one per line
  sink-receiver.py tcp PORTFILE OUTFILE            the raw TCP stream appended to OUTFILE
  sink-receiver.py unix SOCKPATH OUTFILE           datagrams on a unix socket, one per line
  sink-receiver.py hang PORTFILE -                 accepts TCP connections and never answers
  sink-receiver.py closed PORTFILE -               holds a port bound but not listening: every
                                                   connection to it is refused, and no other
                                                   program can take it meanwhile
"""
import http.server
import os
import socket
import sys
import threading
import time

LIFETIME = 300


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, path)


def serve_http(portfile, outdir, status):
    count = [0]
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                count[0] += 1
                n = count[0]
            base = os.path.join(outdir, "%04d" % n)
            with open(base + ".meta", "w") as f:
                f.write("%s %s\n" % (self.path, self.headers.get("Content-Type")))
            with open(base + ".body.tmp", "wb") as f:
                f.write(body)
            os.rename(base + ".body.tmp", base + ".body")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    write_port(portfile, srv.server_address[1])
    threading.Timer(LIFETIME, srv.shutdown).start()
    srv.serve_forever()


def serve_dgram(sock, outfile):
    sock.settimeout(LIFETIME)
    with open(outfile, "ab", buffering=0) as f:
        while True:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                return
            f.write(data + b"\n")


def accepted(portfile):
    """Connections to a new listening socket on 127.0.0.1, until LIFETIME passes idle."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    srv.settimeout(LIFETIME)
    write_port(portfile, srv.getsockname()[1])
    while True:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            return
        yield conn


def serve_tcp(portfile, outfile):
    with open(outfile, "ab", buffering=0) as f:
        for conn in accepted(portfile):
            conn.settimeout(LIFETIME)
            while True:
                try:
                    data = conn.recv(65536)
                except socket.timeout:
                    return
                if not data:
                    break
                f.write(data)
            conn.close()


def serve_hang(portfile):
    held = []  # kept open, never read nor answered
    for conn in accepted(portfile):
        held.append(conn)


def main():
    mode, where, out = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "http":
        serve_http(where, out, int(sys.argv[4]) if len(sys.argv) > 4 else 200)
    elif mode == "udp":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        write_port(where, s.getsockname()[1])
        serve_dgram(s, out)
    elif mode == "tcp":
        serve_tcp(where, out)
    elif mode == "hang":
        serve_hang(where)
    elif mode == "closed":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        write_port(where, s.getsockname()[1])
        time.sleep(LIFETIME)
    elif mode == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(where)
        serve_dgram(s, out)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
