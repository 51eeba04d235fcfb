"""The demo county's 破难题: eight problems at different levels, twelve risks, two accountability records.

Written through the real services, so the demo's trace is a real chain. Safe to run again: it does
nothing once the demo's problems exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from luoshi.org.models import Leader, Unit, User
from luoshi.work.services import TaskSpec

from . import risks, services
from .models import Problem

# (title, category, lead unit, leader, levels to go up, contradiction, entry point, worst case, bottom line)
PROBLEMS = [
    ("城南安置小区3000户办证难", "不动产登记", "自然资源局", "李建国", 3,
     "开发商欠缴土地出让金1.2亿元,群众无法办理不动产权证", "先分割办证、后追缴欠款", "群体性进京上访", "不发生群体性事件"),
    ("原县纺织厂改制职工社保接续", "企业改制", "人力资源和社会保障局", "王海涛", 2,
     "改制时欠缴社保费,386名职工无法退休", "财政垫付、分期追缴", "职工堵路", "不让一名职工断保"),
    ("东城片区征地补偿遗留纠纷", "征地拆迁", "东城街道办事处", "李建国", 1,
     "2012年征地补偿标准前后不一", "按政策就高兑现,一户一策", "暴力抗拆", "不强拆、不激化"),
    ("县医院新院区项目烂尾", "项目烂尾", "卫生健康委员会", "孙丽萍", 2,
     "施工方资金链断裂,停工两年", "引入国企接盘续建", "工人讨薪群体事件", "农民工工资不拖欠"),
    ("乡镇政府欠付工程款", "历史欠账", "财政局", "李建国", 1,
     "2015—2019年乡镇工程款欠付8600万元", "摸清底数、分年化解", "企业起诉、账户冻结", "不新增欠款"),
    ("刘集镇砂场信访积案", "信访积案", "刘集镇", "陈刚", 0,
     "砂场关停补偿与承包人诉求差距大", "依法评估、司法确认", "到省上访", "依法办事、不开口子"),
    ("城关街道老旧小区产权遗留", "不动产登记", "住房和城乡建设局", "刘志强", 1,
     "房改房手续缺失", "分类处置、容缺办理", "集体上访", "不突破政策"),
    ("县投资集团历史债务化解", "历史欠账", "投资集团有限公司", "李建国", 3,
     "隐性债务集中到期", "展期置换、盘活资产", "债务违约", "不发生区域性金融风险"),
]  # fmt: skip

# (title, kind, field, likelihood, impact, owner unit, leader)
RISKS = [
    ("城投平台债务集中到期", "grey_rhino", "债务", 4, 5, "财政局", "李建国"),
    ("房地产项目逾期交房", "grey_rhino", "房地产", 4, 4, "住房和城乡建设局", "刘志强"),
    ("化工园区重大安全事故", "black_swan", "安全生产", 2, 5, "应急管理局", "陈刚"),
    ("汛期城区内涝", "grey_rhino", "自然灾害", 3, 4, "水利局", "赵红军"),
    ("非法集资风险", "grey_rhino", "金融", 3, 4, "金融服务中心", "李建国"),
    ("涉众型信访集中爆发", "grey_rhino", "信访稳定", 3, 3, "信访局", "陈刚"),
    ("突发传染病疫情", "black_swan", "公共卫生", 1, 5, "卫生健康委员会", "孙丽萍"),
    ("饮用水源地污染", "black_swan", "生态环境", 2, 5, "市生态环境局示范县分局", "赵红军"),
    ("森林火灾", "black_swan", "自然灾害", 2, 4, "林业局", "赵红军"),
    ("农民工工资拖欠", "grey_rhino", "信访稳定", 3, 3, "人力资源和社会保障局", "王海涛"),
    ("粮食储备库霉变", "grey_rhino", "其他", 2, 3, "粮食和物资储备中心", "李建国"),
    ("校园安全事件", "black_swan", "安全生产", 1, 4, "教育局", "刘志强"),
]  # fmt: skip


@transaction.atomic
def demo_problems_load() -> int:
    """Load the demo's problems, risks and accountability records once; returns how many problems it made."""
    if Problem.objects.filter(title=PROBLEMS[0][0]).exists():
        return 0
    office = User.objects.get(username="office")
    units = {unit.name: unit for unit in Unit.objects.all()}
    leaders = {leader.name: leader for leader in Leader.objects.all()}
    today = timezone.localdate()
    made = []
    for title, category, unit, leader, levels, contradiction, entry, worst, bottom in PROBLEMS:
        problem = services.problem_create(
            data=services.ProblemInput(
                title=title, category=category, lead_unit=units[unit], leader=leaders[leader],
                contradiction=contradiction, entry_point=entry, worst_case=worst, bottom_line=bottom,
                key_people=[{"name": "(演示)群众代表", "role": "信访代表", "contact": "138****0000"}],
                laws="《信访工作条例》",
            ),
            by=office,
        )  # fmt: skip
        services.problem_history_add(problem=problem, day=today - timedelta(days=3650), text="问题形成", by=office)
        services.problem_history_add(problem=problem, day=today - timedelta(days=400), text="群众多次反映", by=office)
        for _ in range(levels):
            services.problem_escalate(problem=problem, reason="本级未能化解,提请上一级研究", by=office)
        made.append(problem)
    services.petition_add(problem=made[5], number="XF-2026-018", day=today - timedelta(days=20), petitioners=6,
                          level="province", next_visit=today + timedelta(days=10), by=office)  # fmt: skip
    services.level_meeting_record(
        problem=made[1], day=today, attendees="分管副县长、人社局、财政局", options="一、财政垫付;二、企业资产变现",
        conclusion="", by=office,
    )  # fmt: skip
    services.decision_record(
        problem=made[0],
        data=services.DecisionInput(
            meeting="县政府常务会议", day=today, attendees=["张伟", "李建国", "王海涛", "刘志强", "孙丽萍"],
            absent=["陈刚"], category="funds", amount=12000, matter="垫付土地出让金,先行分割办证",
            resolution="由县财政垫付土地出让金,先行为群众办证;同步依法追缴开发商欠款。", votes_for=4,
            votes_against=1, dissent=[{"name": "刘志强", "opinion": "垫付易开先例,建议先启动司法追缴"}],
        ),
        tasks=[
            TaskSpec(title="拨付土地出让金垫付资金", lead=units["财政局"], deadline=today + timedelta(days=60)),
            TaskSpec(title="分批办理安置小区不动产权证", lead=units["自然资源局"], deadline=today + timedelta(days=120)),
        ],
        by=office,
    )  # fmt: skip
    # The 三重一大 rule the decided problems rest on, from the library's demo (loaded here first if not yet: it is idempotent).
    from luoshi.library.demo import demo_library_load
    from luoshi.library.models import Document

    demo_library_load()
    rule = Document.objects.filter(number="示办发〔2024〕5号").first()
    if rule is not None:
        for problem in (made[0], made[7]):
            services.problem_document_link(
                problem=problem, document=rule, article="二、决策程序(二)会议表决", by=office
            )
    for title, kind, field, likelihood, impact, unit, leader in RISKS:
        risks.risk_create(title=title, kind=kind, field=field, likelihood=likelihood, impact=impact,
                             owner_unit=units[unit], leader=leaders[leader], by=office)  # fmt: skip
    services.accountability_create(
        case="某乡镇扶贫资金滞留", unit=units["白庙乡"], people="(演示)某站长", facts="资金滞留超过三个月未拨付",
        answers={"intentional": (False, ""), "malicious": (False, ""), "serious": (True, "审计报告指出影响群众收入")},
        by=office,
    )  # fmt: skip
    record = services.accountability_create(
        case="安全生产检查弄虚作假", unit=units["应急管理局"], people="(演示)某科长", facts="伪造检查记录,致事故发生",
        answers={"intentional": (True, "伪造的检查记录"), "malicious": (True, "事后销毁原始记录"),
                 "serious": (True, "事故造成人员伤亡")},
        by=office,
    )  # fmt: skip
    services.accountability_decide(record=record, accountable=True, grounds="三项均成立,依规问责", by=office)
    return len(made)
