"""The platform's YAML files (certification criteria, policy catalogue, priority configuration) read as pydantic
models, with errors that name the file, the line and the field, and a short hash of the text that says which version
was used.

Pages read these files on every request, so that an edited file takes effect at once on every replica. The text is
read each time; parsing it is what costs (PyYAML in pure Python), so a text already parsed is not parsed again: the
parsed model is keyed by the text itself, and each caller gets its own copy."""

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from matcher.errors import Invalid

Model = TypeVar("Model", bound=BaseModel)
PARSED_KEPT = 32  # texts whose parsed model is kept (a few files, in a version or two each)


def read_yaml_model(model: type[Model], path: Path | None, default: str, what: str) -> tuple[Model, str]:
    """A YAML file (the packaged `default`, or `path`) validated as `model`, and a short hash of its text. Errors
    name the file, the line and the field."""
    where = str(path or default)
    try:
        text = (
            path.read_text(encoding="utf-8") if path else files("matcher").joinpath("data", default).read_text("utf-8")
        )
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"cannot read the {what} {where}: {exc}") from None
    parsed = _parsed(model, text)
    if isinstance(parsed, str):
        raise Invalid(f"{what} {where}{parsed}") from None
    return parsed.model_copy(deep=True), hashlib.sha256(text.encode()).hexdigest()[:12]


@lru_cache(maxsize=PARSED_KEPT)
def _parsed(model: type[Model], text: str) -> Model | str:
    """`text` validated as `model`, or what is wrong with it, to follow the file's name in the error (kept too: a
    broken file stays broken until its text changes)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return " is not valid YAML: " + " ".join(str(exc).split())
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field_path = ".".join(str(p) for p in first["loc"]) or "(top level)"
        line = _line_of(text, first["loc"])
        at = f", line {line}" if line else ""
        return f"{at}: {field_path}: {first['msg']}"


def _line_of(text: str, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the YAML node at `loc` (the deepest that exists), for error messages."""
    node = yaml.compose(text)
    line = node.start_mark.line + 1 if node else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
