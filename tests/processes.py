"""Run the `talent` CLI in a subprocess on a test database: crawls need their own process (Twisted's reactor
starts once per process)."""

import os
import subprocess
import sys
from pathlib import Path

from matcher.config import Settings

TALENT = Path(sys.executable).with_name("talent")
REPO = Path(__file__).resolve().parents[1]


def run_talent(
    settings: Settings, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`talent ARGS...` against `settings`' data dir and database; output captured, exit code not checked."""
    environment = {
        **os.environ,
        "TALENT_DATA_DIR": str(settings.data_dir),
        "TALENT_DATABASE_URL": settings.resolved_database_url,
        "TALENT_ENCODER": settings.encoder,
        "TALENT_CRAWL_DOWNLOAD_DELAY": "0",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "COLUMNS": "200",
        **(env or {}),
    }
    return subprocess.run(
        [str(TALENT), *args], env=environment, capture_output=True, text=True, timeout=timeout, cwd=REPO, check=False
    )
