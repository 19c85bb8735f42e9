"""A TCP relay in front of a real server whose open connections a test can cut: the
network dropping under a client, with the server untouched behind it."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager


class Relay:
    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.connections: list[dict] = []  # {"client", "server", "head": first bytes sent}
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request_lines(self) -> list[str]:
        with self.lock:
            return [c["head"].split(b"\r\n", 1)[0].decode("latin-1") for c in self.connections]

    def cut(self, request_prefix: str) -> int:
        """Close every open connection whose request line starts so; how many were cut."""
        cut = 0
        with self.lock:
            for connection in self.connections:
                line = connection["head"].split(b"\r\n", 1)[0].decode("latin-1")
                if line.startswith(request_prefix) and not connection["closed"]:
                    _shut(connection["client"], connection["server"])
                    connection["closed"] = True
                    cut += 1
        return cut

    def close(self) -> None:
        self.listener.close()
        with self.lock:
            for connection in self.connections:
                _shut(connection["client"], connection["server"])
                connection["client"].close()
                connection["server"].close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(("127.0.0.1", self.target_port))
            connection = {"client": client, "server": server, "head": b"", "closed": False}
            with self.lock:
                self.connections.append(connection)
            threading.Thread(
                target=self._pipe, args=(client, server, connection), daemon=True
            ).start()
            threading.Thread(target=self._pipe, args=(server, client, None), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, connection) -> None:
        try:
            while data := source.recv(65536):
                if connection is not None and len(connection["head"]) < 4096:
                    with self.lock:
                        connection["head"] += data
                target.sendall(data)
        except OSError:
            pass
        _shut(source, target)


def _shut(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


@contextmanager
def relay(target_port: int):
    proxy = Relay(target_port)
    try:
        yield proxy
    finally:
        proxy.close()
