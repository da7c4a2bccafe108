"""Place the labels of a map so that they do not collide: offset, else skip.

Each label is tried right of its marker, then left, above and below; the first position whose
box overlaps no label placed before it and no other marker (and stays inside the map) wins. A
label with no free position is left out: its marker keeps its tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CHAR_WIDTH", "Label", "place_labels"]

#: Approximate width of one character of a 12 px label [px].
CHAR_WIDTH = 7.0
#: Height of a label box [px].
LINE_HEIGHT = 14.0
#: Radius kept free around every marker [px].
MARKER_RADIUS = 9.0
#: Offsets tried in order: (dx, dy of the baseline, text-anchor).
OFFSETS: tuple[tuple[float, float, str], ...] = (
    (12.0, 4.0, "start"),
    (-12.0, 4.0, "end"),
    (0.0, -13.0, "middle"),
    (0.0, 22.0, "middle"),
)

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Label:
    """Where one label goes.

    Attributes
    ----------
    x, y
        Anchor point of the text (baseline) [px].
    anchor
        SVG ``text-anchor``: ``start``, ``middle`` or ``end``.
    """

    x: float
    y: float
    anchor: str


def _box(x: float, y: float, anchor: str, text: str) -> Box:
    width = CHAR_WIDTH * len(text)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, y - LINE_HEIGHT + 3, left + width, y + 3)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    points: Sequence[tuple[str, float, float]], *, width: float, height: float
) -> dict[str, Label]:
    """Choose a position for each label, or none, so that no two labels overlap.

    Parameters
    ----------
    points
        ``(text, x, y)`` of each marker in drawing order [px]; earlier points get the better
        positions.
    width, height
        Size of the map [px]; labels stay inside.

    Returns
    -------
    dict[str, Label]
        Label text -> position, for the labels that fit.
    """
    markers = [
        (x - MARKER_RADIUS, y - MARKER_RADIUS, x + MARKER_RADIUS, y + MARKER_RADIUS)
        for _, x, y in points
    ]
    placed: list[Box] = []
    result: dict[str, Label] = {}
    for k, (text, x, y) in enumerate(points):
        others = markers[:k] + markers[k + 1 :]
        for dx, dy, anchor in OFFSETS:
            box = _box(x + dx, y + dy, anchor, text)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
            if inside and not any(_overlap(box, other) for other in (*placed, *others)):
                placed.append(box)
                result[text] = Label(x + dx, y + dy, anchor)
                break
    return result
