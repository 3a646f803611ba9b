"""The office's duplicate review page (同一人核对): the unsure pairs side by side with the reasons in the reader's
language, a verdict per pair, a record's person looked up and a record taken out of it; a refused verdict comes back
as a message in the page's language, and nothing changes."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from api.web.auth import PREFIX
from matcher.office import person_records
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Candidate, PersonLink
from tests.api.conftest import Keys
from tests.people_records import import_records
from tests.web.conftest import sign_in_client
from tests.web.test_office_pages import flash, post, text

REVIEW = f"{PREFIX}/office/people"


@pytest.fixture
def ids(loaded: Platform) -> list[int]:
    return import_records(loaded)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_pair_is_reviewed_in_the_readers_language(console: TestClient, keys: Keys, ids: list[int], lang: str) -> None:
    _, _, first, second = ids
    sign_in_client(console, keys.admin)
    console.cookies.set("tb_lang", lang)
    page = console.get(REVIEW)
    assert page.status_code == 200 and f'data-pair="{first}-{second}"' in page.text
    shown = text(page)
    if lang == "zh":
        assert "姓名拼音一致" in shown and "同一学校：Imperial College London" in shown and "待核对（1 对）" in shown
        assert "name: pinyin" not in shown
    else:
        assert "the name matches in pinyin" in shown and "Waiting for a verdict (1)" in shown
    said = flash(console, post(console, f"{REVIEW}/decide", {"first": first, "second": second,
                                                              "decision": "linked"}, REVIEW))  # fmt: skip
    words = "为同一人" if lang == "zh" else "are now one person"
    assert said.startswith("ok:") and words in said
    assert f'data-pair="{first}-{second}"' not in console.get(REVIEW).text


def test_a_person_is_looked_up_and_a_record_taken_out(
    console: TestClient, loaded: Platform, keys: Keys, ids: list[int]
) -> None:
    orcid, upload, _, _ = ids
    sign_in_client(console, keys.admin)
    person = console.get(f"{REVIEW}?candidate={upload}")
    assert person.status_code == 200
    assert f'data-record="{orcid}"' in person.text and f'data-record="{upload}"' in person.text
    assert "标识相同，自动合并" in text(person) and "ORCID iD 相同" in text(person)
    back = f"{REVIEW}?candidate={upload}"
    said = flash(console, post(console, f"{REVIEW}/{upload}/unlink", back=back))
    assert said.startswith("ok:") and f"记录 #{upload} 已与记录 #{orcid} 解除合并" in said
    alone = console.get(back)
    assert "这条记录没有与其他记录合并" in text(alone) and "改判为同一人" in text(alone)  # the verdict shows, undoable
    again = {"first": orcid, "second": upload, "decision": "linked", "expected": "apart", "candidate": upload}
    assert flash(console, post(console, f"{REVIEW}/decide", again, back)).startswith("ok:")
    with loaded.session() as session:
        assert session.scalar(select(Candidate.person_id).where(Candidate.id == upload)) == orcid  # linked again
        audited = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("people.%"))).all()
    assert sorted(audited) == ["people.linked", "people.linked", "people.unlinked"]  # one per record of the pair


def test_refusals_are_messages_in_the_page_language_and_change_nothing(
    console: TestClient, loaded: Platform, keys: Keys, ids: list[int]
) -> None:
    orcid, upload, first, _ = ids
    sign_in_client(console, keys.admin)
    console.cookies.set("tb_lang", "en")
    said = flash(console, post(console, f"{REVIEW}/{first}/unlink", back=REVIEW))
    assert said == f"error: Record {first} is not linked with any other record."
    said = flash(console, post(console, f"{REVIEW}/decide", {"first": orcid, "second": orcid, "decision": "linked"}))
    assert said.startswith("error:") and "choose two" in said
    missing = console.get(f"{REVIEW}?candidate=99999999")
    assert missing.status_code == 404 and "Candidate 99999999 was not found" in text(missing)
    for typed in ("abc", "0", "-1", "1.5"):  # typed into the address bar: said on the page, beside the look-up
        wrong = console.get(REVIEW, params={"candidate": typed})
        assert wrong.status_code == 422 and f"“{typed}” is not a record id" in text(wrong), typed
        assert 'data-test="lookup"' in wrong.text
    third = {"first": orcid, "second": upload, "decision": "apart", "expected": "linked"}
    with loaded.session() as session:  # a third record joins them: "apart" on the pair is refused
        person_records.decide(session, None, first, upload, "linked")
        person_records.decide(session, None, first, orcid, "linked")
        session.execute(delete(AuditEvent))
    said = flash(console, post(console, f"{REVIEW}/decide", third))
    assert said.startswith("error: Records") and "still one person through other records" in said
    console.cookies.set("tb_lang", "zh")
    said = flash(console, post(console, f"{REVIEW}/decide", {"first": orcid, "second": upload, "decision": "merge"}))
    assert said.startswith("error: 判定："), said
    with loaded.session() as session:
        assert not session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("people.%"))).all()
        assert session.scalar(select(Candidate.person_id).where(Candidate.id == upload)) == orcid
        pair = (PersonLink.first_id == min(orcid, upload)) & (PersonLink.second_id == max(orcid, upload))
        assert session.scalar(select(PersonLink.status).where(pair)) == "linked"  # the refused "apart" left nothing


def test_a_pair_decided_meanwhile_is_not_reversed_by_an_old_page(
    console: TestClient, loaded: Platform, keys: Keys, ids: list[int]
) -> None:
    """Two people of the office on the same queue: the second verdict, given on the page as it was, is refused."""
    _, _, first, second = ids
    sign_in_client(console, keys.admin)
    pair = {"first": first, "second": second, "expected": "review"}
    assert flash(console, post(console, f"{REVIEW}/decide", {**pair, "decision": "apart"})).startswith("ok:")
    said = flash(console, post(console, f"{REVIEW}/decide", {**pair, "decision": "linked"}))
    assert said == f"error: 记录 #{first} 与 #{second} 刚被判定为「不是同一人」：页面已过期，请刷新后再判断。"
    with loaded.session() as session:
        assert session.scalar(select(Candidate.person_id).where(Candidate.id == first)) is None
