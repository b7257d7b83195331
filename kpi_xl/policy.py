"""The appraisal policy: every threshold a rule uses, with seed 000's defaults.

A policy is a frozen tree of small sections. Each key is declared once, with its meaning
(Chinese and English), the seed clause it comes from and the values it accepts (`setting`);
each section lists the rules between its keys (`RULES`). One validator (`validate`) reads
those declarations, and so can anything that explains the policy to a person (`policy_keys`).

`load_policy` reads a TOML file that overrides any part of it; every key is checked, and an
unknown key is rejected by name, because a misspelt cut-off that silently falls back to its
default would grade a whole company wrong.

    [grades]            # final score → grade: score ≥ A is A, ≥ B is B, ≥ C is C, else D
    A = 90
    [pay]
    ratio = { C = 0.6 }
    [quota]
    a_share = 0.10
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import tomllib
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ._util.i18n import N_, _, ngettext, translated
from ._util.text import UnreadableText, decode_text
from .errors import PolicyError, quote

GRADES = ("A", "B", "C", "D")

# Where the UDFs (which Excel calls with no command line) find a policy file.
POLICY_ENV = "KPI_XL_POLICY"


# ---- how a key is declared -------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """What one policy key means and which values it accepts.

    Bounds apply to a number, or to every number inside a table or list (pay.ratio.C).
    """

    zh: str
    en: str
    seed: str = ""  # the clause it comes from ("seed 000 §四(一)2"), or "" for our own default
    lo: float | None = None  # lowest value allowed
    hi: float | None = None  # highest value allowed
    above: float | None = None  # values must be greater than this
    choices: tuple[str, ...] = ()
    nonblank: bool = False
    min_items: int = 0  # a list: at least this many entries
    unique: str = ""  # a list of tables: this key must not repeat
    hint: str = ""  # what to do, added to a message about the bounds

    def problem(self, value: Any) -> str | None:
        """Why `value` is not allowed, or None."""
        if self.choices and value not in self.choices:
            return _("must be {choices} (got {value})").format(choices=_either(self.choices), value=quote(value))
        if self.nonblank and not str(value).strip():
            return self._hinted(_("must not be blank"))
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        if self.above is not None and not value > self.above:
            return self._hinted(_("must be greater than {limit:g} (got {value})").format(limit=self.above, value=quote(value)))
        low = self.lo is not None and value < self.lo
        high = self.hi is not None and value > self.hi
        if not (low or high):
            return None
        if (self.lo, self.hi) == (0, 1):
            return self._hinted(_("must be a share from 0 to 1 (got {value})").format(value=quote(value)))
        if self.lo is not None and self.hi is not None:
            return self._hinted(_("must be from {lo:g} to {hi:g} (got {value})").format(lo=self.lo, hi=self.hi, value=quote(value)))
        if self.lo == 0:
            return self._hinted(_("must not be negative (got {value})").format(value=quote(value)))
        if self.lo is not None:
            return self._hinted(_("must be at least {lo:g} (got {value})").format(lo=self.lo, value=quote(value)))
        return self._hinted(_("must be at most {hi:g} (got {value})").format(hi=self.hi, value=quote(value)))

    def _hinted(self, text: str) -> str:
        return _("{problem}; {advice}").format(problem=text, advice=translated(self.hint)) if self.hint else text


SHARE = {"lo": 0, "hi": 1, "hint": N_("write 10% as 0.10")}
NOT_NEGATIVE = {"lo": 0}


def setting(default: Any, zh: str, en: str, seed: str = "", **accepts: Any) -> Any:
    """A section's key: its default, meaning and accepted values (see `Setting`)."""
    return field(default=default, metadata={"setting": Setting(zh, en, seed, **accepts)})


@dataclass(frozen=True)
class Rule:
    """A rule between keys of one section; `message` names them in braces ({A}), and they
    are filled in quoted. `at` names the key the message is about (else the section)."""

    holds: Callable[[Any], bool]
    message: str
    at: str = ""


def _either(choices: tuple[str, ...]) -> str:
    quoted = [f'"{c}"' for c in choices]
    return _(" or ").join(quoted) if len(quoted) <= 2 else ", ".join(quoted[:-1]) + _(" or ") + quoted[-1]


# ---- the sections ------------------------------------------------------------------------


