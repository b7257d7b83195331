"""The scorecards of seeds 001–004, as kpi-xl ships them (kpi_xl/data/scorecards/*.xlsx).

These definitions write the shipped 指标库 workbooks (`python -m kpi_xl.scorecards.seeds`); what the
tools read is the workbook, which HR edits. Where a seed's text is garbled or silent, the
reading chosen is the one a clerk at that company would make, and the comment says so.
Line numbers are those of ../shared/seeds/00N_*.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .library import Indicator, Library, Scorecard, write_scorecards

I = Indicator  # noqa: E741 (short: the tables below read like the seeds' tables)

# -- seed 001: after-sales service (售后服务部) — line 46–67 ------------------------------------
# The seed names general indicators for everyone (客户满意度, 服务规范性, 团队协作, 纪律性) and
# position indicators as ratios, but gives no targets or weights ("targets a company sets"):
# ours are below, each ratio scored linearly up to its target.
GENERAL_001 = [
    I("客户满意度", "满意度调查得分（百分制）", "linear", (60, 95), 15, "满意度调查"),
    I("服务规范性", "遵守售后服务流程、规范及行为准则", "manual", (), 10, "部门检查"),
    I("团队协作", "与团队及其他部门的配合", "manual", (), 5, "部门负责人"),
    I("纪律性", "考勤及劳动纪律，违纪每次扣2分", "deduct", (2,), 10, "考勤记录"),
]
SEED_001 = Library((
    # line 57–62: the five indicators of 售后工程师
    Scorecard("售后工程师", ("售后工程师",), (
        I("故障解决率", "成功解决的故障数 / 处理故障总数（第58行）", "ratio", (0.70, 0.95), 15, "工单系统"),
        # lower is better: 4 hours or less is full marks, 24 hours or more none (our target)
        I("平均故障处理时长", "从接收故障到解决故障的平均时间，小时（第59行）", "linear", (24, 4), 10, "工单系统"),
        I("一次修复率", "无需二次上门即解决的故障数 / 解决故障总数（第60行）", "ratio", (0.60, 0.90), 15, "工单系统"),
        I("服务响应及时性", "按承诺时间到场或回复的次数 / 服务总次数（第61行）", "ratio", (0.80, 1.00), 10, "工单系统"),
        I("技术文档完整性", "规范完整的服务记录、故障分析报告数 / 应交文档数（第62行）", "ratio", (0.80, 1.00), 10, "文档检查"),
        *GENERAL_001,
    )),
    # line 63–68: the five indicators of 客服专员
    Scorecard("客服专员", ("客服专员",), (
        I("呼叫响应率/接通率", "及时响应的呼叫或咨询数 / 呼入总数（第64行）", "ratio", (0.80, 0.98), 15, "呼叫中心报表"),
        # lower is better: 5 minutes (300 s) or less full marks, 10 minutes or more none (ours)
        I("平均通话/处理时长", "平均每通电话或每个咨询的处理时间，秒（第65行）", "linear", (600, 300), 10, "呼叫中心报表"),
        I("问题一次性解决率", "一线解决的问题数 / 受理问题总数（第66行）", "ratio", (0.60, 0.90), 15, "工单系统"),
        # lower is better: 1% or less of the cases complained about is full marks, 5% or more none
        I("客户投诉率", "有效投诉数 / 受理总数（第67行）", "ratio", (0.05, 0.01), 10, "投诉记录"),
        I("工单处理准确率与及时性", "录入准确且流转及时的工单数 / 工单总数（第68行）", "ratio", (0.80, 1.00), 10, "工单系统"),
        *GENERAL_001,
    )),
    # line 69–71: 技术支持专员 (远程支持、知识库维护); the scrape ends at 知识库内容贡献与更新:
    # read as the entries written or updated in the month, 4 for full marks (our target)
    Scorecard("技术支持专员", ("技术支持专员",), (
        I("远程问题解决率", "远程成功解决的问题数 / 远程受理总数（第70行）", "ratio", (0.60, 0.90), 35, "远程支持记录"),
        I("知识库内容贡献与更新", "当月新增或更新的知识库条目数，4条满分（第71行）", "linear", (0, 4), 25, "知识库"),
        *GENERAL_001,
    )),
), "seed-001")

# -- seed 002: customer service centre 10086/12580 (管理支撑岗) — lines 193–235 ---------------
QUARTER_EXAM = I("季考成绩", "本人季考成绩：90分以上满分，70分以下不得分，之间线性（第193行）", "linear", (70, 90), 5, "季度考试")
ATTENDANCE = I("出勤", "出勤作为扣分项，标准同话务员（第200行）；每次迟到早退、违纪从总分扣1分", "penalty", (1,), 0, "考勤记录")
SEED_002 = Library((
    Scorecard("10086值班长", ("10086值班长",), (
        # 班组团队业绩 follows the 班组评比 rules the seed does not give (40 成员均分 + 20 AB项 +
        # 10 DE项, line 193): the office enters the 70 points it comes to
        I("班组团队业绩", "同班组评比评分原则：团队成员绩效均分40+AB考核项20+DE考核项10（第193行）", "manual", (), 70, "班组评比"),
        QUARTER_EXAM,
        I("团队文化建设", "班前班后会、团队活动与竞赛（第193行）", "manual", (), 5, "综合管理室"),
        I("数据上报准确率", "未按时上报、漏报、错报扣2分/次（第195行）", "deduct", (2,), 5, "综合管理室"),
        I("团队管理", "未监管到位而出现员工问题，每次扣1分（第196行）", "deduct", (1,), 5, "综合管理室"),
        I("生产管理", "故障未记录、记录有误或不全，每次扣2分（第198行）", "deduct", (2,), 10, "综合管理室"),
        I("其他工作", "工作未按时完成、配合出现问题，每次从总分扣1分（第199行）", "penalty", (1,), 0, "综合管理室"),
        ATTENDANCE,
        I("现场管理", "值班长未及时监控到，每次从总分扣2分（第201行）", "penalty", (2,), 0, "现场检查"),
    )),
    Scorecard("10086业务指导", ("10086业务指导",), (
        I("班组团队业绩", "同班组评比评分原则（第201行）", "manual", (), 70, "班组评比"),
        QUARTER_EXAM,
        I("团队文化建设", "第202行", "manual", (), 5, "综合管理室"),
        I("培训效果评估", "培训现场打分5分 + 培训效果测评5分（第204行）", "manual", (), 10, "培训测评"),
        I("专项工作完成情况", "分析1 + 整改举措1 + 跟进情况1 + 完成效果2（第205行）", "manual", (), 5, "综合管理室"),
        I("业务辅导", "工作未按要求完成每次扣2分，扣完为止（第208行）", "deduct", (2,), 5, "综合管理室"),
        ATTENDANCE,
    )),
    Scorecard("10086业务处理员", ("10086业务处理员",), (
        I("业务工单处理量", "高于均量10%以上满分，低于均量70%不得分，之间线性（第210行）", "relative", (0.7, 1.1), 40, "工单报表"),
        # "个人稽核量高于基础量的50%得满分,低于基础量的70%不得分": full at 150% of 500, none below 70%
        I("稽核工作完成情况", "月稽基础量500条（第211行）", "relative", (0.7, 1.5, 500), 15, "稽核记录"),
        # at least 3 suggestions a month for 10 points, 2 less for each one short: a line
        # through (3 → 10) with slope 2, so 0 suggestions → 4
        I("客服系统优化建议", "每月至少3条得10分，每少一条扣2分（第212行）", "linear", (-2, 3), 10, "建议记录"),
        I("存档完整性", "有漏、丢各项扣1分（第214行）", "deduct", (1,), 5, "存档检查"),
        I("工单处理满意度", "每出现一条评价不满意扣1分（第215行）", "deduct", (1,), 5, "话务员评价"),
        # 业务处理及时性 = 超时工单量/业务处理总量; the table of line 216 was lost: our reading,
        # no overtime is full marks, 5% or more none, linear between
        I("业务处理及时性", "超时工单量 / 业务处理总量（第216行）", "ratio", (0.05, 0.0), 10, "业务受理工单报表"),
        I("业务处理准确性", "有漏、丢、落各项扣3分（第216行）", "deduct", (3,), 10, "质检"),
        I("出勤及劳动纪律", "每次迟到早退、违纪扣1分（第217行）", "deduct", (1,), 5, "考勤记录"),
    )),
    Scorecard("12580值班长", ("12580值班长",), (
        I("班组团队业绩", "团队成员平均绩效≥85分且排名第1–5名得70/65/60/55/50分；75–85分得40分；75分以下0分（第217–219行）",
          "rank", (85, (70, 65, 60, 55, 50), 75, 40), 70, "班组评比"),
        I("班前会及交接班管理", "每次扣1分（第221行）", "deduct", (1,), 5, "现场检查"),
        # lines 222–228: items of mixed amounts (1, 0.5, 2 a time) taken from the item's points,
        # each line's own 分值 its sub-cap (最多扣2分, 最多扣3分), 隐瞒不报者不得分 forfeiting the item
        I("现场监控及故障处理", "各行扣分合计，扣完为止；隐瞒不报者不得分（第222行）", "group", (), 3, "现场检查"),
        I("未及时上报故障、制定解释口径", "扣1分/次（第222行）", "deduct", (1,), 3, "现场检查", "现场监控及故障处理"),
        I("故障记录不完整或有误、未跟踪交接", "扣0.5分/次（第222行）", "deduct", (0.5,), 3, "现场检查", "现场监控及故障处理"),
        I("隐瞒不报", "隐瞒不报者本项不得分（第222行）", "forfeit", (), 0, "现场检查", "现场监控及故障处理"),
        I("数据分析", "各行扣分合计，扣完为止（第223行）", "group", (), 2, "综合管理室"),
        I("未按时上报、漏报、错报数据报表", "扣1分/次（第223行）", "deduct", (1,), 2, "综合管理室", "数据分析"),
        I("数据提供有误", "扣0.5分/次（第223行）", "deduct", (0.5,), 2, "综合管理室", "数据分析"),
        I("内容描述不完整或意思不明确", "扣0.5分/次（第223行）", "deduct", (0.5,), 2, "综合管理室", "数据分析"),
        I("人员管理", "各行扣分合计，扣完为止（第224行）", "group", (), 5, "现场检查"),
        I("考勤记录有误或包庇", "扣1分/次（第224行）", "deduct", (1,), 5, "现场检查", "人员管理"),
        I("每时段示忙2人以上", "扣0.5分/次（第224行）", "deduct", (0.5,), 5, "现场检查", "人员管理"),
        I("违纪未发现或未纠正", "无故签出、示忙或违纪未及时发现、未纠正扣1分/次（第224行）", "deduct", (1,), 5, "现场检查", "人员管理"),
        I("员工消极怠工", "扣1分/次（第224行）", "deduct", (1,), 5, "现场检查", "人员管理"),
        I("未解答或解答不及时、不准确", "扣1分/次（第224行）", "deduct", (1,), 5, "现场检查", "人员管理"),
        I("解答有误产生投诉", "扣2分/次（第224行）", "deduct", (2,), 5, "现场检查", "人员管理"),
        I("抽检拨测录音不足60条", "每少1条扣0.5分（第224行）", "deduct", (0.5,), 5, "现场检查", "人员管理"),
        I("其他工作", "出现一次扣1分（第225行）", "deduct", (1,), 5, "综合管理室"),
        I("团队文化建设", "各行扣分合计，扣完为止（第228行）", "group", (), 5, "综合管理室"),
        I("未按时提交活动计划及方案", "扣1分/次（第228行）", "deduct", (1,), 5, "综合管理室", "团队文化建设"),
        I("活动参与率未达90%", "扣1分/次（第228行）", "deduct", (1,), 5, "综合管理室", "团队文化建设"),
        I("活动记录不完整", "每有一项不完整扣1分，最多扣2分（第228行）", "deduct", (1,), 2, "综合管理室", "团队文化建设"),
        I("绩效沟通未签字确认或代签", "扣1分/次/人（第228行）", "deduct", (1,), 5, "综合管理室", "团队文化建设"),
        I("加班少一人", "每少一人扣1分，最多扣3分（第228行）", "deduct", (1,), 3, "综合管理室", "团队文化建设"),
        QUARTER_EXAM,
        ATTENDANCE,
    )),
    Scorecard("12580业务指导", ("12580业务指导",), (
        # 团队成绩得分 = 平均服务质量得分 + 平均季考成绩得分 + 服务差错率得分 (line 231):
        # service quality 30% of the members' average, error rate 2%→full … 5%→0, exam 10%;
        # gated on the service-quality points (lines 231–232): ≥ 28 the sum, 26–28 → 40, < 26 → 0
        I("班组团队业绩", "团队成绩得分＝平均服务质量得分＋服务差错率得分＋平均季考成绩得分；平均服务质量得分≥28按合计，"
          "26–28分得40分，26分以下0分（第231–232行）", "group", (28, 26, 40), 70, "班组评比"),
        I("团队平均服务质量", "团队成员平均服务质量成绩×30%（第231行）", "linear", (0, 100), 30, "质检", "班组团队业绩"),
        I("团队服务差错率", "小于2%满分，大于5%不得分，之间线性（第231行）", "linear", (0.05, 0.02), 30, "质检", "班组团队业绩"),
        I("团队平均季考成绩", "团队成员平均季考成绩×10%（第231行）", "linear", (0, 100), 10, "季度考试", "班组团队业绩"),
        I("日常培训及团队辅导", "未按时或未按要求完成扣1分/次（第233行）", "deduct", (1,), 10, "综合管理室"),
        I("解释口径、流程的梳理", "有误每项扣1分/次（第234行）", "deduct", (1,), 5, "综合管理室"),
        I("知识库管理", "定期维护知识库（第235行）", "manual", (), 5, "综合管理室"),
        # the scrape ends at line 235: the remaining 5 of 重点工作 (25%) and the last 5% are
        # read as the same 其他工作 and 团队文化建设 lines the other positions have
        I("其他工作", "出现一次扣1分", "deduct", (1,), 5, "综合管理室"),
        I("团队文化建设", "组织团队活动与竞赛", "manual", (), 5, "综合管理室"),
        ATTENDANCE,
    )),
), "seed-002")

# -- seed 003: e-commerce customer service (客服部) — line 64 ---------------------------------
SEED_003 = Library((
    Scorecard("客服", ("客服", "客服专员", "售前客服", "售后客服"), (
        I("询单转化率", "最终付款人数 / 询单人数：≥75% 100，≥65% 80，≥50% 60，其余0", "band", ((0.75, 0.65, 0.5), (100, 80, 60), 0), 35, "店铺后台"),
        I("支付率", "支付宝付款笔数 / 拍下笔数：≥92% 100，≥85% 80，≥72% 60", "band", ((0.92, 0.85, 0.72), (100, 80, 60), 0), 20, "店铺后台"),
        I("落实客单价", "客服落实客单价 / 店铺客单价：≥1.12 100，≥1.08 80，≥1.06 60", "band", ((1.12, 1.08, 1.06), (100, 80, 60), 0), 10, "店铺后台"),
        # "99%>Z≥97% 800" in the scrape: 80, as in every other row
        I("旺旺回复率", "回复过的客户数 / 接待人数：≥99% 100，≥97% 80，≥95% 60", "band", ((0.99, 0.97, 0.95), (100, 80, 60), 0), 5, "旺旺"),
        I("旺旺响应时间", "平均响应时间（秒）：≤30 100，≤45 80，≤55 60", "band", ((30, 45, 55), (100, 80, 60), 0), 5, "旺旺"),
        # 客户退款率's weight and bands are lost in the scrape: left out
        I("工作任务", "月工作安排、表单整理、问题反馈与经验总结", "manual", (), 10, "客服主管"),
        I("工作态度", "积极主动，配合各部门工作", "manual", (), 5, "客服主管"),
        I("考勤", "迟到早退每次扣2分（实际值），请假每天扣1分（计划值列）", "deduct", (2, 1), 10, "考勤记录"),
        # line 64: 每累计提5条经验加一分,每月不少于两条经验 — one point per five, counted across
        # months (the rest carries over), no cap; the summary adds it from the ledger's months
        I("经验分享", "每累计提5条经验加一分，每月不少于两条经验（第64行）", "cumulative", (5, 1, 2), 0, "客服主管"),
    )),
), "seed-003")

# -- seed 004: health-check company (维康体检客服部百分考核) — lines 13–131, 181 ----------------
# 维康 百分考核 (lines 13–131): 基础分100, then every deduction of the catalogue (lines 19–105) is
# taken from the month's total and every bonus (lines 107–129) added without a cap:
# "基础分加减奖励分和扣发分为总分 … 扣完为止" (line 131) — the 评分标准 of line 19 (公共考核15,
# 组织纪律15, 卫生10, 学习与会议10, 临时交办10, 业务40) name the parts, they are not budgets
# (our reading: a clerk deducts each fault as the catalogue prices it). Items priced "扣1—10分"
# or "视情节" take the points the 组长 decides (count = points). The 客服顾问's deductions of
# 5–10% of the base salary (lines 87–93) are pay, not points: outside kpi-xl.
CATALOGUE_004 = (
    I("基础分", "每位员工每月的基础分为100分（第13行）", "base", (), 100, ""),
    I("无故迟到、早退", "一次扣5分（考勤，第27行）", "penalty", (5,), 0, "签到记录"),
    I("迟到30分钟以上", "一次扣10分（第27行）", "penalty", (10,), 0, "签到记录"),
    I("见领导未起立打招呼", "一次扣2分（组织纪律，第37–39行）", "penalty", (2,), 0, "组长"),
    I("故意不接听电话、破坏公物等", "有一项扣5分（第41–43行）", "penalty", (5,), 0, "组长"),
    I("客户投诉属实", "每次扣5分（第45行）", "penalty", (5,), 0, "投诉记录"),
    I("值日未打扫", "发现一次扣3分（卫生，第49行）", "penalty", (3,), 0, "值日表"),
    I("缺学习、培训、会议、宣传活动", "少参加一次扣2分（第53行）", "penalty", (2,), 0, "签到记录"),
    I("学习会议迟到", "迟到一次扣1分（第55行）", "penalty", (1,), 0, "签到记录"),
    I("临时交办未按时完成", "扣2分（第59行）", "penalty", (2,), 0, "组长"),
    I("无正当理由不参加安排", "一次扣5分（第61行）", "penalty", (5,), 0, "组长"),
    I("未执行标准作业程序", "视情节扣1–10分，填写扣分数（业务，第67行）", "penalty", (1,), 0, "组长"),
    I("协调不及时或不利", "每次扣1–5分，填写扣分数（第71–73行）", "penalty", (1,), 0, "组长"),
    I("重大差错未及时上报、私自处理", "视情节扣1–10分，填写扣分数（第75行）", "penalty", (1,), 0, "组长"),
    I("差错未及时处理或处理不当", "每次扣1–5分，填写扣分数（第79行）", "penalty", (1,), 0, "组长"),
    I("VIP报告错误", "根据错误程度扣1–10分，填写扣分数（第83行）", "penalty", (1,), 0, "组长"),
    I("VIP报告打印超过一周", "扣5分（第85行）", "penalty", (5,), 0, "组长"),
    I("普通客户回访不足", "每少一人次扣0.1分（第97–99行）", "penalty", (0.1,), 0, "回访记录"),
    I("VIP客户季度回访不足", "每少一人次扣0.5分（第103行）", "penalty", (0.5,), 0, "回访记录"),
    I("重大疾病客户未告知或未跟踪", "每项扣5分（第105行）", "penalty", (5,), 0, "回访记录"),
    I("超时工作", "超过上班时间一小时加1分（第109行）", "bonus", (1,), 0, "签到记录"),
    I("全勤", "每月全勤者加5分（第111行）", "bonus", (5,), 0, "考勤"),
    I("部门无差错和投诉", "本月部门没有差错和客人投诉加3分（第113行）", "bonus", (3,), 0, "部门"),
    I("妥善处理客人摩擦", "处理得当、客人满意加10分（第115行）", "bonus", (10,), 0, "组长"),
    I("书面或电话表扬", "每次加1分（第117行）", "bonus", (1,), 0, "客户"),
    I("信件表扬", "每次加2分（第117行）", "bonus", (2,), 0, "客户"),
    I("锦旗表扬", "每次加5分（第117行）", "bonus", (5,), 0, "客户"),
    I("临时兼其他岗位", "加5分（第119行）", "bonus", (5,), 0, "组长"),
    I("按时参加学习、培训、会议", "计3分（第121行）", "bonus", (3,), 0, "签到记录"),
    I("临时交办按时完成", "加2分（第123行）", "bonus", (2,), 0, "部门领导"),
    I("提供健康宣传资料", "加2分（第125行）", "bonus", (2,), 0, "组长"),
    I("网站投稿被发表", "一篇加3分（第127行）", "bonus", (3,), 0, "公司网站"),
    I("建议被采纳", "加3分（第129行）", "bonus", (3,), 0, "部门领导"),
)
SEED_004 = Library((
    Scorecard("客户服务人员", ("客户服务人员",), (
        I("专业技能、接听质量", "抽查每次不合格扣2分，扣完为止（第181行）", "deduct", (2,), 30, "抽查记录"),
        # the deduction bands of line 181 on the complaint rate: 0% none; up to 0.4% 2; up to
        # 1% 4; up to 1.5% 10; above, 10 — written as what is left of the 20
        I("客户投诉率", "投诉率：0% 不扣，0–0.4% 扣2，0.4–1% 扣4，1–1.5% 扣10，1.5%以上扣10", "band",
          ((0.0, 0.004, 0.01, 0.015), (100, 90, 80, 50), 50), 20, "投诉记录"),
        # "100% 0 95%以下 1 95%~80% 2 80%~75% 3 75%以下 5": read as below 100% down to 95% 1,
        # 95–80% 2, 80–75% 3, below 75% 5
        I("回访完成率", "100%不扣，95–100%扣1，80–95%扣2，75–80%扣3，75%以下扣5", "band",
          ((1.0, 0.95, 0.80, 0.75), (100, 90, 80, 70), 50), 10, "回访记录"),
        I("回访真实度", "不真实条数：0不扣，1条扣1，2条扣2，3–5条扣3，5条以上扣5", "band",
          ((0, 1, 2, 5), (100, 90, 80, 70), 50), 10, "总部抽访"),
        I("客户满意度", "100%不扣，95–100%扣1，80–95%扣2，75–80%扣3，75%以下扣5", "band",
          ((1.0, 0.95, 0.80, 0.75), (100, 90, 80, 70), 50), 10, "满意度调查"),
        I("报表上交真实性", "不真实的每次扣2分，本项分值扣完为止", "deduct", (2,), 10, "报表"),
        # "从当月总分中扣处,每次扣罚2~10分": the points typed (count = points) come off the month's
        # total, beyond this row's 10 — unlike 报表上交真实性's "本项分值扣完为止"
        I("审计、纠错及行政通报", "从当月总分中扣处，每次2–10分（填写扣分数），当月分值扣完为止", "deduct", (1, "总分"), 10, "人力资源部"),
        # praise and criticism (lines 181–191): no cap on the praise (none in the seed)
        I("表扬信", "收到顾客表扬信一次加1分（第181行）", "bonus", (1,), 0, "客户来信"),
        I("部门表扬", "被部门表扬一次加2分", "bonus", (2,), 0, "部门"),
        I("公司表扬", "被公司表扬一次加3分", "bonus", (3,), 0, "公司"),
        I("媒体表扬", "被媒体表扬一次加5分（需分部提供文字材料）", "bonus", (5,), 0, "媒体"),
        I("部门批评", "被部门批评一次扣2分", "penalty", (2,), 0, "部门"),
        I("公司批评", "被公司批评一次扣3分", "penalty", (3,), 0, "公司"),
        I("媒体批评", "被媒体批评一次扣5分", "penalty", (5,), 0, "媒体"),
    )),
    Scorecard("百分考核", ("客服顾问", "客服专员", "客服组员"), CATALOGUE_004),
), "seed-004")

# Anyone whose position has no sheet of its own (department heads, office staff) is
# appraised on seed 001 第六条's three parts: 工作业绩, 工作能力, 工作态度, scored by hand.
GENERAL = Scorecard("通用", ("*",), (
    I("工作业绩", "考核期内完成的工作数量、质量、效率及目标成果（seed 001 第六条）", "manual", (), 60, "上级"),
    I("工作能力", "专业技能、解决问题、学习与沟通协调能力", "manual", (), 20, "上级"),
    I("工作态度", "责任心、敬业、团队合作、服务意识、遵守制度", "manual", (), 20, "上级"),
))
SEED_001 = Library((*SEED_001.scorecards, GENERAL), "seed-001")
SEED_002 = Library((*SEED_002.scorecards, GENERAL), "seed-002")
SEED_003 = Library((*SEED_003.scorecards, GENERAL), "seed-003")
SEED_004 = Library((*SEED_004.scorecards, GENERAL), "seed-004")

SHIPPED_SCORECARDS = {"seed-001": SEED_001, "seed-002": SEED_002, "seed-003": SEED_003, "seed-004": SEED_004}


def write_shipped(folder: Path) -> list[Path]:
    written = []
    for name, library in SHIPPED_SCORECARDS.items():
        path = folder / f"{name}.xlsx"
        write_scorecards(library, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_shipped(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "data" / "scorecards"):
        print(path)
