"""Files of the allocation stage: tables, the cost game as CSV, metadata and a chart."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from tsg import run_layout as layout  # noqa: E402
from tsg.optimisation.allocation import AllocationComparison, Game, RuleResult  # noqa: E402
from tsg.optimisation.allocation.verdicts import AllocationVerdicts  # noqa: E402
from tsg.optimisation.sizing import SizingResult  # noqa: E402
from tsg.outputs import write_atomically, write_json, write_table, write_text  # noqa: E402
from tsg.workbook import write_workbook  # noqa: E402

__all__ = [
    "allocation_document",
    "allocation_table",
    "co2_by_partner",
    "cost_file_text",
    "rules_table",
    "write_allocation_outputs",
    "write_allocation_tables",
]


def cost_file_text(game: Game) -> str:
    """Return the game as ``coalition,cost`` CSV text (see :mod:`tsg.cost_file`).

    Members are joined by ``+`` in game order; costs are written with 17 significant digits
    so that reading them back gives the same floats.
    """
    lines = ["coalition,cost"]
    for mask in range(1, 1 << game.n):
        members = "+".join(p for i, p in enumerate(game.players) if mask >> i & 1)
        lines.append(f"{members},{float(game.costs[mask]):.17g}")
    return "\n".join(lines) + "\n"


def co2_by_partner(result: SizingResult, players: tuple[str, ...]) -> tuple[dict, dict, float]:
    """CO2 of the reference and of the own building items per partner, and the shared CO2.

    Returns
    -------
    tuple
        (reference t/yr per partner, design building items t/yr per partner, design items
        not belonging to a building [t/yr]: network, ATES, plants).

    """
    reference = {
        p: sum(c.co2_t_per_yr for c in result.reference_costs if c.partner == p) for p in players
    }
    own = {
        p: sum(c.co2_t_per_yr for c in result.costs if c.building and c.partner == p)
        for p in players
    }
    shared = sum(c.co2_t_per_yr for c in result.costs if not c.building)
    return reference, own, float(shared)


def allocation_document(
    comparison: AllocationComparison, verdicts: AllocationVerdicts
) -> dict[str, object]:
    """Return the content of ``allocation.json``.

    Parameters
    ----------
    comparison
        Rules side by side (the allocations of the designs found).
    verdicts
        Their verdicts within solver tolerance.

    Returns
    -------
    dict
        ``players``, ``rules`` (rule -> partner -> cost [EUR/yr]), ``least_core_epsilon``
        (of the designs found [EUR/yr]), ``core`` (``nonempty``: holds / fails / undecided
        within solver tolerance, with the bounds of the least-core epsilon), ``in_core`` and
        ``individually_rational`` (rule -> verdict), ``rule_verdicts`` (bounds, blocking
        coalition, per partner stand-alone cost and margin bounds) and ``negative_shares``
        (why a partner is paid).

    """
    point = comparison.to_json_dict()
    found = verdicts.to_json_dict()
    return {
        "players": point["players"],
        "rules": point["rules"],
        "least_core_epsilon": point["least_core_epsilon"],
        "core": found["core"],
        "in_core": {name: v.in_core for name, v in verdicts.rules.items()},
        "individually_rational": {
            name: v.individually_rational for name, v in verdicts.rules.items()
        },
        "rule_verdicts": found["rule_verdicts"],
        "negative_shares": found["negative_shares"],
        "notes": list(comparison.notes),
    }


def rules_table(verdicts: AllocationVerdicts) -> pd.DataFrame:
    """One row per rule: its verdicts within solver tolerance and the most blocking coalition.

    Returns
    -------
    pandas.DataFrame
        Columns as :data:`tsg.run_layout.RULES_TABLE`.

    """
    rows = [
        {
            "rule": name,
            "in_core": v.in_core,
            "individually_rational": v.individually_rational,
            "blocking_coalition": "+".join(v.blocking_coalition),
            "excess_low_eur_per_yr": v.excess_low_eur_per_yr,
            "excess_high_eur_per_yr": v.excess_high_eur_per_yr,
            "surely_blocking": v.surely_blocking,
            "possibly_blocking": v.possibly_blocking,
        }
        for name, v in verdicts.rules.items()
    ]
    return pd.DataFrame(rows, columns=list(layout.RULES_TABLE.columns))


def allocation_table(
    comparison: AllocationComparison,
    extra: dict[str, RuleResult],
    verdicts: AllocationVerdicts,
    grand: SizingResult | None = None,
) -> pd.DataFrame:
    """One row per rule and partner: cost, saving, CO2 reduction and its share, rationality.

    Parameters
    ----------
    comparison
        Rules side by side.
    extra
        Further rules (e.g. ``proportional_peak``), appended after the comparison's rules.
    verdicts
        Verdicts of every rule (individual rationality per partner, with bounds).
    grand
        Grand-coalition design with its reference; without it the CO2 columns are NaN.

    Returns
    -------
    pandas.DataFrame
        Columns as :data:`tsg.run_layout.ALLOCATION_COLUMNS`: the stand-alone cost is the
        design found, with its proven lower bound; ``individually_rational`` is the verdict
        (holds / fails / undecided within solver tolerance) of x_i <= c({i}), its margin
        c({i}) - x_i given by bounds. Per-rule verdicts are in :func:`rules_table`. A
        partner's CO2 reduction is its
        buildings' reference CO2 minus their CO2 in the design minus its cost share
        ``x_i / c(N)`` of the CO2 of the shared items; the shares sum to 1 for every rule.

    """
    players = comparison.players
    no_co2 = grand is None or not grand.reference_costs
    if not no_co2:
        reference, own, shared = co2_by_partner(grand, players)
        total = sum(reference.values()) - sum(own.values()) - shared
    rows = []
    for name, rule in {**comparison.rules, **extra}.items():
        for p in players:
            alone = comparison.standalone[p]
            cost = rule.cost[p]
            if no_co2:
                reduction = share = float("nan")
            else:
                part = cost / comparison.grand_cost if comparison.grand_cost else 0.0
                reduction = reference[p] - own[p] - shared * part
                share = reduction / total if abs(total) > 1e-9 else float("nan")
            partner = verdicts.rules[name].partners[p]
            rows.append(
                {
                    "rule": name,
                    "partner": p,
                    "cost_eur_per_yr": cost,
                    "standalone_eur_per_yr": alone,
                    "standalone_low_eur_per_yr": partner.standalone_low_eur_per_yr,
                    "saving_eur_per_yr": alone - cost,
                    "saving_pct": 100.0 * (alone - cost) / alone if alone else float("nan"),
                    "co2_reduction_t_per_yr": reduction,
                    "co2_reduction_share": share,
                    "individually_rational": partner.individually_rational,
                    "rationality_margin_low_eur_per_yr": partner.margin_low_eur_per_yr,
                    "rationality_margin_high_eur_per_yr": partner.margin_high_eur_per_yr,
                }
            )
    return pd.DataFrame(rows, columns=list(layout.ALLOCATION_COLUMNS))


def allocation_chart(table: pd.DataFrame, path: Path) -> Path:
    """Draw grouped bars: each partner's annual cost under every rule, stand-alone cost marked."""
    players = list(dict.fromkeys(table["partner"]))
    rules = list(dict.fromkeys(table["rule"]))
    figure, axis = plt.subplots(figsize=(max(8.0, 1.4 * len(players) + 3), 5.0))
    width = 0.8 / len(rules)
    x = np.arange(len(players))
    colours = plt.get_cmap("tab10")
    for k, rule in enumerate(rules):
        values = table[table["rule"] == rule].set_index("partner").loc[players, "cost_eur_per_yr"]
        axis.bar(
            x - 0.4 + (k + 0.5) * width,
            values.to_numpy() / 1000.0,
            width,
            label=rule,
            color=colours(k % 10),
        )
    alone = table.drop_duplicates("partner").set_index("partner").loc[players]
    axis.scatter(
        x,
        alone["standalone_eur_per_yr"].to_numpy() / 1000.0,
        marker="_",
        s=2000 * 0.8,
        color="black",
        linewidths=2,
        label="stand-alone c({i})",
        zorder=3,
    )
    axis.axhline(0.0, color="grey", linewidth=0.8)
    axis.set_xticks(x, players, rotation=20, ha="right")
    axis.set(ylabel="allocated cost [kEUR/yr]", title="Cost of each partner under each rule")
    axis.grid(axis="y", alpha=0.3)
    axis.legend(fontsize="small", ncol=3)
    figure.tight_layout()
    try:
        write_atomically(path, lambda p: figure.savefig(p, format="png", dpi=110))
    finally:
        plt.close(figure)
    return path


