"""Each student's latent engagement, week by week: the one cause behind attendance, VLE and submissions.

A level per student (standard normal), a slide for a minority after some week, and weekly noise.
Students who later withdraw start lower and slide in the weeks before they leave.
"""

import numpy as np

from leap_assets.synthetic import calibration as cal


def expit(x: np.ndarray) -> np.ndarray:
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-x))


def weekly_levels(rng: np.random.Generator, base: np.ndarray, weeks: int, withdraw_day: np.ndarray) -> np.ndarray:
    """Engagement per student (rows) and report week (columns), float32."""
    n = len(base)
    drifting = rng.random(n) < cal.DRIFT_SHARE
    onset = rng.integers(1, max(2, int(weeks * 0.7)), n).astype(float)
    rate = np.where(drifting, rng.uniform(*cal.DRIFT_PER_WEEK, n), 0.0)
    level = base.copy()
    leaving = withdraw_day >= 0
    level[leaving] += cal.WITHDRAWER_SHIFT
    onset[leaving] = np.maximum(0, withdraw_day[leaving] // 7 - 3)
    rate[leaving] = 0.45
    week = np.arange(weeks, dtype=float)
    slide = rate[:, None] * np.clip(week[None, :] - onset[:, None], 0, None)
    noise = rng.normal(0.0, cal.WEEKLY_NOISE_SD, (n, weeks))
    return (level[:, None] - slide + noise).astype(np.float32)