@dataclass(frozen=True)
class Grades:
    """Lowest final score for each grade; anything below C is D.

    seed 000 §四(一)1 names the four grades; its table 1 with the scores was lost in the
    scrape, so 90/80/60 are our defaults (SPEC §3).
    """

    A: float = setting(90.0, "A级最低分", "Lowest final score for grade A", "seed 000 §四(一)1")
    B: float = setting(80.0, "B级最低分", "Lowest final score for grade B", "seed 000 §四(一)1")
    C: float = setting(60.0, "C级最低分（低于此为D级）", "Lowest final score for grade C (below: D)", "seed 000 §四(一)1")

    RULES: ClassVar = (
        Rule(lambda s: s.A > s.B > s.C,
             N_("cut-offs must descend A > B > C (got A={A}, B={B}, C={C}); "
             "give each grade a lower cut-off than the one above it")),
    )  # fmt: skip


@dataclass(frozen=True)
class ByGrade:
    """One number per grade letter."""

    A: float = 0.0
    B: float = 0.0
    C: float = 0.0
    D: float = 0.0

    def __getitem__(self, grade: str) -> float:
        return getattr(self, grade)

    def items(self) -> list[tuple[str, float]]:
        return [(g, getattr(self, g)) for g in GRADES]


@dataclass(frozen=True)
class Pay:
    """Performance pay. seed 000 §二(二) and §四(一)2."""

    # 考核工资标准 = 10% of the monthly gross pay (月应发工资总额的10%)
    base_share: float = setting(0.10, "考核工资标准占月应发工资总额的比例", "Appraisal pay base as a share of monthly gross pay",
                                "seed 000 §二(二)", **SHARE)
    # annual-salary staff: this share of (annual salary / 12); the seed's "年薪128010"
    # reads as 年薪÷12×10%
    annual_base_share: float = setting(0.10, "年薪制员工：年薪÷12 的比例", "Annual-salary staff: share of (annual salary ÷ 12)",
                                       "seed 000 §二(二)", **SHARE)
    # A and B 100%, C 70%, D nothing
    ratio: ByGrade = setting(ByGrade(A=1.0, B=1.0, C=0.7, D=0.0), "各等级绩效工资发放比例", "Share of the base paid for each grade",
                             "seed 000 §四(一)2", lo=0, hint=N_("use 0 for no pay"))
    # A also earns a bonus of 10% of the base (另行发放奖励工资)
    bonus: ByGrade = setting(ByGrade(A=0.10), "各等级另发奖励（占考核工资标准）", "Bonus for each grade as a share of the base",
                             "seed 000 §四(一)2", lo=0, hint=N_("use 0 for no pay"))
    # "grade": pay by the grade's ratio (seed 000); "score": base × score% (seed 003: 750 × 分数%)
    mode: str = setting("grade", "发放方式：grade 按等级比例，score 按分数%", 'How pay is set: "grade" by the grade\'s ratio, "score" base × score%',
                        "seed 000 §四(一)2; seed 003", choices=("grade", "score"))
    # a base the same for everyone (seed 003: 750); 0 takes the share of each one's pay
    fixed_base: float = setting(0.0, "统一考核工资标准（0＝按各人工资比例）", "One base for everyone (0: each one's share of pay)",
                                "seed 003", **NOT_NEGATIVE)
    # whose base fixed_base is (empty: everyone); seed 003 line 66 names the 750 beside the 客服
    # table only ("客服绩效考核分值指标绩效工资 总值750"), so its 主管 keep their share of pay
    fixed_base_scorecards: tuple[str, ...] = setting((), "统一考核工资标准适用的指标库（空＝所有人）",
                                                     "Scorecards whose holders get the fixed base (empty: everyone)",
                                                     "seed 003 line 66")

    def total_ratio(self, grade: str) -> float:
        """Share of the base paid for a grade, bonus included (A: 1.0 + 0.1 = 1.1)."""
        return self.ratio[grade] + self.bonus[grade]


@dataclass(frozen=True)
class Quota:
    """seed 000 §四(一)2(1): A for at most 10% of all staff, in principle 1 per department."""

    a_share: float = setting(0.10, "A级人数不超过员工总数的比例", "Most staff graded A, as a share of all staff",
                             "seed 000 §四(一)2(1)", **SHARE)
    a_per_department: int = setting(1, "每个部门原则上A级人数", "A grades per department, in principle",
                                     "seed 000 §四(一)2(1)", **NOT_NEGATIVE)


@dataclass(frozen=True)
class RaterWeights:
    """The one weighted mean of raters: KPI_360's default weights, and the mix of 附件3's three
    score columns when employee_score.final = "weighted". seed 004: 自评 15%, 上级 60%, 小组 25%.

    A rater weighted 0 is left out (not asked for).
    """

    self_rating: float = setting(0.15, "自评权重（附件3 第一栏）", "Weight of the self-rating (form 3's first column)",
                                 "seed 004", **NOT_NEGATIVE)
    superior: float = setting(0.60, "上级权重（附件3 第二栏：部门考核/上级考核）",
                              "Weight of the superior's rating (form 3's second column)", "seed 004", **NOT_NEGATIVE)
    group: float = setting(0.25, "小组权重（附件3 第三栏：分管领导评定/小组考核）",
                           "Weight of the group's rating (form 3's third column)", "seed 004", **NOT_NEGATIVE)

    RULES: ClassVar = (
        Rule(lambda s: s.self_rating + s.superior + s.group > 0, N_("at least one weight must be above 0")),
    )

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.self_rating, self.superior, self.group)


