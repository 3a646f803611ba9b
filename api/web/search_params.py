"""Search filters and order as a console page reads them from its address. A degree or order the search does not know
(an old link, an edited address) is left out and said, in the reader's language, rather than costing the reader the
page: the page answers 422 with the rest of what was typed applied and kept in its form."""

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from api.web.i18n import Translator, lang_of
from api.web.messages import worded
from matcher.errors import Invalid
from matcher.search.matching import Filters, check_order


@dataclass(frozen=True)
class SearchParams:
    filters: Filters
    sort: str
    refused: list[str]  # why a part was left out, one sentence each

    @property
    def page_extra(self) -> dict[str, Any]:
        """What page() needs to say so: the message as an error flash and the 422."""
        if not self.refused:
            return {}
        return {"status_code": 422, "flash": {"kind": "error", "text": " ".join(self.refused)}}


def read(request: Request, location: str, min_degree: str, industry: str | None, sort: str) -> SearchParams:
    t, refused = Translator(lang_of(request)), []
    try:
        filters = Filters.parse(location, min_degree, industry)
    except Invalid as error:
        filters, refused = Filters.parse(location, None, industry), [worded(error, t)]
    try:
        sort = check_order(sort)
    except Invalid as error:
        sort, refused = "fit", [*refused, worded(error, t)]
    return SearchParams(filters, sort, refused)
