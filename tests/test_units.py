"""drafter.units: the 2025 two-tier administrative units, from vietnam-provinces."""

from __future__ import annotations

import pickle
import unicodedata
from collections import Counter
from importlib.metadata import version

import pytest

from drafter import units
from drafter.units import Commune, Province, UnknownUnitError

CITIES = {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}


def test_data_version_names_the_package_and_its_data_date():
    text = units.data_version()
    assert text.startswith(f"vietnam-provinces {version('vietnam-provinces')}")
    import vietnam_provinces

    if getattr(vietnam_provinces, "__data_version__", None):
        assert vietnam_provinces.__data_version__ in text


def test_34_provinces():
    ps = units.provinces()
    assert len(ps) == 34
    assert all(isinstance(p, Province) for p in ps)
    assert len({p.code for p in ps}) == 34
    assert all(len(p.code) == 2 and p.code.isdigit() for p in ps)
    assert [p.code for p in ps] == sorted(p.code for p in ps)
    assert {p.name for p in ps if p.kind == "thành phố"} == CITIES
    assert Counter(p.kind for p in ps) == {"tỉnh": 28, "thành phố": 6}


def test_province_names():
    by_name = {p.name: p for p in units.provinces()}
    assert by_name["Hà Tĩnh"] == Province("42", "Hà Tĩnh", "Tỉnh Hà Tĩnh", "tỉnh")
    assert by_name["Hồ Chí Minh"] == Province("79", "Hồ Chí Minh", "Thành phố Hồ Chí Minh", "thành phố")
    assert by_name["Hà Nội"].full_name == "Thành phố Hà Nội"
    for p in by_name.values():
        prefix = "Thành phố" if p.kind == "thành phố" else "Tỉnh"
        assert p.full_name == f"{prefix} {p.name}"


def test_commune_counts_match_the_2025_reorganisation():
    everything = units.all_communes()
    assert len(everything) == 3321
    assert Counter(c.kind for c in everything) == {"xã": 2621, "phường": 687, "đặc khu": 13}
    assert len({c.code for c in everything}) == 3321
    assert sum(len(units.communes(p.code)) for p in units.provinces()) == 3321
    # every province has communes, and every commune points back at its province
    for p in units.provinces():
        cs = units.communes(p)
        assert cs
        assert {(c.province_code, c.province_name) for c in cs} == {(p.code, p.name)}


def test_commune_names_are_clean():
    prefixes = {"xã": "Xã", "phường": "Phường", "đặc khu": "Đặc khu"}
    for c in units.all_communes():
        assert c.full_name == f"{prefixes[c.kind]} {c.name}"
        assert c.name == c.name.strip() and "  " not in c.full_name  # the package has doubled spaces
        assert unicodedata.is_normalized("NFC", c.full_name)
        assert len(c.code) == 5 and c.code.isdigit()


def test_communes_of_ha_tinh():
    cs = units.communes("Hà Tĩnh")
    assert [c.code for c in cs] == sorted(c.code for c in cs)
    cam_xuyen = [c for c in cs if c.name == "Cẩm Xuyên"]
    assert cam_xuyen == [
        Commune(cam_xuyen[0].code, "Cẩm Xuyên", "Xã Cẩm Xuyên", "xã", "42", "Hà Tĩnh")
    ]
    assert any(c.full_name == "Phường Thành Sen" and c.kind == "phường" for c in cs)


def test_special_zones():
    zones = {c.name: c for c in units.all_communes() if c.kind == "đặc khu"}
    assert len(zones) == 13
    assert zones["Phú Quốc"].full_name == "Đặc khu Phú Quốc"
    assert zones["Phú Quốc"].province_name == "An Giang"
    assert zones["Côn Đảo"].province_name == "Hồ Chí Minh"


@pytest.mark.parametrize(
    "query",
    ["Hà Tĩnh", "ha tinh", "HÀ TĨNH", "Tỉnh Hà Tĩnh", "tinh ha tinh", "  Hà   Tĩnh ", "42", 42,
     unicodedata.normalize("NFD", "Hà Tĩnh")],
)
def test_forgiving_province_lookup(query):
    assert units.find_province(query).code == "42"
    assert units.communes(query) == units.communes("42")


@pytest.mark.parametrize(
    "query",
    ["Hồ Chí Minh", "TP Hồ Chí Minh", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "ho chi minh",
     "TP.HCM", "TPHCM"],
)
def test_ho_chi_minh_city_lookup(query):
    assert units.find_province(query).name == "Hồ Chí Minh"


def test_old_and_new_tone_placement_both_match():
    assert units.find_province("Thanh Hoá").name == "Thanh Hóa"
    assert units.find_province("Khánh Hoà").name == "Khánh Hòa"


def test_every_province_finds_itself():
    for p in units.provinces():
        assert units.find_province(p.name) == p
        assert units.find_province(p.full_name) == p
        assert units.find_province(p.full_name.upper()) == p
        assert units.find_province(p) is p


def test_unknown_province_suggests_three_nearest():
    with pytest.raises(UnknownUnitError) as err:
        units.communes("Hà Tỉn")
    e = err.value
    assert e.query == "Hà Tỉn"
    assert len(e.suggestions) == 3
    assert e.suggestions[0] == "Hà Tĩnh"
    assert "Không tìm thấy" in str(e) and "Hà Tĩnh" in str(e)
    assert isinstance(e, LookupError)
    again = pickle.loads(pickle.dumps(e))
    assert (str(again), again.suggestions) == (str(e), e.suggestions)


def test_merged_province_is_unknown_with_suggestions():
    # Quảng Bình was merged into Quảng Trị in 2025.
    with pytest.raises(UnknownUnitError) as err:
        units.find_province("Quảng Bình")
    assert len(err.value.suggestions) == 3
    assert "Quảng Trị" in err.value.suggestions


def test_unknown_code():
    with pytest.raises(UnknownUnitError):
        units.find_province("99")


def test_unit_rows():
    rows = units.unit_rows("ha tinh")
    assert len(rows) == len(units.communes("Hà Tĩnh"))
    assert all(set(r) == {name for name, _, _ in units.UNIT_COLUMNS} for r in rows)
    row = next(r for r in rows if r["ten"] == "Cẩm Xuyên")
    assert row == {
        "ma": row["ma"],
        "ten": "Cẩm Xuyên",
        "ten_day_du": "xã Cẩm Xuyên",  # as written inside a sentence
        "ten_dau_cau": "Xã Cẩm Xuyên",
        "loai_don_vi": "xã",
        "tinh": "Hà Tĩnh",
        "tinh_day_du": "tỉnh Hà Tĩnh",
        "ten_in_hoa": "XÃ CẨM XUYÊN",
    }
    assert all(isinstance(v, str) for r in rows for v in r.values())


def test_returned_lists_are_copies():
    units.provinces().clear()
    units.communes("Hà Tĩnh").clear()
    units.all_communes().clear()
    assert len(units.provinces()) == 34
    assert len(units.all_communes()) == 3321
    assert units.communes("Hà Tĩnh")
