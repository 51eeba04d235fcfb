"""Rules on the clauses of one sentence, as work plans and minutes write them.

- Two tasks of one subject in one sentence (卫健局要制定方案,并开展演练; ……做好监测分析,对滞后的乡镇要开展督查;
  ……纳入考核,建立……制度) are two rows, the second led by the first's unit.
- A plan's measure states its work flatly, without 要 (医保基金按……提前预付; 建立……机制。): in a plan's task part
  such a statement is a row even beside one that has a directive word.
- A group set up with 由……组成 or 成立……,由……任组长 is a row: the group's setting-up, led by its lead unit.
- Several works of one subject that a numbered point or a meeting lists in one sentence (要成立……领导小组,加快……
  征拆工作,办理好……手续; 要严格规范……,严格防范……,严格明确……) are a row each, while an attitude, a setting, a string
  of slogans and a purpose stay with the work beside them (`point_cuts`, `listed_works`).

Split from `extract` (which judges sentences and groups them into rows) to keep each file to one concern.
"""

from __future__ import annotations

import itertools
import re

# Verbs of concrete work, the acts a 督查室 can check were done.
_WORK_VERB = r"(?:组织)?开展|建立|健全|制定|编制|出台|印发|召开|组建|成立|纳入|报送|上报|排查|整治|清理|拆除|验收|培训"
# What such work delivers: 建立和完善……制度, 开展……专项行动.
_DELIVERABLE = r"制度|机制|体系|方案|预案|计划|台账|清单|专项行动|行动|平台|档案|标准|规范"

# The verbs a meeting uses to set a piece of work going, each governing a whole work: 加快推进A,督促B,及时拨付C;
# 要进一步规范……,抓实……; 要成立……领导小组,加快……征拆工作,办理好……手续,加强资金调度和管理.
_PUSH = (
    r"加快推进|加快|推进|抓好|抓实|抓紧|督促|督导|拨付|部署|落实|搞好|办好|办理好|做好|规范|强化|严把|紧盯|引进|构建"
    r"|实施|出台|完善|健全|执行|监管|扩大|加大|推动(?![^,,;;。]{0,16}(?:再上|迈上|上新|新水平|新台阶))|鼓励|加强(?!领导|组织领导|学习)"
    r"|开展|深化|谋划|编制|解决|追究|对接|查处|聘请|打造|创建|培育|配齐|配强|打好|打赢"
)
_MANNER = (
    r"进一步|及时|认真|全面|持续|尽快|切实|全力|积极|主动|严格|广泛|协调|迅速|立即|同时|稳步|不断|大力|努力|逐步|依法依规"
    r"|扎实|深入|精心|严厉|常态化|加快"
)
# A later clause that is a task of its own: its own modal after a setting (对滞后的乡镇要开展督查), or a connective
# and a work verb (并开展演练).
_OWN_TASK = re.compile(
    rf"(?:(?:对|对于|针对|在|就)[^,,。;;]{{1,30}}?(?:要|必须|应当|应)(?:[^,,。;;]{{0,4}}?)(?:{_WORK_VERB}|督查|检查|考核)"
    rf"|(?:并|并且|同时|还要|另外)(?:要|应)?(?:{_WORK_VERB}|(?:{_MANNER})?(?:{_PUSH})))"
)
# A work verb and what it delivers (建立和完善……监督制度) starts another task only in a long run-on sentence: in a
# short one (开展排查,建立排查台账,8月底前完成整治) the clauses are the steps of one task.
_DELIVERS = re.compile(rf"(?:{_WORK_VERB})(?:和|并|及)?(?:完善|健全|落实)?[^,,。;;]{{2,30}}?(?:{_DELIVERABLE})")
RUN_ON_CHARS = 80
RUN_ON_BEFORE = 30
# The part before the cut names concrete work too, so that both halves are tasks (要加强领导,建立……制度 is one).
_DONE_WORK = re.compile(rf"(?:{_WORK_VERB})(?!了|的)|做好[^,,。;;]{{2,24}}工作|完成[^,,。;;]{{2,20}}(?:任务|工作|目标)")
# 制定方案、开展演练: two work verbs joined by 、, each with its object.
_PAIRED = re.compile(rf"(?<=[、])(?=(?:{_WORK_VERB})[^,,。;;、]{{2,}})")
_BREAK = re.compile(r"[,,;;]")
_TRAILING = re.compile(r"[,;、。!\s]+$")
# Clauses shorter than this are not split off.
MIN_CLAUSE = 6


