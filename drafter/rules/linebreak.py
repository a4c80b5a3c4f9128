"""Where drafter breaks a centred line itself: the agency's name, titles, the V/v line.

Word and LibreOffice fill a line as far as it goes and leave the rest to the next:
"ỦY BAN NHÂN DÂN THÀNH / PHỐ HÀ NỘI", "…đến năm / 2020". The format wants the name of
an agency broken between whole units (never inside "THÀNH PHỐ", "NHÂN DÂN", a place
name) and a title broken into balanced lines, never one word alone on the last. So
drafter measures the text (:mod:`drafter.rules.textwidth`), chooses the breaks, and
writes the lines explicitly (docs/the-thuc.md#xuong-dong).

Both are :func:`balance`: the fewest lines that fit, then the fewest weak breaks, then
the narrowest widest line — lines of about equal length.

>>> agency_units("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH")
['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HỒ CHÍ MINH']
>>> agency_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", 3500)
('ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HÀ NỘI')
>>> agency_lines("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN TỈNH BÀ RỊA - VŨNG TÀU", 3500)
('SỞ NÔNG NGHIỆP VÀ', 'PHÁT TRIỂN NÔNG THÔN', 'TỈNH BÀ RỊA - VŨNG TÀU')
>>> agency_lines("ỦY BAN NHÂN DÂN", 3500)
('ỦY BAN NHÂN DÂN',)
>>> title_lines("Về việc phê duyệt Kế hoạch phát triển ngành nông nghiệp tỉnh giai đoạn 2016 - 2020 và tầm nhìn đến năm 2020", 14, 9000)
('Về việc phê duyệt Kế hoạch phát triển ngành nông nghiệp', 'tỉnh giai đoạn 2016 - 2020 và tầm nhìn đến năm 2020')
>>> title_lines("Về công tác phòng, chống thiên tai", 14, 9000)
('Về công tác phòng, chống thiên tai',)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from . import textwidth

__all__ = ["balance", "agency_units", "agency_lines", "title_lines", "LEVELS", "COMPOUNDS"]

# Administrative levels: the place name after one stays with it ("TỈNH BÀ RỊA - VŨNG TÀU"),
# and a break before one is the natural break of an agency's name.
LEVELS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "ĐẶC KHU", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG")
# Words of several syllables that a line never splits (most-used in agencies' names).
COMPOUNDS = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "ỦY BAN", "HỘI ĐỒNG", "NHÂN DÂN", "MẶT TRẬN TỔ QUỐC",
    "VĂN PHÒNG", "THANH TRA", "BAN QUẢN LÝ", "BAN CHỈ ĐẠO", "TRUNG TÂM", "CÔNG AN", "QUÂN SỰ",
    "NÔNG NGHIỆP", "PHÁT TRIỂN", "NÔNG THÔN", "MÔI TRƯỜNG", "TÀI NGUYÊN", "TÀI CHÍNH", "KẾ HOẠCH",
    "ĐẦU TƯ", "CÔNG THƯƠNG", "XÂY DỰNG", "GIAO THÔNG", "VẬN TẢI", "GIÁO DỤC", "ĐÀO TẠO", "Y TẾ",
    "TƯ PHÁP", "NỘI VỤ", "NGOẠI VỤ", "KHOA HỌC", "CÔNG NGHỆ", "THÔNG TIN", "TRUYỀN THÔNG", "VĂN HÓA",
    "THỂ THAO", "DU LỊCH", "LAO ĐỘNG", "THƯƠNG BINH", "XÃ HỘI", "DÂN TỘC", "TÔN GIÁO", "KINH TẾ",
    "HẠ TẦNG", "ĐÔ THỊ", "KHU CÔNG NGHIỆP", "KHU KINH TẾ", "CHỦ TỊCH", "GIÁM ĐỐC", "CÔNG NGHIỆP",
    "THƯƠNG MẠI", "DỊCH VỤ", "BẢO HIỂM", "NGÂN HÀNG", "HÀNH CHÍNH", "QUẢN LÝ",
    "QUỐC GIA", "CHƯƠNG TRÌNH", "MỤC TIÊU", "NHÀ NƯỚC", "CHÍNH QUYỀN", "ĐỊA PHƯƠNG", "ĐỊA BÀN",
    "CHUYỂN ĐỔI SỐ", "CƠ QUAN", "ĐƠN VỊ", "TỔ CHỨC", "THỰC HIỆN", "TRIỂN KHAI", "CÔNG TÁC",
)
_WEAK_AFTER = ("VÀ",)  # "SỞ NÔNG NGHIỆP VÀ / PHÁT TRIỂN NÔNG THÔN": a usual, lesser break
SAFETY = 0.97  # a line is measured, not laid out: keep a little room for the layout's own rounding


def balance(units: Sequence[str], width: Callable[[str], int], room: int,
            penalty: Callable[[int], int] | None = None) -> tuple[str, ...]:
    """Lines of ``units`` (joined by spaces): the fewest lines each within ``room``,
    then the least ``penalty`` summed over the breaks (``penalty(i)``: a break before
    unit ``i``; none by default), then the narrowest widest line. A last line of one
    unit is avoided whenever another choice fits. A unit wider than ``room`` takes a
    line of its own.

    >>> balance("a bb ccc dddd".split(), len, 8)
    ('a bb', 'ccc dddd')
    >>> balance("one two three four five".split(), len, 18)
    ('one two three', 'four five')
    >>> balance("one two three four five".split(), len, 18, lambda i: 5 if i == 3 else 0)
    ('one two', 'three four five')
    >>> balance([], len, 8)
    ()
    """
    if not units:
        return ()
    cut = None
    if penalty is not None:
        cut = [0] * (len(units) + 1)
        for j in range(1, len(units)):
            cut[j] = penalty(j)
    return _breaks(units, [width(u) for u in units], width(" "), room, cut)


def _edges(widths: list[int], space: int) -> list[int]:
    """Widths added up: each unit once, a space between (no substring measured again);
    ``edge[k]`` is the width of ``units[:k]``, each followed by a space."""
    edge = [0]
    total = 0
    for w in widths:
        total += w + space
        edge.append(total)
    return edge


def _lines(units: Sequence[str], nxt: list[int]) -> tuple[str, ...]:
    """The lines the chosen breaks make (``nxt[i]``: the break after unit i's line)."""
    out, i = [], 0
    while i < len(units):
        out.append(" ".join(units[i:nxt[i]]))
        i = nxt[i]
    return tuple(out)


def _breaks(units: Sequence[str], widths: list[int], space: int, room: int, cut: list[int] | None) -> tuple[str, ...]:
    """:func:`balance` of units measured (``cut[j]``: the penalty of a break before unit j)."""
    n = len(units)
    edge = _edges(widths, space)
    total = edge[-1]
    if total - space <= room:
        return (" ".join(units),)
    # From unit i to the end, the best (lines, lone, penalty, widest) compared in that
    # order, as tuples are (the first of equals kept); nxt[i] the next break. The fewest
    # lines from j never grow with j (a line that fits still fits without its first
    # unit), so they are fewest for the breaks from the last that fits back while they
    # stay as few: only those are weighed on the rest.
    lines = [0] * (n + 1)
    lones = [0] * (n + 1)
    pens = [0] * (n + 1)
    widest = [0] * (n + 1)
    nxt = [0] * n
    if cut is None:
        cut = [0] * (n + 1)  # no penalty for any break (and none at the end)
    last = n  # the last break that fits after unit i: never later for an earlier i
    for i in range(n - 1, -1, -1):
        start = edge[i] + space
        while last > i + 1 and edge[last] - start > room:
            last -= 1  # a unit wider than the room still takes a line of its own
        fewest = lines[last]
        low = last
        while low > i + 1 and lines[low - 1] == fewest:
            low -= 1
        c_lone = c_pen = c_wide = chosen = 0
        first = True
        for j in range(low, last + 1):
            w = edge[j] - start
            n_lone = lones[j] + 1 if j == n and j - i == 1 and i > 0 else lones[j]
            n_pen = pens[j] + cut[j]
            n_wide = widest[j] if widest[j] > w else w
            if first or n_lone < c_lone or (n_lone == c_lone and (
                    n_pen < c_pen or (n_pen == c_pen and n_wide < c_wide))):
                c_lone, c_pen, c_wide, chosen = n_lone, n_pen, n_wide, j
                first = False
        lines[i], lones[i], pens[i], widest[i] = fewest + 1, c_lone, c_pen, c_wide
        nxt[i] = chosen
    return _lines(units, nxt)


def _plain_breaks(units: Sequence[str], widths: list[int], space: int, room: int) -> tuple[str, ...]:
    """``_breaks(units, widths, space, room, None)`` (no penalties: a title) with less
    work: the same choices, each compared as one number. With no penalty a choice is
    (lines, lone, widest); the lines are the fewest, so a candidate is weighed by
    ``lone * BIG + widest`` (widths are never negative, so that orders as the pair
    does, the first of equals kept). From a unit whose rest fits on one line the rest
    is that line (the only candidate); the lone last unit is only ever counted there.

    >>> _plain_breaks("a bb ccc dddd".split(), [1, 2, 3, 4], 1, 8)
    ('a bb', 'ccc dddd')
    """
    return _lines(units, _plain_next(widths, space, room))


def _plain_next(widths: Sequence[int], space: int, room: int) -> tuple[int, ...]:
    """The breaks :func:`_plain_breaks` chooses, as ``nxt`` (``nxt[i]``: the break
    after the line that starts at unit i): a function of the widths alone."""
    n = len(widths)
    edge = _edges(widths, space)
    total = edge[-1]
    if total - space <= room:
        return (n,) * n  # one line
    big = total + 1  # above any line's width
    lines = [0] * (n + 1)
    score = [0] * (n + 1)  # lone * big + widest of the best from unit i
    lone = [0] * (n + 1)
    widest = [0] * (n + 1)
    nxt = [0] * n
    # first[c]: the lowest unit (of those done) from which the rest takes c lines. The
    # fewest lines never grow with the unit, so the units from which the rest takes as
    # few lines as from ``last`` run from first[fewest] to ``last``.
    first = [n] * (n + 2)
    last = n
    end = edge[n]
    for i in range(n - 1, -1, -1):
        start = edge[i] + space
        while last > i + 1 and edge[last] - start > room:
            last -= 1
        if last == n:  # the rest on one line
            lines[i] = 1
            first[1] = i
            w = end - start
            lone[i] = 1 if (n - i == 1 and i > 0) else 0
            widest[i] = w
            score[i] = lone[i] * big + w
            nxt[i] = n
            continue
        fewest = lines[last]
        low = first[fewest]
        if low <= i:
            low = i + 1
        best = chosen = -1
        for j in range(low, last + 1):
            w = edge[j] - start
            wj = widest[j]
            k = score[j] + w - wj if w > wj else score[j]
            if best < 0 or k < best:
                best, chosen = k, j
        lines[i] = fewest + 1
        first[fewest + 1] = i
        lone[i] = lone[chosen]
        widest[i] = best - lone[chosen] * big
        score[i] = best
        nxt[i] = chosen
    return tuple(nxt)


@lru_cache(maxsize=8)
def _by_first(phrases: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """The phrases by their first word, the longest first."""
    out: dict[str, list[list[str]]] = {}
    for ph in sorted((p.split() for p in phrases), key=len, reverse=True):
        out.setdefault(ph[0], []).append(ph)
    return out


def _glue(words: list[str], phrases: Sequence[str]) -> list[str]:
    """Join consecutive words that form one of ``phrases`` (the longest first; letter case
    aside: "kinh tế" is "KINH TẾ").

    >>> _glue("phát triển kinh tế nông thôn".split(), COMPOUNDS)
    ['phát triển', 'kinh tế', 'nông thôn']
    """
    by_first = _COMPOUNDS_BY_FIRST if phrases is COMPOUNDS else _by_first(tuple(phrases))
    upper = [w.upper() for w in words]
    # Only a word that starts a phrase can begin a glued unit: the words between are
    # taken as they are, in slices.
    starts = [i for i, u in enumerate(upper) if u in by_first]
    out: list[str] = []
    i = 0
    for s in starts:
        if s < i:  # inside a phrase already glued
            continue
        out += words[i:s]
        for ph in by_first[upper[s]]:
            if upper[s:s + len(ph)] == ph:
                out.append(" ".join(words[s:s + len(ph)]))
                i = s + len(ph)
                break
        else:
            out.append(words[s])
            i = s + 1
    out += words[i:]
    return out


_COMPOUNDS_BY_FIRST = _by_first(COMPOUNDS)


def agency_units(name: str) -> list[str]:
    """The unbreakable pieces of an agency's name in capitals: its compounds, and each
    administrative level with the place name after it; a hyphen joins its neighbours.

    >>> agency_units("SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN")
    ['SỞ', 'NÔNG NGHIỆP', 'VÀ', 'PHÁT TRIỂN', 'NÔNG THÔN']
    >>> agency_units("HỘI ĐỒNG NHÂN DÂN XÃ SƠN KIM 1")
    ['HỘI ĐỒNG NHÂN DÂN', 'XÃ SƠN KIM 1']
    """
    words = name.split()
    units = _glue(words, COMPOUNDS + LEVELS)
    out: list[str] = []
    i = 0
    while i < len(units):
        u = units[i]
        if u in LEVELS and i + 1 < len(units):  # the place name runs to the next level or the end
            j = i + 1
            while j < len(units) and units[j] not in LEVELS:
                j += 1
            out.append(" ".join(units[i:j]))
            i = j
            continue
        out.append(u)
        i += 1
    joined: list[str] = []  # "KẾ HOẠCH - TÀI CHÍNH": never break at a hyphen
    for u in out:
        if joined and (u.startswith("- ") or u == "-" or joined[-1].endswith(" -") or joined[-1] == "-"):
            joined[-1] = f"{joined[-1]} {u}"
        else:
            joined.append(u)
    return joined


@lru_cache(maxsize=512)  # a batch writes the same agency and many alike titles
def agency_lines(name: str, room: int, *, size_pt: float = 12, bold: bool = True) -> tuple[str, ...]:
    """An agency's name (one line of the draft's ``co_quan.ten``) in lines that fit
    ``room`` twips, broken between units; a break before a level ("TỈNH …") or after
    the head of a people's body is preferred, one after "VÀ" next."""
    units = agency_units(" ".join(name.split()))
    fits = int(room * SAFETY)
    for k, u in enumerate(units):  # a unit too wide for any line: its words, as a last resort
        if textwidth.width_twips(u, size_pt, bold=bold) > fits:
            units = units[:k] + _glue(u.split(), COMPOUNDS) + units[k + 1:]

    def penalty(i: int) -> int:
        if any(units[i] == lv or units[i].startswith(lv + " ") for lv in LEVELS):
            return 0
        if units[i - 1] in ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"):
            return 0
        return 1 if units[i - 1] in _WEAK_AFTER else 2

    return balance(units, lambda s: textwidth.width_twips(s, size_pt, bold=bold), fits, penalty)


def _title_units(text: str) -> list[str]:
    """Words and compounds, a number kept with the word before it ("năm 2020", "2016 - 2020")."""
    out: list[str] = []
    for w in _glue(text.split(), COMPOUNDS):
        if out and (w[:1].isdigit() or w == "-" or out[-1].endswith("-")):
            out[-1] = f"{out[-1]} {w}"
        else:
            out.append(w)
    return out


_PHRASE_REACH = {first: len(phs[0]) for first, phs in _COMPOUNDS_BY_FIRST.items()}  # the longest's words
_LAST_TITLE: list = [(), [], [], []]  # the last title's words, units, each unit's first word and keep


def _units_from(words: list[str], at: int, units: list[str], starts: list[int],
                needs: list[int]) -> None:
    """``_title_units(" ".join(words[at:]))`` appended to ``units`` (``words[at]``
    starts a unit), with each unit's first word in ``starts`` and in ``needs`` how many
    of the first words decide it: the words of its compounds as far as the longest
    phrase of their first word reaches, and the word after it (whether that one joins
    it: a number, a hyphen). The last unit is decided by the end of the words too."""
    by_first, reach = _COMPOUNDS_BY_FIRST, _PHRASE_REACH
    upper = [w.upper() for w in words[at:]]
    n = len(words)
    i = at
    while i < n:
        u = upper[i - at]
        phrases = by_first.get(u)
        end = i + 1
        decided = i + 1
        token = words[i]
        if phrases is not None:  # _glue: the longest phrase that starts here
            decided = i + reach[u]
            for ph in phrases:
                k = len(ph)
                if upper[i - at:i - at + k] == ph:
                    token = " ".join(words[i:i + k])
                    end = i + k
                    break
        if units and (token[:1].isdigit() or token == "-" or units[-1].endswith("-")):
            units[-1] = f"{units[-1]} {token}"
            if decided > needs[-1]:
                needs[-1] = decided
        else:
            if units and i + 1 > needs[-1]:
                needs[-1] = i + 1  # the unit before ends here: decided by this word
            units.append(token)
            starts.append(i)
            needs.append(decided)
        i = end
    if units and n + 1 > needs[-1]:
        needs[-1] = n + 1  # more words might have joined it


def _units_after_last(words: list[str]) -> list[str]:
    """``_title_units(" ".join(words))``, the units of the words it shares with the last
    title taken from that title's (a batch row's title differs in its last words, a
    name): a unit is kept when the first words that decide it (:func:`_units_from`),
    and those of every unit before it, are the same; the rest are made again from the
    first word of the first unit not kept.

    >>> _units_after_last("về phát triển kinh tế năm 2020 cho xã A".split())
    ['về', 'phát triển', 'kinh tế', 'năm 2020', 'cho', 'xã', 'A']
    >>> _units_after_last("về phát triển kinh tế năm 2020 cho xã B - C".split())
    ['về', 'phát triển', 'kinh tế', 'năm 2020', 'cho', 'xã', 'B - C']
    """
    before, units0, starts0, keeps0 = _LAST_TITLE
    k = len(units0) - 1  # the last unit is never kept (decided by the end of the words)
    n = len(words)
    while k > 0:
        upto = keeps0[k - 1]  # units0[:k] kept when this many first words are the same
        if upto <= n and words[:upto] == before[:upto]:
            break
        k -= 1
    if k <= 0:
        units: list[str] = []
        starts: list[int] = []
        needs: list[int] = []
        at = 0
    else:
        units, starts, needs = units0[:k], starts0[:k], keeps0[:k]
        at = starts0[k]
    _units_from(words, at, units, starts, needs)
    keep = needs[k - 1] if k > 0 else 0
    for m in range(max(k, 0), len(needs)):  # each unit's need with those before it: never decreasing
        if needs[m] < keep:
            needs[m] = keep
        keep = needs[m]
    _LAST_TITLE[:] = (words, units, starts, needs)
    return list(units)


@lru_cache(maxsize=128)  # a batch writes the same agency and many alike titles
def title_lines(text: str, size_pt: float, room: int, *, bold: bool = True) -> tuple[str, ...]:
    """A title (trích yếu, V/v line) in balanced lines within ``room`` twips.

    >>> title_lines("V/v triển khai thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới", 12, 3500, bold=False)
    ('V/v triển khai thực hiện', 'Chương trình mục tiêu quốc gia', 'xây dựng nông thôn mới')
    """
    units = _units_after_last(text.split())
    if not units:
        return ()
    # Each unit measured once per size and weight (a batch's titles share most of
    # their words; bounded): looked up here, not called for.
    known = _KNOWN.get((size_pt, bold))
    if known is None:
        if len(_KNOWN) >= 16:
            _KNOWN.clear()
        known = _KNOWN[(size_pt, bold)] = {}
    get = known.get
    widths = [get(u) for u in units]
    if None in widths:
        if len(known) >= 4096:
            known.clear()
        for k, u in enumerate(units):
            if widths[k] is None:
                widths[k] = known[u] = textwidth.width_twips(u, size_pt, bold=bold)
    space = get(" ")
    if space is None:
        space = known[" "] = textwidth.width_twips(" ", size_pt, bold=bold)
    fits = int(room * SAFETY)
    if space < 0 or min(widths) < 0:  # not a measure of text: the general way
        return _breaks(units, widths, space, fits, None)
    # The breaks are a function of the widths alone (the units are only joined): a
    # batch's titles that differ by a name of the same widths (Vietnamese letters are
    # measured by their base letter) share them. Bounded, the oldest out.
    key = (*widths, space, fits)
    nxt = _NEXT.get(key)
    if nxt is None:
        if len(_NEXT) >= _NEXT_MAX:
            del _NEXT[next(iter(_NEXT))]
        nxt = _NEXT[key] = _plain_next(widths, space, fits)
    return _lines(units, nxt)


_KNOWN: dict[tuple, dict[str, int]] = {}  # (size, bold) → a unit's width in twips
_NEXT: dict[tuple, tuple[int, ...]] = {}  # (widths…, space, room) → the breaks chosen
_NEXT_MAX = 1024