def write_allocation_outputs(
    folder: Path,
    *,
    comparison: AllocationComparison,
    verdicts: AllocationVerdicts,
    game: Game,
    peak_rule: RuleResult | None,
    solves: pd.DataFrame,
    grand: SizingResult | None,
    meta: dict,
) -> list[Path]:
    """Write every allocation file into ``folder`` (atomically) and return their paths.

    Parameters
    ----------
    folder
        ``<run>/allocation``.
    comparison
        Rules side by side (goes to ``allocation.json``).
    verdicts
        Verdicts within solver tolerance (``allocation.json``, ``rules.csv``).
    game
        The cost game (``coalition_costs.csv``).
    peak_rule
        Proportional by peak demand (CSV only), or None.
    solves
        Per-coalition solve table (``coalition_solves.csv``).
    grand
        Grand-coalition design (CO2 columns), or None.
    meta
        Extra facts for ``allocation_meta.json``.

    Returns
    -------
    list of Path

    """
    extra = {"proportional_peak": peak_rule} if peak_rule is not None else {}
    table = allocation_table(comparison, extra, verdicts, grand)
    files = [
        *write_allocation_tables(folder, comparison, verdicts, table),
        write_text(layout.COALITION_COSTS.in_folder(folder), cost_file_text(game)),
        write_allocation_table(folder, layout.COALITION_SOLVES, solves),
        write_json(layout.ALLOCATION_META.in_folder(folder), meta),
        allocation_chart(table, layout.ALLOCATION_CHART.in_folder(folder)),
    ]
    tables = [f for f in files if f.suffix == ".csv"]
    return [*files, write_workbook(layout.ALLOCATION_XLSX.in_folder(folder), tables)]


def write_allocation_tables(
    folder: Path,
    comparison: AllocationComparison,
    verdicts: AllocationVerdicts,
    table: pd.DataFrame,
) -> list[Path]:
    """Write ``allocation.json``, ``allocation.csv`` and ``rules.csv`` (their one writer).

    Parameters
    ----------
    folder
        ``<run>/allocation``, or the ``--out`` folder of ``tsg allocate --costs``.
    comparison
        Rules side by side.
    verdicts
        Their verdicts within solver tolerance.
    table
        :func:`allocation_table` of the comparison.

    Returns
    -------
    list of Path
    """
    return [
        write_json(
            layout.ALLOCATION_JSON.in_folder(folder), allocation_document(comparison, verdicts)
        ),
        write_allocation_table(folder, layout.ALLOCATION_TABLE, table),
        write_allocation_table(folder, layout.RULES_TABLE, rules_table(verdicts)),
    ]


def write_allocation_table(folder: Path, spec: layout.OutputFile, table: pd.DataFrame) -> Path:
    """CSV with fixed decimals (money to the cent stays readable, shares keep 4 digits)."""
    return write_table(spec.in_folder(folder), table, spec=spec, float_format="%.4f")
