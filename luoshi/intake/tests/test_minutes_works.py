"""Minutes pack several works into one sentence in the meeting's voice; each work is a row, each decision that leaves
work to do is a row, and the meeting's agenda, a notice's covering sentence and a responsibility system are not.

The sentences are written for these tests, in the forms of published county minutes; the real minutes these rules
were found on are scored in `test_genres.py`.
"""

from datetime import date

import pytest

from luoshi.intake import services
from luoshi.intake.extract import propose
from luoshi.intake.judging import judge
from luoshi.intake.reading import read_text
from luoshi.org.models import User
from luoshi.work.models import Task

BASE = date(2024, 4, 10)


def rows_of(text, scanner):
    return propose(read_text(text, name="纪要.txt"), base=BASE, scanner=scanner).rows


def test_what_the_meeting_points_out_is_its_own_requirement_not_a_quotation():
    assert judge("会议指出,要进一步规范项目变更审批程序。").directive
    assert judge("会议还指出,要抓好春季森林防火。").directive
    # Another's words are still a quotation.
    assert judge("古人指出,民为邦本。").excluded == "引语"


@pytest.mark.parametrize(
    "sentence",
    [
        "会议同意县民政局拟定的《示范县养老服务补贴办法》,修改完善后印发实施。",
        "会议原则同意县农业农村局提出的调整方案,按程序报市农业农村局备案。",
        "会议同意县审计局对全县乡镇的考核结果,报县委审定。",
    ],
)
def test_a_decision_that_leaves_work_to_do_is_a_requirement(sentence):
    verdict = judge(sentence)
    assert verdict.directive and "会议同意" in verdict.why


def test_an_approval_with_nothing_left_to_do_is_not_a_requirement():
    assert not judge("会议原则同意《示范县2024年度应急管理工作要点》。").directive


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("会议首先集中学习了安全生产法,通报了一季度经济运行情况,研究了春耕备耕等工作。", "议程"),
        ("会议听取县发改局关于重点项目建设情况的汇报,研究创文、河长制等工作。", "议程"),
        ("《2024年县政府重点工作任务分解》已经县人民政府同意,现印发给你们,请认真抓好贯彻落实。", "印发说明"),
        ("请认真贯彻执行。", "印发说明"),
    ],
)
def test_the_agenda_and_a_covering_sentence_are_not_requirements(sentence, why):
    verdict = judge(sentence)
    assert not verdict.directive and verdict.excluded == why


def test_a_responsibility_system_is_a_principle_not_a_row(scanner):
    text = "一、压实责任。重点工作实行县政府分管领导牵头负责制和部门具体负责制。各责任单位要在3月底前报送实施方案。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == ["各责任单位要在3月底前报送实施方案。"]


def test_each_work_the_meeting_lists_for_one_subject_is_a_row(scanner):
    text = (
        "会议强调,要成立示范县环城公路建设领导小组,加快环城公路征地拆迁工作,"
        "办理好项目建设所需用地审批手续,加强建设资金调度和管理。"
    )
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "要成立示范县环城公路建设领导小组,",
        "加快环城公路征地拆迁工作,",
        "办理好项目建设所需用地审批手续,",
        "加强建设资金调度和管理。",
    ]


def test_a_plans_measure_keeps_its_steps_in_one_row(scanner):
    # The same sentence in a plan, not in a meeting's voice: a measure with its steps, one row.
    text = "各乡镇要成立环城公路建设领导小组,加快征地拆迁工作,办理好项目建设所需用地审批手续,加强建设资金调度和管理。"
    assert len(rows_of(text, scanner)) == 1


