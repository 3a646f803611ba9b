"""`talent serve --workers N`: N uvicorn processes on one port, each listening on a socket of its own.

uvicorn's own `--workers` shares one listening socket among its workers, and asyncio accepts every connection that
is waiting whenever it wakes: the worker that wakes first takes a burst of connections and keeps them (keep-alive),
so under a few long-lived connections (a load balancer's, a benchmark's) one worker does the work of all. Here each
worker binds its own socket with SO_REUSEPORT and the kernel spreads new connections over the workers.

The supervisor (this process) holds no socket: it starts the workers, starts a worker again when one dies
(waiting RESTART_DELAY, longer after repeated failures), and on SIGINT or SIGTERM stops them all (SIGTERM, then
SIGKILL after STOP_GRACE seconds). Where SO_REUSEPORT does not exist, uvicorn's own workers are used.
"""

import logging
import multiprocessing
import signal
import socket
import threading
import time
from multiprocessing.context import SpawnProcess
from types import FrameType

import uvicorn

from matcher.errors import Invalid

log = logging.getLogger("talent.serve")

BACKLOG = 2048
RESTART_DELAY = 1.0  # seconds before a dead worker is started again; doubled (to 60 s at most) while it keeps dying
STOP_GRACE = 20.0
APP = "api.app:create_app"


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port with SO_REUSEPORT, listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def run_worker(host: str, port: int, log_level: str) -> None:
    """One worker: its own socket on host:port, the app made by api.app:create_app (from TALENT_* settings)."""
    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, log_level=log_level, proxy_headers=False)
    uvicorn.Server(config).run(sockets=[sock])


def check_port(host: str, port: int) -> None:
    """Invalid when host:port cannot be bound by the workers (taken by a program not sharing it, a bad address)."""
    try:
        listening_socket(host, port).close()
    except OSError as exc:
        raise Invalid(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve_workers(host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Run `workers` worker processes until SIGINT or SIGTERM."""
    if not hasattr(socket, "SO_REUSEPORT"):  # pragma: no cover - not on Linux
        uvicorn.run(APP, factory=True, workers=workers, host=host, port=port, log_level=log_level, proxy_headers=False)
        return
    check_port(host, port)
    Supervisor(host, port, workers, log_level).run()


class Supervisor:
    def __init__(self, host: str, port: int, workers: int, log_level: str) -> None:
        self.host, self.port, self.workers, self.log_level = host, port, workers, log_level
        self.context = multiprocessing.get_context("spawn")  # a fresh interpreter: no state of this one's threads
        self.processes: list[SpawnProcess | None] = [None] * workers
        self.delays = [RESTART_DELAY] * workers
        self.started = [0.0] * workers
        self.stopping = threading.Event()

    def _start(self, slot: int) -> None:
        process = self.context.Process(
            target=run_worker, args=(self.host, self.port, self.log_level), name=f"talent-worker-{slot}"
        )
        process.start()
        self.processes[slot], self.started[slot] = process, time.monotonic()
        log.info("worker %d started (pid %s)", slot, process.pid)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping.set()

    def run(self) -> None:
        logging.basicConfig(level=self.log_level.upper(), format="%(levelname)s:     %(message)s")
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for slot in range(self.workers):
                self._start(slot)
            log.info("serving on http://%s:%d with %d workers", self.host, self.port, self.workers)
            while not self.stopping.wait(0.5):
                self._restart_dead()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _restart_dead(self) -> None:
        for slot, process in enumerate(self.processes):
            if process is None or process.is_alive():
                continue
            lived = time.monotonic() - self.started[slot]
            self.delays[slot] = RESTART_DELAY if lived > 60 else min(60.0, self.delays[slot] * 2)
            log.warning("worker %d (pid %s) exited with %s; starting it again", slot, process.pid, process.exitcode)
            if self.stopping.wait(self.delays[slot]):
                return
            self._start(slot)

    def _stop_all(self) -> None:
        running = [p for p in self.processes if p is not None and p.is_alive()]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        log.info("stopped %d workers", len(running))
