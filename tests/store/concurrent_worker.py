"""Run as a separate process by test_concurrency: records runs and decisions as fast as it can."""

from __future__ import annotations

import sys
import uuid

from redline.store.screening import AlertHit, RunRecord, ScreenStore
from redline.store.stamps import stamp


def main(url: str, worker: int, rounds: int) -> None:
    store = ScreenStore(url)
    for round_number in range(rounds):
        run_id = uuid.uuid4().hex
        now = stamp()
        # Every worker reports the same two shared alerts plus one of its own, so upserts collide on purpose.
        hits = [
            AlertHit(
                alert_id=alert_id,
                fingerprint=f"fp-{alert_id}",
                entity_id="xiaomi",
                entity_version="v1",
                entity_events=("ccmc-xiaomi",),
                kind="holdings",
                label=f"row {alert_id}",
                decision="DIVEST",
                regimes=("EO13959",),
                explanation={"worker": worker},
                row_number=row,
                suppressed=False,
            )
            for row, alert_id in enumerate(("shared-a", "shared-b", f"own-{worker}-{round_number}"), start=1)
        ]
        run = RunRecord(
            run_id, now, now, "holdings", "completed", "book.csv", "csv", "0" * 64, {}, {}, {"rows": 3}, None
        )
        store.record_run(run, hits)
        store.decide([f"own-{worker}-{round_number}"], "false-positive", f"worker {worker} round {round_number}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