def test_an_attitude_a_setting_and_a_purpose_are_not_cut_off_as_works(scanner):
    text = (
        "会议要求,在秸秆禁烧工作上,要统一认识,切实加强组织领导,出台加强秸秆综合利用的意见;"
        "要围绕乡村振兴、全域旅游等重点领域,抓好项目储备,引进一批重大招商项目;"
        "要实施河道清淤工程,确保汛前全部完工。"
    )
    rows = [row.text for row in rows_of(text, scanner)]
    assert rows == [
        "在秸秆禁烧工作上,要统一认识,切实加强组织领导,出台加强秸秆综合利用的意见;",
        "要围绕乡村振兴、全域旅游等重点领域,抓好项目储备,",
        "引进一批重大招商项目;",
        "要实施河道清淤工程,确保汛前全部完工。",
    ]


def test_a_sentence_that_opens_with_attitudes_keeps_the_measures_after_them(scanner):
    text = (
        "会议指出,县防汛指挥部各工作组要进一步提高站位、压实责任,实施汛期分区分级巡查,"
        "严把病险水库安全度汛关,紧盯地质灾害隐患点落实监测责任。"
    )
    rows = [row.text for row in rows_of(text, scanner)]
    assert rows == [
        "县防汛指挥部各工作组要进一步提高站位、压实责任,实施汛期分区分级巡查,",
        "严把病险水库安全度汛关,",
        "紧盯地质灾害隐患点落实监测责任。",
    ]
    assert judge("要进一步提高站位、压实责任。").excluded == "态度要求"  # attitudes alone are still no task


def test_bodies_the_directory_does_not_know_get_their_own_rows_shown_unresolved(scanner):
    text = "县长要求,要把创文落实到具体行动中,各分指挥部要加强指挥调度,创建办要加强督促考核,迅速完成省级文明城市测评迎检准备。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "要把创文落实到具体行动中,",
        "各分指挥部要加强指挥调度,",
        "创建办要加强督促考核,",
        "迅速完成省级文明城市测评迎检准备。",
    ]
    assert rows[1].unresolved == ["各分指挥部"] and rows[2].unresolved == ["创建办"]


def test_the_subject_of_the_first_work_does_the_next_ones(scanner):
    text = "会议强调,各乡镇、各部门要明确目标任务,协调做好重点项目服务保障,全力推进环城公路等重点项目建设。"
    rows = rows_of(text, scanner)
    assert len(rows) == 3
    first = {unit.pk for unit in rows[0].units}
    assert first and all({unit.pk for unit in row.units} == first for row in rows[1:])
    kinds = {unit.kind for unit in rows[2].units}
    assert len(kinds) >= 2  # townships and departments both, not only the first group named


def test_three_clauses_that_open_alike_are_three_works_two_are_a_work_and_its_aim(scanner):
    text = "会议强调,要严格规范政府性债务管理,严格防范债务风险,严格明确债券资金使用范围。"
    assert len(rows_of(text, scanner)) == 3
    text = "会议要求,各乡镇要全力做好项目包装、资金争取等工作,全力补齐基础设施短板。"
    assert len(rows_of(text, scanner)) == 1


def test_a_work_after_its_setting_is_a_work_of_its_own(scanner):
    text = "会议要求,全县各级各部门要进一步深入学习条例,紧紧围绕县委、县政府中心工作和重点项目做好规划工作。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "全县各级各部门要进一步深入学习条例,",
        "紧紧围绕县委、县政府中心工作和重点项目做好规划工作。",
    ]
    assert {unit.pk for unit in rows[1].units} == {unit.pk for unit in rows[0].units} != set()


def test_points_inside_a_paragraph_are_rows_even_without_a_modal_word(scanner):
    text = (
        "县长就四个方面提出严格要求:一是抓主干道沿线整治;二是抓未开工项目,必须在9月20日前全面开工;"
        "三是抓安置点建设进度;四是加强对已入住农户的管理,将临时管委会转变为村民自管委员会,并充分发挥作用。"
    )
    rows = [row.text for row in rows_of(text, scanner)]
    assert "抓安置点建设进度;" in rows
    assert "将临时管委会转变为村民自管委员会,并充分发挥作用。" in rows
    assert len(rows) == 5