def work_cuts(text: str) -> list[int]:
    """Offsets in a directive sentence where a second (third …) task of the same subject begins, or []."""
    cuts: list[int] = []
    last = 0
    for match in _BREAK.finditer(text):
        k = match.end()
        own = _OWN_TASK.match(text, k)
        delivers = len(text) > RUN_ON_CHARS and k - last >= RUN_ON_BEFORE and _DELIVERS.match(text, k)
        if (own or delivers) and _both_tasks(text, last, k):
            cuts.append(k)
            last = k
    for match in _PAIRED.finditer(text):
        k = match.start()
        opener = max(text.rfind(c, 0, k - 1) for c in ",,;;、") + 1
        clause_end = _BREAK.search(text, k)
        if (clause_end.start() if clause_end else len(_TRAILING.sub("", text))) - k < MIN_CLAUSE:
            continue
        if re.match(rf"[^、]{{0,16}}?(?:要|应当|必须|负责)?(?:{_WORK_VERB})", text[opener : k - 1]) and _both_tasks(
            text, max([c for c in cuts if c < k], default=0), k
        ):
            cuts.append(k)
    return sorted(set(cuts))


def _both_tasks(text: str, start: int, cut: int) -> bool:
    before, after = text[start:cut], text[cut:]
    return (
        len(_TRAILING.sub("", before)) >= MIN_CLAUSE
        and len(after.strip()) >= MIN_CLAUSE
        and bool(_DONE_WORK.search(before))
    )


# --- Several works of one subject -----------------------------------------------------------------------------

# ……,紧紧围绕……中心工作做好规划工作: a setting, then the verb.
_SETTING = r"(?:(?:紧紧)?(?:围绕|按照|结合|对照|根据)|与|同|向)[^,,;;。]{2,30}?"
_NEXT_WORK = re.compile(rf"(?:同时|并|还)?要?(?:{_MANNER})?(?:{_SETTING})?(?:{_PUSH})")
# A clause that opens a work of its own whatever its verb: done at once (迅速拿到……, 尽快完成……), with its own modal
# after a setting (对……要严肃查处, 近期,要突出……), a thing put into a scheme (将……纳入……考核), or 并 and a deliverable
# (并形成方案,提交……).
_OWN_WORK = re.compile(
    r"(?:迅速|尽快|立即)(?!组织|安排)|(?:对|对于|针对|就)[^,,。;;]{1,30}?(?:要|必须|应当)(?![,,])"
    r"|将[^,,。;;]{2,30}(?:纳入|转变为|转为|列入)|并(?:要)?(?:形成|提交|报送|上报|制定|出台)"
    r"|(?:首先|其次|再次|另外|此外|同时)还?要(?!求|[,,])|对[^,,。;;]{2,30}?进行|(?:特别是|尤其是)(?:要)?对"
    # 及时形成督查专报: a deliverable made
    r"|(?:及时|尽快)?形成(?=[^,,。;;]{0,12}(?:报告|专报|方案|清单|台账|意见|机制|制度))"
)
# 近期,要突出……: a time, then the modal of a work of its own.
_TIME_LEAD = re.compile(r"(?:近期|当前|目前|下一步|今后|同时|此外)[,,]")
_TIMED_WORK = re.compile(r"要(?!求|[,,])")
_HAS_WORK = re.compile(rf"(?:{_PUSH}|{_WORK_VERB})(?![的了])")  # 计划实施的项目 names, 实施了 reports
_MODAL = re.compile(r"(?<![需重主只纪必])(?:要|必须|务必)(?!求)")
# A modal that sets the subject to work (要明确目标任务), not only a setting (要围绕……, 要根据实际……).
_MODAL_WORK = re.compile(r"(?:要|必须|务必)(?!求|围绕|根据|按照|结合|对照|立足|紧扣|聚焦|从|以|在|#|[,,;;]|$)")
_ATTITUDE_ONLY = re.compile(
    r"(?:树立|增强|强化|提高)[^,,。;;]{0,10}(?:意识|理念|观念|站位|认识)|统一(?:思想|认识)|转变作风|高度重视"
    r"|分工协作|密切配合|协调配合|通力合作|各司其职"
)
# A sentence framed by a modal (要……, 在……上,要……, 各镇、各部门要……): a list of works its subject is to do. A plan's
# flat statement (加强……,组织开展……) lists the parts of one measure instead.
_MODAL_FRAME = re.compile(r"^(?:[^,,。;;]{0,24}[,,]){0,3}[^,,。;;]{0,16}?(?:要|必须|务必)(?!求)")


