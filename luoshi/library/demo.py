"""The demo library: 30 real State Council documents and five written for the demo, key figures for three
units, the fields they follow, two visits and four typical cases.

The real documents are read from `samples/library/` (their sources in its README and sources.csv).
The five county documents are written for the demo as plausible summaries of policy and are marked
【演示文本】 in their first line.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from luoshi.intake.reading import read_text, read_text_bytes
from luoshi.org.models import Unit, User

from . import services
from .models import Document, FieldVisit, TypicalCase

MARK = "【演示文本,非真实文件】"
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "library"

DOCUMENTS = [
    ("关于深入开展河湖保洁专项行动的通知", "示政办〔2026〕8号", "示范县人民政府办公室", "county", date(2026, 3, 12),
     "生态环境、乡村振兴", ["水利局", "柳林镇"],
     "各乡镇人民政府,县直有关单位:\n为全面落实河长制,巩固河湖保洁成果,县政府决定开展河湖保洁专项行动。\n"
     "一、工作目标\n年底前实现河湖保洁常态化,主要河道无垃圾、无漂浮物、无违章建筑。\n二、重点任务\n"
     "(一)开展拉网式排查\n各乡镇对辖区河道逐段排查,建立问题清单,限期清理河湖保洁死角。\n"
     "(二)落实河湖保洁经费\n县财政按河道长度安排河湖保洁经费,乡镇配套落实保洁人员。\n"
     "(三)建立长效机制\n河湖保洁纳入督查督办,每月通报,对连续两月排名靠后的乡镇约谈。\n"
     "三、工作要求\n各单位要高度重视,明确专人负责,每月25日前报送进展。\n示范县人民政府办公室\n2026年3月12日"),
    ("关于持续深化“放管服”改革优化营商环境的实施意见", "豫政办〔2025〕21号", "省人民政府办公厅", "province",
     date(2025, 6, 3), "营商环境", ["行政审批服务局"],
     "各市、县人民政府,省人民政府各部门:\n为持续深化放管服改革,打造一流营商环境,提出如下意见。\n"
     "一、总体要求\n以企业和群众办事便利为导向,推动政务服务一网通办、最多跑一次。\n二、主要任务\n"
     "(一)压减审批时限\n工程建设项目审批时限压减至60个工作日以内。\n(二)推进一网通办\n"
     "政务服务事项网上可办率达到95%以上。\n三、保障措施\n各地要建立督查督办机制,定期通报进展。\n"
     "省人民政府办公厅\n2025年6月3日"),
    ("关于规范“三重一大”事项集体决策的规定", "示办发〔2024〕5号", "示范县委办公室", "county", date(2024, 4, 18),
     "党建、财政", [],
     "为规范重大事项决策、重要干部任免、重大项目安排和大额度资金运作(三重一大)事项的集体决策,制定本规定。\n"
     "一、适用范围\n县直各单位和各乡镇的三重一大事项,均须集体研究决定。\n二、决策程序\n"
     "(一)会前酝酿\n议题应提前送达参会人员,重大事项须经合法性审查。\n(二)会议表决\n"
     "与会人员逐一发表意见,主要负责人末位表态。\n三、监督检查\n县纪委监委对三重一大执行情况开展监督检查。\n"
     "示范县委办公室\n2024年4月18日"),
    ("关于加快推进高标准农田建设的通知", "示政办〔2022〕12号", "示范县人民政府办公室", "county", date(2022, 3, 15),
     "乡村振兴、土地", ["农业农村局", "财政局"],
     "各乡镇人民政府,县直有关单位:\n一、建设目标\n2022年新建高标准农田3万亩。\n二、资金保障\n"
     "县财政统筹整合涉农资金,补助资金直接拨付到项目。\n示范县人民政府办公室\n2022年3月15日"),
    ("关于印发示范县招商引资考核办法的通知", "示政〔2026〕3号", "示范县人民政府", "county", date(2026, 2, 10),
     "招商引资", ["投资促进中心", "商务局"],
     "一、考核对象\n各乡镇、县直有关单位。\n二、考核内容\n(一)引进项目个数和投资额\n(二)项目开工率和到位资金\n"
     "三、结果运用\n考核结果纳入年度综合考评,并在县政府常务会上通报。\n示范县人民政府\n2026年2月10日"),
]  # fmt: skip

FIGURES = [
    ("财政局", "一般公共预算收入", "12.6", "亿元", "2026年1-10月", "县统计局", "每月"),
    ("财政局", "税收收入占比", "71.3", "%", "2026年1-10月", "县统计局", "每月"),
    ("财政局", "民生支出", "28.4", "亿元", "2026年1-10月", "本单位台账", "每月"),
    ("财政局", "政府债务余额", "86.5", "亿元", "2026年9月末", "本单位台账", "每季度"),
    ("财政局", "整合涉农资金", "3.2", "亿元", "2026年", "本单位台账", "每年"),
    ("水利局", "县级以上河道", "14", "条", "2026年", "本单位台账", "每年"),
    ("水利局", "河湖保洁人员", "326", "人", "2026年", "本单位台账", "每季度"),
    ("柳林镇", "常住人口", "5.2", "万人", "2025年末", "县统计局", "每年"),
    ("柳林镇", "高标准农田", "4.1", "万亩", "2026年", "县农业农村局", "每年"),
]  # fmt: skip


@transaction.atomic
def demo_library_load() -> int:
    """Load the demo library once; returns how many documents it made."""
    if Document.objects.filter(title=DOCUMENTS[0][0]).exists():
        return 0
    office = User.objects.get(username="office")
    units = {unit.name: unit for unit in Unit.objects.all()}
    made = {}
    for title, number, issuer, level, day, fields, unit_names, body in DOCUMENTS:
        document = services.document_create(source=read_text(f"{title}\n{MARK}\n{body}"), by=office)
        services.document_update(
            document=document,
            data=services.DocumentInput(
                title=title, number=number, issuer=issuer, level=level, issued_on=day, validity="current",
                replaced_by=None, fields=fields, units=[units[n] for n in unit_names if n in units], internal=False,
            ),
            by=office,
        )  # fmt: skip
        made[title] = document
    for unit, name, value, measure, period, source, cadence in FIGURES:
        services.key_figure_save(
            owner=units[unit], name=name, value=value, measure=measure, period=period, source=source,
            cadence=cadence, by=office,
        )  # fmt: skip
    today = timezone.localdate()
    river = FieldVisit.objects.create(
        title="河湖保洁专项行动落实情况", unit=units["水利局"], purpose="看河湖保洁经费和人员是否落实到村",
        places="柳林镇\n郭店镇", members="督查室、水利局", questions="保洁人员是否到岗\n经费是否拨付",
        document=made[DOCUMENTS[0][0]], visit_on=today - timedelta(days=20), created_by=office,
    )  # fmt: skip
    services.finding_add(visit=river, place="柳林镇", text="部分村保洁人员未签订协议", figures="3个村", by=office)
    services.finding_add(visit=river, place="郭店镇", text="建议按河道长度核定保洁经费", kind="proposal", by=office)
    farmland = FieldVisit.objects.create(
        title="高标准农田补助资金到户情况", unit=units["财政局"], purpose="检查补助资金拨付进度",
        places="柳林镇\n黄岗镇", members="督查室、财政局、农业农村局", document=made[DOCUMENTS[3][0]],
        visit_on=today - timedelta(days=7), created_by=office,
    )  # fmt: skip
    services.finding_add(
        visit=farmland, place="黄岗镇", text="补助资金拨付滞后两个月", figures="涉及资金86万元", by=office
    )
    cases = [
        ("柳林镇“河长+保洁员”责任到人", "advanced", "生态环境", "柳林镇", "每段河道落实一名保洁员,河长每周巡河",
         "河道垃圾投诉下降62%", "调研", river),
        ("行政审批“一窗通办”", "advanced", "营商环境", "行政审批服务局", "设置综合窗口,一次告知、一窗受理",
         "平均办理时限由12天压减至4天", "汇报", None),
        ("郭店镇河道保洁经费不到位", "lagging", "生态环境", "郭店镇", "保洁经费未按月拨付", "3处河段反复出现垃圾",
         "调研", river),
        ("高标准农田项目进度滞后", "lagging", "乡村振兴", "黄岗镇", "项目开工晚,施工力量不足", "完成率45%",
         "事项", farmland),
    ]  # fmt: skip
    for title, kind, field, unit, actions, results, source, visit in cases:
        case = TypicalCase.objects.create(
            title=title, kind=kind, field=field, unit=units[unit], actions=actions, results=results, source=source,
            visit=visit,
        )  # fmt: skip
        services.case_step_add(
            case=case, stage="found", day=today - timedelta(days=60), what=f"{source}中发现", by=office
        )
        if kind == "advanced":
            services.case_step_add(
                case=case, stage="cultivated", day=today - timedelta(days=30), what="督查室跟踪指导", by=office
            )
    real = demo_real_documents_load(office)
    follows = {"财政局": ["财政", "乡村振兴"], "水利局": ["生态环境", "应急管理"], "柳林镇": ["乡村振兴", "教育"]}
    for unit_name, fields in follows.items():
        if unit_name in units:
            services.followed_fields_save(unit=units[unit_name], fields=fields, by=office)
    # What cites what: the visit checks the river document; the advanced river case cites it too.
    services.document_link(document=made[DOCUMENTS[0][0]], obj=river, by=office, note="检查第二条落实情况")
    first_case = TypicalCase.objects.filter(visit=river, kind="advanced").first()
    services.document_link(document=made[DOCUMENTS[0][0]], obj=first_case, by=office, note="落实“建立长效机制”")
    from luoshi.work.models import Task

    for task in Task.objects.filter(title__contains="河")[:1]:
        services.document_link(document=made[DOCUMENTS[0][0]], obj=task, by=office)
    return len(made) + real


def demo_real_documents_load(office: User) -> int:
    """The 30 State Council documents of samples/library, read as an uploaded .txt is, then confirmed."""
    with (SAMPLES / "sources.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        content = (SAMPLES / row["file"]).read_bytes()
        document = services.document_create(source=read_text_bytes(row["file"], content), by=office)
        services.document_update(
            document=document,
            data=services.DocumentInput(
                title=row["title"], number=row["number"], issuer=row["issuer"], level="central",
                issued_on=date.fromisoformat(row["issued_on"]) if row["issued_on"] else None, validity="current",
                replaced_by=None, fields=row["fields"], units=[], internal=False,
            ),
            by=office,
        )  # fmt: skip
    return len(rows)