def test_a_place_outside_the_directory_that_takes_on_a_duty_is_its_own_row(scanner):
    text = "二、职责分工\n市政府各有关部门负责本部门职权范围内赋权事项的下放工作,灵宝市负责下放权限的承接工作。"
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "市政府各有关部门负责本部门职权范围内赋权事项的下放工作,",
        "灵宝市负责下放权限的承接工作。",
    ]


def test_a_plans_scope_purpose_approval_signature_and_long_title_are_not_rows(scanner):
    text = (
        "三门峡市人民政府办公室关于印发三门峡市推进县域治理“三起来”示范县(市)赋权工作实施方案的通知\n"
        "《示范县巩固提升就业帮扶车间专项行动实施方案》已经县委实施乡村振兴战略领导小组审定通过。现印发给你们,请认真抓好贯彻落实。\n"
        "中共示范县委实施乡村振兴战略领导小组\n"
        "为全面落实省委省政府关于巩固脱贫攻坚成果的部署安排,助力全面推进乡村振兴。现结合工作实际,特制定本方案。\n"
        "二、工作任务\n"
        "(一)赋权范围\n"
        "向示范县赋予156项市级经济社会管理权限。\n"
        "(二)切实推进权限下放\n"
        "市政府各有关部门要按照职责分工制定放权赋能工作方案,切实推进权限下放。"
    )
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == ["市政府各有关部门要按照职责分工制定放权赋能工作方案,切实推进权限下放。"]


def test_a_points_sentence_listing_several_works_gives_a_row_for_each(scanner):
    text = (
        "一、总体要求\n"
        "一是坚持车间“总量不减”。还没有帮扶车间的乡镇原则上到2021年底要创建一个以上帮扶车间,"
        "同时要稳步推进帮扶车间规范管理,实施“有进有出”动态调整,持续激发帮扶车间活力。"
    )
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "坚持车间“总量不减”。还没有帮扶车间的乡镇原则上到2021年底要创建一个以上帮扶车间,",
        "要稳步推进帮扶车间规范管理,",  # 同时 is left out of the row, as 会议要求 is
        "实施“有进有出”动态调整,持续激发帮扶车间活力。",
    ]
    assert rows[0].deadline.date == date(2021, 12, 31)


def test_the_department_of_a_field_is_the_bureau_of_that_field(scanner):
    rows = rows_of("会议要求,规划部门要提前介入、全程参与项目工作。", scanner)
    assert [unit.name for unit in rows[0].units] == ["自然资源局"]


def test_works_opened_by_first_and_by_encourage_or_push_are_rows(scanner):
    text = "县长要求,各相关部门要全力做好防汛预案,首先要确保城乡供水,加大对秋冬农业生产的保障力度。"
    assert len(rows_of(text, scanner)) == 3
    text = "会议强调,要细化完善奖补标准,鼓励群众发展庭院经济,推动项目尽快落地开工,推动乡村建设再上新水平。"
    rows = [row.text for row in rows_of(text, scanner)]
    assert rows == ["要细化完善奖补标准,", "鼓励群众发展庭院经济,", "推动项目尽快落地开工,推动乡村建设再上新水平。"]


@pytest.mark.parametrize(
    "sentence",
    [
        "会议原则通过了《示范县农村“厕所革命”实施方案》。",  # 实施 inside the title directs nobody
        "11月9日,示范县召开应对极端天气会商会。",
        "示范县召开防汛工作推进会",
    ],
)
def test_an_adopted_document_and_the_news_of_a_meeting_are_not_requirements(sentence):
    assert not judge(sentence).directive