def point_cuts(text: str) -> list[int]:
    """Offsets where a sentence listing works of one subject (要加快推进A,督促B,及时拨付C) turns to another, or [].

    Cut only where the clause after opens with its own verb of setting work going (or opens a work of its own:
    迅速……, 对……要……, 将……纳入……) and the clause before did work too, so that the steps of one task (开展排查,建立台账,
    10月底前完成整改), its purpose (……,确保……) and a setting (要围绕……领域,抓好……) stay one row.
    """
    cuts: list[int] = []
    last = 0
    for match in _BREAK.finditer(text):
        k = match.end()
        timed = _TIME_LEAD.match(text, k)
        j = timed.end() if timed else k
        clause_end = _BREAK.search(text, j)
        after = _TRAILING.sub("", text[j : clause_end.start() if clause_end else len(text)])
        before = _TRAILING.sub("", text[last:k])
        if modals := list(_MODAL.finditer(before)):
            before = before[modals[-1].start() :]  # ……等部门要分工协作: what the last modal sets its subject to
        own = _OWN_WORK.match(after) or (timed and _TIMED_WORK.match(after))
        if own and own.group(0).startswith("并"):
            after = _TRAILING.sub("", text[k:])  # 并形成方案,提交……: the deliverable and where it goes
        parallel = _parallel(text, k)
        if not (_NEXT_WORK.match(after) or own or parallel) or len(after) < MIN_CLAUSE:
            continue
        if parallel or _works(before) or _OWN_WORK.match(before):
            cuts.append(k)
            last = k
    return cuts


_OPENER = re.compile(r"^(?:[^,,。;;]{0,16}?(?:要|必须|务必))?(?P<opener>[\u4e00-\u9fff]{2})")


def _parallel(text: str, k: int) -> bool:
    """要严格规范……,严格防范……,严格明确……: three clauses or more in a row that open alike list works, one a clause;
    two alike (全力做好……,全力补齐……短板) may be a work and its aim."""
    clauses = [(m.start(), m.end()) for m in re.finditer(r"[^,,;;]+", _TRAILING.sub("", text))]
    openers = []
    for start, end in clauses:
        found = _OPENER.match(text[start:end].strip())
        openers.append(found.group("opener") if found else None)
    here = next((n for n, (start, _) in enumerate(clauses) if start == k), None)
    if here is None or openers[here] is None or openers[here] in ("确保", "努力", "力争"):
        return False
    run = [n for n in range(max(0, here - 2), min(len(clauses), here + 3)) if openers[n] == openers[here]]
    return here - 1 in run and len(run) >= 3 and all(b - a == 1 for a, b in itertools.pairwise(run))


def listed_works(text: str) -> list[int]:
    """point_cuts for a sentence outside a numbered point: only one framed by a modal (要……,……) lists works."""
    return point_cuts(text) if _MODAL_FRAME.match(text.strip()) else []


def has_work_clause(text: str, attitude: re.Pattern) -> bool:
    """Whether a sentence that opens with attitudes (要进一步提高站位、压实责任) goes on to a work of its own
    (……,实施……管理,严把……关)."""
    for match in _BREAK.finditer(text):
        clause_end = _BREAK.search(text, match.end())
        after = _TRAILING.sub("", text[match.end() : clause_end.start() if clause_end else len(text)])
        if len(after) >= MIN_CLAUSE and _NEXT_WORK.match(after) and not attitude.search(after):
            return True
    return False


