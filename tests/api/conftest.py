"""API keys for every role, made through the real account service, and the headers that present them."""

import time
from dataclasses import dataclass

import pytest

from matcher.people import accounts
from matcher.people.accounts import Role
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Candidate

PARTNER_A = "甲猎头公司 Test Partner A"
PARTNER_B = "乙人才服务 Test Partner B"
ENTERPRISE = "测试企业一"  # the sample jobs' first employer: its account adopts its postings


@dataclass(frozen=True)
class Keys:
    admin: str
    partner: str
    partner_colleague: str  # another user of the same firm
    other_partner: str
    enterprise: str
    candidate: str
    candidate_id: int  # the candidate whose account `candidate` is (c-gnss)

    def of(self, role: Role) -> str:
        return {
            Role.admin: self.admin,
            Role.partner: self.partner,
            Role.enterprise: self.enterprise,
            Role.candidate: self.candidate,
        }[role]


def in_one_minute(margin: float = 15.0) -> None:
    """Wait, when fewer than `margin` seconds are left of this minute, for the next one to begin: rate limits count in
    fixed one-minute windows, and a test's few requests must all fall in one of them."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.05)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def make_keys(platform: Platform) -> Keys:
    with platform.session() as session:
        candidate = queries.get_by_ref(Candidate, session=session, source="test", external_id="c-gnss")
        assert candidate is not None
        candidate.birth_year = 1996  # a doctorate aged 30 in 2026: a young talent the criteria can certify

        def key(role: Role, name: str, org: str | None = None, candidate_id: int | None = None) -> str:
            return accounts.create_account(session, role, name, organization=org, candidate_id=candidate_id)[1]

        return Keys(
            admin=key(Role.admin, "人才办 Office"),
            partner=key(Role.partner, "Li Consultant", PARTNER_A),
            partner_colleague=key(Role.partner, "Wang Consultant", PARTNER_A),
            other_partner=key(Role.partner, "Zhao Consultant", PARTNER_B),
            enterprise=key(Role.enterprise, "HR 测试", ENTERPRISE),
            candidate=key(Role.candidate, "GNSS candidate", candidate_id=candidate.id),
            candidate_id=candidate.id,
        )


@pytest.fixture
def keys(loaded: Platform) -> Keys:
    return make_keys(loaded)