def test_a_stage_holds_tasks_stated_without_a_modal_and_each_unit_of_a_sentence_gets_its_row(scanner):
    text = (
        "三、实施步骤\n"
        "(一)动员部署阶段。3月底前,各乡镇制定具体方案。\n"
        "(二)集中公示阶段。4月底前,县乡两级行政机关将服务承诺向社会公开发布。"
        "由县人力资源和社会保障局、县司法局提出公开承诺单位,县政府办制定方案并组织实施。"
    )
    rows = rows_of(text, scanner)
    assert "4月底前,县乡两级行政机关将服务承诺向社会公开发布。" in [row.text for row in rows]
    published = next(row for row in rows if row.text.startswith("4月底前"))
    assert published.deadline.date == date(2024, 4, 30)
    assert [row.text for row in rows[-2:]] == [
        "由县人力资源和社会保障局、县司法局提出公开承诺单位,",
        "县政府办制定方案并组织实施。",
    ]


def test_each_round_of_inspection_is_a_row_due_at_its_time(scanner):
    text = "第一次督查时间:5月中旬\n督查重点:学习宣传情况。\n第二次督查时间:6月下旬"
    rows = rows_of(text, scanner)
    assert [(row.text, row.deadline.date) for row in rows] == [
        ("第一次督查时间:5月中旬", date(2024, 5, 20)),
        ("第二次督查时间:6月下旬", date(2024, 6, 30)),
    ]


def test_a_task_lists_targets_are_rows_and_its_headings_over_them_are_not(scanner):
    text = (
        "示范县2024年政府工作报告重点工作责任分解\n"
        "一、县长牵头重点工作\n"
        "1.一般公共预算收入与经济增长基本同步。\n"
        "责任单位:县财政局\n"
        "2.地区生产总值增长6%左右,固定资产投资增长8%。\n"
        "责任单位:县发改委"
    )
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == [
        "一般公共预算收入与经济增长基本同步。",
        "地区生产总值增长6%左右,固定资产投资增长8%。",
    ]
    assert ["财政" in rows[0].units[0].name, "发展和改革" in rows[1].units[0].name] == [True, True]


def test_a_statement_before_the_clause_with_a_subject_is_left_out(scanner):
    text = "会议强调,应对极端天气关系着社会稳定和发展,相关部门和各乡镇要加强应急队伍建设。"
    assert [row.text for row in rows_of(text, scanner)] == ["相关部门和各乡镇要加强应急队伍建设。"]


def test_the_short_names_of_a_list_of_departments_are_their_bureaus(scanner):
    rows = rows_of("会议要求,县交通、民政等部门要做好冬季应急物资储备。", scanner)
    assert {unit.name for unit in rows[0].units} == {"交通运输局", "民政局"}


def test_more_works_a_meeting_lists_and_a_group_of_people_as_a_subject(scanner):
    text = (
        "会议指出,当前,秋冬防已经开始,要扎实开展秋冬防行动,加快推进城区天然气管网建设,"
        "积极与省内高等院校对接洽谈,严厉追究散煤燃烧责任。"
    )
    assert len(rows_of(text, scanner)) == 4
    text = "会议要求,明年计划实施的项目已经基本确定,要抓紧推进项目前期工作,各县级领导要对分管的项目加强督导。"
    rows = [row.text for row in rows_of(text, scanner)]
    assert rows == ["明年计划实施的项目已经基本确定,要抓紧推进项目前期工作,", "各县级领导要对分管的项目加强督导。"]


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("各镇(街道)、各相关部门负责人列席会议。", "名单"),
        ("做好“十四五”规划编制工作意义重大。", "叙述"),
    ],
)
def test_an_attendance_line_and_a_statement_of_importance_are_not_requirements(sentence, why):
    verdict = judge(sentence)
    assert not verdict.directive and verdict.excluded == why


def test_a_task_lists_notes_in_square_brackets_and_with_a_units_own_brackets_give_the_units(scanner):
    text = (
        "示范县2024年重点工作责任分解\n"
        "一、主要目标\n"
        "(一)地区生产总值增长7%。[牵头单位:县发展和改革委员会(县粮食局);责任单位:各乡镇人民政府]\n"
        "(二)地方一般公共预算收入增长5%。(牵头单位:县财政局;责任单位:县税务局)"
    )
    rows = rows_of(text, scanner)
    assert [row.text for row in rows] == ["地区生产总值增长7%。", "地方一般公共预算收入增长5%。"]
    assert "发展和改革" in rows[0].units[0].name and "财政" in rows[1].units[0].name


