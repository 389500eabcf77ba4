"""How every face shows two things, once: a decision's colour and an amount of money. Pure: the screening report
(`redline.screen.html_report`) and the pages (`redline.server.web`) both read them, so they cannot drift apart."""

from __future__ import annotations

from redline.model.vocabulary import Decision

DECISION_COLOURS: dict[str, str] = {
    Decision.OK.value: "#2e7d32",
    Decision.REVIEW.value: "#f9a825",
    Decision.DIVEST.value: "#ef6c00",
    Decision.HOLD_ONLY.value: "#6a1b9a",
    Decision.BLOCK.value: "#c62828",
    Decision.ERROR.value: "#546e7a",
}


def money(amounts: dict[str, float]) -> str:
    """Amounts per currency, whole units with thousands separators (`USD 1,234, EUR 56`); a dash for none."""
    return ", ".join(f"{currency} {value:,.0f}" for currency, value in sorted(amounts.items())) or "—"
