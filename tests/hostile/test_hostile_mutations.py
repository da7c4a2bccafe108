"""Property-based tests: random mutations of Hart van Zuid never crash the loader or the demand.

Budget, chosen for 2 cores (measured: about 35 s for the whole file):

* 2,000 mutated documents (1-3 mutations each, so more than 2,000 mutations) go through the
  district loader (:func:`tsg.district.district_from_document`: schema and cross-field rules,
  a few ms each; about 10 s);
* 150 more make the round trip through a YAML file and :func:`load_district` (the YAML
  reader costs about 20 ms per file; about 5 s);
* 400 edits of the YAML text itself (special characters, tags, anchors, cut or repeated
  spans) go through :func:`load_district` (about 5 s);
* 60 go on to the demand stage (:func:`tsg.demand.district_demand`), which costs 0.25 s for
  three buildings against 0.6-1.5 s for all of Hart van Zuid, so these run on a copy cut to
  three buildings (arena with events, homes with a demand override, swimming pool), with
  mutations that mostly stay within the allowed ranges (bounds, zero and maximal demand, full
  calendars, far time zones, other countries' holidays) so that about two thirds reach the
  demand model (about 15 s).

The only exception allowed is :class:`InputError`, and it must name a file. ``derandomize=True``
makes every CI run try the same examples; ``--hypothesis-show-statistics`` shows where they
stop.
"""

import copy
import tempfile
from pathlib import Path

import yaml
from hostile_mutations import demand_mutation, mutated, yaml_text_mutation
from hypothesis import HealthCheck, event, given, settings

from tsg.common import InputError
from tsg.demand import district_demand
from tsg.district import built_in_district_path, district_from_document, load_district

HVZ = yaml.safe_load(built_in_district_path().read_text(encoding="utf-8"))
FOLDER = Path(tempfile.mkdtemp(prefix="tsg-hostile-"))
FILE = FOLDER / "district.yaml"
SMALL_IDS = ("ahoy-arena", "homes", "swimming-pool")
SMALL = copy.deepcopy(HVZ)
SMALL["buildings"] = [b for b in HVZ["buildings"] if b["id"] in SMALL_IDS]
SMALL.pop("scaling")
SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _check(error: InputError) -> None:
    event(f"InputError: {error.field or error.file.name}".split("[")[0])
    assert error.file is not None, f"the message names no file: {error}"
    assert error.message.strip()
    assert len(str(error)) < 5000


@settings(max_examples=2000, deadline=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(mutated(HVZ))
def test_loader_survives_random_mutations(case):
    document, _ = case
    try:
        district_from_document(document, FILE)
    except InputError as error:
        _check(error)
    else:
        event("valid")


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(mutated(HVZ, most=2))
def test_yaml_round_trip_of_mutations_loads_or_fails_cleanly(case):
    document, _ = case
    FILE.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        load_district(FILE)
    except InputError as error:
        _check(error)


HVZ_TEXT = built_in_district_path().read_text(encoding="utf-8")


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(yaml_text_mutation(HVZ_TEXT))
def test_edits_of_the_yaml_text_load_or_fail_cleanly(text):
    FILE.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_district(FILE)
    except InputError as error:
        _check(error)
    else:
        event("valid")


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(demand_mutation(SMALL))
def test_demand_stage_survives_extreme_but_valid_districts(case):
    document, _ = case
    try:
        district = district_from_document(document, FILE)
        demand = district_demand(district, district_file=FILE)
    except InputError as error:
        _check(error)
        return
    event("demand computed")
    assert demand.profiles.notna().all().all()
    assert (demand.profiles.to_numpy() >= 0).all()
