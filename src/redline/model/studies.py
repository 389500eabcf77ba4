"""The vocabulary of an event study (docs/impact.md): the normal-return model, how day 0 is chosen when the
security did not trade on the event date, and how returns are computed from prices. Pure enums: the impact package
computes with them, and the interfaces take them as options."""

from __future__ import annotations

from enum import StrEnum


class RegressorKind(StrEnum):
    NONE = "none"
    MARKET = "market"
    FACTORS = "factors"


class ModelName(StrEnum):
    CONSTANT_MEAN = "constant-mean"
    MARKET_ADJUSTED = "market-adjusted"
    MARKET = "market"
    FF3 = "ff3"

    @property
    def regressors(self) -> RegressorKind:
        if self in (ModelName.MARKET, ModelName.MARKET_ADJUSTED):
            return RegressorKind.MARKET
        if self is ModelName.FF3:
            return RegressorKind.FACTORS
        return RegressorKind.NONE

    @property
    def param_names(self) -> tuple[str, ...]:
        return {
            ModelName.CONSTANT_MEAN: ("mean",),
            ModelName.MARKET_ADJUSTED: (),
            ModelName.MARKET: ("alpha", "beta"),
            ModelName.FF3: ("alpha", "b_mkt_rf", "s_smb", "h_hml"),
        }[self]

    @property
    def dof_used(self) -> int:
        """Degrees of freedom the residual variance loses: the parameters, or the mean for market-adjusted."""
        return max(len(self.param_names), 1)


class DayZeroRule(StrEnum):
    NEXT = "next"  # the event date if the security traded then, else its next trading day (the default)
    PREVIOUS = "previous"  # the event date if traded, else the security's last trading day before it
    EXACT = "exact"  # the security must have traded on the event date


class ReturnKind(StrEnum):
    SIMPLE = "simple"  # P_t / P_s - 1
    LOG = "log"  # ln(P_t / P_s)
