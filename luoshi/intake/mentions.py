"""Finding the units and leaders a sentence names, in running text.

`unit_resolve` reads one name; a speech names its units inside sentences (比如财政上,投资公司、
国土局、国资局……). The scanner knows every name the directory knows (full names, short names,
aliases, each also with the 县 or county prefix) and the group words, finds the longest of them
at each place, and hands each one found to `unit_resolve`, so that the directory's rules decide.
One scanner is built per document, from one `UnitDirectory`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max

from luoshi.lib.text import normalize
from luoshi.org.models import Leader, Unit, UnitAlias
from luoshi.org.services import GROUPS, HOW_FUZZY, HOW_GROUP, Resolution, UnitDirectory, leader_resolve, unit_resolve

# A two-character name is read only when it looks like a body (局, 委, 办 …): 财政 alone is a field.
_BODY_ENDINGS = (*"局委办乡镇社馆队院所站部处会", "中心", "公司", "集团", "街道")
# Group words, and which LEAD_GROUPS key they make (None: every unit).
_GROUP_KEYS = {"township": ("township",), "department": ("department",)}


@dataclass
class Mention:
    text: str
    start: int
    end: int
    resolution: Resolution

    @property
    def group(self) -> str:
        """township / department / all for a group word, "" for a named unit."""
        if self.resolution.how != HOW_GROUP:
            return ""
        kinds = GROUPS.get(normalize(self.text)) or GROUPS.get(normalize(self.text).removeprefix("县"), ())
        if kinds is None:
            return "all"
        if kinds == (Unit.Kind.TOWNSHIP,):
            return "township"
        return "department"


# Words that name bodies the directory may not know: 全市各城市区, 各园区管委会, 区级新闻单位, 市级有关部门. Found
# beside the directory's names, never instead of them, and shown on the row unresolved so nothing is dropped.
_FIELD_LIST = re.compile(r"(?P<items>(?:[\u4e00-\u9fff]{2,6}、)+[\u4e00-\u9fff]{2,6}?)等(?:部门|单位)")


_UNKNOWN = re.compile(
    r"(?:全[省市县区])?各(?!项|类|种|个|级|方面|环节|阶段)[\u4e00-\u9fff]{0,4}?(?:城市区|县市区|县区|区县|单位|部门|机关|街道|社区|管委会)"
    r"|[省市区县]级(?:有关|相关|各)?[\u4e00-\u9fff]{0,4}?(?:单位|部门|机关)"
    # 各分指挥部要……, 创建办要……: a body of a campaign, named as the subject of its work.
    r"|各[\u4e00-\u9fff]{0,4}?(?:指挥部|工作组|专班)|(?:(?<=[,,;;::])|^)[\u4e00-\u9fff]{2,4}办(?=要|负责|牵头|应当)"
)


@dataclass
class Scanner:
    directory: UnitDirectory
    pattern: re.Pattern | None = None
    leaders: list[Leader] = field(default_factory=list)
    _leader_pattern: re.Pattern | None = None
    fields: dict[str, str] = field(default_factory=dict)  # 规划部门 → 规划局
    shorts: dict[str, str] = field(default_factory=dict)  # 交通 → 交通运输局, read only in 县交通、民政等部门
    _cache: dict[str, Resolution] = field(default_factory=dict)
    _leaders_found: dict[str, Leader | None] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: UnitDirectory | None = None) -> Scanner:
        directory = directory or UnitDirectory.load()
        names = set()
        for key in directory.exact:
            if len(key) < 2 or (len(key) == 2 and not key.endswith(_BODY_ENDINGS)):
                continue
            names.add(key)
            names.add("县" + key)
            if directory.county_name:
                names.add(directory.county_name + key)
        # 规划部门, 财政部门: the department of a field is the bureau the directory knows by that field (规划局).
        fields = {key[:-1] + "部门": key for key in directory.exact if len(key) >= 3 and key.endswith("局")}
        names.update(fields)
        names.update(GROUPS)
        # 县交通、民政等部门: a field's short name in a list of departments is the one bureau whose name it begins.
        stems: dict[str, dict[int, str]] = {}
        for key, (unit, _) in directory.exact.items():
            if len(key) >= 3 and key.endswith(("局", "委")):
                for length in range(2, len(key)):
                    stems.setdefault(key[:length], {})[unit.pk] = key
        shorts = {stem: next(iter(keys.values())) for stem, keys in stems.items() if len(keys) == 1}
        ordered = sorted(names, key=len, reverse=True)
        # 乡镇长 is a person, 部门 inside 各部门 is the group: the longest name wins at each place.
        pattern = re.compile("(?:" + "|".join(re.escape(name) for name in ordered) + ")(?!长)") if ordered else None
        leaders = list(Leader.objects.filter(active=True))
        leader_words = [re.escape(leader.name) for leader in leaders if leader.name]
        leader_words.append(r"分管[^,,。;;、]{1,12}?的?(?:常务)?(?:副县长|县领导)")
        leader_words.append(r"常务副县长")
        scanner = cls(directory=directory, pattern=pattern, leaders=leaders, fields=fields, shorts=shorts)
        scanner._leader_pattern = re.compile("|".join(leader_words))
        return scanner

    def units(self, text: str) -> list[Mention]:
        if self.pattern is None:
            return []
        found = []
        for match in self.pattern.finditer(text):
            name = match.group(0)
            if name not in self._cache:
                self._cache[name] = unit_resolve(self.fields.get(name, name), directory=self.directory)
            resolution = self._cache[name]
            if resolution.units:
                found.append(Mention(text=name, start=match.start(), end=match.end(), resolution=resolution))
        if "等" in text and self.shorts:
            found = sorted([*found, *self._listed_shorts(text, found)], key=lambda m: m.start)
        return found

    def _listed_shorts(self, text: str, known: list[Mention]) -> list[Mention]:
        """县交通、公路、交警等部门: the short names of a list of departments that name one bureau each."""
        out = []
        for listing in _FIELD_LIST.finditer(text):
            offset = listing.start()
            for item in listing.group("items").split("、"):
                start, end = offset, offset + len(item)
                offset = end + 1
                stem = item.removeprefix("县")
                key = self.shorts.get(stem)
                if key is None or any(m.start < end and start < m.end for m in known):
                    continue
                if item not in self._cache:
                    self._cache[item] = unit_resolve(key, directory=self.directory)
                if self._cache[item].units:
                    out.append(Mention(text=item, start=start, end=end, resolution=self._cache[item]))
        return out

    def unknown(self, text: str, known: list[Mention] | None = None) -> list[str]:
        """The bodies the text names that the directory does not know, as written, outside the known mentions."""
        known = self.units(text) if known is None else known
        taken = [(m.start, m.end) for m in known]
        out = []
        for match in _UNKNOWN.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            name = match.group(0)
            resolution = self._cache.get(name) or unit_resolve(name, directory=self.directory)
            self._cache[name] = resolution
            if not resolution.units or resolution.how == HOW_FUZZY:
                out.append(name)
        return list(dict.fromkeys(out))

    def leader(self, text: str) -> tuple[str, Leader | None]:
        """The first leader the text names, and how it is written."""
        if self._leader_pattern is None:
            return "", None
        for match in self._leader_pattern.finditer(text):
            written = match.group(0)
            if written not in self._leaders_found:
                self._leaders_found[written] = leader_resolve(written)
            leader = self._leaders_found[written]
            if leader is not None:
                return match.group(0), leader
        return "", None


_lock = threading.Lock()
_current: tuple[tuple, Scanner] | None = None


def _directory_version() -> tuple:
    """Changes whenever a unit, an alias or a leader is added, changed or removed."""
    units = Unit.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id"))
    aliases = UnitAlias.objects.aggregate(n=Count("id"), top=Max("id"))
    leaders = Leader.objects.filter(active=True).aggregate(n=Count("id"), top=Max("id"))
    return tuple(units.values()) + tuple(aliases.values()) + tuple(leaders.values())


def current_scanner() -> Scanner:
    """The process's scanner, built once and again only when the directory has changed.

    A request pays three aggregate queries, not the loading of every name.
    """
    global _current
    version = _directory_version()
    with _lock:
        if _current is None or _current[0] != version:
            _current = (version, Scanner.load())
        # Leaders' 分管 can change without a new version: their look-ups are kept for one document only.
        _current[1]._leaders_found.clear()
        return _current[1]
