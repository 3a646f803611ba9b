"""`talent serve --workers N`: every worker listens on a socket of its own (SO_REUSEPORT), so connections spread
over them; a worker that dies is started again; a port another program holds is one readable error."""

import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest

from matcher.demo.scale_server import READY_LINE, ServerProcess, free_port, process_tree
from matcher.platform import Platform
from tests.processes import run_talent

pytestmark = pytest.mark.committed


def _connections(pid: int, port: int) -> int:
    """How many established TCP connections to `port` process `pid` holds (its other sockets — a database's, a
    listener's — come and go on their own and are not counted)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # local port, ESTABLISHED
                inodes.add(fields[9])
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        count += link.startswith("socket:[") and link[8:-1] in inodes
    return count


def _workers(server: ServerProcess) -> list[int]:
    """The worker processes (not the supervisor, nor multiprocessing's resource tracker)."""
    assert server.process is not None
    found = []
    for pid in process_tree(server.process.pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if pid != server.process.pid and b"spawn_main" in command:
            found.append(pid)
    return found


def test_connections_spread_over_the_workers_and_a_dead_worker_is_replaced(platform: Platform, tmp_path: Path) -> None:
    if platform.settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("serving does not depend on the database: run once, on SQLite")
    env = {
        **os.environ,
        "TALENT_DATA_DIR": str(tmp_path / "var"),
        "TALENT_DATABASE_URL": platform.settings.resolved_database_url,
        "HF_HUB_OFFLINE": "1",
    }
    with ServerProcess(env, tmp_path / "serve.log", workers=2) as server:
        server.wait_healthy(timeout=240)
        server.wait_all_workers(timeout=240)
        workers = _workers(server)
        assert len(workers) == 2, server.log()
        port = server.port
        before = {pid: _connections(pid, port) for pid in workers}
        clients = [httpx.Client(base_url=server.base_url, timeout=10) for _ in range(24)]
        try:
            assert all(client.get("/health").status_code == 200 for client in clients)  # 24 kept-alive connections
            gained = {pid: _connections(pid, port) - before[pid] for pid in workers}
            assert sum(gained.values()) >= 24 and min(gained.values()) >= 3, gained
        finally:
            for client in clients:
                client.close()

        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 240
        while server.log().count(READY_LINE) < 3:
            assert time.monotonic() < deadline, server.log()[-3000:]
            time.sleep(0.5)
        replaced = _workers(server)
        assert len(replaced) == 2 and workers[0] not in replaced and workers[1] in replaced
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            assert all(client.get("/health").status_code == 200 for _ in range(10))
        assert "worker 0" in server.log() and "starting it again" in server.log()


def test_a_port_another_program_holds_is_one_readable_error(platform: Platform) -> None:
    port = free_port()
    holder = socket.socket()
    holder.bind(("127.0.0.1", port))
    holder.listen()
    try:
        result = run_talent(platform.settings, "serve", "--port", str(port), "--workers", "2", timeout=120)
    finally:
        holder.close()
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0], result.stderr


def _spent_then_forwarded(client: httpx.Client, limit: int) -> httpx.Response | None:
    """Spend the address's bucket, then ask again claiming another address in X-Forwarded-For; None when the
    minute's window turned meanwhile (the count started again: nothing to conclude)."""
    window = int(time.time() // 60)
    for _ in range(limit + 1):
        client.get("/health")
    forwarded = client.get("/health", headers={"X-Forwarded-For": "203.0.113.9"})
    return forwarded if int(time.time() // 60) == window else None


def test_a_forwarded_address_does_not_lift_a_429(platform: Platform, tmp_path: Path) -> None:
    if platform.settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("serving does not depend on the database: run once, on SQLite")
    limit = 5
    env = {
        **os.environ,
        "TALENT_DATA_DIR": str(tmp_path / "var"),
        "TALENT_DATABASE_URL": platform.settings.resolved_database_url,
        "TALENT_API_ANONYMOUS_RATE_LIMIT": str(limit),
        "HF_HUB_OFFLINE": "1",
    }
    with ServerProcess(env, tmp_path / "serve.log", workers=1) as server:
        server.wait_healthy(timeout=240)
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            forwarded = None
            while forwarded is None:
                forwarded = _spent_then_forwarded(client, limit)
        assert forwarded.status_code == 429, forwarded.text
        message = forwarded.json()["error"]["message"]
        assert f"more than {limit} requests a minute from this address" in message and "with this key" not in message
