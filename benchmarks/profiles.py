"""Benchmark: hourly demand profiles for the reference district and a 1,000-building district.

Targets (issue 2): reference district < 5 s; synthetic 1,000 buildings < 60 s and < 2 GiB peak
memory. Baseline in the same process: the same profiles with the BDEW space-heating shape
recomputed for every building (no shape cache), as a plain demandlib loop would do.

Each case runs in a fresh child process so that its peak resident memory is its own.
Usage: python benchmarks/profiles.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def _case(name: str) -> dict:
    import numpy as np

    import tsg.buildings.profiles as profiles_module
    from tsg.demand import district_demand
    from tsg.district import built_in_district_path, load_district
    from tsg.schema import District
    from tsg.synthetic import synthetic_district_document

    if name.startswith("reference"):
        path = built_in_district_path()
        district = load_district(path)
    else:
        path = built_in_district_path()  # only named in error messages
        district = District.model_validate(synthetic_district_document(n_buildings=1000, seed=1))
    if name.endswith("baseline"):
        original = profiles_module._ShapeCache.heating
        profiles_module._ShapeCache.heating = lambda self, archetype: (
            self._heating.clear() or original(self, archetype)
        )
    start = time.perf_counter()
    demand = district_demand(district, district_file=path)
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "case": name,
        "buildings": len(district.buildings),
        "seconds": seconds,
        "peak_rss_mib": peak_mib,
        "checksum_mwh": float(np.sum(demand.profiles.to_numpy()) / 1000),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(_case(sys.argv[2])))
        return
    results = {}
    for name in ("reference", "reference-baseline", "synthetic-1000", "synthetic-1000-baseline"):
        output = subprocess.run(
            [sys.executable, __file__, "--case", name], capture_output=True, text=True, check=True
        ).stdout
        results[name] = json.loads(output.strip().splitlines()[-1])
        r = results[name]
        print(
            f"{name:26s} {r['buildings']:5d} buildings  {r['seconds']:7.2f} s  "
            f"peak {r['peak_rss_mib']:7.0f} MiB  total {r['checksum_mwh']:,.0f} MWh"
        )
    for name in ("reference", "synthetic-1000"):
        fast, slow = results[name], results[f"{name}-baseline"]
        assert abs(fast["checksum_mwh"] - slow["checksum_mwh"]) < 1e-6 * slow["checksum_mwh"]
        print(
            f"{name}: speed-up over the uncached baseline {slow['seconds'] / fast['seconds']:.1f}x"
        )
    print(
        "targets: reference < 5 s:",
        results["reference"]["seconds"] < 5,
        "| 1,000 buildings < 60 s:",
        results["synthetic-1000"]["seconds"] < 60,
        "| < 2 GiB:",
        results["synthetic-1000"]["peak_rss_mib"] < 2048,
    )


if __name__ == "__main__":
    main()
