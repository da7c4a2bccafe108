"""Load and validate a district file (YAML) into a :class:`tsg.schema.District`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tsg.common import InputError, data_path
from tsg.schema import SOURCE_TYPES, District, reference_problems

BUILT_IN_DISTRICT = "hart-van-zuid"


MAX_DISTRICT_BYTES = 2_000_000
"""Largest district file [bytes] (Hart van Zuid has about 9,000)."""
MAX_YAML_DEPTH = 40
"""Deepest nesting of YAML collections (the schema needs 6)."""
MAX_LISTED_PROBLEMS = 20
"""Schema problems listed in one message (the rest are counted)."""
MAX_YAML_VALUES = 200_000
"""Most values a district file may hold after expanding aliases (``*name``)."""


class _HardenedLoader(yaml.SafeLoader):
    """A safe YAML loader with limits: nesting depth, scalar keys only, unique keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        """Compose one node, refusing nesting deeper than :data:`MAX_YAML_DEPTH`."""
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {MAX_YAML_DEPTH} levels; a district file needs far fewer",
                    mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be a plain value (text or number), not a list or mapping",
                key_node.start_mark,
            )
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice in one mapping", key_node.start_mark
            )
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node)


_HardenedLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _count_values(document: Any, limit: int) -> int:
    """Count the values of a loaded document (aliases counted each time), up to ``limit``."""
    count, stack = 0, [document]
    while stack and count <= limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def built_in_district_path(name: str = BUILT_IN_DISTRICT) -> Path:
    """Path of a district shipped in ``data/districts/<name>/district.yaml``."""
    return data_path("districts", name, "district.yaml")


def built_in_district_names() -> list[str]:
    """Names of the districts shipped in ``data/districts``."""
    folder = data_path("districts")
    return sorted(p.name for p in folder.iterdir() if (p / "district.yaml").is_file())


def resolve_district_argument(argument: str | None) -> Path:
    """Turn a command-line district argument into a district file path.

    ``None`` means the built-in Hart van Zuid; an existing file is used as it is; a folder is
    searched for ``district.yaml``; otherwise the name of a built-in district is tried.

    Raises
    ------
    InputError
        When nothing matches.
    """
    if argument is None:
        return built_in_district_path()
    path = Path(argument)
    if path.is_file():
        return path.resolve()
    if path.is_dir() and (path / "district.yaml").is_file():
        return (path / "district.yaml").resolve()
    if argument in built_in_district_names():
        return built_in_district_path(argument)
    raise InputError(
        "no such district file, folder with district.yaml, or built-in district "
        f"(built in: {', '.join(built_in_district_names())})",
        field="DISTRICT",
        file=path,
    )


def _field_path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            part = _short(str(part), 64)
            text += f".{part}" if text else part
    return text or "(top level)"


def _describe(error: dict[str, Any]) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key (not part of the district schema; see 'tsg schema')"
    if error["type"] == "missing":
        return "required field is missing"
    given = error.get("input")
    if error["type"] not in ("model_type",) and not isinstance(given, dict | list):
        message += f" (got {_short(repr(given))})"
    return message


def _short(text: str, limit: int = 80) -> str:
    """Cut a long text for a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _validation_error(error: ValidationError, path: Path) -> InputError:
    problems = error.errors(include_url=False)
    # a discriminated union reports its tag in the location; drop it for readability
    lines = [
        f"{_field_path(tuple(p for p in e['loc'] if p not in SOURCE_TYPES))}: {_describe(e)}"
        for e in problems
    ]
    first = _field_path(tuple(p for p in problems[0]["loc"] if p not in SOURCE_TYPES))
    if len(lines) == 1:
        return InputError(_describe(problems[0]), file=path, field=first)
    shown = lines[:MAX_LISTED_PROBLEMS]
    if len(lines) > len(shown):
        shown.append(f"... and {len(lines) - len(shown)} more")
    return InputError(f"{len(lines)} problems:\n  " + "\n  ".join(shown), file=path, field=first)


def read_yaml_document(path: Path, *, what: str = "district file") -> Any:
    """Read a YAML file safely: size, depth and value-count limits, scalar and unique keys.

    Raises
    ------
    InputError
        The file is missing, too large, not UTF-8, not valid YAML or beyond a limit.
    """
    try:
        if not path.is_file():
            raise InputError(f"{what} not found", file=path)
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"cannot read the {what} ({error.strerror})", file=path) from None
    if size > MAX_DISTRICT_BYTES:
        raise InputError(
            f"file is {size:,} bytes; a {what} may have at most {MAX_DISTRICT_BYTES:,}", file=path
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise InputError(f"cannot read the {what} ({error.strerror})", file=path) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text: byte 0x{error.object[error.start]:02x} at offset {error.start}; "
            "save the file as UTF-8",
            file=path,
        ) from None
    try:
        document = yaml.load(text, Loader=_HardenedLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"invalid YAML: {where}{problem}", file=path) from None
    except RecursionError:
        raise InputError(
            f"invalid YAML: nested deeper than {MAX_YAML_DEPTH} levels", file=path
        ) from None
    if _count_values(document, MAX_YAML_VALUES) > MAX_YAML_VALUES:
        raise InputError(
            f"the file holds more than {MAX_YAML_VALUES:,} values once its aliases (*name) are "
            "expanded; a district file needs far fewer",
            file=path,
        )
    return document


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _missing_files(district: District) -> list[tuple[str, str]]:
    files = [
        ("climate.file", district.climate.file),
        ("network.route.geojson", district.network.route.geojson),
        ("network.route.geopackage", district.network.route.geopackage),
    ]
    files += [
        (f"buildings[{i}].measured_profile.file", b.measured_profile.file)
        for i, b in enumerate(district.buildings)
        if b.measured_profile is not None
    ]
    if district.scaling is not None and district.scaling.spreading is not None:
        spreading = district.scaling.spreading
        files.append(("scaling.spreading.candidates_file", spreading.candidates_file))
    problems = [
        (field, f"file not found: {path}")
        for field, path in files
        if path is not None and not _is_file(path)
    ]
    return problems + _unknown_translation_targets(district)


def _unknown_translation_targets(district: District) -> list[tuple[str, str]]:
    if district.scaling is None:
        return []
    problems = []
    for position, translation in enumerate(district.scaling.translations):
        try:
            resolve_district_argument(translation.target)
        except InputError:
            problems.append(
                (
                    f"scaling.translations[{position}].target",
                    f"'{translation.target}' is neither a district file, a folder with "
                    "district.yaml nor a built-in district (built in: "
                    f"{', '.join(built_in_district_names())})",
                )
            )
    return problems


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
    return district_from_document(read_yaml_document(path), path)


def district_from_document(document: Any, path: Path) -> District:
    """Validate a parsed district document (what :func:`load_district` does after reading).

    Parameters
    ----------
    document
        The parsed YAML (a mapping at the top level).
    path
        The district file: named in messages; relative paths resolve against its folder.

    Returns
    -------
    District

    Raises
    ------
    InputError
        The document breaks the schema or a rule across fields, or names a missing file.
    """
    if not isinstance(document, dict):
        raise InputError(
            "the district file must be a YAML mapping (key: value) at the top level", file=path
        )
    try:
        district = District.model_validate(document, context={"base_dir": path.parent})
    except ValidationError as error:
        raise _validation_error(error, path) from None
    problems = reference_problems(district) + _missing_files(district)
    if problems:
        field, message = problems[0]
        raise InputError(message, file=path, field=field)
    return district
