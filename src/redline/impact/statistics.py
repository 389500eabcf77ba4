"""Cross-sectional tests of abnormal returns, per event day and per window.

Inputs are (events x relative days) matrices; every statistic is a vectorised expression over them.
Conventions (degrees of freedom, which sigma, how missing days count) are listed per test in docs/impact.md.
Where estudy2 deviates from the textbook, `estudy2_compat=True` reproduces its published numbers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

# name -> (what it is, the paper, the null distribution). The JSON `aggregate.tests` prints this table.
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "bw1980": (
        "Brown-Warner t, independent securities: AAR / (sqrt(sum sigma_i^2) / N)",
        "Brown, S.J., Warner, J.B. (1980). Measuring security price performance. JFE 8(3), 205-258",
        "t(mean L - 1)",
    ),
    "bw1985": (
        "Brown-Warner t with crude dependence adjustment: AAR / sd(AAR over the estimation window)",
        "Brown, S.J., Warner, J.B. (1985). Using daily stock returns: the case of event studies. JFE 14(1), 3-31",
        "t(mean L - 1)",
    ),
    "t": (
        "cross-sectional t: AAR / (sd_i(AR) / sqrt(N))",
        "Brown and Warner (1985); MacKinlay, A.C. (1997). Event studies in economics and finance. JEL 35(1)",
        "t(N - 1)",
    ),
    "patell": (
        "Patell Z: sum SAR / sqrt(sum (L_i - p)/(L_i - p - 2))",
        "Patell, J.M. (1976). Corporate forecasts of earnings per share and stock price behavior. JAR 14(2)",
        "N(0,1)",
    ),
    "bmp": (
        "Boehmer-Musumeci-Poulsen standardized cross-sectional t: mean SAR / (sd SAR / sqrt(N))",
        "Boehmer, E., Musumeci, J., Poulsen, A.B. (1991). Event-study methodology under conditions of "
        "event-induced variance. JFE 30(2), 253-272",
        "t(N - 1)",
    ),
    "kp": (
        "Kolari-Pynnonen adjusted BMP: BMP * sqrt((1 - r)/(1 + (N - 1) r)), r = mean pairwise correlation of "
        "estimation-window abnormal returns",
        "Kolari, J.W., Pynnonen, S. (2010). Event study testing with cross-sectional correlation of abnormal "
        "returns. RFS 23(11), 3996-4025",
        "t(N - 1)",
    ),
    "lamb": (
        "Lamb's t: AAR / (sd(AAR over the estimation window) * sqrt(1 + 1/mean L + c_t))",
        "Lamb, R.P. (1995). An exposure-based analysis of property-liability insurer stock values around "
        "Hurricane Andrew. J. Risk and Insurance 62(1), 111-123",
        "N(0,1)",
    ),
    "sign": (
        "sign test: (N+ - N/2) / sqrt(N/4)",
        "Cowan, A.R. (1992). Nonparametric event study tests. RQFA 2, 343-358; Brown and Warner (1980)",
        "N(0,1)",
    ),
    "gsign": (
        "Cowan generalized sign: (N+ - N p) / sqrt(N p (1 - p)), p = share of positive estimation-window ARs",
        "Cowan, A.R. (1992). Nonparametric event study tests. RQFA 2, 343-358",
        "N(0,1)",
    ),
    "csign": (
        "Corrado-Zivney sign test on sign(AR - median)",
        "Corrado, C.J., Zivney, T.L. (1992). The specification and power of the sign test in event study "
        "hypothesis tests using daily stock returns. JFQA 27(3), 465-478",
        "N(0,1)",
    ),
    "rank": (
        "Corrado rank test on ranks within each security's estimation + event days; windows: Cowan's CAR rank",
        "Corrado, C.J. (1989). A nonparametric test for abnormal security-price performance in event studies. "
        "JFE 23(2), 385-395; Cowan (1992) for windows",
        "N(0,1)",
    ),
    "mrank": (
        "modified (standardized) rank test: U = K/(1 + L) - 1/2",
        "Corrado and Zivney (1992); Kolari and Pynnonen (2010)",
        "N(0,1)",
    ),
    "wilcoxon": (
        "Wilcoxon signed-rank W+ of the cross-section (zeros dropped); p from scipy.stats.wilcoxon",
        "Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics Bulletin 1(6), 80-83",
        "signed-rank",
    ),
}


@dataclass(frozen=True)
class TestInputs:
    ar: np.ndarray  # (N, W)
    est: np.ndarray  # (N, W) estimation observations
    span: np.ndarray  # (W,) the event days
    sigma2: np.ndarray  # (N,)
    n: np.ndarray  # (N,) estimation observations
    sar: np.ndarray  # (N, W) AR / its standard error
    patell_df: np.ndarray  # (N,) degrees of freedom of each SAR
    lamb_c: np.ndarray | None  # (W,) forecast-error term of Lamb's test beyond 1 + 1/mean L; None: no test
    estudy2_compat: bool = False


@dataclass(frozen=True)
class Outcome:
    stat: np.ndarray
    p: np.ndarray


def _t_p(stat: np.ndarray, df: np.ndarray | float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.asarray(2 * stats.t.sf(np.abs(stat), df))


def _z_p(stat: np.ndarray) -> np.ndarray:
    return np.asarray(2 * stats.norm.sf(np.abs(stat)))


def _row_sums(values: np.ndarray, present: np.ndarray, compat: bool) -> np.ndarray:
    """Cross-sectional sums per day. estudy2 computes them as rowMeans * K (SPEC quirk 1)."""
    total = np.where(present, values, 0.0).sum(axis=0)
    if not compat:
        return np.asarray(total)
    count = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(count > 0, total / count * values.shape[0], np.nan))


def mean_pairwise_correlation(residuals: np.ndarray, present: np.ndarray) -> float:
    """Mean off-diagonal correlation of the events' estimation-window residuals, in event time.

    Each series is centred and scaled to unit length over its own days (missing days count zero), so the
    N x N correlation matrix never has to exist: the mean off-diagonal entry is (|sum z|^2 - N) / (N (N-1)).
    Exact for complete data; with missing days it is the Pearson correlation over each pair's common days
    taken with each series' own moments.
    """
    count = residuals.shape[0]
    if count < 2:
        return 0.0
    centred = np.where(present, residuals - _nanmean_rows(residuals, present)[:, None], 0.0)
    norms = np.sqrt((centred * centred).sum(axis=1))
    z = centred / norms[:, None]
    total = z.sum(axis=0)
    return float((total @ total - count) / (count * (count - 1)))


def _nanmean_rows(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    return np.asarray(np.where(present, values, 0.0).sum(axis=1) / present.sum(axis=1))


class CrossSection:
    """All tests for one study; `daily()` per event day, `window(mask)` for a window of event days."""

    def __init__(self, inp: TestInputs) -> None:
        self.inp = inp
        ar, est, span = inp.ar, inp.est, inp.span
        self.a = ar[:, span]
        self.avail = np.isfinite(self.a)
        self.count = self.avail.sum(axis=0)
        self.aar = np.asarray(np.where(self.avail, self.a, 0.0).sum(axis=0) / self.count)
        est_days = est.any(axis=0)
        est_ar = np.where(est, ar, 0.0)
        aar_est = est_ar.sum(axis=0)[est_days] / est.sum(axis=0)[est_days]
        self.sd_aar_est = float(np.std(aar_est, ddof=1))
        self.mean_l = float(inp.n.mean())
        self.r_bar = mean_pairwise_correlation(ar, est)
        # Rank sample: estimation days plus event days, per security.
        self.sample = (est | span[None, :]) & np.isfinite(ar)
        self.l_full = self.sample.sum(axis=1)
        self.mean_l_full = float(self.l_full.mean())
        masked = np.where(self.sample, ar, np.nan)
        self.ranks = stats.rankdata(masked, axis=1, nan_policy="omit")
        median = np.nanmedian(masked, axis=1)
        self.signs = np.where(self.sample, np.sign(ar - median[:, None]), 0.0)
        self.n_tau = self.sample.sum(axis=0)
        est_pos = np.where(est, ar > 0, False)
        if inp.estudy2_compat:  # estudy2 pools all firm-days (SPEC)
            self.p_hat = float(est_pos.sum() / est.sum())
        else:  # Cowan (1992): the average of each security's share
            self.p_hat = float((est_pos.sum(axis=1) / est.sum(axis=1)).mean())

    # -- per-day statistics --------------------------------------------------------------------------------
    def daily(self) -> dict[str, Outcome]:
        inp, a, avail, count, aar = self.inp, self.a, self.avail, self.count, self.aar
        out: dict[str, Outcome] = {}
        # A day with one event has no cross-sectional sd: its t-type statistics are NaN (null in JSON).
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # Brown and Warner (1980), JFE 8(3): securities independent, each with its own sigma.
            sum_var = np.where(avail, inp.sigma2[:, None], 0.0).sum(axis=0)
            stat = aar / (np.sqrt(sum_var) / count)
            out["bw1980"] = Outcome(stat, _t_p(stat, self.mean_l - 1))
            # Brown and Warner (1985), JFE 14(1): "crude dependence adjustment", the sd of the portfolio AAR.
            stat = aar / self.sd_aar_est
            out["bw1985"] = Outcome(stat, _t_p(stat, self.mean_l - 1))
            # Cross-sectional t (Brown and Warner 1985; MacKinlay 1997): robust to event-induced variance.
            sd = np.nanstd(a, axis=0, ddof=1)
            stat = aar / (sd / np.sqrt(count))
            out["t"] = Outcome(stat, _t_p(stat, count - 1))
            # Patell (1976), JAR 14(2): standardized ARs, each t(df) with variance df/(df-2).
            sar = inp.sar[:, inp.span]
            var_ratio = np.where(avail, (inp.patell_df / (inp.patell_df - 2))[:, None], 0.0).sum(axis=0)
            stat = np.nansum(sar, axis=0) / np.sqrt(var_ratio)
            out["patell"] = Outcome(stat, _z_p(stat))
            # Boehmer, Musumeci and Poulsen (1991), JFE 30(2): Patell's SARs, cross-sectional variance.
            stat = np.nanmean(sar, axis=0) / (np.nanstd(sar, axis=0, ddof=1) / np.sqrt(count))
            out["bmp"] = Outcome(stat, _t_p(stat, count - 1))
            # Kolari and Pynnonen (2010), RFS 23(11): BMP deflated for cross-correlation of the ARs.
            stat = stat * self.kp_factor(count)
            out["kp"] = Outcome(stat, _t_p(stat, count - 1))
            if inp.lamb_c is not None:
                # Lamb (1995), J. Risk and Insurance 62(1): BW 1985 with the forecast-error term of the market.
                stat = aar / (self.sd_aar_est * np.sqrt(1 + 1 / self.mean_l + inp.lamb_c[inp.span]))
                out["lamb"] = Outcome(stat, _z_p(stat))
            # Sign test (Brown and Warner 1980; Cowan 1992): share of positive ARs against one half.
            positive = np.where(avail, a > 0, False).sum(axis=0)
            stat = (positive - 0.5 * count) / np.sqrt(0.25 * count)
            out["sign"] = Outcome(stat, _z_p(stat))
            # Cowan (1992), RQFA 2: against the estimation window's share of positive ARs.
            p = self.p_hat
            stat = (positive - count * p) / np.sqrt(count * p * (1 - p))
            out["gsign"] = Outcome(stat, _z_p(stat))
            out["csign"] = self._corrado_sign()
            out["rank"] = self._rank()
            out["mrank"] = self._modified_rank()
            out["wilcoxon"] = self._wilcoxon_days()
        return out

    def kp_factor(self, count: np.ndarray | int) -> np.ndarray:
        r = self.r_bar
        return np.sqrt((1 - r) / (1 + (np.asarray(count) - 1) * r))

    def _standardised_sum_test(self, values: np.ndarray) -> Outcome:
        """sum_i V_it / sqrt(N_t) / S, S^2 = mean over days of (sum_i V / sqrt(n_tau))^2 (csign, mrank)."""
        compat, span = self.inp.estudy2_compat, self.inp.span
        sums = _row_sums(values, self.sample, compat)
        with np.errstate(invalid="ignore", divide="ignore"):
            terms = np.where(self.n_tau > 0, sums / np.sqrt(self.n_tau), 0.0)
            s = np.sqrt(np.nansum(terms**2) / self.mean_l_full)
            stat = sums[span] / np.sqrt(self.count) / s
        return Outcome(stat, _z_p(stat))

    def _corrado_sign(self) -> Outcome:
        # Corrado and Zivney (1992): G = sign(AR - median of the security's estimation + event ARs).
        return self._standardised_sum_test(self.signs)

    def _modified_rank(self) -> Outcome:
        # Corrado and Zivney (1992) standardized ranks, as used by Kolari and Pynnonen (2010).
        u = np.where(self.sample, self.ranks / (1 + self.l_full[:, None]) - 0.5, 0.0)
        return self._standardised_sum_test(u)

    def _rank_deviations(self) -> np.ndarray:
        return np.asarray(np.where(self.sample, self.ranks - (self.l_full[:, None] + 1) / 2, 0.0))

    def _rank(self) -> Outcome:
        # Corrado (1989): mean rank deviation over the cross-section, scaled by its time-series sd.
        compat, span = self.inp.estudy2_compat, self.inp.span
        u = self._rank_deviations()
        sums = _row_sums(u, self.sample, compat)
        with np.errstate(invalid="ignore", divide="ignore"):
            terms = np.where(self.n_tau > 0, sums / self.n_tau, 0.0)
            s = np.sqrt(np.nansum(terms**2) / self.mean_l_full)
            stat = sums[span] / self.count / s
        return Outcome(stat, _z_p(stat))

    def _wilcoxon_days(self) -> Outcome:
        # Wilcoxon (1945), Biometrics Bulletin 1(6): signed ranks of the cross-section of ARs.
        stat = np.full(self.a.shape[1], np.nan)
        p = np.full(self.a.shape[1], np.nan)
        for d in range(self.a.shape[1]):
            stat[d], p[d] = wilcoxon(self.a[self.avail[:, d], d])
        return Outcome(stat, p)

    # -- per-window statistics -----------------------------------------------------------------------------
    def window(
        self, days: np.ndarray, car: np.ndarray, scar: np.ndarray, daily: dict[str, Outcome]
    ) -> dict[str, Outcome]:
        """Tests of the window `days` (bool over event days) from CARs and standardized CARs per event."""
        inp = self.inp
        t_len = int(days.sum())
        ok = np.isfinite(car)
        count = int(ok.sum())
        caar = float(np.nanmean(car))
        out: dict[str, Outcome] = {}
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)

            def one(stat: float | np.ndarray, p: float | np.ndarray) -> Outcome:
                return Outcome(np.asarray(stat), np.asarray(p))

            stat = caar / (np.sqrt(t_len * inp.sigma2[ok].sum()) / count)
            out["bw1980"] = one(stat, _t_p(np.asarray(stat), self.mean_l - 1))
            stat = caar / (np.sqrt(t_len) * self.sd_aar_est)
            out["bw1985"] = one(stat, _t_p(np.asarray(stat), self.mean_l - 1))
            stat = caar / (np.std(car[ok], ddof=1) / np.sqrt(count))
            out["t"] = one(stat, _t_p(np.asarray(stat), count - 1))
            df = inp.patell_df[ok]
            stat = scar[ok].sum() / np.sqrt((df / (df - 2)).sum())
            out["patell"] = one(stat, _z_p(np.asarray(stat)))
            stat = scar[ok].mean() / (np.std(scar[ok], ddof=1) / np.sqrt(count))
            out["bmp"] = one(stat, _t_p(np.asarray(stat), count - 1))
            stat = stat * float(self.kp_factor(count))
            out["kp"] = one(stat, _t_p(np.asarray(stat), count - 1))
            # estudy2's CAR conventions (SPEC quirk 2): day statistics summed and divided by sqrt(T).
            for name in ("lamb", "csign", "mrank"):
                if name in daily:
                    stat = float(np.sum(daily[name].stat[days]) / np.sqrt(t_len))
                    out[name] = one(stat, _z_p(np.asarray(stat)))
            positive = int((car[ok] > 0).sum())
            stat = (positive - 0.5 * count) / np.sqrt(0.25 * count)
            out["sign"] = one(stat, _z_p(np.asarray(stat)))
            p = self.p_hat
            stat = (positive - count * p) / np.sqrt(count * p * (1 - p))
            out["gsign"] = one(stat, _z_p(np.asarray(stat)))
            out["rank"] = self._cowan_car_rank(days)
            w_stat, w_p = wilcoxon(car[ok])
            out["wilcoxon"] = one(w_stat, w_p)
        return out

    def _cowan_car_rank(self, days: np.ndarray) -> Outcome:
        """Cowan (1992) CAR rank test: sqrt(T) * mean window rank deviation / sd of daily mean deviations."""
        t_len = int(days.sum())
        window_cols = np.flatnonzero(self.inp.span)[days]
        present = self.sample
        if self.inp.estudy2_compat:
            # estudy2 centres on the grand mean of the securities' average ranks.
            centre = float(((self.l_full + 1) / 2).mean())
            k = np.where(present, self.ranks, 0.0)
            event_mean = float(k[:, window_cols].sum() / present[:, window_cols].sum())
            daily_means = k[:, self.n_tau > 0].sum(axis=0) / self.n_tau[self.n_tau > 0]
            s = np.sqrt(np.sum((daily_means - centre) ** 2) / self.mean_l_full)
            stat = np.sqrt(t_len) * (event_mean - centre) / s
        else:
            u = self._rank_deviations()
            event_mean = float(u[:, window_cols].sum() / present[:, window_cols].sum())
            daily_means = u[:, self.n_tau > 0].sum(axis=0) / self.n_tau[self.n_tau > 0]
            s = np.sqrt(np.sum(daily_means**2) / self.mean_l_full)
            stat = np.sqrt(t_len) * event_mean / s
        return Outcome(np.asarray(stat), _z_p(np.asarray(stat)))


def wilcoxon(values: np.ndarray) -> tuple[float, float]:
    """W+ (sum of the ranks of |x| over positive x, zeros dropped) and the two-sided p of scipy's test."""
    x = values[np.isfinite(values) & (values != 0)]
    if x.size == 0:
        return float("nan"), float("nan")
    ranks = stats.rankdata(np.abs(x))
    w_plus = float(ranks[x > 0].sum())
    return w_plus, float(stats.wilcoxon(x).pvalue)