# 要进一步提高站位、压实责任、细化举措; 赶工期、促投资、抢进度: a string of short slogans, a spirit rather than a work.
_SLOGANS = re.compile(r"^[^,,;;]{0,16}?(?:要|必须)?(?:进一步|切实)?(?:[\u4e00-\u9fff]{2,4}、)+[\u4e00-\u9fff]{2,4}$")


def _works(clause: str) -> bool:
    """Whether a clause sets work going, not only an attitude (要统一认识) or a setting (要围绕……领域)."""
    if _SLOGANS.match(clause.strip()):
        return False
    rest = _ATTITUDE_ONLY.sub("#", clause)
    return bool(_HAS_WORK.search(rest) or _MODAL_WORK.search(rest))


# --- A plan's flat statement ------------------------------------------------------------------------------------

# A named body opening the sentence (医保基金, 生产企业, 县农业农村局 …).
_BODY_SUBJECT = re.compile(
    r"^[^,,。;;]{1,14}?(?:机构|机关|部门|单位|企业|基金|局|委|办公室|小组|政府|中心|公司|乡镇|街道|医院|学校)"
)
# 4月底前,县乡两级行政机关……: the date the statement opens with.
_DATED = re.compile(r"^[^,,。;;]{2,12}前[,,]")
# Work a plan states flatly.
_FLAT_VERB = re.compile(rf"(?:{_WORK_VERB}|实施|实行|完成|拨付|预付|汇总|发布|公布|签订)(?!了|的|[组办小])")
# A flat statement opening with its work, after at most a short setting (在此前提下,建立……; 开展……专项行动。), the
# verb perhaps after an adverb (全面开展……, 深入开展……, 集中开展……).
_ADVERB = r"全面|深入|集中|广泛|扎实|持续|大力|统一|联合|认真|及时|定期|逐步|进一步"
_FLAT_OPENING = re.compile(rf"^(?:[^,,。;;]{{0,16}}[,,])?(?:{_ADVERB})?(?:{_WORK_VERB})(?!了|的)")
# A statement that explores, describes or concedes directs nobody.
_NOT_FLAT = re.compile(
    r"探索|鼓励|允许|为了?[^,,。;;]{0,20}(?:腾出|创造|提供)|下设|包括|是指|主要考虑|实行[^,,。;;]{0,40}(?:负责制|责任制)"
)


def flat_work(text: str) -> bool:
    """A statement of a plan's measure that says what is done without a directive word."""
    body = text.strip()
    if _NOT_FLAT.search(body):
        return False
    if _FLAT_OPENING.match(body):
        return True
    body = _DATED.sub("", body, count=1)
    subject = _BODY_SUBJECT.match(body)
    return bool(subject and _FLAT_VERB.search(body, subject.end()))


# --- A group's setting-up ---------------------------------------------------------------------------------------

_GROUP = r"领导小组|工作小组|小组|专班|指挥部|委员会|工作组|联席会议"
_SETS_UP = re.compile(
    rf"由(?P<members>[^。;;]{{2,80}}?)组成(?!了)[^,,。;;]{{2,40}}?(?:{_GROUP})"
    rf"|成立(?!了)[^,,。;;]{{2,40}}?(?:{_GROUP})[^。;;]{{0,12}}?[,,]由(?P<chief>[^。;;]{{1,40}}?)任(?:组长|指挥长|主任|召集人)"
)
# 领导小组办公室设在县应急管理局: the unit that runs the group.
_SEAT = re.compile(r"办公室设在(?P<seat>[^,,。;;]{2,20})")


def sets_up_group(text: str) -> bool:
    return bool(_SETS_UP.search(text))


def group_lead_span(text: str) -> tuple[int, int] | None:
    """Where in a sentence that sets up a group to look for its lead unit: where its office sits, else its members
    or chief; None when the sentence sets up no group."""
    if (match := _SETS_UP.search(text)) is None:
        return None
    if seat := _SEAT.search(text):
        return seat.span("seat")
    return match.span("members" if match.group("members") is not None else "chief")
