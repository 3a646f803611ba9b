"""The priority-major list in force, called directly: computed as of a day from the configuration named (the packaged
one by default) and compared with the latest earlier snapshot of that same configuration."""

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from matcher.office import priority
from matcher.reference import leading_industries
from tests import factories

AS_OF = date(2026, 11, 30)


def _jobs(session: Session) -> None:
    employer = factories.enterprise(session)
    for n, (major, code) in enumerate([("遥感科学与技术", "081202"), ("金融学", "020301K")] * 3):
        factories.job(
            session,
            enterprise=employer,
            industry="卫星导航",
            majors=[major],
            major_codes=[code],
            posted_at=date(2026, 11, n + 1),
        )
    factories.candidate(session)


def test_the_list_in_force_is_compared_with_the_last_snapshot_of_its_configuration(
    session: Session, tmp_path: Path
) -> None:
    _jobs(session)
    first = priority.current_list(session, None, AS_OF)
    assert first.as_of == AS_OF and first.previous_period is None
    assert {e.code for e in first.entries} >= {"081202", "020301K"}
    assert all(e.rank_change is None for e in first.entries)

    priority.save_snapshot(session, first, "2026-10")
    again = priority.current_list(session, None, AS_OF)
    assert again.previous_period == "2026-10" and all(e.rank_change == 0 for e in again.entries)
    assert [(e.code, e.stars) for e in again.entries] == [(e.code, e.stars) for e in first.entries]

    other = tmp_path / "other.yaml"
    packaged = Path(priority.__file__).parent.parent / "data" / leading_industries.DEFAULT_CONFIG
    other.write_text(
        packaged.read_text(encoding="utf-8").replace("other_industry_weight: 0.6", "other_industry_weight: 0.9"),
        encoding="utf-8",
    )
    differs = priority.current_list(session, other, AS_OF)
    assert differs.config_hash != again.config_hash and differs.previous_period is None
