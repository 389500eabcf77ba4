"""Share-class and listing words that issuers append to a company's name: "CRRC CORP LTD A", "CRRC Corp. Ltd. Class
H", "China Mobile Ltd (H)", "Baidu Inc ADR", "Hikvision Digital Technology Co Ltd A Shares".

They name the line of stock, not the company, and a trailing single letter defeats name matching ("CRRC CORP LTD A"
gets no candidate, "SMIC A" looks like "SMIC Americas"); the company is the name without them. A and H shares and
ADRs of one issuer then resolve to the same entity, which look-through aggregates per fund.
"""

from __future__ import annotations

import re

_TRAILING = re.compile(
    r"""(?:
        [\s,]+(?:class|cl|series|ser)\.?\s*[A-Z0-9]{1,2}          # Class H, CL A, Series B
      | [\s,]+[ABHNS]                                             # a bare class letter: ... LTD A
      | [\s,]+[ABHN][\s-]*shares?                                 # H Shares, A-Share
      | [\s,]+(?:sponsored\s+|unsponsored\s+)?(?:adr|ads|gdr)s?(?:\s+rep(?:resenting)?\b.*)?  # ADR, ADS, GDR
      | [\s,]+(?:ord|shs|reg|regs|npv|common\s+stock|ordinary\s+shares?|com)\.?  # Ord, Shs, NPV, Common Stock
      | \s*\((?:[ABHN]|adr|ads|class\s+[A-Z])\)                   # (H), (ADR)
      | -[ABHN]                                                   # -H
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def without_share_class(name: str) -> str:
    """The company's name with trailing share-class and listing words removed (the name as given if nothing is left)."""
    stripped = name.strip()
    while True:
        shorter = _TRAILING.sub("", stripped).rstrip(" ,-")
        if shorter == stripped or not shorter:
            return stripped
        stripped = shorter
