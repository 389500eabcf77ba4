"""Looking up the regime that reads a list."""

from __future__ import annotations

from redline.model import ListId, Regime, RegimeId


def regime_for_list(regimes: dict[RegimeId, Regime], list_id: ListId) -> Regime:
    for regime in regimes.values():
        if list_id in regime.lists:
            return regime
    raise KeyError(f"no regime reads list {list_id}")
