"""Cost allocation among alliance partners sharing a thermal grid (cooperative game theory).

c(S) is the optimal annual cost [EUR/yr] of serving coalition S's buildings. All functions
are pure: they take a :class:`Game` and return allocations player -> cost [EUR/yr] that sum
to c(N). See ``docs/allocation_rules.md`` for the rules and what they mean for a partner.
"""

from tsg.optimisation.allocation.compare import (
    RULE_NAMES,
    AllocationComparison,
    RuleResult,
    compare_rules,
)
from tsg.optimisation.allocation.game import MAX_PLAYERS, Game
from tsg.optimisation.allocation.intervals import (
    FAILS,
    HOLDS,
    UNDECIDED,
    CoreVerdict,
    IntervalGame,
    PartnerVerdict,
    RuleVerdict,
    core_verdict,
    deciding_coalitions,
    rule_verdict,
)
from tsg.optimisation.allocation.nucleolus import (
    LeastCore,
    least_core,
    least_core_epsilon,
    nucleolus,
)
from tsg.optimisation.allocation.shapley import SampledShapley, shapley_exact, shapley_sampled
from tsg.optimisation.allocation.simple_rules import equal_savings, equal_split, proportional, scrb
from tsg.optimisation.allocation.stability import (
    CoreCheck,
    core_check,
    core_nonempty,
    in_core,
    individually_rational,
    rationality_violations,
)

__all__ = [
    "FAILS",
    "HOLDS",
    "MAX_PLAYERS",
    "UNDECIDED",
    "CoreVerdict",
    "IntervalGame",
    "PartnerVerdict",
    "RuleVerdict",
    "core_verdict",
    "deciding_coalitions",
    "rule_verdict",
    "RULE_NAMES",
    "AllocationComparison",
    "CoreCheck",
    "Game",
    "LeastCore",
    "RuleResult",
    "SampledShapley",
    "compare_rules",
    "core_check",
    "core_nonempty",
    "equal_savings",
    "equal_split",
    "in_core",
    "individually_rational",
    "least_core",
    "least_core_epsilon",
    "nucleolus",
    "proportional",
    "rationality_violations",
    "scrb",
    "shapley_exact",
    "shapley_sampled",
]
