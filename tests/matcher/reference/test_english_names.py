"""English names for the catalogue and the leading industries (issue 16, point 5): every major, class and category
has one, no two majors share one, and the leading industries of the packaged configuration are all named."""

import csv
import io
import re
from importlib.resources import files

from matcher.reference import english_names, leading_industries
from matcher.reference.majors import catalogue_records

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_of_the_catalogue_has_one_english_name_and_no_two_majors_share_one() -> None:
    records = catalogue_records()
    names = english_names.major_names()
    codes = {r["code"] for r in records} | {r["class_code"] for r in records} | {r["category_code"] for r in records}
    assert len(records) == 883 and set(names) == codes
    assert all(name.strip() == name and name and not CJK.search(name) for name in names.values())
    majors = [names[r["code"]] for r in records]
    assert len(set(majors)) == len(majors)
    assert names["080901"] == "Computer Science and Technology" and names["0809"] == "Computer Science"
    assert names["100201K"] == "Clinical Medicine" and names["08"] == "Engineering"


def test_names_follow_the_language_asked_for() -> None:
    assert english_names.major_name("080901", "计算机科学与技术", "en") == "Computer Science and Technology"
    assert english_names.major_name("080901", "计算机科学与技术", "zh") == "计算机科学与技术"
    assert english_names.major_name("080901", "", "zh") == "计算机科学与技术"  # the catalogue's, when none is given
    assert english_names.major_name("999999", "某专业", "en") == "某专业"  # unknown code: the name given
    assert english_names.major_label("电子信息工程 (080701)", "en") == "Electronic Information Engineering (080701)"
    assert english_names.major_label("电子信息工程 (080701)", "zh") == "电子信息工程 (080701)"
    assert english_names.major_label("not a major", "en") == "not a major"


def test_every_leading_industry_of_the_packaged_configuration_has_an_english_name() -> None:
    config, _ = leading_industries.load_config(None)
    names = english_names.industry_names()
    assert set(config.industries) <= set(names)
    assert english_names.industry_name("北斗导航与卫星应用", "en") == "BeiDou Navigation and Satellite Applications"
    assert (
        english_names.industry_name("其他", "en") == "其他"
        and english_names.industry_name("电子信息", "zh") == "电子信息"
    )


def _csco_codes() -> set[str]:
    text = files("matcher").joinpath("data", "csco-2022.csv").read_text(encoding="utf-8")
    return {row["code"] for row in csv.DictReader(io.StringIO(text))}


def test_occupation_names_are_english_and_only_for_codes_of_the_classification() -> None:
    names = english_names.occupation_names()
    assert names and set(names) <= _csco_codes()
    assert all(name.strip() == name and name and not CJK.search(name) for name in names.values())
    assert names["2-02-10-03"] == "Software Engineering Technicians" and names["2-05-01-02"] == "Surgeons"


def test_every_occupation_of_the_classification_has_an_english_name() -> None:
    assert set(english_names.occupation_names()) == _csco_codes()  # 2,047 distinct codes


def test_occupation_names_follow_the_language_asked_for() -> None:
    assert english_names.occupation_name("2-02-10-03", "计算机软件工程技术人员S", "en") == (
        "Software Engineering Technicians"
    )
    assert english_names.occupation_name("2-02-10-03", "计算机软件工程技术人员S", "zh") == "计算机软件工程技术人员S"
    assert english_names.occupation_name("9-99-99-99", "某职业", "en") == "某职业"  # unknown code: the name given
    assert english_names.occupation_name(None, "某职业", "en") == "某职业"


def test_a_major_is_shown_in_the_pages_language_by_its_code() -> None:
    assert english_names.major_shown("计算机科学与技术", "080901", "en") == "Computer Science and Technology"
    assert english_names.major_shown("Computer Science", "080901", "zh") == "计算机科学与技术"
    assert english_names.major_shown("Computer Science", "080901", "en") == "Computer Science"  # their own words
    assert english_names.major_shown("量子信息", None, "en") == "量子信息"  # no code: as written
    assert english_names.major_label("International Law (030109TK)", "zh") == "国际法 (030109TK)"  # a matched major
    assert english_names.written_in("Data 科学", "zh") and not english_names.written_in("Data 科学", "en")
