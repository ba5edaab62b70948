#!/usr/bin/env python3
"""Prints "CALLS USEC" for the Lua scripts a Redis has run (cmdstat_eval + cmdstat_evalsha of
INFO commandstats): usec is the time Redis spent executing them, i.e. its CPU for admission and
settlement. Speaks RESP over a socket, so no redis-cli is needed.

Usage: redis-cmdstats.py PORT [HOST]   (host 127.0.0.1 by default)
"""
import re
import socket
import sys


def info_commandstats(host, port):
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(b"*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n")
        f = s.makefile("rb")
        header = f.readline()
        if not header.startswith(b"$"):
            raise RuntimeError(f"unexpected reply from Redis on {host}:{port}: {header!r}")
        return f.read(int(header[1:]) + 2).decode()


def main():
    port = int(sys.argv[1])
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    calls = usec = 0
    for line in info_commandstats(host, port).splitlines():
        m = re.match(r"cmdstat_(eval|evalsha):calls=(\d+),usec=(\d+)", line)
        if m:
            calls += int(m.group(2))
            usec += int(m.group(3))
    print(calls, usec)


if __name__ == "__main__":
    main()
