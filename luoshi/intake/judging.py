"""Judging a sentence: is it a requirement someone is to carry out, or narrative, attitude, a result, a quote?

`judge` gives the verdict with its reasons; extract.py proposes the rows from the sentences it keeps.
Split out of extract.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from luoshi.lib import deadlines

from .clauses import has_work_clause, sets_up_group

_DIRECTIVE = re.compile(
    r"必须|务必|确保|力争|一定要|严禁|禁止|不得|决不能|绝不能|坚决|切实|抓好|抓紧|抓实|推进|加快|做到|不能(?!不)|不要"
    r"|会议(?:要求|决定|议定|明确)|应当|应该|需要(?=我们|大家|各|你们)|希望(?=大家|各位|你们|各)|要求(?=各|全县|大家|我们|你们)|我认为|我建议"
    r"|争取|着力|做好|落实好|加强|强化|严格|坚持|推动|深化|实施|完善|健全|扎实|全力|要"
    r"|负责(?!同志|人|制)|牵头(?!负责制|抓总制)|严查|(?<![已被])纳入(?=[^,,。;]{2,30}(?:考核|预算|重点|范围|清单|计划))|(?<![相适反供响对效回答理感呼顺])应(?!对(?:极端|风险|挑战|疫情|突发|危机|气候|灾|各种|新))(?=[按在对向于把将由及予严当]|[^,,。;]{0,2}(?:及时|切实|加强|建立|优先))"
)


# 要 inside words that are not a directive: 需要, 重要, 主要, 只要, 要求, 纪要 … and the future 马上要.
_NOT_YAO_BEFORE = set("需重主只纪摘提必想将快概简首紧扼")


_NOT_YAO_AFTER = set("求素点么是闻件害职塞领冲")


_PAST = re.compile(r"去年|前年|当时|那时|那年|过去|曾经|以前|此前(?!提)|多年来|这些年|从.{1,14}开始")


# ……督查室将对……进行了全面督查 (done), 县长……强调了具体意见 (reports what was said): narrative, not a requirement.
_REPORTS = re.compile(r"进行了|(?:强调|提出|作出|发表|讲)了[^,,。;;]{0,10}(?:意见|要求|讲话|指示)")


_ACHIEVED = re.compile(
    r"(?:实现|取得|完成|达到|增长|提高|提升|下降|超过|获得|荣获|开展|召开|举办|出台|建成|作|提|排|形成|走在"
    r"|听取|研究|审议|通报|汇报|总结|介绍|分析|讨论|通过)了|主持召开"
)


# ……11月9日,东安县召开应对极端天气会商会。: the news of a meeting held, not work (……要在3月底前召开动员会 is).
_MEETING_NEWS = re.compile(r"^(?:[^,,。;;]{0,30}[,,])?[^,,。;;要应须]{2,20}召开[^,,。;;]{0,30}(?:会|会议)。?$")


_QUOTE = re.compile(r"古人|古话|俗话|常言|老话|有句话|说的好|说得好|讲到|讲过|指出|常说|所言|名言")


_CLASSICAL = set("乎矣哉焉者之兮")


_EXAMPLE = re.compile(r"举个例子|举例来说|打个比方")


_STORY = re.compile(r"比如说|譬如|例如|比如")


# A directive word inside a condition (如果能做到……,才能……) states no requirement.
_CONDITION = re.compile(r"(?:如果|假如|假设|只要|只有|一旦)[^,,;;。]*")


# 更不要说 is "let alone", not a prohibition.
_IDIOMS = re.compile(r"更不要说|不要说|不能不说|不得不|要不然|要不是")


_QUOTED = re.compile(r"“[^”]{0,200}”|「[^」]{0,200}」|《[^》]{0,120}》")


# Group words that open a clause address the units: 各部门到村里去看看……
ADDRESSED_GROUPS = r"各乡镇|各部门|各单位|各局委|县直各单位|县直各部门|各有关部门|各级各部门|各有关单位|各责任单位|各成员单位|各牵头单位"
_ADDRESSED = re.compile(rf"(?:^|[,,;;:])(?:在座的)?({ADDRESSED_GROUPS})")


@dataclass
class Verdict:
    directive: bool
    why: list[str] = field(default_factory=list)
    excluded: str = ""


# A meeting's name (重点工作督查推进会, 防汛工作部署会) directs nobody.
_MEETING = re.compile(r"(?:推进|部署|调度|动员|推动)(?:会议?|大会)")


def _directive_words(text: str) -> list[str]:
    plain = _QUOTED.sub(lambda m: "#" * len(m.group(0)), text)
    plain = _MEETING.sub(lambda m: "#" * len(m.group(0)), plain)
    plain = _CONDITION.sub(lambda m: "#" * len(m.group(0)), plain)
    plain = _IDIOMS.sub(lambda m: "#" * len(m.group(0)), plain)
    words = []
    for match in _DIRECTIVE.finditer(plain):
        word = match.group(0)
        if word == "要":
            before = plain[match.start() - 1] if match.start() else ""
            after = plain[match.end()] if match.end() < len(plain) else ""
            if (
                before in _NOT_YAO_BEFORE
                or after in _NOT_YAO_AFTER
                or plain[max(0, match.start() - 2) : match.start()] == "马上"
            ):
                continue
        if word == "不能" and plain[max(0, match.start() - 1) : match.start()] == "能":
            continue  # 能不能 asks, it does not forbid
        words.append(word)
    return list(dict.fromkeys(words))


def judge(text: str, *, marker_len: int = 0) -> Verdict:
    """Whether one sentence directs someone to act, and the markers that say so."""
    body = text.strip()
    rest = _mask_deadlines(body[marker_len:])
    # 会议指出,要……: minutes give the meeting's own requirements so, as with 会议强调; only another's words quote.
    rest = _MEETING_SAYS.sub(lambda m: "#" * len(m.group(0)), rest, count=1)
    if body.endswith(("?", "?")):
        return Verdict(False, excluded="问句")
    if body.endswith((":", ":")):
        return Verdict(False, excluded="引出下文")
    if _TITLE.match(body):
        return Verdict(False, excluded="标题")
    if _SIGNATURE.match(body):
        return Verdict(False, excluded="落款")
    if _LIST_LINE.match(body):
        return Verdict(False, excluded="名单")
    if _AGENDA.match(body):
        return Verdict(False, excluded="议程")
    if _COVER.search(body):
        return Verdict(False, excluded="印发说明")
    if _PURPOSE.search(body):
        return Verdict(False, excluded="制定目的")
    if _QUOTE.search(rest):
        return Verdict(False, excluded="引语")
    if sum(1 for char in rest if char in _CLASSICAL) >= 3:
        return Verdict(False, excluded="古语")
    if _EXAMPLE.search(rest):
        return Verdict(False, excluded="举例")
    past = _PAST.search(rest)
    if _STORY.search(rest) and (past or _ACHIEVED.search(rest)):
        return Verdict(False, excluded="举例")
    if past or _REPORTS.search(rest):
        return Verdict(False, excluded="叙述")
    if _ACHIEVED.search(rest):
        return Verdict(False, excluded="已取得的成绩")
    if _MEETING_NEWS.match(rest.lstrip("#")):
        return Verdict(False, excluded="叙述")
    words = _directive_words(rest)
    if _DECIDES.match(rest.lstrip("#")):
        words.insert(0, "会议同意")  # 会议同意……,按程序报……备案后印发: a decision that leaves work to do
    if not words and _ROUND.match(rest.lstrip()):
        words.append("时间安排")  # 第一次督查时间:5月中旬: a round of inspection, due then
    if not words and (task := _TASK_VERB.match(rest.lstrip()) or _DUE.search(rest)):
        # A plan states its tasks without 要: 编制集约化平台建设标准……; ……将于2020年4月底前组织验收.
        words.append(task.group(0)[-2:] if task.re is _TASK_VERB else "于…前")
    if not words and _JOINTLY.search(rest):
        words.append("联合")  # 由县城管局、县国土局及相关乡镇联合采取集中整治: 由……牵头 by several units
    if not words and sets_up_group(rest):
        words.append("成立小组")  # 由县应急局、县公安局……组成专项整治工作专班
    if addressed := _ADDRESSED.search(rest):
        words.append(addressed.group(1))
    if words and (excluded := _not_a_task(rest, words)):
        return Verdict(False, why=words, excluded=excluded)
    return Verdict(bool(words), why=words)


# A task verb opening the sentence, after at most a short setting (在此前提下,建立……体系).
_TASK_VERB = re.compile(r"(?:[^,,。;]{0,16}[,,])?(?:编制|制定|建立|建设|出台|印发|修订|成立|组建)(?!了|的)")


_DUE = re.compile(r"于[^,,。;]{1,16}前(?:完成|组织|报送|上报|形成|制定|出台|开展|建成|实现|报)")


_ROUND = re.compile(
    r"第[一二三四五六七八九十\d]{1,3}(?:次|轮|批)(?:督查|检查|验收|考核|评估|调度|暗访|督导)(?:时间)?[::]"
)


_JOINTLY = re.compile(r"由[^,,。;;]{2,40}?联合(?:采取|开展|实施|组织|进行)(?!了)")


# Words that direct only when a modal carries them: 推进 in 三大煤矿前期工作加快推进 reports.
_SOFT = {
    "推进", "推动", "加快", "扎实", "深化", "实施", "完善", "健全", "加强", "强化", "坚持", "全力", "着力",
    "做好", "落实好", "严格", "抓好", "抓紧", "抓实", "切实", "坚决", "做到", "争取",
}  # fmt: skip


_FIGURES = re.compile(r"\d+(?:\.\d+)?\s*(?:%|[万亿千百]?[元亩斤人所个项家户座台辆吨米倍]|公里|个百分点)")


_RESULT = re.compile(
    r"增长|同比|累计|比上年|完成|实现|达到|突破|新建|新增|改造|稳定在|压缩|下降|位居|完工|建成|入驻|提高|提升|减少"
)


_REPORTED = re.compile(
    r"(?:加快|扎实|有序|稳步|全面|持续|顺利|积极)(?:推进|推动|实施)[。!;;]?$|进展顺利|成效明显|取得[^,,。]{0,6}成效"
)


_URGED = re.compile(r"切实|认真|务必|坚决")


_DESCRIBES = re.compile(
    r"是[^,,。;]{0,24}(?:工程|平台|抓手|举措|载体|基础|关键|保障|途径|引擎|动力|龙头)|^希望通过|^通过[^,,。]{0,30}(?:推动|推进)|一般由|通常由|一般是"
    r"|把[^。;]{0,30}作为[^。;]{0,30}(?:抓手|任务|工程|举措|重点|载体)"
    r"|意义(?:重大|深远)。?$|(?:十分|非常|至关|尤为|极其)重要。?$|是一项[^,,。;;]{0,20}(?:责任|任务|工作|工程)[,,。]?$"
)


# A directive whose object is only an attitude, awareness, understanding, relationship or method is not a task.
_ATTITUDE = re.compile(
    r"(?:树立|增强|强化|提高|具有|有|形成)[^,,。;]{0,20}(?:意识|理念|观念|觉悟|自觉)|把握好[^。;]{0,24}关系|处理好[^。;]{0,24}关系"
    r"|站位|往前看|学会|掌握好|要主动(?=[,,。;;])|这种意识|(?:深化|提高|统一)[^,,。;]{0,10}(?:理念|认识|思想)"
    r"|政绩|工作方法|精神状态|作风|担当|使命感|责任感|攻坚克难|勇挑重担|迎难而上|敢于碰硬"
    r"|^[^,,。;;]{1,12}要(?:更|再)?(?:到位|更大|更硬|更细|更实|更强|更严|更快|更准|更高)[。!]?$"  # 认识要到位。力度要更大。
    r"|高度重视|清醒看到|充分认识[^,,。;]{0,30}(?:重要性|紧迫性|必要性|意义)|认识到[^,,。;]{0,30}(?:重要性|紧迫性|必要性)"
)


_CONCRETE = re.compile(
    r"完成|开展|建立|建成|报送|上报|制定|出台|排查|整改|编制|召开|印发|验收|开工|竣工|拆除|清理|整治|贴牌|台账|清单"
    r"|检查|督查|考核|调研|排名|计划|方案|问责|处理|底线|鉴定|做好[^,,。;]{4,20}工作"
)


def _not_a_task(text: str, words: list[str]) -> str:
    """Why a sentence with directive words is still not a task, or "": a report, a description, an attitude."""
    soft_only = all(word in _SOFT for word in words)
    if soft_only and _FIGURES.search(text) and _RESULT.search(text):
        return "已取得的成绩"
    reported = _REPORTED.search(text) and not _URGED.search(text)  # 切实将……作为头号民生工程加快实施 directs
    if (soft_only or set(words) <= {"牵头", "负责"}) and (reported or _DESCRIBES.search(text)):
        return "叙述"
    if (
        _ATTITUDE.search(text)
        and not _CONCRETE.search(_ATTITUDE.sub("#", text))
        and not has_work_clause(text, _ATTITUDE)
    ):
        return "态度要求"
    if _NORM.search(text):
        return "技术规范"
    return ""


# A technical norm of an annex (不得小于6.5米, 净高不得低于2米): a rule to enforce, not a task of its own.
_NORM = re.compile(r"不(?:得|应|宜)(?:小于|大于|低于|高于|超过|少于|窄于)\s*\d|[≥≤]\s*\d")


# The meeting speaks for itself (会议指出,要……), not a quotation of another.
_MEETING_SAYS = re.compile(r"^会议(?:还|同时|最后|并|再次)?(?:指出|强调|认为|提出|要求)[,,::]?")


# The account of what the meeting did (会议首先集中学习……,通报……,研究……等工作): its agenda, not work.
_AGENDA = re.compile(
    r"^会议(?:首先|先后|还|同时|最后|依次|集中|认真)*(?:学习|听取|研究|审议|通报|传达|观看)(?![^,,。;;]{0,30}(?:要|必须))"
)


# A minutes' decision that leaves work to do: 会议同意……,按程序报……备案后印发; ……《……》,报县委审定; ……,修改完善后实施.
_DECIDES = re.compile(
    r"^会议(?:原则)?(?:同意|通过|审议通过|审定|决定)[^。;;]*?[,,](?:[^,,。;;]{0,20}?)"
    r"(?:报(?!告)|印发|实施|执行|修改|完善|提交|备案|公布|签订|启动)"
)


# The covering sentence of a notice (……已经县人民政府同意,现印发给你们,请认真抓好贯彻落实): it issues, it directs nothing.
_COVER = re.compile(
    r"现(?:将[^。]{0,120})?印发给你们|^《[^》]{2,80}》已经[^。,,]{2,40}(?:审定|审议|同意|研究)(?:通过)?。?$|^请[^,,。;;]{0,10}(?:贯彻落实|贯彻执行|遵照执行|认真执行)[。!]?$"
)


# Lines of the minutes that list people or bodies, not work.
_LIST_LINE = re.compile(
    r"^(?:参加人员|参会人员|参会单位|出席|列席|请假|抄送|主送|发送|记录)[::]"
    r"|^[^,,。;;]{2,40}(?:参加|列席|出席)了?(?:会议|本次会议)。?$"  # 各镇(街道)、各相关部门负责人列席会议。
)


# The paragraph that says why the document was written (为……,特制定本方案).
_PURPOSE = re.compile(
    r"(?:特|现)?制定(?:本|以下|如下)(?:方案|办法|计划|意见|细则)|现将[^。]{0,30}印发|纪要如下|如下[::]$"
)


# A document's own title (……实施方案, ……会议纪要) directs nobody.
_TITLE = re.compile(r"^[^,,。;;!?]{4,90}(?:方案|计划|通知|纪要|意见|办法|规划|要点|讲话|报告|细则)$")


# The issuing body's signature (落款) on a line of its own: 中共……县委实施乡村振兴战略领导小组.
_SIGNATURE = re.compile(
    r"^(?![((\d一二三四五六七八九十])(?!.*(?:成立|组建|建立|设立|调整|健全))"
    r"[^,,。;;::、\s]{4,40}(?:领导小组|领导小组办公室|办公室|人民政府|委员会|指挥部|[^副]局)$"
)


_ANY_DAY = date(2000, 1, 1)


def _mask_deadlines(text: str) -> str:
    """The text with its deadline phrases blanked: 以前 in 10月1日以前 is a deadline, not the past."""
    if not any(char.isdigit() or char in "年月日前季" for char in text):
        return text
    chars = list(text)
    for found in deadlines.find(text, base=_ANY_DAY):
        if not re.search(r"[以之]前|内", found.phrase):
            continue
        for k in range(found.start, found.end):
            chars[k] = "#"
    return "".join(chars)
