"""Normal-return models, fitted by OLS for all events at once.

- constant mean: R = mu + e (Brown and Warner 1980, "mean adjusted returns");
- market-adjusted: AR = R - Rm, nothing estimated (Brown and Warner 1980, "market adjusted returns");
- market model: R = alpha + beta Rm + e (MacKinlay 1997, J. Econ. Lit. 35(1):13-39, section 4);
- Fama-French three-factor: R - RF = a + b (Rm - RF) + s SMB + h HML + e (Fama and French 1993).

Every fit is a batched normal-equation solve over (events x estimation days x regressors) with the days
outside the estimation window zeroed, so 10,000 events cost a few einsum calls, not 10,000 regressions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from redline.impact.align import Aligned
from redline.impact.errors import ImpactInputError
from redline.model.studies import ModelName as ModelName


@dataclass(frozen=True)
class Fit:
    model: ModelName
    params: np.ndarray  # (N, p)
    sigma2: np.ndarray  # (N,) residual variance of the estimation window
    df: np.ndarray  # (N,) residual degrees of freedom, n - p
    ar: np.ndarray  # (N, W) abnormal returns, NaN where no observation
    leverage: np.ndarray  # (N, W) x_t' (X'X)^-1 x_t: the forecast-error share from estimating the parameters
    design: np.ndarray  # (N, W, p)
    xtx_inv: np.ndarray  # (N, p, p)


def design_matrix(model: ModelName, aligned: Aligned) -> np.ndarray:
    ones = np.ones((*aligned.y.shape, 1))
    if model is ModelName.CONSTANT_MEAN:
        return ones
    if model in (ModelName.MARKET, ModelName.FF3):
        return np.concatenate([ones, aligned.x], axis=2)
    return np.zeros((*aligned.y.shape, 0))


def fit(model: ModelName, aligned: Aligned, *, sigma_ddof_one: bool = False) -> Fit:
    """Fit `model` on each event's estimation window.

    `sigma_ddof_one` divides the residual sum of squares by n - 1 instead of n - p: estudy2 takes
    sd(AR over the estimation window) as sigma (SPEC quirk, see docs/impact.md).
    """
    est = aligned.est
    n = aligned.n.astype(float)
    y = aligned.y
    if model is ModelName.MARKET_ADJUSTED:
        ar = y - aligned.x[:, :, 0]
        mean = np.nanmean(np.where(est, ar, np.nan), axis=1)
        ssr = np.where(est, (ar - mean[:, None]) ** 2, 0.0).sum(axis=1)
        empty = np.zeros((y.shape[0], 0))
        return Fit(
            model, empty, ssr / (n - 1), n - 1, ar, np.zeros_like(ar),
            np.zeros((*y.shape, 0)), np.zeros((y.shape[0], 0, 0)),
        )  # fmt: skip
    x = design_matrix(model, aligned)
    xm = np.where(est[:, :, None], x, 0.0)
    ym = np.where(est, y, 0.0)
    xtx = np.einsum("nwp,nwq->npq", xm, xm)
    xty = np.einsum("nwp,nw->np", xm, ym)
    singular = np.linalg.matrix_rank(xtx) < xtx.shape[1]
    if singular.any():
        i = int(np.flatnonzero(singular)[0])
        raise ImpactInputError(
            f"{aligned.securities[i]} on {aligned.event_dates[i]}: the regressors are collinear in the estimation "
            "window (the model cannot be fitted)"
        )
    xtx_inv = np.linalg.inv(xtx)
    params = np.einsum("npq,nq->np", xtx_inv, xty)
    ar = y - np.einsum("nwp,np->nw", x, params)
    ssr = np.where(est, ar, 0.0)
    ssr = (ssr * ssr).sum(axis=1)
    p = x.shape[2]
    df = n - p
    sigma2 = ssr / (n - 1 if sigma_ddof_one else df)
    leverage = np.einsum("nwp,npq,nwq->nw", x, xtx_inv, x)
    return Fit(model, params, sigma2, df, ar, leverage, x, xtx_inv)
