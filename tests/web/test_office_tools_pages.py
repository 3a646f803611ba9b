"""What the talent office expects of its console (issue 16, "Missing") over plain HTTP: the funnel of a period with
its conversion rates and CSV downloads of the same period; a certification tier set by the office with a reason,
shown on the office's and the candidate's pages and used for the reward; the feedback inbox searched and paged.
Refused input is a page in the reader's language that keeps what was typed, never a 500."""

import csv
import html
import io
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.auth import PREFIX
from matcher.office import decisions as talent_office
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Referral, utcnow
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, sign_in_client
from tests.web.test_office_pages import filed, flash, hired_referral, post, referral, text

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/office"
FUNNEL = f"{HOME}/funnel"
QUEUE = f"{HOME}/certification"
INBOX = f"{HOME}/feedback"


def _made_on(platform: Platform, referral_id: int, at: datetime) -> None:
    with platform.session() as session:
        row = session.get(Referral, referral_id)
        assert row is not None
        row.created_at = at


def _conversion(page: str) -> dict[str, list[str]]:
    table = page[page.index('data-test="conversion"') :].split("</table>", 1)[0]
    rows = re.findall(r'<tr data-stage="(\w+)">(.*?)</tr>', table, re.S)
    return {
        stage: [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)
        ]
        for stage, cells in rows
    }


def test_the_funnel_of_a_period_with_its_rates_and_csv(console: TestClient, loaded: Platform, keys: Keys) -> None:
    hired = hired_referral(loaded, keys)
    just_referred = hired_referral(loaded, keys, candidate="c-sec", job="j-sec")
    _made_on(loaded, hired, datetime(2026, 3, 1, 15, 59, tzinfo=UTC))  # 1 March, 23:59 in Beijing
    _made_on(loaded, just_referred, datetime(2026, 3, 1, 16, 30, tzinfo=UTC))  # 2 March, 00:30 in Beijing
    sign_in_client(console, keys.admin)

    whole = console.get(FUNNEL)
    assert whole.status_code == 200 and 'name="from"' in whole.text and 'name="to"' in whole.text
    first = console.get(FUNNEL, params={"from": "2026-03-01", "to": "2026-03-01"})
    assert first.status_code == 200
    assert 'value="2026-03-01"' in first.text  # the period stays in the form
    rates = _conversion(first.text)
    assert rates["referred"][1:] == ["1", "—", "—"] and rates["hired"][1:] == ["1", "100.0%", "100.0%"]
    assert rates["certified"][1:] == ["0", "0.0%", "0.0%"]
    both = _conversion(console.get(FUNNEL, params={"from": "2026-03-01", "to": "2026-03-02"}).text)
    assert both["referred"][1] == "2" and both["contacted"][1:] == ["2", "100.0%", "100.0%"]
    assert both["hired"][1:] == ["2", "100.0%", "100.0%"]  # both were moved on to hired
    second = _conversion(console.get(FUNNEL, params={"from": "2026-03-02", "to": ""}).text)
    assert second["referred"][1] == "1"  # an empty day leaves that end open

    # The downloads carry the page's period.
    assert 'href="/console/office/reports/referrals.csv?from=2026-03-01&amp;to=2026-03-01"' in first.text
    assert 'href="/console/office/reports/rewards.csv?from=2026-03-01&amp;to=2026-03-01"' in first.text
    table = list(
        csv.reader(io.StringIO(console.get(f"{HOME}/reports/referrals.csv?from=2026-03-01&to=2026-03-01").text))
    )
    assert table[-1][:3] == ["all", "all partners", "1"]
    everything = list(csv.reader(io.StringIO(console.get(f"{HOME}/reports/referrals.csv").text)))
    assert int(everything[-1][2]) >= 2
    placements = console.get(f"{HOME}/reports/placements.csv", params={"from": "2026-04-01"}).text
    assert "time_to_hire,all,all partners,,0," in placements


