import datetime as dt

import pytest

from kg.extract.dates import find_dates, parse_date

REF = dt.date(2024, 10, 15)  # a Tuesday


@pytest.mark.parametrize("text, iso", [
    ("Oct 31", "2024-10-31"),
    ("November 12, 2024", "2024-11-12"),
    ("19 March", "2025-03-19"),
    ("Mar 25", "2025-03-25"),
    ("Friday the 14th", "2025-02-14"),
    ("2024-11-15", "2024-11-15"),
    ("10/31", "2024-10-31"),
    ("Friday", "2024-10-18"),
    ("next Friday", "2024-10-25"),
    ("tomorrow", "2024-10-16"),
    ("EOW", "2024-10-18"),
    ("the 14th", "2024-11-14"),
    ("Sept. 5", "2024-09-05"),
    ("3rd of December", "2024-12-03"),
    ("Jan 10", "2025-01-10"),
])
def test_dates_as_people_write_them(text, iso):
    assert parse_date(text, REF) == iso


@pytest.mark.parametrize("text", ["Q4 2024", "38% faster", "Kubernetes 1.28", "at 02:10 UTC",
                                  "we may need it", "they sat down", "v2.4.1"])
def test_things_that_are_not_dates(text):
    assert find_dates(text, REF) == []


def test_a_date_without_a_year_needs_the_meeting_date():
    assert parse_date("Oct 31", None) is None
    assert parse_date("October 31, 2024", None) == "2024-10-31"


def test_year_is_the_one_nearest_the_meeting():
    assert parse_date("Dec 20", dt.date(2025, 1, 5)) == "2024-12-20"
