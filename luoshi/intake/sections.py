"""Judgements about a part of a document, from its heading: a part that relays a higher level's requirements, that
reviews the past year, that states principles, or whose numbered items are a plan's measures.

Split from `extract` (which judges sentences and groups them into rows) to keep each file to one concern.
"""

from __future__ import annotations

import re
from datetime import date

from luoshi.lib import deadlines

from .outline import Section

_ANY_DAY = date(2000, 1, 1)


def names_a_deadline(text: str) -> bool:
    return bool(deadlines.find(text, base=_ANY_DAY))


RELAYED = "上级要求"
# 传达市委书记……讲话主要精神: what follows relays a higher leader's words, until the speaker turns to the county.
_RELAY = re.compile(
    r"传达[^。]{0,40}(?:讲话|会议|指示|批示|精神)|(?:省委|市委|省政府|市政府|书记|省长|市长)[^。]{0,30}讲话(?:的)?(?:主要)?精神"
)
_BACK_HOME = re.compile(r"结合我县|下面,?我|我再讲|我讲[几两三]点|就[^。]{0,10}我县|对我县")


def _depth(section: Section) -> int:
    depth, node = 0, section
    while node is not None and node.kind != "root":
        depth, node = depth + 1, node.parent
    return depth


def relayed(sentences: list, opened: dict, section_of: dict) -> set[int]:
    """The sentences that relay a higher leader's requirements: from a 传达…讲话精神 sentence to the
    next heading of the same or a higher level, or to where the speaker turns to the county."""
    out: set[int] = set()
    level = None
    for sentence in sentences:
        i = sentence.index
        if level is not None:
            if _BACK_HOME.search(sentence.body) or (i in opened and _depth(section_of[i]) <= level):
                level = None
            else:
                out.add(i)
                continue
        if _RELAY.search(sentence.body):
            level = _depth(section_of[i])
            out.add(i)
    return out


# A part that reviews the past year (一、2021年工作回顾) tells what was done, not what to do.
_RETROSPECT = re.compile(r"回顾|成绩|总结(?!经验|评估|推广)|过去[一五]?年|[上去]年(?:工作|以来)")


# 验收总结阶段(11月至12月) is a stage still to come, not a review.
_STAGE = re.compile(r"阶段|步骤|环节")


# A part that states principles or the guiding idea (基本原则, 指导思想, 总体思路): how to work, not what to do.
_PRINCIPLES = re.compile(r"基本原则|工作原则|指导思想|总体思路|指导原则")


# The parts of a plan whose numbered items are measures to carry out (三、具体措施 → (一)带量采购,以量换价).
# 四、整治步骤 (1.宣传发动阶段(5月2日—7日),各有关乡镇……) and 一、重点督办事项 (1.全面开展……。(责任单位:……)) hold tasks too.
_TASK_PART = re.compile(
    r"任务|措施|举措|工作安排|步骤|职责分工|组织形式|组织实施|政策衔接|督办事项|督查事项|工作事项|议定事项"
)


# An option (可采用, 仍可采购) is not a task.
_OPTION = re.compile(r"(?<![不认])可(?!持续|行)")


# An item that states a scope, an aim or a basis (赋权范围, 工作目标, 适用对象) is no task, in whatever part.
_NOT_TASK_ITEM = re.compile(r"范围|目标|原则|意义|依据|对象|定义|背景")


def in_task_item(section: Section) -> bool:
    if section.kind not in ("cn_paren", "num_paren", "num_dot") or section.parent is None:
        return False
    if _NOT_TASK_ITEM.search(section.title):
        return False
    # (二)服务承诺阶段。: a stage of a plan's steps holds tasks, whatever part the text shows it under.
    return bool(_TASK_PART.search(section.parent.title) or _STAGE.search(section.title))


_STAGE = re.compile(r"阶段(?:[。.]|[((][^))]{2,30}[))])?$")


def states_principles(section: Section) -> bool:
    node = section
    while node is not None and node.kind != "root":
        if _PRINCIPLES.search(node.title):
            return True
        node = node.parent
    return False


def looks_back(section: Section) -> bool:
    node = section
    while node is not None and node.kind != "root":
        if _RETROSPECT.search(node.title) and not _STAGE.search(node.title) and not names_a_deadline(node.title):
            return True
        node = node.parent
    return False
