"""A small closed-loop HTTP/1.1 load generator: non-blocking sockets and epoll, one thread.

Each of N clients sends one request, waits for the whole response, then sends the
next, so the server never has more than N requests at once. A connection is kept
alive when the server allows it (gunicorn's gthread workers) and opened again when it
answers "Connection: close" (sync workers); the connect time is then part of the
latency, as it is for a real client. Requests are built before the clock starts and
responses are parsed only as far as needed (status line, Content-Length, Connection),
without asyncio's futures and tasks, so the client costs little CPU next to the
server: `Phase.client_cpu_ms` says how much.
"""

import errno
import itertools
import selectors
import socket
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    tag: object
    status: int  # 0 for a transport error
    body: bytes
    started: float  # seconds since the start of the phase
    latency: float  # seconds
    error: str = ""


@dataclass
class Phase:
    results: list = field(default_factory=list)
    elapsed: float = 0.0  # first request sent to last response received
    client_cpu_ms: float = 0.0


class _Slot:
    """One client: its connection and the request in flight."""

    __slots__ = ("body_start", "buffer", "keep_alive", "length", "payload", "sent", "sock",
                 "started", "status", "tag")  # fmt: skip

    def __init__(self):
        self.sock = None

    def begin(self, tag, payload, now):
        self.tag, self.payload, self.started = tag, payload, now
        self.sent, self.buffer, self.status = 0, bytearray(), None

    def parse_head(self) -> bool:
        """Read the status line and headers once they are in; False while incomplete."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        lines = bytes(self.buffer[:end]).split(b"\r\n")
        version, status = lines[0].split(b" ", 2)[:2]
        self.status, self.body_start = int(status), end + 4
        self.length, self.keep_alive = None, version == b"HTTP/1.1"
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                self.length = int(value)
            elif name == b"connection":
                self.keep_alive = value.strip().lower() == b"keep-alive"
            elif name == b"transfer-encoding":
                raise ValueError("chunked responses are not supported by this client")
        return True

    def body(self) -> bytes | None:
        """The body once complete (with Content-Length), else None."""
        if self.length is None or len(self.buffer) < self.body_start + self.length:
            return None
        return bytes(self.buffer[self.body_start : self.body_start + self.length])


def _run(host, port, requests, clients, deadline, timeout) -> Phase:
    selector = selectors.DefaultSelector()
    phase = Phase()
    results = phase.results
    iterator = iter(requests)
    slots = [_Slot() for _ in range(clients)]
    busy = set()
    t0 = time.perf_counter()
    cpu0 = time.process_time()

    def close(slot):
        if slot.sock is not None:
            selector.unregister(slot.sock)
            slot.sock.close()
            slot.sock = None

    def finish(slot, status, body=b"", error=""):
        now = time.perf_counter()
        results.append(Result(slot.tag, status, body, slot.started - t0, now - slot.started, error))
        if error or not (status and slot.keep_alive):
            close(slot)
        busy.discard(slot)
        start(slot, now)

    def start(slot, now):
        """Send the slot's next request, if any (a loop, not recursion, on failed connects)."""
        while True:
            if deadline is not None and now - t0 >= deadline:
                close(slot)
                return
            item = next(iterator, None)
            if item is None:
                close(slot)
                return
            slot.begin(*item, now)
            if slot.sock is not None:
                selector.modify(slot.sock, selectors.EVENT_WRITE, slot)
                busy.add(slot)
                return
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            code = sock.connect_ex((host, port))
            if code in (0, errno.EINPROGRESS):
                slot.sock = sock
                selector.register(sock, selectors.EVENT_WRITE, slot)
                busy.add(slot)
                return
            sock.close()
            now = time.perf_counter()
            error = f"connect: {errno.errorcode.get(code, code)}"
            results.append(Result(slot.tag, 0, b"", slot.started - t0, now - slot.started, error))

    def on_writable(slot):
        code = slot.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) if not slot.sent else 0
        if code:
            finish(slot, 0, error=f"connect: {errno.errorcode.get(code, code)}")
            return
        slot.sent += slot.sock.send(slot.payload[slot.sent :])
        if slot.sent == len(slot.payload):
            selector.modify(slot.sock, selectors.EVENT_READ, slot)

    def on_readable(slot):
        data = slot.sock.recv(262144)
        if not data:
            if slot.status is not None and slot.length is None:
                slot.keep_alive = False  # the body ended with the connection
                finish(slot, slot.status, bytes(slot.buffer[slot.body_start :]))
            else:
                finish(slot, 0, error="connection closed before the response")
            return
        slot.buffer += data
        if slot.status is None and not slot.parse_head():
            return
        body = slot.body()
        if body is not None:
            finish(slot, slot.status, body)

    now = time.perf_counter()
    for slot in slots:
        start(slot, now)
    next_check = now + 0.5
    while busy:
        for key, events in selector.select(0.1):
            slot = key.data
            try:
                if events & selectors.EVENT_WRITE:
                    on_writable(slot)
                else:
                    on_readable(slot)
            except (OSError, ValueError) as exc:
                finish(slot, 0, error=f"{type(exc).__name__}: {exc}")
        now = time.perf_counter()
        if now >= next_check:
            next_check = now + 0.5
            for slot in [s for s in busy if now - s.started > timeout]:
                finish(slot, 0, error=f"no answer within {timeout:.0f} s")
    selector.close()
    if results:
        phase.elapsed = max(r.started + r.latency for r in results) - min(
            r.started for r in results
        )
    phase.client_cpu_ms = (time.process_time() - cpu0) * 1000
    return phase


def run_requests(host, port, requests, *, clients, timeout=60.0) -> Phase:
    """Send every (tag, raw request) of `requests` through `clients` concurrent clients."""
    return _run(host, port, requests, clients, None, timeout)


def run_for(host, port, payload, *, clients, seconds, timeout=30.0) -> Phase:
    """Send the same raw request again and again from `clients` clients for `seconds`."""
    return _run(host, port, ((None, payload) for _ in itertools.count()), clients, seconds, timeout)


def http_request(method: str, path: str, host: str, *, body: bytes = b"", headers=()) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *headers]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