@dataclass(frozen=True)
class QcFactor:
    """KPI_QC_FACTOR defaults. seed 003 §1.2: QC 基准值 70%, 目标值 80%, 差值倍数 5."""

    floor_at: float = setting(0.70, "QC 基准值", "QC rate at which the factor bottoms out", "seed 003 §1.2")
    target: float = setting(0.80, "QC 目标值", "QC target rate", "seed 003 §1.2")
    k: float = setting(5.0, "QC 差值倍数", "QC multiple of the difference", "seed 003 §1.2", **NOT_NEGATIVE)

    RULES: ClassVar = (
        Rule(lambda s: s.floor_at <= s.target,
             N_("floor_at must not exceed target (got floor_at={floor_at}, target={target})")),
    )


@dataclass(frozen=True)
class Criterion:
    """One scored line of a form: its label in both languages and its full points."""

    name: str = setting("", "项目名称（中文）", "Label (Chinese)", nonblank=True, hint=N_("give the criterion its Chinese label"))
    name_en: str = setting("", "项目名称（英文）", "Label (English)")
    points: float = setting(100.0, "满分", "Full points", above=0)


def _criteria(*rows: tuple[str, str, float]) -> tuple[Criterion, ...]:
    return tuple(Criterion(name, name_en, points) for name, name_en, points in rows)


def criteria_setting(default: tuple[Criterion, ...], zh: str, en: str, seed: str = "") -> Any:
    return setting(default, zh, en, seed, min_items=1, unique="name")


@dataclass(frozen=True)
class EmployeeScore:
    """What an employee is scored on (附件3). seed 000 §二(三): 当月工作完成情况及综合表现.

    Our default: the plan's items (weighted by their plan weights) give 70%, 综合表现 30%
    (the competencies in seed 000's title, equal weight), then bonus lines add (capped)
    and deduction lines subtract; the total is floored at 0 and not capped (SPEC §3).
    """

    work_share: float = setting(0.70, "工作计划完成情况所占比例", "Share of the plan's items", "seed 000 §二(三)", **SHARE)
    conduct_share: float = setting(0.30, "综合表现所占比例", "Share of the competencies (conduct)", "seed 000 §二(三)", **SHARE)
    # the position's scorecard (岗位KPI指标, seeds 001–004); 0 without scorecards
    kpi_share: float = setting(0.0, "岗位KPI指标所占比例", "Share of the position's scorecard", "seeds 001–004", **SHARE)
    competencies: tuple[Criterion, ...] = criteria_setting(_criteria(
        ("工作质量", "Quality of work", 100),
        ("工作技能提高", "Skill development", 100),
        ("团队协作", "Teamwork", 100),
        ("沟通", "Communication", 100),
        ("责任感", "Responsibility", 100),
        ("以客户为中心", "Customer focus", 100),
    ), "综合表现考核项目", "Competencies scored as conduct", "seed 000 (title)")  # fmt: skip
    bonus_cap: float = setting(10.0, "加分上限", "Most points the bonus lines can add", **NOT_NEGATIVE)
    # "leader": seed 000 §四(一)1 以分管领导最终评定为准 — the leader's total where given,
    # the department's until then. "weighted": the three mixed by [rater_weights] (seed 004).
    final: str = setting("leader", "最终得分：leader 以分管领导评定为准，weighted 按 rater_weights 加权", 'Final score: "leader" the leader\'s total, "weighted" the three mixed by rater_weights',
                         "seed 000 §四(一)1; seed 004", choices=("leader", "weighted"))
    # who fills the three score columns of 附件3 (seed 004: 自评, 上级, 小组)
    raters: tuple[str, ...] = setting(("自评", "部门考核", "分管领导评定"), "附件3 三栏评分人（中文）", "Form 3's three raters (Chinese)", "seed 000 §五(二)1")
    raters_en: tuple[str, ...] = setting(("Self", "Department", "Leader (final)"), "附件3 三栏评分人（英文）", "Form 3's three raters (English)")

    RULES: ClassVar = (
        Rule(lambda s: abs(s.work_share + s.conduct_share + s.kpi_share - 1) <= 1e-9,
             N_("work_share, conduct_share and kpi_share must add up to 1 "
             "(got {work_share} + {conduct_share} + {kpi_share})")),
        Rule(lambda s: len(s.raters) == 3 and len(s.raters_en) == 3,
             N_("name the three score columns (self, department, leader)"), at="raters"),
    )  # fmt: skip


