"""The demo county's 争先进位: its city's counties, indicators with two years of values, three 现场会 and six
peer practices. Safe to run again: what exists is kept."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import Task

from . import services
from .models import CityInitiative, County, Indicator, IndicatorValue, PeerPractice, period_for
from .sheet import ValueInput

NEIGHBOURS = ["东山县", "西河县", "南岭县", "北湖区", "青松县", "白云市", "红旗县", "金水区", "玉泉县"]

# name, measure, category, basis, direction, period kind, rule, responsible unit, leader, base, our place (1 best)
INDICATORS = [
    ("地区生产总值", "亿元", "economy", "growth", "higher", "quarterly", "upper_half", "发展和改革委员会", "李建国", 260, 5),
    ("一般公共预算收入", "亿元", "economy", "growth", "higher", "cumulative", "not_bottom3", "财政局", "李建国", 14, 6),
    ("规模以上工业增加值", "亿元", "economy", "growth", "higher", "cumulative", "upper_half", "科学技术和工业信息化局",
     "王海涛", 90, 4),
    ("社会消费品零售总额", "亿元", "economy", "growth", "higher", "cumulative", "upper_half", "商务局", "王海涛", 110, 6),
    ("实际利用省外资金", "亿元", "investment", "growth", "higher", "cumulative", "top3", "投资促进中心", "李建国", 60, 4),
    ("新开工亿元以上项目", "个", "projects", "absolute", "higher", "cumulative", "top3", "发展和改革委员会", "李建国", 18, 2),
    ("营商环境评价得分", "分", "honour", "absolute", "higher", "quarterly", "first", "行政审批服务局", "张伟", 85, 1),
    ("城镇调查失业率", "%", "economy", "absolute", "lower", "monthly", "not_bottom3", "人力资源和社会保障局", "刘志强",
     5, 5),
]  # fmt: skip


def demo_rankings_load() -> dict[str, int]:
    """Counties, indicators, two years of values up to last month, 现场会 and 学左右 for the demo county."""
    office = User.objects.filter(role=User.Role.OFFICE).order_by("id").first()
    if office is None:
        return {}
    ours = settings.LUOSHI_COUNTY_NAME
    for order, name in enumerate([ours, *NEIGHBOURS], start=1):
        County.objects.get_or_create(name=name, defaults={"order": order * 10, "is_ours": name == ours})
    counties = list(County.objects.filter(active=True))
    indicators = []
    for order, (name, measure, category, basis, direction, kind, rule, unit, leader, *_rest) in enumerate(
        INDICATORS, 1
    ):
        indicator, _ = Indicator.objects.get_or_create(name=name, defaults={
            "measure": measure, "category": category, "basis": basis, "direction": direction, "period_kind": kind,
            "rule": rule, "responsible_unit": Unit.objects.filter(name=unit).first(),
            "leader": Leader.objects.filter(name=leader).first(), "order": order * 10,
            "unit_may_enter": unit == "财政局",
        })  # fmt: skip
        indicators.append(indicator)
    values = 0
    if not IndicatorValue.objects.exists():
        values = _values(indicators, counties, office)
    _initiatives(office, counties)
    _practices(office, indicators)
    return {"counties": len(counties), "indicators": len(indicators), "values": values}


def _values(indicators, counties, office) -> int:
    """24 months up to last month; our county kept near the place INDICATORS gives it, the others shuffled."""
    rng = random.Random(2026)
    today = timezone.localdate()
    year, month = today.year, today.month - 1
    months = []
    for _ in range(24):
        if month == 0:
            year, month = year - 1, 12
        months.append((year, month))
        month -= 1
    months.reverse()
    saved = 0
    for year, month in months:
        items = []
        for indicator, spec in zip(indicators, INDICATORS, strict=True):
            if period_for(indicator.period_kind, year, month) is None:
                continue
            base, place = spec[9], spec[10]
            growth = sorted((rng.uniform(-2, 14) for _ in counties), reverse=indicator.higher_is_better)
            others = [county for county in counties if not county.is_ours]
            rng.shuffle(others)
            wobble = min(len(counties) - 1, max(0, place - 1 + rng.choice([-1, 0, 0, 0, 1])))
            ordered = [*others[:wobble], next(c for c in counties if c.is_ours), *others[wobble:]]
            for rate, county in zip(growth, ordered, strict=True):
                size = (
                    base
                    * (0.6 + 0.8 * ((county.pk * 37) % 10) / 10)
                    * (month / 12 if indicator.period_kind == "cumulative" else 1)
                )
                if indicator.by_growth:
                    items.append(ValueInput(indicator, county, value=_d(size), growth=_d(rate)))
                else:
                    # An absolute ranking: the sorted rates give the order, scaled to the indicator's size.
                    amount = base * (1 + rate / 100)
                    items.append(ValueInput(indicator, county, value=Decimal(round(amount)) if indicator.measure == "个"
                                            else _d(amount)))  # fmt: skip
        if items:
            services.values_save(values=items, year=year, month=month, by=office, source="demo", name="演示数据")
            saved += len(items)
    return saved


def _d(number: float) -> Decimal:
    return Decimal(f"{number:.2f}")


def _initiatives(office, counties) -> None:
    if CityInitiative.objects.exists():
        return
    today = timezone.localdate()
    by_name = {county.name: county for county in counties}
    rows = [
        ("农村人居环境整治", 75, "meeting", "市委农村工作会议上分管副市长透露", "农业农村局", "王海涛", 50, "pending",
         None, ["东山县", "南岭县"]),
        ("河湖保洁", -120, "document", "市河长办关于开展河湖清洁行动的通知", "水利局", "王海涛", -150, "won", -118,
         ["西河县"]),
        ("放管服改革", 40, "leader", "市长在全市优化营商环境大会上的讲话", "行政审批服务局", "张伟", 55, "pending", None,
         ["北湖区", "白云市", "金水区"]),
    ]  # fmt: skip
    for title, expected, kind, source, unit, leader, ready, result, held, rivals in rows:
        item = CityInitiative(title=title, expected_on=today + timedelta(days=expected), source_kind=kind, source=source,
                              lead_unit=Unit.objects.filter(name=unit).first(),
                              leader=Leader.objects.filter(name=leader).first(),
                              ready_on=today + timedelta(days=ready), result=result,
                              held_on=today + timedelta(days=held) if held is not None else None)  # fmt: skip
        # The demo's own tasks for the same work, when the demo county has its tasks.
        key = {"农村人居环境整治": "人居环境", "河湖保洁": "河湖保洁"}.get(title)
        tasks = list(Task.objects.filter(title__contains=key).order_by("id")[:3]) if key else []
        services.initiative_save(initiative=item, competitors=[by_name[n] for n in rivals if n in by_name],
                                 tasks=tasks, by=office)  # fmt: skip


PRACTICES = [
    ("封丘县", "十联户、百联户搬迁动员", "乡村振兴", None, "乡村振兴局",
     "县财政统筹整合涉农资金,群众按户出资一小部分,村集体以闲置宅基地复垦指标收益补足。",
     "十户一联户长、百户一网格长,党员包户,乡镇干部包网格,一户一档。",
     "联户长周例会、网格长月评比,搬迁进度每周在全县通报,奖补资金与进度挂钩。",
     "矛盾先在联户内调解,调解不成由网格长上报乡镇专班,三日内答复。",
     "县财政投入1.2亿元", "两年完成搬迁3200户,零上访"),
    ("长垣市", "工业园区“标准地”出让", "招商引资", "实际利用省外资金", "投资促进中心",
     "土地出让收入的10%设立园区基础设施基金,企业按亩均税收承诺分期缴纳。",
     "园区管委会设招商、服务两个专班,每个签约项目配一名服务专员。",
     "“标准地+承诺制”:出让前定好亩均投资、税收、能耗指标,签约即开工。",
     "达不到承诺指标的按合同收回或补缴,每半年评估一次。",
     "县财政配套3000万元", "项目签约到开工平均缩短至45天,引进省外资金增长21%"),
    ("新郑市", "多元调解进网格", "社会治理", None, "司法局",
     "调解员补贴由县财政按件列支,行业调解组织向商会会员收取少量会费。",
     "法官、律师、人民调解员、网格员组成调解团队,一个网格一名调解员。",
     "诉前调解与法院立案系统对接,调解协议可申请司法确认。",
     "调解不成的当日转诉,重大群体性矛盾由县信访联席会议研判。",
     "年投入600万元", "诉讼案件量下降27%"),
    ("西平县", "农村集体产权制度改革", "乡村振兴", None, "农业农村局",
     "清产核资后以集体经营性资产入股合作社,收益按股分红,县里给予启动资金。",
     "村“两委”牵头,村民代表大会确认成员身份,乡镇农经站全程指导。",
     "股权“生不增、死不减”,合作社章程规定分红与公益金比例。",
     "成员身份争议由村民代表大会表决,仍有争议的由乡镇仲裁。",
     "县级启动资金每村20万元", "村集体经济收入超10万元的村占比由31%升至78%"),
    ("汝州市", "项目建设“四个一”推进机制", "项目建设", "新开工亿元以上项目", "发展和改革委员会",
     "专项债、政策性金融工具和社会资本按项目打捆,县投资集团负责配套资金。",
     "每个项目一名县级领导、一个责任单位、一个专班、一张推进图。",
     "周调度、月观摩、季拉练,项目进度与单位考核挂钩。",
     "要素保障问题当周在调度会上交办,跨部门问题由常务副县长协调。",
     "年度项目融资80亿元", "新开工亿元以上项目数全市第一"),
    ("巩义市", "“一件事一次办”", "营商环境", "营商环境评价得分", "行政审批服务局",
     "政务服务改造纳入年度财政预算,信息系统由省平台统一提供。",
     "审批服务局统筹,各部门首席代表进驻,窗口人员统一管理考核。",
     "梳理120项“一件事”清单,一张表单、一套材料、一窗受理。",
     "办不成事由专门窗口兜底,差评件由纪检部门回访整改。",
     "投入800万元", "企业开办压缩至0.5天,营商环境评价全省前十"),
]  # fmt: skip


def _practices(office, indicators) -> None:
    if PeerPractice.objects.exists():
        return
    by_name = {indicator.name: indicator for indicator in indicators}
    for county, title, field, indicator, unit, money, people, mechanism, problems, cost, results in PRACTICES:
        services.practice_save(practice=PeerPractice(
            county=county, title=title, field=field, indicator=by_name.get(indicator),
            unit=Unit.objects.filter(name=unit).first(), money=money, people=people, mechanism=mechanism,
            problems=problems, cost=cost, results=results, sources="市委政研室调研报告",
        ), by=office)  # fmt: skip