def test_a_refused_period_is_a_page_in_the_readers_language(console: TestClient, keys: Keys) -> None:
    sign_in_client(console, keys.admin)
    backwards = console.get(FUNNEL, params={"from": "2026-03-02", "to": "2026-03-01"})
    assert backwards.status_code == 422
    assert "起始日期 2026-03-02 晚于截止日期 2026-03-01" in text(backwards)
    assert 'value="2026-03-02"' in backwards.text and 'value="2026-03-01"' in backwards.text  # kept as typed
    assert 'data-test="conversion"' not in backwards.text
    malformed = console.get(FUNNEL, params={"from": "2026-02-30", "to": "3/1/2026"})
    assert malformed.status_code == 422 and "起始日期：不是有效的日期" in text(malformed)
    assert 'value="3/1/2026"' in malformed.text
    console.cookies.set("tb_lang", "en")
    english = console.get(FUNNEL, params={"from": "2026-03-02", "to": "2026-03-01"})
    assert english.status_code == 422 and "The start date 2026-03-02 is after the end date 2026-03-01" in text(english)
    assert "To: is not a date" in text(console.get(FUNNEL, params={"to": "yesterday"}))
    for name in ("referrals", "placements", "rewards"):
        refused = console.get(f"{HOME}/reports/{name}.csv", params={"from": "2026-03-02", "to": "2026-03-01"})
        assert refused.status_code == 422 and "is after the end date" in refused.text, name


def test_the_office_sets_a_tier_with_a_reason_and_it_counts(console: TestClient, loaded: Platform, keys: Keys) -> None:
    rid = hired_referral(loaded, keys)
    with loaded.session() as session:
        computed = talent_office.assess(session, loaded.settings, keys.candidate_id, utcnow().date()).decision
    assert computed.tier is not None
    chosen = "D" if computed.tier != "D" else "C"
    lookup = f"{QUEUE}?candidate={keys.candidate_id}"
    sign_in_client(console, keys.admin)
    form = console.get(lookup).text
    assert f'action="/console/office/candidates/{keys.candidate_id}/tier"' in form and 'value="none"' in form

    # Refused without a reason: the page again (422), the choice kept, nothing stored.
    refused = post(
        console, f"{HOME}/candidates/{keys.candidate_id}/tier", {"tier": chosen, "reason": "  "}, back=lookup
    )
    assert refused.status_code == 422 and "请写明调整认定层次的原因" in text(refused)
    assert f'<option value="{chosen}" selected>' in refused.text
    too_long = post(
        console, f"{HOME}/candidates/{keys.candidate_id}/tier", {"tier": chosen, "reason": "长" * 501}, back=lookup
    )
    assert too_long.status_code == 422 and "长" * 501 in too_long.text  # what was typed comes back
    same = post(
        console, f"{HOME}/candidates/{keys.candidate_id}/tier", {"tier": computed.tier, "reason": "x"}, back=lookup
    )
    assert same.status_code == 422 and "无需调整" in text(same)

    done = post(
        console,
        f"{HOME}/candidates/{keys.candidate_id}/tier",
        {"tier": chosen, "reason": "专家评审：论文存疑"},
        back=lookup,
    )
    assert done.headers["location"].endswith("#override")
    assert flash(console, done).startswith("ok:")
    card = text(console.get(lookup))
    assert "认定层次由人才办设定" in card and "专家评审：论文存疑" in card and "人才办设定" in card
    queue = console.get(QUEUE).text
    item = queue[queue.index(f'data-referral="{rid}"') :].split("</article>", 1)[0]
    assert 'data-test="set-by-office"' in item and f"认定为 {chosen} 类" in item
    with loaded.session() as session:
        entry = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "certification.override").order_by(AuditEvent.id.desc())
        ).first()
        assert entry is not None and entry.detail["computed"] == computed.tier and entry.detail["tier"] == chosen
        assert entry.detail["reason"] == "专家评审：论文存疑"
        overridden = talent_office.assess(session, loaded.settings, keys.candidate_id, utcnow().date()).decision
        reward = talent_office.reward_for(overridden, loaded.settings)

    # The candidate sees it on their policies page, in their language.
    sign_in_client(console, keys.candidate)
    policies = text(console.get(f"{PREFIX}/me/policies"))
    assert "认定层次由人才办设定" in policies and "专家评审：论文存疑" in policies
    console.cookies.set("tb_lang", "en")
    assert "Tier set by the office" in text(console.get(f"{PREFIX}/me/policies"))
    console.cookies.set("tb_lang", "zh")
    sign_in_client(console, keys.admin)

    # Certified now: the office's tier and its reward.
    message = flash(console, post(console, f"{HOME}/referrals/{rid}/certify"))
    assert message.startswith("ok:") and f"{reward:,}" in message
    assert referral(loaded, rid)[:3] == ("certified", chosen, reward)

    # Removed: the criteria decide again.
    removed = flash(console, post(console, f"{HOME}/candidates/{keys.candidate_id}/tier/remove", back=lookup))
    assert removed.startswith("ok:") and "已撤销调整" in removed
    assert "认定层次由人才办设定" not in text(console.get(lookup))
    again = flash(console, post(console, f"{HOME}/candidates/{keys.candidate_id}/tier/remove", back=lookup))
    assert again.startswith("error:") and "没有调整过" in again