@dataclass(frozen=True)
class Department:
    """Department appraisal. seed 000 §四(二)1: the six criteria 70/10/5/5/5/5.

    Peer review (附件4) has no criteria in the seeds; ours are configurable.
    """

    criteria: tuple[Criterion, ...] = criteria_setting(_criteria(
        ("部门工作完成情况", "Completion of department work", 70),
        ("执行力", "Execution", 10),
        ("下属督导力", "Supervision of staff", 5),
        ("工作失误和安全事故", "Errors and safety incidents", 5),
        ("自律力", "Self-discipline", 5),
        ("团队精神", "Team spirit", 5),
    ), "部门考核项目", "Department appraisal criteria", "seed 000 §四(二)1")  # fmt: skip
    peer_criteria: tuple[Criterion, ...] = criteria_setting(_criteria(
        ("工作配合", "Cooperation", 20),
        ("响应及时", "Timely response", 20),
        ("服务态度", "Service attitude", 20),
        ("沟通协调", "Communication and coordination", 20),
        ("工作质量", "Quality of work", 20),
    ), "部门互评项目（附件4）", "Peer review criteria (form 4)")  # fmt: skip

    # seed 003: 部门总分 = (…) × 重关指标值 — the form asks for the factor and multiplies
    key_factor: bool = setting(False, "部门总分乘以重关指标值", "Multiply the department total by a key-indicator factor", "seed 003")
    # seed 003 line 96: 所有评分都以百分制为计算单位 — each criterion is rated 0–100 and weighted by
    # its points as a percentage (职责 100 × 30% = 30); the key indicator is typed as its score
    # (重关指标值 = 重关指标得分/100)
    percent_scale: bool = setting(False, "部门各项按百分制评分再乘以权重", "Rate each department criterion 0–100, weighted by its points %",
                                  "seed 003 line 96")
    # seed 000 §五(二)2: each head rates every other department ("all"); a large company may keep
    # 附件4 to the departments under the same 分管领导 ("leader": the heads' 分管领导 in the roster)
    peer_scope: str = setting("all", "部门互评范围（附件4）：all 其他所有部门；leader 同一分管领导下的其他部门",
                              "Peer review scope (form 4): all = every other department; leader = the other departments under the same supervising leader",
                              "seed 000 §五(二)2", choices=("all", "leader"))  # fmt: skip


@dataclass(frozen=True)
class Executive:
    """附件6, rated by the general manager. The seeds give no criteria; ours are configurable."""

    criteria: tuple[Criterion, ...] = criteria_setting(_criteria(
        ("分管工作目标完成情况", "Targets of the areas supervised", 40),
        ("经营管理与决策执行", "Management and execution of decisions", 20),
        ("团队建设与人才培养", "Team building and developing people", 15),
        ("协调配合", "Coordination", 15),
        ("廉洁自律", "Integrity and self-discipline", 10),
    ), "高管考核项目（附件6）", "Executive criteria (form 6)")  # fmt: skip


@dataclass(frozen=True)
class Deadlines:
    """Hand-in days. seed 000 §五. A day past a month's end means its last day (31 = month end).

    Plans fall in the month before the appraised month, the self-assessment in the month
    itself, the department's, the leader's and the office's hand-ins in the month after.
    """

    department_plan: int = setting(28, "部门月度工作计划：上月几日", "Department plan: day of the month before", "seed 000 §五(一)2", lo=1, hi=31)
    employee_plan: int = setting(31, "员工月度工作计划：上月几日（31＝月底）", "Employee plan: day of the month before (31: its end)", "seed 000 §五(一)1", lo=1, hi=31)
    self_assessment: int = setting(31, "员工自评：当月几日（31＝月底）", "Self-assessment: day of the month (31: its end)", "seed 000 §二(一)", lo=1, hi=31)
    department_assessment: int = setting(5, "部门考核汇总：次月几日前", "Department scores: day of the month after", "seed 000 §五(二)4", lo=1, hi=31)
    leader_rating: int = setting(8, "分管领导评定：次月几日前", "Leader's rating: day of the month after", "seed 000 §五(三)1", lo=1, hi=31)
    summary: int = setting(10, "办公室汇总上报：次月几日前", "Office summary: day of the month after", "seed 000 §五(三)2", lo=1, hi=31)

    RULES: ClassVar = (
        Rule(lambda s: s.department_plan <= s.employee_plan,
             N_("department_plan must not come after employee_plan: employees plan from their department's plan "
             "(got department_plan={department_plan}, employee_plan={employee_plan})")),
        Rule(lambda s: s.department_assessment <= s.leader_rating <= s.summary,
             N_("the month after's days must not go backwards: department_assessment ≤ leader_rating ≤ summary "
             "(got {department_assessment}, {leader_rating}, {summary})")),
    )  # fmt: skip


