"""Map labels that do not collide and the spreading chart's category axis."""

import itertools

import pandas as pd

from tsg.report.map_labels import CHAR_WIDTH, LINE_HEIGHT, place_labels
from tsg.report.scaling_section import spreading_chart


def _box(label, text):
    width = CHAR_WIDTH * len(text)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return left, label.y - LINE_HEIGHT + 3, left + width, label.y + 3


def test_labels_of_close_markers_are_offset_not_stacked():
    points = [("theatre-library", 200.0, 200.0), ("bus-station", 205.0, 212.0)]
    placed = place_labels(points, width=900, height=600)
    assert set(placed) == {"theatre-library", "bus-station"}
    a, b = (_box(placed[t], t) for t, _, _ in points)
    assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_labels_that_cannot_fit_are_skipped_and_none_overlap():
    points = [(f"building-{k}", 300.0 + k, 300.0 + k) for k in range(12)]
    placed = place_labels(points, width=900, height=600)
    assert 1 <= len(placed) < len(points)
    boxes = [_box(placed[t], t) for t in placed]
    for a, b in itertools.combinations(boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    for box in boxes:
        assert box[0] >= 0 and box[2] <= 900


def test_labels_stay_inside_the_map():
    placed = place_labels([("swimming-pool", 890.0, 300.0)], width=900, height=600)
    assert placed["swimming-pool"].anchor in ("end", "middle")


def test_spreading_chart_has_a_category_axis_in_step_order():
    steps = pd.DataFrame(
        {
            "step": [0, 1, 2],
            "candidate": [None, "office", "school"],
            "beneficial": [None, True, False],
            "marginal_saving_eur_per_yr": [0.0, 5000.0, -2000.0],
            "saving_eur_per_yr": [10000.0, 15000.0, 13000.0],
        }
    )
    figure = spreading_chart(steps)
    axis = figure.layout.xaxis
    assert axis.type == "category"
    assert list(axis.categoryarray) == ["existing", "1: office", "2: school"]
    line = next(t for t in figure.data if t.type == "scatter")
    assert list(line.x) == ["existing", "1: office", "2: school"]
