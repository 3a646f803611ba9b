"""The record schema and docs/data-format.md stay in step."""

from pathlib import Path

import pytest
from pydantic import BaseModel

from matcher.records import RECORD_TYPES, Education, Experience

DOC = (Path(__file__).resolve().parent.parent.parent / "docs" / "data-format.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("model", [*RECORD_TYPES.values(), Education, Experience])
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    for field in model.model_fields:
        assert f"`{field}`" in DOC, f"{model.__name__}.{field} is missing from docs/data-format.md"
