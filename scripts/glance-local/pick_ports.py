"""pick_ports.py PORT... : print one free 127.0.0.1 TCP port per argument.

0 means "any free port"; any other number must be free or the script fails.
All sockets are held bound until the end, so the printed ports are distinct.
SO_REUSEADDR: a port with only TIME_WAIT leftovers counts as free (the servers
set it too), a port with a listener (on 127.0.0.1 or 0.0.0.0) does not.
"""
import socket
import sys

socks = []
for want in sys.argv[1:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(('127.0.0.1', int(want)))
    except OSError as e:
        sys.exit('[glance-local] port %s on 127.0.0.1 is taken: %s' % (want, e.strerror))
    socks.append(s)
print(*(s.getsockname()[1] for s in socks))
