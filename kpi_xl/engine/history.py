"""Rules over consecutive months (seeds 003 and 004), when the policy turns them on.

seed 003 line 66: 连续两次分数低于35分,淘汰; 连续三次分数倒数第一,淘汰; 连续三次分数名列第一,额外奖金.
seed 004 line 86: 连续3个月(季度)评比综合排名前三名,分别奖励500元、300元、200元,名次并列的同时奖励.
"Consecutive" means calendar months in a row, each with a recorded final score. Ranks are
taken within the department, the whole company, or among the holders of one scorecard
(policy: rank_within, ranked_scorecards), equal scores sharing a place. seed 003 ranks the
客服 on its KPI table, never their 主管, across the team; seed 004 the customer-service
staff, never a head scored by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .. import rules
from ..calendar import Month
from ..policy import Policy
from ..roster import EMPLOYEE, HEAD, Roster
from ..scorecards.library import library_for


def _previous(month: str, count: int) -> list[str]:
    """`month` and the count−1 months before it, oldest first."""
    m = Month.parse(month)
    months = [m]
    for _ in range(count - 1):
        months.append(months[-1].previous())
    return [str(x) for x in reversed(months)]


def window(month: str, policy: Policy) -> list[str]:
    """The months the history rules look at to judge `month` (oldest first); [] when they
    are all off. A summary reads only these from the ledger, however long it is."""
    h = policy.history
    reach = max(h.low_score_months if h.low_score else 0, h.last_place_months, h.first_place_months,
                3 if h.quarter_rewards else 0)  # fmt: skip
    return _previous(month, reach) if reach else []


def ranking_pools(roster: Roster, policy: Policy) -> dict[str, str] | None:
    """Who is ranked with whom when the policy ranks by scorecard: employee → scorecard
    name, for the holders of the ranked scorecards only (all scorecards when none are
    named). None when the policy ranks by department or company."""
    h = policy.history
    if h.rank_within != "scorecard":
        return None
    library = library_for(policy)
    pools = {}
    for person in roster.with_category(EMPLOYEE, HEAD):
        card = library.for_position(person.position) if library else None
        if card is not None and (not h.ranked_scorecards or card.name in h.ranked_scorecards):
            pools[person.id] = card.name
    return pools


def history_notes(records: Iterable[dict], month: str, policy: Policy, lang: str = "zh",
                  pools: dict[str, str] | None = None) -> dict[str, list[str]]:  # fmt: skip
    """What the history rules say about each employee at `month`.

    `records`: dicts with month, employee, department and final (the recorded months and
    the month being summarised). `pools` (from `ranking_pools`): who is ranked with whom;
    anyone outside them is not judged by these rules.
    """
    h = policy.history
    scores: dict[str, dict[str, float]] = defaultdict(dict)  # month → employee → final
    groups: dict[str, dict[str, str]] = defaultdict(dict)  # month → employee → group
    for r in records:
        if r.get("final") is None or r["final"] != r["final"]:  # None or NaN: not graded
            continue
        if pools is not None and r["employee"] not in pools:
            continue
        scores[r["month"]][r["employee"]] = float(r["final"])
        groups[r["month"]][r["employee"]] = (pools[r["employee"]] if pools is not None else
                                             r["department"] if h.rank_within == "department" else "*")  # fmt: skip
    notes: dict[str, list[str]] = defaultdict(list)
    zh = lang == "zh"

    if h.low_score and h.low_score_months:
        months = _previous(month, h.low_score_months)
        for employee in scores.get(month, {}):
            if all(scores.get(m, {}).get(employee, h.low_score) < h.low_score for m in months):
                notes[employee].append(f"连续{len(months)}次分数低于{h.low_score:g}分：淘汰" if zh else
                                       f"below {h.low_score:g} {len(months)} months running: eliminated")  # fmt: skip

    for count, best, text_zh, text_en in (
        (h.last_place_months, False, "连续{n}次分数倒数第一：淘汰", "last place {n} months running: eliminated"),
        (h.first_place_months, True, "连续{n}次分数名列第一：额外奖金", "first place {n} months running: extra bonus"),
    ):
        if not count:
            continue
        months = _previous(month, count)
        placed = [_at_the_end(scores.get(m, {}), groups.get(m, {}), best) for m in months]
        for employee in scores.get(month, {}):
            if all(employee in p for p in placed):
                notes[employee].append((text_zh if zh else text_en).format(n=count))

    m = Month.parse(month)
    if h.quarter_rewards and m.month % 3 == 0:
        quarter = _previous(month, 3)
        averages = {e: sum(scores[q][e] for q in quarter) / 3 for e in scores.get(month, {})
                    if all(e in scores.get(q, {}) for q in quarter)}  # fmt: skip
        by_group: dict[str, list[str]] = defaultdict(list)
        for employee in averages:
            by_group[groups[month][employee]].append(employee)
        for members in by_group.values():
            pool = [averages[e] for e in members]
            for employee in members:
                place = int(rules.rank_of(averages[employee], pool))
                if place <= len(h.quarter_rewards):
                    reward = h.quarter_rewards[place - 1]
                    q = (m.month - 1) // 3 + 1
                    notes[employee].append(f"{m.year}年第{q}季度综合排名第{place}：奖励{reward:g}元" if zh else
                                           f"Q{q} {m.year} combined rank {place}: reward {reward:g}")  # fmt: skip
    return dict(notes)


def _at_the_end(scores: dict[str, float], groups: dict[str, str], best: bool) -> set[str]:
    """Who is first (best) or last in their group that month; equal scores share the place.
    A group of one has no first or last."""
    by_group: dict[str, list[str]] = defaultdict(list)
    for employee, group in groups.items():
        if employee in scores:
            by_group[group].append(employee)
    chosen = set()
    for members in by_group.values():
        if len(members) < 2:
            continue
        edge = (max if best else min)(scores[e] for e in members)
        chosen |= {e for e in members if scores[e] == edge}
    return chosen