@dataclass(frozen=True)
class Escalation:
    """seed 000 §四(一)2: 当月考核等级为D的,留任原职查看;累计达到两次的,转为试用员工;
    累计达到三次的,给予解聘或辞退。年度C级考核结果累计达到或超过三次的,给予适当惩处。

    d_actions[n-1] is what the n-th D in the employee's whole history brings (the last
    one repeats beyond); c_count C's in one year bring c_action.
    """

    d_actions: tuple[str, ...] = setting(("留任原职查看", "转为试用员工", "解聘或辞退"), "第n次D级的处理", "What the n-th D brings",
                                         "seed 000 §四(一)2", min_items=1)
    d_actions_en: tuple[str, ...] = setting(("kept in post under review", "moved to probation", "dismissal"),
                                            "第n次D级的处理（英文）", "What the n-th D brings (English)")
    c_count: int = setting(3, "年度C级达到几次予以惩处", "C grades in a year that bring a penalty", "seed 000 §四(一)2", lo=1)
    c_action: str = setting("适当惩处", "年度C级累计的处理", "What repeated C grades bring", "seed 000 §四(一)2")
    c_action_en: str = setting("penalty as appropriate", "年度C级累计的处理（英文）", "What repeated C grades bring (English)")

    RULES: ClassVar = (
        Rule(lambda s: len(s.d_actions) == len(s.d_actions_en),
             N_("d_actions and d_actions_en need the same number of steps (at least one)")),
    )


@dataclass(frozen=True)
class Assessors:
    """seed 000 §二(四)4 (line 22): 财务部门人员由公司财务审计部负责考核 — staff of the finance
    departments are assessed by the head of `finance_by` (its name where the roster has no
    head there), not by their own department head."""

    finance_departments: tuple[str, ...] = setting(("财务部",), "由财务审计部考核的部门", "Departments whose staff the audit department assesses",
                                                   "seed 000 §二(四)4")
    finance_by: str = setting("财务审计部", "考核财务人员的部门", "Department assessing the finance staff", "seed 000 §二(四)4")

    RULES: ClassVar = (
        Rule(lambda s: not s.finance_departments or bool(s.finance_by.strip()),
             N_("finance_by: name the department that assesses the finance staff")),
    )


@dataclass(frozen=True)
class Annual:
    """Year-end picks (seed 000 §四: 年度优秀员工评选; 评选优秀部门, 考评较差的部门).

    Excellent-employee candidates: the best `excellent_share` of staff by annual average
    among those with no C or D in the year. Departments: the best and the worst by their
    annual score.
    """

    excellent_share: float = setting(0.10, "年度优秀员工候选比例", "Share of staff put forward as excellent", "seed 000 §四", **SHARE)
    excellent_departments: int = setting(2, "年度优秀部门个数", "Excellent departments picked", "seed 000 §四(二)", **NOT_NEGATIVE)
    poor_departments: int = setting(1, "年度考评较差部门个数", "Poor departments named", "seed 000 §四(二)", **NOT_NEGATIVE)


@dataclass(frozen=True)
class History:
    """Rules over consecutive months, off unless a policy sets them.

    seed 003: 连续两次分数低于35分,淘汰; 连续三次分数倒数第一,淘汰; 连续三次分数名列第一,额外奖金.
    seed 004: 连续3个月(季度)评比综合排名前三名,分别奖励500元、300元、200元,名次并列的同时奖励 —
    read as: at each quarter's end, the best three by their average over the three months,
    ties sharing a place.
    """

    low_score: float = setting(0.0, "连续低分线（0＝不用）", "Low-score line (0: off)", "seed 003")
    low_score_months: int = setting(2, "连续几个月低于低分线", "Months in a row below the line", "seed 003", **NOT_NEGATIVE)
    last_place_months: int = setting(0, "连续几个月倒数第一（0＝不用）", "Months in a row in last place (0: off)", "seed 003", **NOT_NEGATIVE)
    first_place_months: int = setting(0, "连续几个月名列第一（0＝不用）", "Months in a row in first place (0: off)", "seed 003", **NOT_NEGATIVE)
    rank_within: str = setting("department", "排名范围", "Rank within", "seed 003; seed 004", choices=("department", "company", "scorecard"))
    # with rank_within = "scorecard": only the holders of these scorecards are ranked (empty: all)
    ranked_scorecards: tuple[str, ...] = setting((), "参与排名的指标库（按指标库排名时）", "Scorecards whose holders are ranked (rank_within = scorecard)", "seed 003 line 66; seed 004 line 201")
    quarter_rewards: tuple[float, ...] = setting((), "季度前几名奖金（元）", "Quarter rewards for the best, by place (yuan)", "seed 004", **NOT_NEGATIVE)