def test_a_note_on_its_own_line_gives_its_units_to_every_item_of_the_list_above_it(scanner):
    text = (
        "示范县应急体系建设责任分解\n"
        "1.完善应急预案体系\n"
        "(1)加强应急预案管理,规范应急预案编制和备案工作。\n"
        "(2)推进部门应急预案精编化,促进单位和基层应急预案编制全覆盖。\n"
        "(3)加强应急预案演练,完善演练管理制度。\n"
        "(责任单位:县应急管理局)"
    )
    rows = rows_of(text, scanner)
    assert len(rows) == 3  # 促进单位和基层……编制 is not a clause of its own
    assert all([unit.name for unit in row.units] == ["应急管理局"] for row in rows)


def test_inline_headings_of_attitude_are_not_rows_and_a_statement_of_duty_is_left_out(scanner):
    assert judge("认识要到位。").excluded == "态度要求"
    assert judge("二是措施要更硬。").excluded == "态度要求"
    text = "会议指出,抓好环保督察问题整改是一项十分重要的政治责任,各责任单位要督促企业抓实整改,要做好群众宣传解释工作。"
    assert [row.text for row in rows_of(text, scanner)] == ["各责任单位要督促企业抓实整改,", "要做好群众宣传解释工作。"]


def test_works_on_a_thing_a_focus_and_a_report_are_works_of_their_own(scanner):
    text = "会议要求,要对下达的耕地恢复任务进行登记造册,对恢复质量进行重点督办,确保恢复的耕地可耕种。"
    assert len(rows_of(text, scanner)) == 2
    text = "四是县政府督查室要加强督查,尤其是对落后乡镇重点督查,及时形成督查专报。"
    assert len(rows_of(text, scanner)) == 3


def test_a_units_people_as_the_subject_lead_the_works_after_them(scanner):
    text = "三是县自然资源局全体班子成员要带领股室吃住在镇村,加强技术指导,提速整改。"
    rows = rows_of(text, scanner)
    assert len(rows) == 2
    assert all([unit.name for unit in row.units] == ["自然资源局"] for row in rows)


def test_each_work_of_a_sentence_shows_its_own_reasons(scanner):
    text = "会议强调,各乡镇要加快推进环城公路征地拆迁,办理好项目用地审批手续,确保年底前开工。"
    rows = rows_of(text, scanner)
    assert len(rows) == 2
    assert "确保" not in rows[0].why and "加快" in rows[0].why  # the first work's words, not the second's
    assert rows[1].why[0] == "分项" and "确保" in rows[1].why and "加快" not in rows[1].why


def test_minutes_the_office_names_as_such_list_works_in_every_paragraph(scanner):
    text = "县政府常务会议纪要\n关于城区供水。要加快推进水厂扩建工程,办理好项目用地审批手续,加强建设资金调度。"
    document = read_text(text, name="纪要.txt")
    as_speech = propose(document, base=BASE, scanner=scanner).rows
    as_minutes = propose(document, base=BASE, scanner=scanner, minutes=True).rows
    assert len(as_speech) == 1 and len(as_minutes) == 3
    # The upload form's 文件类型 is what says so.
    office = User.objects.get(username="office")
    draft = services.decomposition_create(document=document, by=office, source_kind=Task.SourceKind.MINUTES)
    assert draft.rows.count() == 3


def test_a_signature_line_is_not_a_row_but_setting_up_a_group_is_a_task():
    assert judge("中共示范县委实施乡村振兴战略领导小组").excluded == "落款"
    assert judge("示范县人民政府办公室").excluded == "落款"
    assert judge("成立示范县防汛抗旱指挥部").excluded != "落款"
    assert judge("(一)成立工作领导小组").excluded != "落款"
