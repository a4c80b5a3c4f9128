"""Make so-dang-ky-v1.sqlite3: a register as drafter's schema version 1 wrote it.

Run once (``python tests/registers/make_v1.py``) and commit the file it writes;
tests/test_register.py opens it with the current drafter, which must migrate it and
keep every row. The SQL is version 1's, copied here on purpose: this file must keep
making what version 1 made, whatever drafter/issue/migrations.py becomes.
"""

import sqlite3
from pathlib import Path

OUT = Path(__file__).with_name("so-dang-ky-v1.sqlite3")

V1 = [
    """CREATE TABLE counters (
        series TEXT NOT NULL,
        year INTEGER NOT NULL,
        last INTEGER NOT NULL CHECK (last >= 0),
        PRIMARY KEY (series, year)
    )""",
    """CREATE TABLE entries (
        series TEXT NOT NULL,
        year INTEGER NOT NULL,
        so INTEGER NOT NULL CHECK (so >= 1),
        ky_hieu TEXT NOT NULL DEFAULT '',
        ngay TEXT,
        ten_loai TEXT NOT NULL DEFAULT '',
        trich_yeu TEXT NOT NULL DEFAULT '',
        nguoi_ky TEXT NOT NULL DEFAULT '',
        noi_nhan TEXT NOT NULL DEFAULT '[]',
        ban_luu TEXT NOT NULL DEFAULT '[]',
        so_luong_ban INTEGER,
        ngay_chuyen TEXT,
        ky_nhan TEXT NOT NULL DEFAULT '',
        ghi_chu TEXT NOT NULL DEFAULT '',
        loai TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'da-cap' CHECK (status IN ('da-cap', 'da-huy')),
        huy_boi TEXT NOT NULL DEFAULT '',
        huy_ly_do TEXT NOT NULL DEFAULT '',
        file TEXT,
        issued_at TEXT NOT NULL,
        PRIMARY KEY (series, year, so)
    )""",
]

ROWS = [
    ("chung", 2025, 1, "QĐ-UBND", "2025-01-06", "Quyết định", "Về việc giao chỉ tiêu năm 2025", "Nguyễn Văn A",
     '["Các sở, ngành", "UBND các xã"]', '["VT", "KT"]', 20, None, "", "", "quyet-dinh", "da-cap", "", "", None,
     "2025-01-06T08:00:00+07:00"),
    ("chung", 2025, 2, "UBND-KT", "2025-01-07", "Công văn", "V/v báo cáo tình hình", "Trần Thị B",
     '["Sở Tài chính"]', '["VT", "KT"]', None, None, "", "", "cong-van", "da-huy", "Lê Văn C", "Cấp nhầm", None,
     "2025-01-07T09:30:00+07:00"),
    ("chung", 2025, 3, "TB-UBND", "2025-01-08", "Thông báo", "Kết luận của Chủ tịch", "Nguyễn Văn A",
     '["Như trên"]', '["VT"]', 5, None, "", "Gửi kèm bản điện tử", "thong-bao", "da-cap", "", "", None,
     "2025-01-08T10:00:00+07:00"),
    ("mat", 2025, 1, "UBND-NC", "2025-02-01", "Công văn", "V/v bảo vệ bí mật nhà nước", "Nguyễn Văn A",
     '["Công an tỉnh"]', '["VT"]', 2, None, "", "", "cong-van", "da-cap", "", "", None,
     "2025-02-01T14:00:00+07:00"),
]


def main() -> None:
    OUT.unlink(missing_ok=True)
    conn = sqlite3.connect(OUT)
    with conn:
        for sql in V1:
            conn.execute(sql)
        conn.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * 20)})", ROWS)
        conn.executemany("INSERT INTO counters VALUES (?, ?, ?)", [("chung", 2025, 3), ("mat", 2025, 1)])
        conn.execute("PRAGMA user_version = 1")
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    main()