@dataclass(frozen=True)
class Forms:
    """How many blank lines the forms offer."""

    plan_rows: int = setting(8, "工作计划行数", "Plan lines on the forms", lo=1, hi=50)
    bonus_rows: int = setting(3, "加分行数", "Bonus lines on the forms", lo=1, hi=50)
    deduction_rows: int = setting(3, "减分行数", "Deduction lines on the forms", lo=1, hi=50)


@dataclass(frozen=True)
class Policy:
    """Everything configurable about scoring, grading and pay."""

    name: str = setting("seed-000", "办法名称", "Policy name")
    grades: Grades = setting(Grades(), "等级分数线", "Grade cut-offs", "seed 000 §四(一)1")
    pay: Pay = setting(Pay(), "绩效工资", "Performance pay", "seed 000 §二(二), §四(一)2")
    quota: Quota = setting(Quota(), "A级名额", "Quota of A grades", "seed 000 §四(一)2(1)")
    rater_weights: RaterWeights = setting(RaterWeights(), "评分人权重（KPI_360、附件3 加权）", "Rater weights (KPI_360, form 3 weighted)", "seed 004")
    qc_factor: QcFactor = setting(QcFactor(), "QC 系数", "QC factor", "seed 003 §1.2")
    employee_score: EmployeeScore = setting(EmployeeScore(), "员工考核（附件3）", "Employee scoring (form 3)", "seed 000 §二(三)")
    department: Department = setting(Department(), "部门考核", "Department appraisal", "seed 000 §四(二)")
    executive: Executive = setting(Executive(), "高管考核（附件6）", "Executive appraisal (form 6)")
    forms: Forms = setting(Forms(), "表格行数", "Form lines")
    deadlines: Deadlines = setting(Deadlines(), "上交时间", "Hand-in days", "seed 000 §五")
    escalation: Escalation = setting(Escalation(), "D级、C级累计处理", "What repeated D and C grades bring", "seed 000 §四(一)2")
    assessors: Assessors = setting(Assessors(), "考核人", "Who assesses whom", "seed 000 §二(四)4")
    annual: Annual = setting(Annual(), "年度评选", "Year-end picks", "seed 000 §四")
    history: History = setting(History(), "连续月份规则", "Rules over consecutive months", "seed 003; seed 004")
    # the position scorecards (指标库): a file (relative to the policy file) or a shipped name
    scorecards: str = setting("", "岗位指标库（文件或内置名称）", "Position scorecards (a file or a shipped name)", "seeds 001–004")
    # the sample roster of a shipped policy, used when no --roster is given
    sample_roster: str = setting("", "示例名单", "Sample roster used when none is given")

    def __post_init__(self) -> None:
        validate(self)

    def cutoffs(self) -> list[tuple[str, float]]:
        """(grade, lowest score) from best to worst, without D."""
        return [("A", self.grades.A), ("B", self.grades.B), ("C", self.grades.C)]


# ---- the one validator -------------------------------------------------------------------


def validate(section: Any, where: str = "") -> None:
    """Check every key of `section` against its `setting` and every `RULES` entry, depth
    first; the first problem is raised as a PolicyError naming the key."""
    for f in dataclasses.fields(section):
        key = f"{where}.{f.name}" if where else f.name
        value = getattr(section, f.name)
        spec: Setting | None = f.metadata.get("setting")
        if _is_section(value):
            validate(value, key)
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            for i, item in enumerate(value):
                validate(item, f"{key}[{i}]")
        if spec is not None:
            _check_value(key, value, spec)
    for rule in getattr(type(section), "RULES", ()):
        if not rule.holds(section):
            at = f"{where}.{rule.at}" if where and rule.at else where or rule.at
            raise PolicyError(_("{where}: {problem}").format(where=at, problem=translated(rule.message).format_map(_Quoted(section))))


def _is_section(value: Any) -> bool:
    """A dataclass whose keys are declared with `setting` (not a plain table like ByGrade)."""
    return dataclasses.is_dataclass(value) and any("setting" in f.metadata for f in dataclasses.fields(value))


