"""The talent office's YAML files (certification criteria, policy catalogue) read as pydantic models, with errors
that name the file, the line and the field, and a short hash of the text that says which version was used."""

import hashlib
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from matcher.errors import Invalid

Model = TypeVar("Model", bound=BaseModel)


def read_yaml_model(model: type[Model], path: Path | None, default: str, what: str) -> tuple[Model, str]:
    """A YAML file (the packaged `default`, or `path`) validated as `model`, and a short hash of its text. Errors
    name the file, the line and the field."""
    where = str(path or default)
    try:
        text = (
            path.read_text(encoding="utf-8") if path else files("matcher").joinpath("data", default).read_text("utf-8")
        )
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"cannot read the {what} {where}: {exc}") from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{what} {where} is not valid YAML: {' '.join(str(exc).split())}") from None
    try:
        config = model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field_path = ".".join(str(p) for p in first["loc"]) or "(top level)"
        line = _line_of(text, first["loc"])
        at = f", line {line}" if line else ""
        raise Invalid(f"{what} {where}{at}: {field_path}: {first['msg']}") from None
    return config, hashlib.sha256(text.encode()).hexdigest()[:12]


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
