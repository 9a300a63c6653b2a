"""Dates as people write them, resolved to ISO dates against the meeting's date.

"Oct 31", "November 12, 2024", "19 March", "Mar 25", "2024-10-31", "10/31",
"Friday", "next Tuesday", "Friday the 14th", "the 14th", "tomorrow", "EOW".
A date without a year takes the year that puts it nearest the meeting.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_DAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_DAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
_DAYS.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})

_FULL_NAMES = {n.lower() for n in (*calendar.month_name, *calendar.day_name) if n} - {"may"}
_MONTH = r"(?P<{g}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{g}>" + "|".join(sorted(_DAYS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"

_PATTERNS = [
    ("iso", r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:T[\d:]+Z?)?"),
    ("dmy_dots", r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
    ("weekday_the", _DAY.format(g="wd") + r",?\s+(?:the\s+)?(?P<d>\d{1,2})" + _ORD
     + r"(?!\s*(?:%|\d|:))"),
    ("month_day", _MONTH.format(g="mon") + r"\s+(?P<d>\d{1,2})" + _ORD
     + r"(?:,?\s+(?P<y>\d{4}))?(?![\d:])"),
    ("day_month", r"(?P<d>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH.format(g="mon")
     + r"(?:,?\s+(?P<y>\d{4}))?"),
    ("numeric", r"(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"),
    ("weekday", r"(?P<next>next\s+|this\s+)?" + _DAY.format(g="wd")),
    ("the_day", r"the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)"),
    ("relative", r"(?P<rel>tomorrow|today|tonight|eod|eow|end\s+of\s+(?:the\s+)?(?:day|week|month)"
     r"|next\s+week)"),
]
_SCAN = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<{name}>{pat.replace('(?P<', f'(?P<{name}_')})"
                                 for name, pat in _PATTERNS) + r")(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    iso: str | None  # None when it needs a meeting date that is unknown


def find_dates(text: str, ref: dt.date | None) -> list[DateMention]:
    """Every date written in `text`, resolved against `ref` (the meeting date).

    >>> [d.iso for d in find_dates("due Oct 31, then Nov 5", dt.date(2024, 10, 15))]
    ['2024-10-31', '2024-11-05']
    """
    found = []
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        if kind is None:
            continue
        groups = {k[len(kind) + 1:]: v for k, v in m.groupdict().items()
                  if v is not None and k.startswith(kind + "_")}
        word = groups.get("wd") or groups.get("mon") or ""
        if word.islower() and word.rstrip(".") not in _FULL_NAMES:
            continue  # "sat", "sun", "mar" in lower case are words, not dates
        try:
            iso = _resolve(kind, groups, ref)
        except (ValueError, OverflowError):  # OverflowError: a day past 9999-12-31
            continue
        if iso is False:
            continue
        found.append(DateMention(m.start(), m.end(), m.group(0), iso or None))
    return found


def parse_date(text: str, ref: dt.date | None = None) -> str | None:
    """The first date in `text` as ISO, or None.

    >>> parse_date("19 March", dt.date(2025, 3, 1))
    '2025-03-19'
    """
    for d in find_dates(text, ref):
        if d.iso:
            return d.iso
    return None


def to_date(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def _resolve(kind: str, g: dict[str, str], ref: dt.date | None) -> str | bool | None:
    if kind in ("iso", "dmy_dots"):
        return dt.date(int(g["y"]), int(g["m"]), int(g["d"])).isoformat()
    if kind in ("month_day", "day_month"):
        month, day = _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"])
        if "y" in g:
            return dt.date(int(g["y"]), month, day).isoformat()
        return _nearest(month, day, ref)
    if kind == "numeric":
        month, day = int(g["m"]), int(g["d"])
        if month > 12 >= day:
            month, day = day, month  # 20/11/2024 can only be day-first
        if month > 12 or day > 31:
            return False
        if "y" in g:
            year = int(g["y"])
            year = year + 2000 if year < 100 else year
            return dt.date(year, month, day).isoformat()
        return _nearest(month, day, ref)
    if ref is None:
        return None
    if kind == "weekday":
        return _weekday(_DAYS[g["wd"].lower().rstrip(".")], ref, bool(g.get("next", "")
                                                                 .lower().startswith("next")))
    if kind == "weekday_the":
        return _weekday_the(_DAYS[g["wd"].lower().rstrip(".")], int(g["d"]), ref)
    if kind == "the_day":
        return _next_day_of_month(int(g["d"]), ref)
    if kind == "relative":
        return _relative(re.sub(r"\s+", " ", g["rel"].lower()), ref)
    return None


def _nearest(month: int, day: int, ref: dt.date | None) -> str | None:
    if ref is None:
        return None
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda d: (abs((d - ref).days), d)).isoformat()


def _weekday(wd: int, ref: dt.date, next_week: bool) -> str:
    ahead = (wd - ref.weekday()) % 7 or 7
    day = ref + dt.timedelta(days=ahead)
    if next_week and day.isocalendar()[1] == ref.isocalendar()[1]:
        day += dt.timedelta(days=7)
    return day.isoformat()


def _weekday_the(wd: int, dom: int, ref: dt.date) -> str | None:
    year, month = ref.year, ref.month
    for _ in range(24):
        try:
            day = dt.date(year, month, dom)
        except ValueError:
            day = None
        if day and day >= ref and day.weekday() == wd:
            return day.isoformat()
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def _next_day_of_month(dom: int, ref: dt.date) -> str | None:
    year, month = ref.year, ref.month
    for _ in range(3):
        try:
            day = dt.date(year, month, dom)
            if day >= ref:
                return day.isoformat()
        except ValueError:
            pass
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def _relative(rel: str, ref: dt.date) -> str:
    if rel in ("today", "tonight", "eod", "end of day", "end of the day"):
        return ref.isoformat()
    if rel == "tomorrow":
        return (ref + dt.timedelta(days=1)).isoformat()
    if rel in ("eow", "end of week", "end of the week"):
        return (ref + dt.timedelta(days=(4 - ref.weekday()) % 7)).isoformat()
    if rel == "next week":
        return (ref + dt.timedelta(days=7 - ref.weekday())).isoformat()
    last = calendar.monthrange(ref.year, ref.month)[1]
    return ref.replace(day=last).isoformat()