def _check_value(key: str, value: Any, spec: Setting) -> None:
    if isinstance(value, tuple):
        if len(value) < spec.min_items:
            raise PolicyError(ngettext("{key}: needs at least {n} entry", "{key}: needs at least {n} entries", spec.min_items).format(key=key, n=spec.min_items))
        if spec.unique:
            seen = [getattr(item, spec.unique) for item in value]
            repeated = sorted({v for v in seen if seen.count(v) > 1})
            if repeated:
                raise PolicyError(_("{key}: {repeated} is listed twice; name each once").format(key=key, repeated=quote(repeated[0])))
        for i, item in enumerate(value):
            if not dataclasses.is_dataclass(item):
                _check_value(f"{key}[{i}]", item, spec)
    elif dataclasses.is_dataclass(value):
        if not _is_section(value):  # a plain table of numbers (pay.ratio): each entry
            for f in dataclasses.fields(value):
                _check_value(f"{key}.{f.name}", getattr(value, f.name), spec)
    else:
        problem = spec.problem(value)
        if problem:
            raise PolicyError(_("{where}: {problem}").format(where=key, problem=problem))


class _Quoted(dict):
    def __init__(self, section: Any):
        super().__init__()
        self.section = section

    def __missing__(self, key: str) -> str:
        return quote(getattr(self.section, key))


# ---- what the keys are, for the validator, the loader and anyone explaining the policy ----


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def kind_of(cls: type, name: str) -> str:
    """What key `name` of section `cls` holds, in words a person reads in a message."""
    hint = _hints(cls)[name]
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if dataclasses.is_dataclass(item):
            return "list of tables"
        return "list of numbers" if item is float else "list of text"
    if dataclasses.is_dataclass(hint):
        return "table"
    return {bool: "true or false", int: "whole number", float: "number", str: "text"}[hint]


@dataclass(frozen=True)
class PolicyKey:
    """One key of a policy as a person sees it: `pay.ratio.C`, its kind, value and meaning."""

    key: str
    kind: str
    value: Any
    setting: Setting


def policy_keys(policy: Policy | None = None) -> Iterator[PolicyKey]:
    """Every key of `policy` (the defaults if None), tables opened down to their numbers;
    a list of tables (criteria) is one key. A table's entries share its `setting`."""
    yield from _keys(policy if policy is not None else DEFAULT_POLICY, "", None)


def _keys(section: Any, where: str, inherited: Setting | None) -> Iterator[PolicyKey]:
    for f in dataclasses.fields(section):
        key = f"{where}.{f.name}" if where else f.name
        value = getattr(section, f.name)
        spec = f.metadata.get("setting", inherited)
        kind = kind_of(type(section), f.name)
        if kind == "table":
            yield from _keys(value, key, None if _is_section(value) else spec)
        else:
            yield PolicyKey(key, kind, value, spec)


DEFAULT_POLICY = Policy()


SHIPPED = ("seed-000", "seed-001", "seed-002", "seed-003", "seed-004")


def shipped_file(kind: str, name: str, suffix: str) -> Path:
    """A file shipped with kpi-xl: kpi_xl/data/<kind>/<name><suffix>."""
    from importlib import resources

    return Path(str(resources.files("kpi_xl.data"))) / kind / f"{name}{suffix}"


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Read a TOML policy file over the seed 000 defaults (or a shipped one by name:
    seed-001 … seed-004); every problem names the file."""
    if str(path) in SHIPPED:
        if str(path) == "seed-000":
            return DEFAULT_POLICY
        path = shipped_file("policies", str(path), ".toml")
    source = Path(path)
    try:
        data = tomllib.loads(decode_text(source.read_bytes()))  # as Notepad saves it: GBK, a BOM, UTF-8
    except FileNotFoundError:
        raise PolicyError(_("{source}: policy file not found; check the path").format(source=source)) from None
    except IsADirectoryError:
        raise PolicyError(_("{source}: is a folder; give the policy file itself to --policy").format(source=source)) from None
    except PermissionError:
        raise PolicyError(_("{source}: may not be read; ask for access or copy it here").format(source=source)) from None
    except UnreadableText as exc:
        raise PolicyError(_("{source}: cannot read the text ({exc}); save it as UTF-8 (Notepad: File › Save As › Encoding: UTF-8)").format(source=source, exc=exc)) from None  # fmt: skip
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(_("{source}: not valid TOML ({exc}); fix the line it names").format(source=source, exc=exc)) from None
    try:
        policy = policy_from_dict(data)
    except PolicyError as exc:
        raise PolicyError(f"{source} › {exc}") from None
    return resolve_files(policy, source.parent)


def resolve_files(policy: Policy, folder: Path) -> Policy:
    """File names inside a policy are relative to the policy file's `folder`."""
    for key in ("scorecards", "sample_roster"):
        value = getattr(policy, key)
        if value and value not in SHIPPED and not Path(value).is_absolute():
            policy = dataclasses.replace(policy, **{key: str((folder / value).resolve())})
    return policy


