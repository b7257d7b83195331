"""Position scorecards (指标库): the model, the workbook read and written from one layout, and
the scorecards shipped for seeds 001–004."""

from .library import (
    Indicator,
    Library,
    Scorecard,
    ScorecardError,
    library_for,
    load_scorecards,
    scorecard_for,
    write_scorecards,
)

__all__ = ["Indicator", "Library", "Scorecard", "ScorecardError", "library_for", "load_scorecards", "scorecard_for", "write_scorecards"]
