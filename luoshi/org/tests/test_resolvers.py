"""The shared resolvers, against the demo county and the real samples in samples/."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from luoshi.org.models import Leader, Unit, User
from luoshi.org.services import UnitDirectory, leader_resolve, unit_alias_add, unit_resolve, unit_resolve_many
from luoshi.testing import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "name", "how"),
    [
        ("财政局", "财政局", "name"),
        ("住建局", "住房和城乡建设局", "short_name"),
        ("国土局", "自然资源局", "alias"),
        ("发改委", "发展和改革委员会", "short_name"),
        ("县发改委", "发展和改革委员会", "prefix"),
        ("县财政局", "财政局", "prefix"),
        ("示范县财政局", "财政局", "prefix"),
        ("县国土局", "自然资源局", "prefix"),
        (" 县 住建局 ", "住房和城乡建设局", "prefix"),
        ("县人民政府办公室", "人民政府办公室", "prefix"),
    ],
)
def test_names_short_names_aliases_and_the_county_prefix_resolve(demo_county, text, name, how):
    resolution = unit_resolve(text)
    assert [unit.name for unit in resolution.units] == [name]
    assert resolution.how == how
    assert resolution.mention == text.strip()


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("各乡镇", {"township"}),
        ("各镇(街道)", {"township"}),
        ("各镇(街道)", {"township"}),
        ("县直各单位", {"department"}),
        ("各部门", {"department"}),
        ("各局委", {"department"}),
        ("县直有关部门", {"department"}),
        ("各单位", {"department", "township", "enterprise"}),
        ("在座的各位", {"department", "township", "enterprise"}),
    ],
)
def test_group_words_resolve_to_every_unit_of_the_group(demo_county, text, kinds):
    resolution = unit_resolve(text)
    assert resolution.how == "group"
    assert {unit.kind for unit in resolution.units} == kinds
    expected = Unit.objects.filter(kind__in=kinds, active=True).count()
    assert len(resolution.units) == expected


def test_an_unknown_name_offers_close_matches(demo_county):
    resolution = unit_resolve("县国土资源规划局")
    assert not resolution.resolved or resolution.how == "fuzzy"
    assert "自然资源局" in [unit.name for unit in resolution.suggestions]


def test_nonsense_resolves_to_nothing(demo_county):
    resolution = unit_resolve("项目单位")
    assert not resolution.resolved


def test_a_hand_resolved_name_saved_as_alias_resolves_by_itself_next_time(demo_county):
    housing = Unit.objects.get(name="住房和城乡建设局")
    assert not unit_resolve("城建局").resolved or unit_resolve("城建局").how == "fuzzy"
    unit_alias_add(unit=housing, alias="城建局", by=User.objects.get(username="office"))
    resolution = unit_resolve("县城建局")
    assert resolution.units == [housing]
    assert resolution.how == "prefix"


def test_an_alias_of_another_unit_is_refused(demo_county):
    with pytest.raises(ValueError, match="已属于"):
        unit_alias_add(unit=Unit.objects.get(name="财政局"), alias="国土局", by=None)


def test_a_cell_with_several_units_splits_on_every_separator(demo_county):
    resolutions = unit_resolve_many("县统计局、县财政局\n各乡镇;县住建局,县国土局 县水利局")
    assert [r.mention for r in resolutions] == ["县统计局", "县财政局", "各乡镇", "县住建局", "县国土局", "县水利局"]
    assert all(r.resolved for r in resolutions)


def test_inactive_units_do_not_resolve(demo_county):
    Unit.objects.filter(name="财政局").update(active=False)
    assert not unit_resolve("财政局").resolved


def _ledger_rows():
    workbook = CalamineWorkbook.from_path(str(SAMPLES / "ledger-2022-work-deployment.xlsx"))
    rows = workbook.get_sheet_by_name("任务分解表").to_python()
    header = rows[2]
    return [dict(zip(header, row, strict=False)) for row in rows[3:] if any(row)]


def test_every_unit_in_the_sample_ledger_resolves_except_the_non_units(demo_county):
    directory = UnitDirectory.load()
    unresolved = set()
    for row in _ledger_rows():
        for column in ("牵头单位", "配合单位"):
            for resolution in unit_resolve_many(row[column], directory=directory):
                if not resolution.resolved:
                    unresolved.add(resolution.mention)
                else:
                    assert resolution.how != "fuzzy", resolution
    # 项目单位 and 各专班 name no unit of the directory: they must be asked, not guessed.
    assert unresolved == {"项目单位", "各专班"}


def test_every_leader_in_the_sample_ledger_resolves_except_the_ambiguous_one(demo_county):
    found = {row["责任县领导"]: leader_resolve(row["责任县领导"]) for row in _ledger_rows()}
    assert found.pop("分管副县长") is None
    assert all(found.values()), [text for text, leader in found.items() if leader is None]
    assert found["县长"].is_principal
    assert found["常务副县长"].title == "常务副县长"
    assert "水利" in found["分管水利副县长"].field_list
    assert found["分管自然资源副县长"].supervises.filter(name="自然资源局").exists()


def test_the_speechs_expected_units_resolve(demo_county):
    items = json.loads((SAMPLES / "speech-2022-work-deployment.requirements.json").read_text("utf-8"))["items"]
    expected = [entry for item in items for entry in item["expected_units"]]
    assert len(expected) >= 9
    for entry in expected:
        resolution = unit_resolve(entry["mention"])
        assert resolution.resolved, entry
        if "group" in entry:
            assert {unit.kind for unit in resolution.units} == {entry["group"]}, entry
        else:
            assert len(resolution.units) == 1 and entry["name_contains"] in resolution.units[0].name, entry


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县长", "县长"),
        ("常务副县长", "常务副县长"),
        ("分管水利副县长", "水利"),
        ("分管财政局的副县长", "财政"),
        ("分管农业农村工作的副县长", "农业农村"),
    ],
)
def test_leaders_resolve_by_title_field_or_supervised_unit(demo_county, text, expected):
    leader = leader_resolve(text)
    assert leader is not None
    assert expected in (leader.title, *leader.field_list) or leader.supervises.filter(name__contains=expected).exists()


def test_leaders_resolve_by_name_with_or_without_a_title(demo_county):
    leader = Leader.objects.get(title="常务副县长")
    assert leader_resolve(leader.name) == leader
    assert leader_resolve(f"{leader.name}同志") == leader
    assert leader_resolve(f"{leader.name}常务副县长") == leader


@pytest.mark.parametrize("text", ["副县长", "分管副县长", "", "   ", "书记", "分管宇宙副县长"])
def test_ambiguous_or_unknown_leaders_resolve_to_none(demo_county, text):
    assert leader_resolve(text) is None


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_the_resolvers_never_crash(text):
    # Runs against an empty directory as well as a full one: both must hold.
    directory = UnitDirectory([], [], "示范县")
    resolution = unit_resolve(text, directory=directory)
    assert resolution.mention == text.strip()
    assert not resolution.units or resolution.how == "group"
    unit_resolve_many(text, directory=directory)