def test_the_inbox_is_searched_and_paged_keeping_its_filters(console: TestClient, loaded: Platform, keys: Keys) -> None:
    ids = [filed(loaded, keys.candidate, f"Subsidy question {n:02d}") for n in range(23)]
    other = filed(loaded, keys.partner, "生活补贴 when?")
    sign_in_client(console, keys.admin)

    first = console.get(INBOX, params={"q": "SUBSIDY QUESTION", "status": "open"})
    shown = [int(i) for i in re.findall(r'data-feedback="(\d+)"', first.text)]
    assert shown == sorted(ids, reverse=True)[:20] and other not in shown
    assert "共 23 条，第 1–20 条" in text(first)
    assert 'href="/console/office/feedback?status=open&amp;q=SUBSIDY+QUESTION&amp;offset=20"' in first.text
    second = console.get(INBOX, params={"q": "SUBSIDY QUESTION", "status": "open", "offset": 20})
    assert [int(i) for i in re.findall(r'data-feedback="(\d+)"', second.text)] == sorted(ids, reverse=True)[20:]
    assert 'href="/console/office/feedback?status=open&amp;q=SUBSIDY+QUESTION"' in second.text  # previous: page 1
    assert "第 2 页，共 2 页" in text(second)
    assert "没有与「nothing」相符的反馈" in text(console.get(INBOX, params={"q": "nothing"}))

    # Answering from the second page goes back to it, filters kept.
    back = f"{INBOX}?status=open&q=SUBSIDY+QUESTION&offset=20"
    answered = post(
        console,
        f"{INBOX}/{ids[0]}/answer",
        {"answer": "Next month.", "status": "open", "q": "SUBSIDY QUESTION", "offset": 20},
        back=back,
    )
    assert answered.headers["location"] == "/console/office/feedback?status=open&q=SUBSIDY+QUESTION&offset=20"
    assert "Next month." in console.get(INBOX, params={"q": "next MONTH"}).text  # the answer is searched too
    console.cookies.set("tb_lang", "en")
    assert "23 items; 1–20 shown" in text(console.get(INBOX, params={"q": "subsidy question"}))
    beyond = text(console.get(INBOX, params={"q": "subsidy question", "offset": 500}))  # an old link, past the end
    assert "23 items" in beyond and "23 items;" not in beyond and "Page 26" not in beyond and "first page" in beyond
    assert console.get(INBOX, params={"offset": -1}).status_code == 422
