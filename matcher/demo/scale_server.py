"""The API as deployed, for `talent bench --scale`: `talent serve --workers W` in a subprocess of its own, on a free
port, with the figures a benchmark wants of it (when it answered, how much memory its processes hold), and stopped
for sure afterwards (its whole process group, also on Ctrl-C or a failure)."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from types import TracebackType

import httpx

READY_LINE = "Application startup complete"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def talent_command() -> list[str]:
    """How to run `talent`: the console script beside this Python, else the module."""
    script = Path(sys.executable).with_name("talent")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]


def process_tree(root: int) -> list[int]:
    """`root` and every process descended from it (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (comm) "; fields[1] is the parent
        parents[int(entry.name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        tree.extend(children)
        frontier = children
    return tree


def rss_mb(pids: list[int]) -> float:
    """The resident memory of these processes together, in MB (VmRSS from /proc; shared pages count in each)."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


class ServerProcess:
    """`talent serve --workers W --port P` with `env`, its output in `log`. Use as a context manager."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 1, host: str = "127.0.0.1") -> None:
        self.env, self.log_path, self.workers, self.host = env, log, workers, host
        self.port = free_port(host)
        self.base_url = f"http://{host}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def __enter__(self) -> "ServerProcess":
        command = [*talent_command(), "serve", "--host", self.host, "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        self.started_at = time.perf_counter()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # its own session: stopped as a group, whatever it spawned
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def ready_workers(self) -> int:
        """How many worker processes have finished starting (loaded model and indexes), by the server's log."""
        return self.log().count(READY_LINE)

    def _check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            tail = "\n".join(self.log().splitlines()[-15:])
            raise RuntimeError(f"`talent serve` exited with {self.process.returncode}:\n{tail}")

    def wait_healthy(self, timeout: float = 600) -> float:
        """Seconds from start until /health answered 200."""
        deadline = time.perf_counter() + timeout
        with httpx.Client(base_url=self.base_url, timeout=5) as client:  # one client: polling must not eat the CPU
            while time.perf_counter() < deadline:
                self._check_alive()
                try:
                    if client.get("/health").status_code == 200:
                        return time.perf_counter() - self.started_at
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        raise TimeoutError(f"the server did not answer /health within {timeout:.0f} s")

    def wait_all_workers(self, timeout: float = 600) -> float:
        """Seconds from start until every worker said it had started."""
        deadline = time.perf_counter() + timeout
        while self.ready_workers() < self.workers:
            self._check_alive()
            if time.perf_counter() > deadline:
                raise TimeoutError(f"only {self.ready_workers()} of {self.workers} workers started in {timeout:.0f} s")
            time.sleep(0.1)
        return time.perf_counter() - self.started_at

    def rss_mb(self) -> float:
        """Resident memory of the server's processes (the supervisor and its workers) together, in MB."""
        return rss_mb(process_tree(self.process.pid)) if self.process else 0.0

    def worker_pids(self) -> list[int]:
        return process_tree(self.process.pid)[1:] if self.process else []

    def stop(self, grace: float = 20) -> None:
        """SIGTERM to the server's process group (uvicorn stops its workers), SIGKILL after `grace` seconds."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass
        with suppress(ProcessLookupError):  # workers that outlived their supervisor
            os.killpg(process.pid, signal.SIGKILL)
