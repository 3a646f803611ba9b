"""The `talent` fixture: the CLI run in-process (CliRunner) against the test database."""

from collections.abc import Callable, Iterator

import pytest
from click.testing import Result
from typer.testing import CliRunner

from cli.main import app
from matcher.config import Settings, get_settings
from matcher.platform import Platform

Talent = Callable[..., Result]


@pytest.fixture
def talent(platform: Platform, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Talent]:
    """Run `talent ARGS...` against the test database."""
    monkeypatch.setenv("TALENT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("TALENT_DATABASE_URL", settings.resolved_database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    yield run
    get_settings.cache_clear()
