"""THE scoring rules of kpi-xl: each one a vectorised numpy function and, beside it, the
builder of the native Excel formula that computes the same value.

The Excel functions (udfs/kpi_udfs.py), the formulas written into the forms and the batch
summaries all call these; nothing else defines a rule. This package imports numpy and
the policy only: no openpyxl, xlwings or click (a test holds that boundary).
"""

from ._call import EXCEL_ERRORS, for_cells, is_blank, to_cells
from .combine import (
    kpi_360,
    kpi_360_formula,
    kpi_rank_points,
    kpi_rank_points_formula,
    kpi_weighted,
    kpi_weighted_formula,
)
from .formula import cell_formula
from .grading import (
    QuotaChange,
    QuotaOutcome,
    a_quota_cap,
    apply_a_quota,
    grade_pay,
    grade_pay_formula,
    kpi_grade,
    kpi_grade_formula,
    kpi_quota,
    quota_department_keep_formula,
    quota_grade_formula,
)
from .scoring import (
    kpi_band,
    kpi_band_formula,
    kpi_bonus,
    kpi_bonus_formula,
    kpi_deduct,
    kpi_deduct_formula,
    kpi_linear,
    kpi_linear_formula,
    kpi_qc_factor,
    kpi_qc_factor_formula,
    kpi_ratio,
    kpi_ratio_formula,
    kpi_relative,
    kpi_relative_formula,
)

# Excel name → Python rule. The UDF module exposes exactly these.
RULES = {
    "KPI_LINEAR": kpi_linear,
    "KPI_RELATIVE": kpi_relative,
    "KPI_BAND": kpi_band,
    "KPI_DEDUCT": kpi_deduct,
    "KPI_BONUS": kpi_bonus,
    "KPI_RATIO": kpi_ratio,
    "KPI_WEIGHTED": kpi_weighted,
    "KPI_GRADE": kpi_grade,
    "GRADE_PAY": grade_pay,
    "KPI_360": kpi_360,
    "KPI_QC_FACTOR": kpi_qc_factor,
    "KPI_RANK_POINTS": kpi_rank_points,
    "KPI_QUOTA": kpi_quota,
}

__all__ = [
    "EXCEL_ERRORS",
    "RULES",
    "QuotaChange",
    "QuotaOutcome",
    "a_quota_cap",
    "apply_a_quota",
    "cell_formula",
    "for_cells",
    "grade_pay",
    "grade_pay_formula",
    "is_blank",
    "kpi_360",
    "kpi_360_formula",
    "kpi_band",
    "kpi_band_formula",
    "kpi_bonus",
    "kpi_bonus_formula",
    "kpi_deduct",
    "kpi_deduct_formula",
    "kpi_grade",
    "kpi_grade_formula",
    "kpi_linear",
    "kpi_linear_formula",
    "kpi_qc_factor",
    "kpi_qc_factor_formula",
    "kpi_quota",
    "kpi_rank_points",
    "kpi_rank_points_formula",
    "kpi_ratio",
    "kpi_ratio_formula",
    "kpi_relative",
    "kpi_relative_formula",
    "kpi_weighted",
    "kpi_weighted_formula",
    "quota_department_keep_formula",
    "quota_grade_formula",
    "to_cells",
]
