"""Which OFAC list a file or entry belongs to, read from its program tags.

OFAC's SDN and consolidated (non-SDN) files share one format, so a file of one list given as the other is only
recognisable by content: the non-SDN lists have their own program tags (NS-PLC, CMIC-EO13959, FSE-*, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from redline.sources.loaded import SourceList, fail

# Program tags that only appear on the consolidated non-SDN lists.
_NON_SDN_PROGRAMS = {"NS-PLC", "CMIC-EO13959", "CMIC-EO", "CCMC-EO13959", "561-RELATED"}
_NON_SDN_PREFIXES = ("FSE-", "NS-")
# A consolidated file has many such entries; a share this low still allows a handful of stray tags.
_CONSOLIDATED_SHARE = 0.05


def _non_sdn(program: str) -> bool:
    tag = program.strip().upper()
    return tag in _NON_SDN_PROGRAMS or tag.startswith(_NON_SDN_PREFIXES)


def looks_consolidated(programs_per_entry: Iterable[Iterable[str]]) -> tuple[bool, int]:
    """(is the consolidated list, how many entries carry a non-SDN program)."""
    total = marked = 0
    for programs in programs_per_entry:
        total += 1
        marked += any(_non_sdn(program) for program in programs)
    return total > 0 and marked >= max(1, total * _CONSOLIDATED_SHARE), marked


def which_ofac_list(
    path: Path | str, programs_per_entry: list[tuple[str, ...]], expected: SourceList | None
) -> SourceList:
    """SDN or consolidated, by content; refuses a file given as the other list."""
    consolidated, marked = looks_consolidated(programs_per_entry)
    found = SourceList.OFAC_CONS if consolidated else SourceList.OFAC_SDN
    if expected is not None and expected is not found:
        what = "consolidated non-SDN list" if consolidated else "SDN list"
        raise fail(
            path,
            None,
            f"given as {expected.value} but the file is OFAC's {what} ({marked} of {len(programs_per_entry)} "
            "entries carry a non-SDN program such as NS-PLC or CMIC-EO13959)",
        )
    return found


def consolidated_lists(programs: Iterable[str], remarks: str) -> tuple[str, ...]:
    """The non-SDN list(s) a consolidated entry is on, by OFAC's program tags and directive remarks."""
    found: dict[str, None] = {}
    for program in programs:
        tag = program.strip().upper()
        if tag == "NS-PLC":
            found["NS-PLC"] = None
        elif tag.startswith("CMIC"):
            found["NS-CMIC"] = None
        elif tag.startswith("CCMC"):
            found["NS-CCMC"] = None
        elif tag.startswith("FSE-"):
            found["FSE"] = None
        elif tag == "561-RELATED":
            found["CAPTA"] = None
    if not found:
        found["SSI" if "Directive" in remarks else "NS-MBS"] = None
    return tuple(found)
