"""Great Expectations suites as code: one module per source (sits, seats, moodle, schools) and one for the
engagement_weekly mart. Each function builds a `gx.ExpectationSuite` named `<source>.<what>`, with
thresholds as keyword defaults; every expectation carries a plain-English `meta["label"]`.

Row-level suites check what a relational test cannot: code sets, ranges, dates within the term and
shares of nulls. Figures that need more than one row (drops, coverage, freshness, shifts) are computed
in `expectations.metrics` and validated here as small metrics frames.
"""

from expectations.runner import load_gx


def build(name: str, expectations: list) -> "object":
    """A suite named `name` holding `expectations`."""
    gx = load_gx()
    suite = gx.ExpectationSuite(name=name)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite


def expect():
    """`gx.expectations`, imported on first use."""
    return load_gx().expectations
