"""Charts of mean abnormal returns and their cumulation, with 95% confidence bands (matplotlib, PNG or SVG)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never a window

import matplotlib.pyplot as plt
import numpy as np
from scipy import stats

from redline.impact.errors import ImpactInputError
from redline.impact.files import write_atomically
from redline.impact.study import Study

FORMATS = {".png": "png", ".svg": "svg"}


def _bands(study: Study, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Mean AR and CAR per event day with 95% half-widths.

    Several events: cross-sectional standard errors (t with N-1 df). One event: its own forecast-error
    standard errors (AR) and the CAR standard error from day 0 of the span onward (t with the model's df).
    """
    span = study.aligned.span
    ar = study.fit.ar[rows][:, span]
    car = np.cumsum(ar, axis=1)
    count = ar.shape[0]
    if count > 1:
        q = stats.t.ppf(0.975, count - 1)
        half_ar = q * ar.std(axis=0, ddof=1) / np.sqrt(count)
        half_car = q * car.std(axis=0, ddof=1) / np.sqrt(count)
    else:
        q = stats.t.ppf(0.975, study.fit.df[rows][0])
        variance = study.variance[rows][:, span][0]
        half_ar = q * np.sqrt(variance)
        half_car = q * np.sqrt(np.cumsum(variance))
    return ar.mean(axis=0), half_ar, car.mean(axis=0), half_car


def plot_study(study: Study, path: Path, *, rows: np.ndarray | None = None, title: str | None = None) -> None:
    """Write the chart of the events `rows` (default: all) to `path`; the suffix picks PNG or SVG."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImpactInputError(f"cannot plot to {path}: use a .png or .svg file name")
    chosen = np.arange(len(study.aligned.securities)) if rows is None else rows
    days = study.day_offsets
    mean_ar, half_ar, mean_car, half_car = _bands(study, chosen)
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    try:
        label = "AR" if chosen.size == 1 else "mean AR"
        top.bar(days, mean_ar, color="#4c72b0", label=label)
        top.errorbar(days, mean_ar, yerr=half_ar, fmt="none", ecolor="black", capsize=3, label="95% interval")
        top.axhline(0, color="grey", linewidth=0.8)
        top.set_ylabel(label)
        top.legend(loc="best", fontsize="small")
        bottom.plot(days, mean_car, marker="o", color="#c44e52", label="CAR" if chosen.size == 1 else "CAAR")
        bottom.fill_between(days, mean_car - half_car, mean_car + half_car, alpha=0.25, color="#c44e52")
        bottom.axhline(0, color="grey", linewidth=0.8)
        bottom.set_xlabel("trading day relative to day 0")
        bottom.set_ylabel("cumulative")
        bottom.legend(loc="best", fontsize="small")
        model = study.options.model.value
        top.set_title(title or f"{chosen.size} event(s), {model} model")
        figure.tight_layout()
        write_atomically(path, lambda temp: figure.savefig(temp, format=fmt))
    finally:
        plt.close(figure)
