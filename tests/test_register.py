"""The outgoing register (drafter/issue/register.py): no lost and no repeated number,
cancelled numbers kept and never given again, series and years apart, filters,
hostile files refused in Vietnamese, migrations from the committed version-1
register, verified backups; the huy-so and sao-luu-so commands."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing as mp
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli.main import main
from drafter.errors import DrafterError
from drafter.issue import migrations
from drafter.issue.model import RegisterFields
from drafter.issue.register import Register, RegisterError, default_path

HERE = Path(__file__).resolve().parent
V1 = HERE / "registers" / "so-dang-ky-v1.sqlite3"


@pytest.fixture(autouse=True)
def _own_register(tmp_path, monkeypatch):
    # Never the user's own register.
    monkeypatch.setenv("DRAFTER_SO_DANG_KY", str(tmp_path / "default-register.sqlite3"))


def fields(**kw) -> RegisterFields:
    base = {"ky_hieu": "UBND-KT", "ngay": dt.date(2026, 3, 5), "ten_loai": "Công văn",
            "trich_yeu": "V/v báo cáo", "nguoi_ky": "Nguyễn Văn A"}
    base.update(kw)
    return RegisterFields(**base)


# ----------------------------------------------------------------- concurrency


def _issue_many(args) -> list[int]:
    path, n, start = args
    start.wait()  # every process starts issuing at the same moment
    got = []
    with Register.open(path) as reg:
        for _ in range(n):
            got.append(reg.issue(series="chung", year=2026, fields=fields()).so)
    return got


def test_eight_processes_at_once_no_gap_no_repeat(tmp_path):
    path = tmp_path / "so.sqlite3"
    Register.open(path).close()  # made (and migrated) once, as an office's first run does
    ctx = mp.get_context("spawn" if "fork" not in mp.get_all_start_methods() else "fork")
    per, procs = 25, 8
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(procs) as pool:
            pending = pool.map_async(_issue_many, [(path, per, start)] * procs)
            start.set()
            results = pending.get(timeout=120)
    numbers = sorted(n for r in results for n in r)
    assert numbers == list(range(1, per * procs + 1))  # no gap, no repeat
    assert all(r == sorted(r) for r in results)  # each process saw its numbers rise
    with Register.open(path) as reg:
        rows = reg.entries(year=2026)
        assert [e.so for e in rows] == numbers
        assert reg.last_number(series="chung", year=2026) == per * procs
        assert reg._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert reg._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# ----------------------------------------------------------------- numbers, series, years


def test_numbers_start_at_one_per_series_and_year(tmp_path):
    with Register.open(tmp_path / "so.sqlite3") as reg:
        a = reg.issue(series="chung", year=2026, fields=fields())
        b = reg.issue(series="chung", year=2026, fields=fields())
        c = reg.issue(series="chung", year=2027, fields=fields(ngay=dt.date(2027, 1, 1)))
        d = reg.issue(series="mat", year=2026, fields=fields())
        e = reg.issue(series="loai:quyet-dinh", year=2026, fields=fields(ky_hieu="QĐ-UBND"))
        assert [x.so for x in (a, b, c, d, e)] == [1, 2, 1, 1, 1]
        assert a.so_ky_hieu == "01/UBND-KT" and b.so_hien_thi == "02"
        assert reg.series_list() == [("chung", 2026, 2), ("loai:quyet-dinh", 2026, 1), ("mat", 2026, 1),
                                     ("chung", 2027, 1)]


def test_a_cancelled_number_is_kept_with_who_and_why_and_never_given_again(tmp_path):
    with Register.open(tmp_path / "so.sqlite3") as reg:
        for _ in range(3):
            reg.issue(series="chung", year=2026, fields=fields())
        gone = reg.cancel(series="chung", year=2026, so=3, who="Trần Thị B", why="Cấp nhầm")
        assert (gone.status, gone.huy_boi, gone.huy_ly_do, gone.cancelled) == ("da-huy", "Trần Thị B", "Cấp nhầm", True)
        assert gone.huy_luc  # when
        nxt = reg.issue(series="chung", year=2026, fields=fields())
        assert nxt.so == 4  # the last number cancelled, still never given again
        assert [(e.so, e.status) for e in reg.entries()] == [(1, "da-cap"), (2, "da-cap"), (3, "da-huy"), (4, "da-cap")]
        with pytest.raises(RegisterError, match="đã hủy trước đó"):
            reg.cancel(series="chung", year=2026, so=3, who="X", why="Y")
        with pytest.raises(RegisterError, match="không có số 09"):
            reg.cancel(series="chung", year=2026, so=9, who="X", why="Y")
        with pytest.raises(RegisterError, match="người hủy"):
            reg.cancel(series="chung", year=2026, so=2, who=" ", why="Y")
        with pytest.raises(RegisterError, match="lý do"):
            reg.cancel(series="chung", year=2026, so=2, who="X", why="")
        events = reg._conn.execute("SELECT action, so, who, detail FROM events ORDER BY id").fetchall()
        assert events[-2] == ("huy", 3, "Trần Thị B", "Cấp nhầm")


def test_a_failed_write_gives_the_number_back(tmp_path):
    with Register.open(tmp_path / "so.sqlite3") as reg:
        reg.issue(series="chung", year=2026, fields=fields())

        def fails(entry):
            assert entry.so == 2
            raise DrafterError([])

        with pytest.raises(DrafterError):
            reg.issue(series="chung", year=2026, fields=fields(), before_commit=fails)
        assert reg.issue(series="chung", year=2026, fields=fields()).so == 2
        assert len(reg.entries()) == 2


def test_every_column_of_phu_luc_iv_is_kept(tmp_path):
    f = fields(noi_nhan=["Như trên", "Sở Tài chính"], ban_luu=["VT", "KT"], so_luong_ban=12,
               ngay_chuyen=dt.date(2026, 3, 6), ky_nhan="Lê C", ghi_chu="Gửi kèm bản điện tử", loai="cong-van")
    with Register.open(tmp_path / "so.sqlite3") as reg:
        e = reg.issue(series="chung", year=2026, fields=f, file="/x/cv.docx")
    with Register.open(tmp_path / "so.sqlite3") as reg:
        (got,) = reg.entries()
    assert got == e
    assert (got.noi_nhan, got.ban_luu, got.so_luong_ban, got.ngay_chuyen, got.ky_nhan, got.ghi_chu, got.file) == (
        ["Như trên", "Sở Tài chính"], ["VT", "KT"], 12, dt.date(2026, 3, 6), "Lê C", "Gửi kèm bản điện tử", "/x/cv.docx")
    assert dt.datetime.fromisoformat(got.issued_at).tzinfo is not None
    j = got.to_json()
    assert j["ngay"] == "2026-03-05" and j["so_ky_hieu"] == "01/UBND-KT" and json.dumps(j, ensure_ascii=False)


def test_entries_filters(tmp_path):
    with Register.open(tmp_path / "so.sqlite3") as reg:
        reg.issue(series="chung", year=2026, fields=fields(loai="cong-van", nguoi_ky="Nguyễn Văn An",
                                                           trich_yeu="V/v tăng cường khuyến công"))
        reg.issue(series="chung", year=2026, fields=fields(loai="quyet-dinh", nguoi_ky="Trần Thị Bình",
                                                           trich_yeu="Về việc giao chỉ tiêu", noi_nhan=["Sở Công Thương"]))
        reg.issue(series="chung", year=2025, fields=fields(loai="cong-van", nguoi_ky="Nguyễn Văn An"))
        assert [e.so for e in reg.entries(year=2026)] == [1, 2]
        assert [e.year for e in reg.entries(loai="cong-van")] == [2025, 2026]
        assert [e.so for e in reg.entries(nguoi_ky="TRẦN THỊ")] == [2]  # Vietnamese letters, any case
        assert [e.so for e in reg.entries(text="KHUYẾN CÔNG")] == [1]
        assert [e.so for e in reg.entries(text="công thương")] == [2]  # nơi nhận too
        assert reg.entries(series="mat") == []


# ----------------------------------------------------------------- hostile files


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    bad = tmp_path / "so.sqlite3"
    bad.write_text("đây là một tệp chữ", encoding="utf-8")
    with pytest.raises(RegisterError) as e:
        Register.open(bad)
    (p,) = e.value.problems
    assert "không phải sổ đăng ký" in p.message and p.position.file and p.key == "so_dang_ky"
    assert bad.read_text(encoding="utf-8") == "đây là một tệp chữ"  # untouched


def test_an_other_sqlite_database_is_refused(tmp_path):
    other = tmp_path / "khac.sqlite3"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE khach_hang (ten TEXT)")
    c.commit()
    c.close()
    with pytest.raises(RegisterError, match="khach_hang"):
        Register.open(other)


def test_a_register_of_a_newer_drafter_is_refused(tmp_path):
    path = tmp_path / "so.sqlite3"
    Register.open(path).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    c.commit()
    c.close()
    with pytest.raises(RegisterError, match="phiên bản drafter mới hơn"):
        Register.open(path)


def test_a_locked_register_waits_then_says_so(tmp_path, monkeypatch):
    path = tmp_path / "so.sqlite3"
    Register.open(path).close()
    monkeypatch.setenv("DRAFTER_REGISTER_TIMEOUT", "1")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of issuing
    try:
        with Register.open(path) as reg, pytest.raises(RegisterError) as e:
            reg.issue(series="chung", year=2026, fields=fields())
        msg = e.value.problems[0].message + (e.value.problems[0].hint or "")
        assert "giữ khóa ghi" in msg and "DRAFTER_REGISTER_TIMEOUT" in msg and "chưa cấp số" in msg
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Register.open(path) as reg:
        assert reg.issue(series="chung", year=2026, fields=fields()).so == 1  # nothing was lost


def test_a_bad_timeout_value_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_REGISTER_TIMEOUT", "không")
    with pytest.raises(RegisterError, match="DRAFTER_REGISTER_TIMEOUT"):
        Register.open(tmp_path / "so.sqlite3")


def test_the_default_register_and_a_folder(tmp_path, monkeypatch):
    assert default_path() == tmp_path / "default-register.sqlite3"
    monkeypatch.setenv("DRAFTER_SO_DANG_KY", str(tmp_path))
    assert default_path() == tmp_path / "so-dang-ky.sqlite3"
    monkeypatch.delenv("DRAFTER_SO_DANG_KY")
    import platformdirs

    assert default_path() == Path(platformdirs.user_data_dir("drafter", appauthor=False)) / "so-dang-ky.sqlite3"
    folder = tmp_path / "van-thu"
    folder.mkdir()
    with Register.open(folder) as reg:
        assert reg.path == folder / "so-dang-ky.sqlite3"


# ----------------------------------------------------------------- migrations


def test_the_version_1_register_opens_in_this_version(tmp_path):
    """tests/registers/so-dang-ky-v1.sqlite3 was made by version 1's schema
    (tests/registers/make_v1.py): this drafter migrates it, every row kept, and goes
    on numbering after its last number."""
    path = tmp_path / "cu.sqlite3"
    shutil.copy(V1, path)
    before = sqlite3.connect(path).execute("SELECT * FROM entries ORDER BY series, so").fetchall()
    with Register.open(path) as reg:
        assert reg.schema_version == migrations.LATEST
        rows = reg.entries(year=2025)
        assert [(e.series, e.so, e.status) for e in rows] == [
            ("chung", 1, "da-cap"), ("chung", 2, "da-huy"), ("chung", 3, "da-cap"), ("mat", 1, "da-cap")]
        assert rows[1].huy_boi == "Lê Văn C" and rows[1].huy_luc == ""
        assert rows[0].noi_nhan == ["Các sở, ngành", "UBND các xã"] and rows[0].so_luong_ban == 20
        assert reg.issue(series="chung", year=2025, fields=fields()).so == 4
        assert reg.issue(series="mat", year=2025, fields=fields()).so == 2
        logged = reg._conn.execute("SELECT COUNT(*) FROM events WHERE detail = 'trước phiên bản 2'").fetchone()[0]
        assert logged == 4
    after = sqlite3.connect(path).execute(
        "SELECT series, year, so, ky_hieu, ngay, ten_loai, trich_yeu, nguoi_ky, noi_nhan, ban_luu, so_luong_ban, "
        "ngay_chuyen, ky_nhan, ghi_chu, loai, status, huy_boi, huy_ly_do, file, issued_at FROM entries "
        "WHERE issued_at < '2026' ORDER BY series, so").fetchall()
    assert after == before


def test_each_step_runs_once_from_every_version(tmp_path):
    for start in range(migrations.LATEST + 1):
        path = tmp_path / f"v{start}.sqlite3"
        c = sqlite3.connect(path, isolation_level=None)
        migrations.migrate(c, to=start)
        assert migrations.version(c) == start
        assert migrations.migrate(c) == list(range(start + 1, migrations.LATEST + 1))
        assert migrations.migrate(c) == []  # a second opening applies nothing
        c.close()


# Released steps are never edited (a change is a new step at the end): their SQL's
# digest, recorded when each was released.
RELEASED = {1: "e3da491f04190eca", 2: "2f40f92d68480a90"}


def test_released_steps_are_never_edited():
    got = {s.version: hashlib.sha256("\n".join(" ".join(x.split()) for x in s.sql).encode()).hexdigest()[:16]
           for s in migrations.STEPS}
    assert {v: got[v] for v in RELEASED} == RELEASED, "a released migration step was edited: add a new step instead"


# ----------------------------------------------------------------- backup


def test_backup_is_a_verified_register_and_never_overwrites(tmp_path):
    path = tmp_path / "so.sqlite3"
    with Register.open(path) as reg:
        for _ in range(5):
            reg.issue(series="chung", year=2026, fields=fields())
        reg.cancel(series="chung", year=2026, so=2, who="B", why="nhầm")
        out = reg.backup(tmp_path / "bk" / "ban-sao.sqlite3")
        assert out == tmp_path / "bk" / "ban-sao.sqlite3"
        with pytest.raises(RegisterError, match="không ghi đè"):
            reg.backup(out)
        dated = reg.backup(tmp_path / "bk")
        assert dated.parent == tmp_path / "bk" and dated.name.startswith("so-dang-ky-")
        want = reg.entries()
    with Register.open(out) as copy:
        assert copy.entries() == want
        assert copy.issue(series="chung", year=2026, fields=fields()).so == 6
    assert not list((tmp_path / "bk").glob(".*.tmp"))


# ----------------------------------------------------------------- commands


def test_huy_so_and_sao_luu_so_commands(tmp_path):
    path = tmp_path / "so.sqlite3"
    with Register.open(path) as reg:
        reg.issue(series="chung", year=2026, fields=fields())
    r = CliRunner().invoke(main, ["huy-so", "1", "--nam", "2026", "--nguoi-huy", "Trần Thị B",
                                  "--ly-do", "Không phát hành", "--so-dang-ky", str(path)])
    assert r.exit_code == 0, r.output
    assert "Đã hủy số 01/UBND-KT năm 2026" in r.output and "Hủy bởi: Trần Thị B; lý do: Không phát hành" in r.output
    again = CliRunner().invoke(main, ["huy-so", "1", "--nam", "2026", "--nguoi-huy", "X", "--ly-do", "Y",
                                      "--so-dang-ky", str(path), "--json"])
    assert again.exit_code == 1
    out = json.loads(again.output)
    assert out["ok"] is False and "đã hủy trước đó" in out["problems"][0]["message"]
    missing = CliRunner().invoke(main, ["huy-so", "1", "--nguoi-huy", "X", "--ly-do", "Y",
                                        "--so-dang-ky", str(tmp_path / "khong-co.sqlite3")])
    assert missing.exit_code == 1 and "Chưa có sổ đăng ký" in missing.output and "Chưa hủy số nào." in missing.output
    assert not (tmp_path / "khong-co.sqlite3").exists()
    bk = CliRunner().invoke(main, ["sao-luu-so", str(tmp_path / "bk.sqlite3"), "--so-dang-ky", str(path), "--json"])
    assert bk.exit_code == 0, bk.output
    assert json.loads(bk.output)["entries"] == 1
    with Register.open(tmp_path / "bk.sqlite3") as copy:
        assert copy.entries()[0].cancelled
    twice = CliRunner().invoke(main, ["sao-luu-so", str(tmp_path / "bk.sqlite3"), "--so-dang-ky", str(path)])
    assert twice.exit_code == 1 and "không ghi đè" in twice.output and "Chưa sao lưu được" in twice.output
    assert "Traceback" not in twice.output and "Lỗi nội bộ" not in twice.output


def test_a_number_is_never_dated_before_one_already_given(tmp_path):
    """Numbers follow the order of issuing: number 2 dated before number 1 is refused
    (nothing taken); a cancelled number's date does not count; other series are apart."""
    with Register.open(tmp_path / "so.sqlite3") as reg:
        reg.issue(series="chung", year=2026, fields=fields(ngay=dt.date(2026, 3, 10)))
        with pytest.raises(RegisterError) as exc:
            reg.issue(series="chung", year=2026, fields=fields(ngay=dt.date(2026, 3, 5)))
        message = str(exc.value)
        assert "05/03/2026 sớm hơn ngày 10/03/2026 của số 01" in message and "Chưa cấp số nào" in message
        assert "drafter huy-so 1 --nam 2026" in exc.value.problems[0].hint
        assert reg.last_number(series="chung", year=2026) == 1 and len(reg.entries()) == 1
        assert reg.issue(series="chung", year=2026, fields=fields(ngay=dt.date(2026, 3, 10))).so == 2  # same day
        assert reg.issue(series="chung", year=2026, fields=fields(ngay=None)).so == 3  # no date: nothing to order
        assert reg.issue(series="mat", year=2026, fields=fields(ngay=dt.date(2026, 1, 2))).so == 1  # its own series
        reg.cancel(series="chung", year=2026, so=1, who="Văn thư", why="Nhầm ngày")
        reg.cancel(series="chung", year=2026, so=2, who="Văn thư", why="Nhầm ngày")
        assert reg.issue(series="chung", year=2026, fields=fields(ngay=dt.date(2026, 3, 5))).so == 4
