"""The demo county's 督办 tasks: about 150, in every status and light, as in a county in mid-year.

Every task is registered and carried through the real services, acting as the demo users:
the office registers, urges and decides; the 财政局 and 住建局 liaisons (`unit`, `unit2`) sign,
report and ask for themselves; the office records the other units' steps for them (代报);
the 常务副县长 (`leader`) writes 批示. Each step is played at its own moment in the past, passed
to the service as `at=`: registered, signed the next working day, reported by each due date,
asked, decided, urged, each on a working day in office hours and in that order, so the task
timeline tells a coherent story. Afterwards only the next report due, which a scenario needs
to show its light today, is set on Task with a queryset update; the timeline is never touched.

The first twenty tasks are the rows of the 2022 deployment speech's 任务分解表
(samples/ledger-2022-work-deployment.xlsx), the speech's own words; the rest are
the everyday work of a county's departments and townships.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.org.models import Leader, Unit, User

from . import office as work_office
from . import services
from .cadence import next_due_after_report, report_due_after
from .models import Cadence, Task
from .selectors import week_end_of

# Scenarios: what happens to a task, and so its status and light today.
NEW = "new"  # registered, not signed yet (green)
NEW_LATE = "new_late"  # not signed past its sign-by date (yellow)
GREEN = "green"  # signed and reported, on track
YELLOW_DEADLINE = "yellow_deadline"  # deadline within the warning days
YELLOW_REPORT = "yellow_report"  # report a day or two late
RED_DEADLINE = "red_deadline"  # deadline passed, not done
RED_REPORT = "red_report"  # report long overdue
EXTENSION = "extension"  # extension asked, pending
EXTENDED = "extended"  # extension approved, back in progress
CLOSURE = "closure"  # closure asked before the deadline (held green)
DONE = "done"  # closed on time
DONE_LATE = "done_late"  # closed after the deadline
RETURNED = "returned"  # closure refused: 退回重办
PAUSED = "paused"
CANCELLED = "cancelled"
DRAFT = "draft"

# The other units' tasks go round this list: about a quarter done, most in progress, every light.
ROUND = [
    GREEN, DONE, RED_DEADLINE, GREEN, YELLOW_DEADLINE, DONE, GREEN, RED_REPORT, DONE_LATE, GREEN,
    YELLOW_REPORT, DONE, NEW, CLOSURE, GREEN, EXTENDED, DONE, RETURNED, GREEN, RED_DEADLINE,
    NEW_LATE, DONE, GREEN, EXTENSION, YELLOW_REPORT, PAUSED, GREEN, DONE, CANCELLED, DRAFT,
]  # fmt: skip

SPEECH = "政府系统工作部署会议讲话"
COMMON = "县直各单位"
TOWNSHIPS = "各乡镇"


@dataclass
class DemoTask:
    title: str
    lead: str
    supporting: tuple[str, ...] = ()
    requirements: str = ""
    leader: str = ""
    category: str = ""
    quote: str = ""
    scenario: str = ""
    cadence: str = Cadence.MONTHLY
    cadence_day: int = 25
    standing: bool = False
    from_speech: bool = False
    urge: bool = False
    instruct: str = ""
    week: bool = False  # a report due this week (the liaison's week page)
    priority: int = Task.Priority.NORMAL
    group: tuple[str, ...] = field(default=())
    carried: bool = False  # registered last year, carried over (结转)


# The speech's 任务分解表, row by row (category, task, measures, leader, lead, supporting, when).
LEDGER = [
    DemoTask("主要经济指标在全市争先进位", "发展和改革委员会", ("统计局", "财政局", TOWNSHIPS),
             "地区生产总值、一般公共预算收入、固定资产投资等指标全市排名中游偏上,不进后三名", "李建国",
             "立足于争一流", "不能进后三名", GREEN, standing=True),
    DemoTask("招商引资工作保三争一", "商务局", ("投资促进中心",),
             "全年招商引资到位资金全市排名保三争一,每月通报进度", "李建国", "立足于争一流",
             "原则上这些工作要保三争一", YELLOW_REPORT, urge=True),
    DemoTask("项目建设工作保三争一", "发展和改革委员会", ("住房和城乡建设局", "自然资源局"),
             "重点项目开工率、投资完成率全市排名保三争一", "李建国", "立足于争一流", "原则上这些工作要保三争一",
             GREEN, instruct="项目建设是全年工作的重中之重,请每周调度,确保开工率全市前三。"),
    DemoTask("争取全市河湖保洁现场会在我县召开", "水利局", (TOWNSHIPS, "市生态环境局示范县分局"),
             "研究市里政策,提前谋划,四个月见到明显成效", "王海涛", "立足于争一流",
             "单项工作要争取全市现场会在我县召开", DONE),
    DemoTask("争取全市人居环境现场会在我县召开", "农业农村局", (TOWNSHIPS,), "对标全市标准,打造示范村", "王海涛",
             "立足于争一流", "单项工作要争取全市现场会在我县召开", YELLOW_DEADLINE),
    DemoTask("学习研究职责范围内的政策、法律、文件和领导讲话", "人民政府办公室", (),
             "建立本单位政策文件库,每月集中学习一次", "张伟", "立足于善谋划",
             "学习好职责和业务范围内的政策、法律、文件、领导讲话、工作思路和系统安排", GREEN, standing=True),
    DemoTask("建立分管领域主要数字台账,做到“一口清”", "人民政府办公室", (TOWNSHIPS,),
             "主要数字、基本情况、存在问题、意见建议", "张伟", "立足于善谋划", "这些数字平时要强化记忆,一口清",
             DONE_LATE),
    DemoTask("开展蹲点调研,解剖麻雀", "人民政府办公室", (), "分管县领导和县直部门每月到乡村调研不少于2次", "张伟",
             "立足于善谋划", "加强调研", GREEN, standing=True),
    DemoTask("发现、培树、推广典型", "人民政府办公室", (TOWNSHIPS,), "每季度推出一批先进典型", "张伟",
             "立足于善谋划", "及时发现典型、培树典型、推广典型、总结经验教训", GREEN,
             cadence=Cadence.QUARTERLY, cadence_day=0),
    DemoTask("编制三年行动计划", "发展和改革委员会", (TOWNSHIPS,), "各单位滚动编制三年行动计划,明确工作重点",
             "李建国", "立足于善谋划", "各单位一定要滚动编制三年行动计划", DONE),
    DemoTask("对标全省最好的两三个县学习", "人民政府办公室", (),
             "每个单位确定对标县,形成学习报告(钱从哪里来、人怎么组织、机制怎么形成、问题怎样处理)", "张伟",
             "立足于善谋划", "盯住全省这个行业做的最好的两三个县", RED_REPORT, urge=True),
    DemoTask("编制年度增收计划", "财政局",
             ("投资集团有限公司", "自然资源局", "国有资产监督管理局", "住房和城乡建设局", "保障性住房发展中心"),
             "投资公司、国土局、国资局、住建局、保障房中心、乡镇明确全年收入目标及增收措施", "李建国",
             "立足于早着手", "都要有一个非常清楚的年度", GREEN, week=True,
             instruct="增收计划要细化到月,每月对账,缺口提前研究对策。"),
    DemoTask("每月盘点还本付息", "财政局", ("投资集团有限公司",), "按月盘点政府债务还本付息,提前筹措资金",
             "李建国", "立足于早着手", "盘点每月还本付息", YELLOW_REPORT, cadence_day=10, week=True, urge=True,
             priority=Task.Priority.URGENT),
    DemoTask("土地出让提前谋划", "自然资源局", ("财政局", "住房和城乡建设局"),
             "规划指标、计划指标、占补平衡、报批、招拍挂倒排工期", "刘志强", "立足于早着手", "所以我们要及早着手",
             EXTENDED),
    DemoTask("重大工程、重点项目倒排工期", "发展和改革委员会", (), "倒排工期,留有余地,大头靠前", "李建国",
             "立足于早着手", "一定要倒排工期,留有余地,大头靠前", GREEN, standing=True, cadence=Cadence.WEEKLY,
             cadence_day=5),
    DemoTask("信访稳定工作提前下手", "信访局", (TOWNSHIPS, "公安局"), "重点时段提前排查化解", "陈刚",
             "立足于早着手", "包括信访稳定、安全生产等事项,提前下手", GREEN, standing=True),
    DemoTask("安全生产工作提前下手", "应急管理局", (TOWNSHIPS,), "开展安全生产隐患排查整治", "赵红军",
             "立足于早着手", "包括信访稳定、安全生产等事项,提前下手", RED_DEADLINE, urge=True),
    DemoTask("建立遗留问题台账", "人民政府办公室", (TOWNSHIPS,),
             "吃透来龙去脉、主要矛盾、关键人物、切入点,明确最坏情况", "张伟", "立足于破难题", "必须吃透难题", DONE),
    DemoTask("吃透遗留问题涉及的法律政策", "司法局", (), "专班逐项梳理法律政策依据", "陈刚", "立足于破难题",
             "必须吃透法律政策", CLOSURE),
    DemoTask("落实三级处理法", "人民政府办公室", (), "专业小组、领导小组、三重一大程序逐级研究", "张伟",
             "立足于破难题", "有三级处理法", GREEN, standing=True),
]  # fmt: skip
for _task in LEDGER:
    _task.from_speech = True

# The 财政局 liaison's desk: about ten reports due this week, some to sign, one returned, one urged.
FINANCE = [
    DemoTask("政府债务风险化解", "财政局", ("投资集团有限公司", "城市建设投资有限公司"),
             "制定年度化债方案,确保债务风险等级不升级", "李建国", "防范风险", scenario=RED_REPORT, week=True,
             priority=Task.Priority.URGENT),
    DemoTask("预算绩效管理全覆盖", "财政局", (), "部门整体支出绩效评价覆盖全部一级预算单位", "李建国", "财政改革",
             scenario=GREEN, week=True),
    DemoTask("专项债券项目申报储备", "财政局", ("发展和改革委员会",), "储备一批符合专项债券投向的项目,争取额度",
             "李建国", "争取资金", scenario=RETURNED, week=True),
    DemoTask("非税收入征管提质", "财政局", ("自然资源局",), "土地出让金等非税收入应收尽收、及时入库", "李建国",
             "增收节支", scenario=GREEN, week=True, cadence=Cadence.WEEKLY, cadence_day=5),
    DemoTask("惠民惠农财政补贴资金“一卡通”专项治理", "财政局", ("农业农村局", "民政局"),
             "补贴资金全部通过一卡通发放,问题线索全部销号", "李建国", "民生保障", scenario=NEW, week=True),
    DemoTask("乡镇财政所规范化建设", "财政局", (TOWNSHIPS,), "各乡镇财政所制度、台账、档案规范统一", "李建国",
             "财政改革", scenario=NEW, week=True),
    DemoTask("国有资产清查盘活", "财政局", ("国有资产监督管理局", "机关事务服务中心"),
             "清查行政事业单位闲置资产,能盘活的全部盘活", "李建国", "增收节支", scenario=NEW_LATE, week=True),
    DemoTask("财政资金直达机制落实", "财政局", (), "直达资金分配下达、支出进度按月通报", "李建国", "财政改革",
             scenario=YELLOW_DEADLINE, week=True),
    DemoTask("政府采购意向公开", "财政局", ("公共资源交易中心",), "采购意向提前30日公开,公开率100%", "李建国",
             "财政改革", scenario=EXTENSION, week=True),
    DemoTask("财会监督专项行动", "财政局", ("审计局",), "重点检查会计信息质量和预算执行", "李建国", "防范风险",
             scenario=CLOSURE, week=True),
    DemoTask("上年度部门决算公开", "财政局", (), "部门决算在规定时间内公开", "李建国", "财政改革", scenario=DONE),
    DemoTask("国库集中支付电子化", "财政局", (), "全县预算单位接入电子化支付系统", "李建国", "财政改革",
             scenario=DONE_LATE),
]  # fmt: skip

# 住建局's own work, for the second liaison (a unit the demo leader does not oversee).
HOUSING = [
    DemoTask("无人危房户门上贴牌,政策落实到户", "住房和城乡建设局", (TOWNSHIPS,),
             "对无人居住危房统一挂牌警示,逐户核实危房改造政策落实情况", "刘志强", "民生保障",
             "像住建局,需要在无人危房户门上贴牌", YELLOW_REPORT, week=True, urge=True),
    DemoTask("老旧小区改造", "住房和城乡建设局", ("城市建设投资有限公司",), "年内开工改造老旧小区12个", "刘志强",
             "民生保障", scenario=GREEN, week=True),
    DemoTask("城镇燃气安全专项整治", "住房和城乡建设局", ("应急管理局", "市场监督管理局"),
             "餐饮场所燃气报警器安装率100%,隐患全部整改", "刘志强", "安全稳定", scenario=RED_DEADLINE, week=True,
             priority=Task.Priority.CRITICAL),
    DemoTask("自建房安全专项整治", "住房和城乡建设局", (TOWNSHIPS,), "经营性自建房排查整治全覆盖", "刘志强",
             "安全稳定", scenario=NEW, week=True),
    DemoTask("保障性租赁住房筹集", "住房和城乡建设局", ("保障性住房发展中心",), "年内筹集保障性租赁住房300套",
             "刘志强", "民生保障", scenario=EXTENSION),
    DemoTask("建筑工地扬尘治理", "住房和城乡建设局", ("市生态环境局示范县分局",),
             "在建工地“六个百分之百”落实到位", "刘志强", "生态环保", scenario=DONE),
    DemoTask("城市体检", "住房和城乡建设局", ("自然资源局", "城市管理局"), "完成年度城市体检报告", "刘志强",
             "城市建设", scenario=CLOSURE),
    DemoTask("农村危房改造", "住房和城乡建设局", (TOWNSHIPS,), "动态监测,发现一户改造一户", "刘志强", "民生保障",
             scenario=DONE_LATE),
]  # fmt: skip

# Last year's work not finished by its end: carried over (跨年结转), counted wherever the year's work is.
CARRIED = [
    DemoTask("上年度库款保障专项整改", "财政局", ("审计局",), "审计指出的库款保障问题全部整改销号", "李建国",
             "防范风险", scenario=RED_DEADLINE, carried=True, urge=True),
    DemoTask("上年度棚户区改造项目收尾", "住房和城乡建设局", ("城关街道办事处",), "完成剩余安置房分配和不动产登记",
             "刘志强", "民生保障", scenario=EXTENDED, carried=True),
    DemoTask("上年度农村公路养护工程扫尾", "交通运输局", (), "完成剩余路段养护和交工验收", "李建国",
             "基础设施", scenario=GREEN, carried=True),
    DemoTask("上年度高标准农田建设验收", "农业农村局", (), "完成县级初验并报市级验收", "李建国", "乡村振兴",
             scenario=DONE, carried=True),
]  # fmt: skip

# Everyday work of the other units: (lead, title, requirements, leader).
OTHERS = [
    ("发展和改革委员会", "争取中央预算内投资项目", "全年争取中央预算内投资不少于上年", "李建国"),
    ("发展和改革委员会", "重点项目集中开工活动", "每季度组织一次重点项目集中开工", "李建国"),
    ("统计局", "统计数据质量提升专项行动", "规上企业联网直报数据逐月核查", "李建国"),
    ("税务局", "税收收入月度调度", "按月分析税源,确保税收收入均衡入库", "李建国"),
    ("国有资产监督管理局", "国有企业改革深化提升", "完成县属国有企业功能界定与分类考核", "李建国"),
    ("金融服务中心", "防范和处置非法集资", "开展宣传月活动,排查风险线索", "李建国"),
    ("投资促进中心", "重点招商项目签约落地", "签约项目三个月内开工率不低于60%", "李建国"),
    ("商务局", "县域商业体系建设", "建设乡镇商贸中心和村级便民商店", "李建国"),
    ("粮食和物资储备中心", "粮食安全党政同责考核", "政府储备粮数量真实、质量良好", "李建国"),
    ("行政审批服务局", "“一网通办”事项梳理", "政务服务事项网上可办率达到95%", "李建国"),
    ("公共资源交易中心", "公共资源交易全流程电子化", "实现不见面开标全覆盖", "李建国"),
    ("产业集聚区管理委员会", "标准化厂房建设", "新建标准化厂房10万平方米", "李建国"),
    ("机关事务服务中心", "公共机构节能", "人均综合能耗下降2%", "李建国"),
    ("投资集团有限公司", "平台公司市场化转型", "完成资产注入和信用评级提升", "李建国"),
    ("水利局", "河长制湖长制工作", "县乡村三级河长巡河全覆盖", "王海涛"),
    ("水利局", "小型水库除险加固", "汛前完成3座小型水库除险加固", "王海涛"),
    ("水利局", "农村供水保障", "农村自来水普及率达到92%", "王海涛"),
    ("农业农村局", "高标准农田建设", "年内建成高标准农田3万亩", "王海涛"),
    ("农业农村局", "秸秆综合利用和禁烧", "秸秆综合利用率达到92%,不发生火点", "王海涛"),
    ("乡村振兴局", "巩固拓展脱贫攻坚成果", "防止返贫动态监测帮扶全覆盖", "王海涛"),
    ("林业局", "森林防火", "重点时段24小时值守,不发生重大森林火灾", "王海涛"),
    ("林业局", "国土绿化", "完成造林1.2万亩", "王海涛"),
    ("畜牧发展服务中心", "动物疫病防控", "重大动物疫病免疫密度达到100%", "王海涛"),
    ("供销合作社联合社", "供销社综合改革", "新建为农服务中心2个", "王海涛"),
    ("气象局", "人工影响天气作业", "抗旱防雹作业及时有效", "王海涛"),
    ("水务集团有限公司", "城区供水管网改造", "改造老旧供水管网15公里", "王海涛"),
    ("自然资源局", "耕地保护田长制", "耕地保有量和永久基本农田保护任务不突破", "刘志强"),
    ("自然资源局", "国土空间总体规划编制", "完成规划成果报批", "刘志强"),
    ("城市管理局", "城区环境卫生综合整治", "主次干道机扫率达到90%", "刘志强"),
    ("城市管理局", "违法建设治理", "新增违法建设零容忍,存量逐年消化", "刘志强"),
    ("交通运输局", "“四好农村路”建设", "新改建农村公路80公里", "刘志强"),
    ("交通运输局", "货车超限超载治理", "重点路段治超站24小时运行", "刘志强"),
    ("市生态环境局示范县分局", "大气污染防治攻坚", "PM2.5平均浓度同比下降", "刘志强"),
    ("市生态环境局示范县分局", "中央环保督察反馈问题整改", "问题按时限整改销号", "刘志强"),
    ("人民防空办公室", "人防工程专项检查", "已建人防工程维护管理全覆盖", "刘志强"),
    ("城市建设投资有限公司", "城市更新项目融资", "落实项目资本金和银行贷款", "刘志强"),
    ("保障性住房发展中心", "公租房分配管理", "公租房分配入住率达到95%", "刘志强"),
    ("公安局", "打击治理电信网络诈骗", "发案数同比下降,破案数同比上升", "陈刚"),
    ("公安局", "道路交通安全整治", "较大以上道路交通事故零发生", "陈刚"),
    ("司法局", "法治政府建设", "重大行政决策合法性审查全覆盖", "陈刚"),
    ("司法局", "人民调解", "矛盾纠纷调解成功率达到95%", "陈刚"),
    ("信访局", "信访积案化解", "重复信访积案年内化解80%", "陈刚"),
    ("消防救援大队", "高层建筑消防安全综合治理", "高层建筑消防设施完好率达到95%", "陈刚"),
    ("应急管理局", "危险化学品安全专项整治", "危化品企业隐患全部整改", "赵红军"),
    ("应急管理局", "防汛应急演练", "汛前组织一次县级综合演练", "赵红军"),
    ("科学技术和工业信息化局", "工业企业技术改造", "实施技改项目20个", "赵红军"),
    ("科学技术和工业信息化局", "专精特新企业培育", "新认定省级专精特新企业5家", "赵红军"),
    ("市场监督管理局", "食品安全示范县创建", "食品抽检合格率达到98%", "赵红军"),
    ("市场监督管理局", "特种设备安全监管", "电梯等特种设备定期检验率100%", "赵红军"),
    ("教育局", "义务教育薄弱环节改善", "新建改扩建校舍2万平方米", "孙丽萍"),
    ("教育局", "“双减”政策落实", "课后服务覆盖有需求的学生", "孙丽萍"),
    ("卫生健康委员会", "紧密型县域医共体建设", "县域内就诊率达到90%", "孙丽萍"),
    ("卫生健康委员会", "基层医疗卫生服务能力提升", "乡镇卫生院达到服务能力基本标准", "孙丽萍"),
    ("医疗保障局", "医保基金监管", "定点医药机构检查全覆盖", "孙丽萍"),
    ("医疗保障局", "城乡居民医保参保", "参保率稳定在95%以上", "孙丽萍"),
    ("文化广电和旅游局", "全域旅游示范区创建", "完成创建验收材料", "孙丽萍"),
    ("文化广电和旅游局", "文物安全", "文物保护单位安全巡查全覆盖", "孙丽萍"),
    ("融媒体中心", "重点工作宣传报道", "每月在市级以上媒体刊发稿件10篇", "孙丽萍"),
    ("档案馆", "档案数字化", "馆藏档案数字化率达到80%", "孙丽萍"),
    ("民政局", "居家和社区养老服务", "建成社区养老服务中心5个", "周文斌"),
    ("民政局", "社会救助兜底保障", "低保、特困供养应保尽保", "周文斌"),
    ("人力资源和社会保障局", "稳就业保就业", "城镇新增就业4000人", "周文斌"),
    ("人力资源和社会保障局", "根治欠薪", "农民工工资支付问题动态清零", "周文斌"),
    ("退役军人事务局", "退役军人服务保障体系建设", "服务站建设全覆盖", "周文斌"),
    ("民族宗教事务局", "民族团结进步示范创建", "创建示范单位3个", "周文斌"),
    ("审计局", "审计发现问题整改", "上年度审计问题整改率100%", "张伟"),
    ("人民政府办公室", "政务公开标准化规范化", "基层政务公开目录全覆盖", "张伟"),
    ("城关街道办事处", "老城区背街小巷整治", "整治背街小巷20条", "刘志强"),
    ("东城街道办事处", "社区网格化管理", "网格员配备全覆盖", "陈刚"),
    ("城郊乡", "城乡结合部环境整治", "清理垃圾死角,建立长效保洁", "刘志强"),
    ("柳林镇", "高标准农田建设任务", "完成本镇5000亩建设任务", "王海涛"),
    ("郭店镇", "矛盾纠纷排查化解", "每月开展一次拉网式排查", "陈刚"),
    ("白庙乡", "特色种植产业发展", "发展特色种植2000亩", "王海涛"),
    ("黄岗镇", "镇区工业园企业安全检查", "园区企业安全检查全覆盖", "赵红军"),
    ("孙营乡", "乡村医生队伍建设", "村卫生室乡村医生全部持证", "孙丽萍"),
    ("刘集镇", "招商引资项目落地", "引进亿元以上项目1个", "赵红军"),
    ("双河镇", "河道清淤和河湖保洁", "完成双河段清淤8公里", "孙丽萍"),
    ("高庙乡", "养老服务站建设", "建成村级养老服务站4个", "周文斌"),
    ("杨湖乡", "防止返贫监测帮扶", "监测对象帮扶措施全覆盖", "周文斌"),
    ("教育局", "学前教育普及普惠", "公办园在园幼儿占比达到50%", "孙丽萍"),
    ("教育局", "校园安全专项整治", "校园安保“四个100%”达标", "孙丽萍"),
    ("卫生健康委员会", "爱国卫生运动", "巩固国家卫生县城创建成果", "孙丽萍"),
    ("民政局", "殡葬改革", "公益性公墓覆盖所有乡镇", "周文斌"),
    ("人力资源和社会保障局", "职业技能培训", "开展职业技能培训5000人次", "周文斌"),
    ("交通运输局", "城乡公交一体化", "建制村通客车率保持100%", "刘志强"),
    ("城市管理局", "生活垃圾分类", "城区公共机构垃圾分类全覆盖", "刘志强"),
    ("自然资源局", "违法占地专项整治", "卫片图斑整改率达到100%", "刘志强"),
    ("水利局", "防汛抗旱准备", "汛前完成防汛物资储备和预案修订", "王海涛"),
    ("农业农村局", "粮食生产稳面积增产量", "粮食播种面积稳定在上年水平", "王海涛"),
    ("乡村振兴局", "衔接资金项目管理", "衔接资金支出进度达到序时进度", "王海涛"),
    ("商务局", "消费促进活动", "组织消费季活动4场", "李建国"),
    ("税务局", "优化税费服务", "办税缴费业务线上办理率达到90%", "李建国"),
    ("统计局", "经济运行监测分析", "每月形成经济运行分析报告", "李建国"),
    ("应急管理局", "森林草原防灭火应急准备", "应急物资储备到位", "赵红军"),
    ("市场监督管理局", "药品安全专项整治", "药品零售企业检查全覆盖", "赵红军"),
    ("公安局", "校园周边治安整治", "学校周边“护学岗”全覆盖", "陈刚"),
    ("信访局", "领导干部接访下访", "县级领导每月接访不少于1次", "陈刚"),
    ("文化广电和旅游局", "文化惠民演出", "送戏下乡100场", "孙丽萍"),
    ("卫生健康委员会", "重点人群健康管理", "65岁以上老人健康管理率达到70%", "孙丽萍"),
]

# A requirement split by township: one task per township under a common parent (各乡镇).
GROUP_TITLE = "村庄清洁行动“三清一改”"
GROUP_REQUIREMENTS = "清理农村生活垃圾、村内沟塘、畜禽粪污等农业生产废弃物,改变影响农村人居环境的不良习惯"
GROUP_ROUND = [GREEN, DONE, YELLOW_REPORT, GREEN, RED_REPORT, DONE, GREEN, CLOSURE, GREEN, DONE, NEW, RED_DEADLINE]

REPORTS = [
    ("已召开专题推进会,明确责任分工和时间节点", "个别单位配合不够紧密", "下一步每周调度一次"),
    ("已完成摸底排查,建立问题台账", "资金缺口较大", "积极争取上级资金支持"),
    ("工作方案已印发,正在按计划推进", "", "加快推进,确保按期完成"),
    ("已完成年度任务的一半以上", "审批手续尚未办结", "加强与市直部门对接"),
    ("已组织联合检查一次,发现问题已交办整改", "群众工作难度较大", "入户做好解释工作"),
]


class _Demo:
    def __init__(self):
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.cal = workdays.calendar()
        self.t = workdays.thresholds(self.today)
        self.yesterday = self.cal.add(self.today, -1)  # the last working day before today: always past
        self.units = {unit.name: unit for unit in Unit.objects.all()}
        self.townships = list(Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).order_by("order", "id"))
        self.leaders = {leader.name: leader for leader in Leader.objects.all()}
        users = {
            user.username: user for user in User.objects.filter(username__in=["office", "leader", "unit", "unit2"])
        }
        self.office, self.leader = users["office"], users["leader"]
        self.liaisons = {users["unit"].unit_id: users["unit"], users["unit2"].unit_id: users["unit2"]}
        self.counter = 0

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def workday_before(self, day: date) -> date:
        """`day` if it is a working day, else the working day before it; never later than yesterday's."""
        day = min(day, self.yesterday)
        while not self.cal.is_workday(day):
            day -= timedelta(days=1)
        return day

    def moment(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def supporting(self, names) -> list[Unit]:
        found: list[Unit] = []
        for name in names:
            found += self.townships if name == TOWNSHIPS else [self.units[name]]
        return found

    # --- Registering ---

    def deadline_for(self, item: DemoTask) -> date | None:
        """The deadline a scenario needs."""
        if item.standing:
            return None
        scenario = item.scenario
        self.counter += 1
        spread = self.counter % 7
        if scenario == RED_DEADLINE:
            return self.day(-(5 + 4 * spread))
        if scenario in (DONE, DONE_LATE):
            return self.day(-(20 + 6 * spread))
        if scenario == YELLOW_DEADLINE:
            return self.cal.add(self.today, 1 + spread % 2)
        if scenario == EXTENSION:
            return self.day(12 + spread)
        if scenario == CLOSURE:
            return self.day(15 + 3 * spread)
        return self.day(40 + 15 * spread)

    def assigned_on(self, item: DemoTask, deadline: date | None, index: int) -> date:
        """The working day the office registered the task: months before its deadline, later for the new ones."""
        today, cal = self.today, self.cal
        if item.scenario == NEW:
            return self.yesterday
        if item.scenario == NEW_LATE:
            return cal.add(today, -4)
        if item.carried:
            # Registered in the autumn of last year.
            day = min(date(today.year - 1, 10, 15 + index % 10), (deadline or today) - timedelta(days=60))
        elif item.from_speech:
            day = self.day(-145)
        elif deadline:
            day = min(self.day(-30 - index % 90), deadline - timedelta(days=60))
        else:
            day = self.day(-60 - index % 90)
        return self.workday_before(day)

    def spec(self, item: DemoTask, deadline: date | None, assigned: date) -> services.TaskSpec:
        lead_group = self.townships if item.group else ()
        return services.TaskSpec(
            title=item.title,
            lead=None if item.group else self.units[item.lead],
            lead_group=lead_group,
            group_label=TOWNSHIPS if item.group else "",
            supporting=self.supporting(item.supporting),
            requirements=item.requirements,
            category=item.category,
            source_kind=Task.SourceKind.SPEECH if item.from_speech else Task.SourceKind.OTHER,
            source_title=f"{self.today.year}年{SPEECH}" if item.from_speech else f"{self.today.year}年县政府重点工作",
            source_date=self.day(-150) if item.from_speech else None,
            source_quote=item.quote,
            leader=self.leaders.get(item.leader),
            deadline=deadline,
            standing=item.standing,
            cadence=item.cadence,
            cadence_day=item.cadence_day,
            priority=item.priority,
            backfill=bool(deadline and deadline < assigned),
            year=self.today.year - 1 if item.carried else None,
        )

    # --- Playing each task's history through the services, each step at its own moment ---

    def actor(self, task: Task) -> User:
        return self.liaisons.get(task.lead_unit_id, self.office)

    def play(self, task: Task, item: DemoTask, scenario: str) -> None:
        """Sign, report by each due date, ask and decide, in order, on working days in office hours."""
        if scenario == DRAFT:
            return
        office, by, cal = self.office, self.actor(task), self.cal
        assigned = timezone.localdate(task.assigned_at)
        last = task.assigned_at

        def at(day: date, hour: int, minute: int = 0) -> datetime:
            nonlocal last
            moment = max(self.moment(self.workday_before(day), hour, minute), last + timedelta(minutes=7))
            last = moment
            return moment

        if scenario == CANCELLED:
            work_office.task_cancel(
                task=task, by=office, reason="该项工作已并入其他事项,不再单独督办。", at=at(cal.add(assigned, 5), 10)
            )
            return
        if scenario in (NEW, NEW_LATE):
            return
        if by != office:
            # The liaisons sign the next working day; for the others the office's first report (代报) signs.
            services.task_sign(task=task, by=by, at=at(cal.add(assigned, 1), 15))
        # The last report: a fortnight or so ago, before the closure for those asked to close.
        reported = self.workday_before(self.day(-12 - task.pk % 10))
        closing = None
        if scenario == DONE:
            closing = task.deadline - timedelta(days=5)
        elif scenario == DONE_LATE:
            closing = task.deadline + timedelta(days=6)
        elif scenario == CLOSURE:
            closing = cal.add(self.today, -2)
        if closing:
            closing = self.workday_before(closing)
            reported = min(reported, cal.add(closing, -3))
        reported = max(reported, cal.add(assigned, 2))
        self.report_until(task, by, scenario, reported, at)

        if scenario in (EXTENSION, EXTENDED):
            task.refresh_from_db()
            request = services.task_extension_ask(
                task=task,
                by=by,
                reason="受征地拆迁进度影响,需顺延一个月。",
                new_deadline=task.deadline + timedelta(days=30),
                at=at(cal.add(reported, 2), 11),
            )
            if scenario == EXTENDED:
                work_office.extension_decide(
                    request=request, approve=True, by=office, note="同意延期,请倒排工期。",
                    at=at(cal.add(reported, 3), 9, 30),
                )  # fmt: skip
        if scenario in (CLOSURE, DONE, DONE_LATE, RETURNED):
            closing = closing or cal.add(reported, 3)
            request = services.task_closure_ask(
                task=task, by=by, summary="已按要求完成各项工作,佐证材料见附件。", at=at(closing, 16, 30)
            )
            if scenario in (DONE, DONE_LATE):
                work_office.closure_decide(
                    request=request, approve=True, by=office, note="同意办结销号。", at=at(cal.add(closing, 1), 10)
                )
            elif scenario == RETURNED:
                work_office.closure_decide(
                    request=request, approve=False, by=office, note="佐证材料不全,请补充项目清单后重新申请。",
                    at=at(cal.add(closing, 1), 10),
                )  # fmt: skip
        if scenario == PAUSED:
            work_office.task_pause(
                task=task, by=office, reason="因上级政策调整暂缓实施。", at=at(cal.add(reported, 2), 9)
            )
        if item.instruct:
            services.task_instruct(task=task, by=self.leader, text=item.instruct, at=at(cal.add(reported, 1), 11))

    def report_until(self, task: Task, by: User, scenario: str, reported: date, at) -> None:
        """Report by each due date that came before `reported` (the last six at most), then on `reported`."""
        final = 100 if scenario in (DONE, DONE_LATE, CLOSURE) else 30 + task.pk % 5 * 10
        days: list[date] = []
        earliest = self.cal.add(timezone.localdate(task.assigned_at), 2)
        due = task.next_report_due
        while due is not None and due < reported and len(days) < 6:
            days.append(max(self.workday_before(due), earliest))
            due = next_due_after_report(task.cadence, task.cadence_day, current=due, today=days[-1], cal=self.cal)
        days.append(reported)
        for n, day in enumerate(days, start=1):
            # Each report says something new; the last is the task's own line, as the pages quote it.
            done_text, problems, next_steps = REPORTS[(task.pk + n - len(days)) % len(REPORTS)]
            percent = final if n == len(days) else max(10, final * n // len(days) // 10 * 10)
            services.task_report(
                task=task, by=by, at=at(day, 16),
                report=services.ReportInput(done_text=done_text, problems=problems, next_steps=next_steps,
                                            percent=percent),
            )  # fmt: skip

    # --- What a scenario needs today ---

    def set_report_due(self, task: Task, item: DemoTask, scenario: str, week_day: date | None) -> None:
        """The next report due that shows the scenario's light today; a draft has none."""
        task.refresh_from_db()
        today = self.today
        changes: dict = {}
        if task.status in Task.LIT_STATUSES and task.cadence != Cadence.NONE:
            if scenario == YELLOW_REPORT:
                # A day or two late: past today, not yet past the red threshold (N working days).
                due = max(self.day(-1 - task.pk % 2), self.t.report_red)
            elif scenario == RED_REPORT:
                due = self.t.report_red - timedelta(days=7)
            else:
                due = report_due_after(task.cadence, task.cadence_day, today, self.cal)
            changes["next_report_due"] = week_day or due
        if scenario == DRAFT:
            # An intake proposal not yet handed out: no assignment date, nothing due.
            changes.update(status=Task.Status.DRAFT, assigned_at=None, sign_by=None, next_report_due=None)
        if changes:
            Task.objects.filter(pk=task.pk).update(**changes)


@transaction.atomic
def demo_tasks_load() -> int:
    """Register the demo county's tasks and play their year so far. Returns how many were added.

    Does nothing when the database already has tasks, so that load_demo can run again.
    Steps: register the tasks of each day in one task_create_many, at that day's 9 o'clock; carry
    each through its scenario with the services, each step at its own moment; urge the late ones
    in one batch the working day before today; set the report due dates the scenarios need.
    """
    if Task.objects.exists():
        return 0
    demo = _Demo()
    items: list[DemoTask] = [*LEDGER, *FINANCE, *HOUSING, *CARRIED]
    for i, (lead, title, requirements, leader) in enumerate(OTHERS):
        scenario = ROUND[i % len(ROUND)]
        items.append(
            DemoTask(title, lead, (), requirements, leader, "重点工作", scenario=scenario,
                     urge=scenario in (RED_DEADLINE, RED_REPORT) and i % 2 == 0,
                     cadence=Cadence.WEEKLY if i % 6 == 0 else Cadence.MONTHLY, cadence_day=5 if i % 6 == 0 else 25)
        )  # fmt: skip
    group = DemoTask(GROUP_TITLE, "", (), GROUP_REQUIREMENTS, "王海涛", "人居环境", scenario=GREEN, group=("township",))
    items.append(group)

    by_day: dict[date, list[tuple[int, services.TaskSpec]]] = {}
    for index, item in enumerate(items):
        deadline = demo.deadline_for(item)
        assigned = demo.assigned_on(item, deadline, index)
        by_day.setdefault(assigned, []).append((index, demo.spec(item, deadline, assigned)))
    tops: list[Task | None] = [None] * len(items)
    for day in sorted(by_day):
        made = services.task_create_many(
            specs=[spec for _, spec in by_day[day]], by=demo.office, at=demo.moment(day, 9)
        )
        for (index, _), top in zip(by_day[day], made, strict=True):
            tops[index] = top

    plays: list[tuple[Task, DemoTask, str]] = []
    for top, item in zip(tops, items, strict=True):
        if item.group:
            children = list(top.children.order_by("lead_unit__order", "id"))
            plays += [(child, item, GROUP_ROUND[i % len(GROUP_ROUND)]) for i, child in enumerate(children)]
        else:
            plays.append((top, item, item.scenario))
    for task, item, scenario in plays:
        demo.play(task, item, scenario)

    late = [task for task, item, _ in plays if item.urge]
    late = list(Task.objects.filter(pk__in=[task.pk for task in late], status__in=Task.LIT_STATUSES))
    if late:
        work_office.task_urge(
            tasks=late, message="该事项进度滞后,请抓紧推进并于三日内报送进展。", by=demo.office,
            at=demo.moment(demo.yesterday, 17),
        )  # fmt: skip

    # The liaisons' week: reports due on the days of this week, up to its Sunday.
    week_end = week_end_of(demo.today)
    week_days = [week_end - timedelta(days=offset) for offset in range(7)]
    weekly = iter(range(1000))
    for task, item, scenario in plays:
        week_day = week_days[next(weekly) % 7] if item.week else None
        demo.set_report_due(task, item, scenario, week_day)
    return len(plays)
