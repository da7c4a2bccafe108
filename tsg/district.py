"""Load and validate a district file (YAML) into a :class:`tsg.schema.District`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from common import InputError, data_path
from tsg.schema import District, reference_problems

BUILT_IN_DISTRICT = "hart-van-zuid"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects a key given twice in one mapping."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice in one mapping", key_node.start_mark
            )
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def built_in_district_path(name: str = BUILT_IN_DISTRICT) -> Path:
    """Path of a district shipped in ``data/districts/<name>/district.yaml``."""
    return data_path("districts", name, "district.yaml")


def _field_path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _describe(error: dict[str, Any]) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key (not part of the district schema; see 'tsg schema')"
    if error["type"] == "missing":
        return "required field is missing"
    given = error.get("input")
    if error["type"] not in ("model_type",) and not isinstance(given, dict | list):
        message += f" (got {given!r})"
    return message


def _validation_error(error: ValidationError, path: Path) -> InputError:
    problems = error.errors(include_url=False)
    # a discriminated union reports its tag in the location; drop it for readability
    lines = [
        f"{_field_path(tuple(p for p in e['loc'] if p not in ('ates', 'waste_heat')))}: "
        f"{_describe(e)}"
        for e in problems
    ]
    first = _field_path(tuple(p for p in problems[0]["loc"] if p not in ("ates", "waste_heat")))
    if len(lines) == 1:
        return InputError(_describe(problems[0]), file=path, field=first)
    return InputError(
        f"{len(lines)} problems:\n  " + "\n  ".join(lines), file=path, field=first
    )


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise InputError("district file not found", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the file as UTF-8 text ({error})", file=path) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"invalid YAML: {where}{problem}", file=path) from None


def load_district(path: str | Path) -> District:
    """Read and validate a district file.

    Parameters
    ----------
    path
        The YAML district file. Relative paths inside it resolve against its folder.

    Returns
    -------
    District
        The validated district.

    Raises
    ------
    InputError
        When the file is missing, is not valid YAML, or breaks the schema; the message names
        the file and the field.
    """
    path = Path(path).resolve()
    document = _read_yaml(path)
    if not isinstance(document, dict):
        raise InputError(
            "the district file must be a YAML mapping (key: value) at the top level", file=path
        )
    try:
        district = District.model_validate(document, context={"base_dir": path.parent})
    except ValidationError as error:
        raise _validation_error(error, path) from None
    problems = reference_problems(district)
    if problems:
        field, message = problems[0]
        raise InputError(message, file=path, field=field)
    return district
