"""Market impact: event studies of listings, effective dates and court orders.

Layers: `tables` reads wide CSVs, `panel` turns prices into returns, `align` puts every event on its own
trading-day clock, `models` fits the normal-return models, `statistics` runs the cross-sectional tests and
`study` ties them into one result with a stable JSON form (docs/impact.md).
"""
