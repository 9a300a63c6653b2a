"""WebVTT and SRT transcripts (Zoom, Teams, Meet, subtitle tools) as speaker turns.

webvtt-py reads both formats. Each turn becomes one line the extractor reads as a
timestamped speaker turn, `[00:01:05] Priya Raman: I'll send the draft by Monday`,
whether the speaker came from a voice tag (`<v Priya Raman>`) or a cue prefix
(`Priya Raman: …`), so a commitment is owned by whoever said it.

Each turn is put on the line of the file where its words stand and every other
line is left blank: "line 14" in the evidence is line 14 of the .vtt or .srt file,
and the evidence text starts with the cue's start time, which a player seeks to.
"""

from __future__ import annotations

import html
import io
import re

import webvtt
from webvtt.errors import MalformedFileError

from . import FormatError

_TIMING = re.compile(r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+(?P<name>[^>]+)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")  # cue tags (<i>, <c.red>, <00:01.000>), SRT {\an8}
# A payload line that starts a new turn: "- …" (a dialogue dash), "<v Name>", "Name: …".
_NEW_TURN = re.compile(r"^\s*(?:-|<v[\s.]|[^\s:<][^:<]{0,60}:\s)")


def vtt_to_lines(text: str) -> str:
    """A WebVTT transcript as timestamped speaker turns, each on its own line of the file."""
    return _to_lines(text, "vtt", "WebVTT")


def srt_to_lines(text: str) -> str:
    """An SRT transcript as timestamped speaker turns, each on its own line of the file."""
    return _to_lines(text, "srt", "SRT")


def _to_lines(text: str, fmt: str, name: str) -> str:
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt).captions
    except (MalformedFileError, ValueError, IndexError) as exc:
        raise FormatError(f"not a valid {name} transcript ({exc or 'cannot parse it'})") from exc
    if not captions:
        raise FormatError(f"no cues in this {name} transcript")
    source = text.split("\n")
    out = [""] * len(source)
    timings = [(i, _ms(m.group("start"))) for i, line in enumerate(source)
               if (m := _TIMING.match(line))]
    at = 0
    for cap in captions:
        start = _ms(cap.start)
        while at < len(timings) and timings[at][1] != start:
            at += 1
        first = timings[at][0] + 1 if at < len(timings) else len(out)
        at += 1
        stamp = _stamp(start)
        for offset, turn in _turns(cap.raw_text, cap.voice):
            where = first + offset
            while where < len(out) and out[where]:
                where += 1  # only a file the parser read differently from us gets here
            if where >= len(out):
                out.append("")
                where = len(out) - 1
            out[where] = f"[{stamp}] {turn}"
    return "\n".join(out)


def _turns(raw: str, voice: str | None) -> list[tuple[int, str]]:
    """(payload line the turn starts on, "Name: words") for each turn of one cue."""
    turns: list[tuple[int, list[str]]] = []
    speaker = voice
    for offset, line in enumerate(raw.split("\n")):
        tag = _VOICE.search(line)
        if tag:
            speaker = tag.group("name").strip()
        words = " ".join(html.unescape(_TAG.sub("", line)).split())
        if not words:
            continue
        if not turns or tag or _NEW_TURN.match(line):
            turns.append((offset, [f"{speaker}: {words}" if tag or (speaker and not turns)
                                   else words]))
        else:
            turns[-1][1].append(words)
    return [(offset, " ".join(parts)) for offset, parts in turns]


def _ms(stamp: str) -> int:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1]) + 60 * int(parts[-2]) + (3600 * int(parts[-3]) if len(parts) > 2
                                                         else 0)
    return round(seconds * 1000)


def _stamp(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