def policy_from_env() -> Policy:
    """The policy named by $KPI_XL_POLICY, or the defaults: how the Excel functions find theirs."""
    path = os.environ.get(POLICY_ENV)
    return load_policy(path) if path else DEFAULT_POLICY


def policy_from_dict(data: dict[str, Any]) -> Policy:
    return _override(DEFAULT_POLICY, _renamed(data), prefix="")


# Keys that moved: employee_score.final_weights (self_rating, department, leader) is now the
# one [rater_weights] section (self_rating, superior, group); older files still load.
OLD_FINAL_WEIGHTS = {"self_rating": "self_rating", "department": "superior", "leader": "group"}


def _renamed(data: dict[str, Any]) -> dict[str, Any]:
    score = data.get("employee_score")
    if not isinstance(score, dict) or "final_weights" not in score:
        return data
    old = score["final_weights"]
    where = "employee_score.final_weights"
    if not isinstance(old, dict):
        raise PolicyError(_("{where}: must be a table (got {old})").format(where=where, old=quote(old)))
    unknown = sorted(set(old) - set(OLD_FINAL_WEIGHTS))
    if unknown:
        raise PolicyError(_("unknown key {where!r}; known keys here: department, leader, self_rating").format(where=where + '.' + unknown[0]))
    weights = dict(data.get("rater_weights") or {})
    for key, value in old.items():
        new = OLD_FINAL_WEIGHTS[key]
        if new in weights and weights[new] != value:
            raise PolicyError(
                _("{where}.{key} (the old name of rater_weights.{new}) is {value} but rater_weights.{new} is {weights}; keep only [rater_weights]").format(where=where, key=key, new=new, value=quote(value), weights=quote(weights[new]))
            )
        weights[new] = value
    rest = {key: value for key, value in score.items() if key != "final_weights"}
    return {**data, "employee_score": rest, "rater_weights": weights}


def _override(base: Any, data: dict[str, Any], prefix: str) -> Any:
    """`base` with the keys in `data` replaced; a partial table keeps the rest of `base`."""
    known = {f.name for f in dataclasses.fields(base)}
    changes: dict[str, Any] = {}
    for key, raw in data.items():
        where = f"{prefix}{key}"
        if key not in known:
            raise PolicyError(
                _("unknown key {where!r}; known keys here: {known}").format(where=where, known=', '.join(sorted(known)))
            )
        kind = kind_of(type(base), key)
        if kind == "list of tables":
            if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
                raise PolicyError(_("{where}: must be a list of tables ([[{where}]] entries)").format(where=where))
            item_type = typing.get_args(_hints(type(base))[key])[0]
            changes[key] = tuple(
                _override(item_type(), item, prefix=f"{where}[{i}].") for i, item in enumerate(raw)
            )
        elif kind == "table":
            if not isinstance(raw, dict):
                raise PolicyError(_("{where}: must be a table (got {raw})").format(where=where, raw=quote(raw)))
            changes[key] = _override(getattr(base, key), raw, prefix=f"{where}.")
        else:
            changes[key] = _read(where, raw, kind)
    # Replacing the Policy re-runs the validator over every section.
    return dataclasses.replace(base, **changes)


def _read(where: str, raw: Any, kind: str) -> Any:
    """A TOML value as the `kind` of key it sets, or a PolicyError saying what was expected."""
    is_number = isinstance(raw, int | float) and not isinstance(raw, bool)
    if any(isinstance(i, float) and math.isnan(i) for i in (raw if isinstance(raw, list) else [raw])):
        # TOML allows nan; in a form's formula it would be #NAME? for everyone (inf is left to
        # the keys that mean "no limit" by it, e.g. seed 004's bonus_cap)
        raise PolicyError(f"{where}: must be a number (got {quote(raw)}); write an ordinary number")
    if kind == "true or false" and isinstance(raw, bool) or kind == "text" and isinstance(raw, str):
        return raw
    if kind == "whole number" and is_number and float(raw).is_integer():
        return int(raw)
    if kind == "number" and is_number:
        return float(raw)
    if kind == "list of text" and isinstance(raw, list) and all(isinstance(i, str) for i in raw):
        return tuple(raw)
    if kind == "list of numbers" and isinstance(raw, list) and all(
        isinstance(i, int | float) and not isinstance(i, bool) for i in raw
    ):
        return tuple(float(i) for i in raw)
    expected = {"true or false": "true or false", "text": "text"}.get(kind, f"a {kind}")
    if kind.startswith("list of "):
        expected = f"a list of {kind[8:]}"
    raise PolicyError(_("{where}: must be {expected} (got {raw})").format(where=where, expected=expected, raw=quote(raw)))
