"""The one exception type for user mistakes.

Every mistake a user can make in an input (district file, profile CSV, weather file, cost
file, command-line argument) raises :class:`InputError`. Its message names the file, the field
and what is allowed; the CLI prints it without a traceback and exits with code 2.
"""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """A user input is invalid.

    Parameters
    ----------
    message
        What is wrong and what is allowed.
    file
        The file the input came from, if any.
    field
        Dotted path of the offending field inside the file (``buildings[2].floor_area_m2``),
        or a column / line reference for tabular files.
    """

    def __init__(
        self, message: str, *, file: str | Path | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.file = None if file is None else Path(file)
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message
