"""Collection-conduct rules (催收行为规范), kept as data in ``data/collection_rules.csv``.

Each row is one rule a collector must keep, with the document it comes from, its date and how
firm the source is (:data:`lib.rates.CONFIDENCE`). The guide states them (:func:`collection_lines`)
and a contact log can check calls and messages against them (``what`` says what is checked,
``limit`` the allowed value). Informational, not legal advice.

Sources (the rows name them):

* GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》, the national standard on
  collection (published and in force 2025-02-28; a recommended standard): collect from the debtor
  only; contacts only when the debtor cannot be reached, told nothing about the debt; no
  collection 22:00–08:00 unless agreed; at most 3 effective calls a day.
* 中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》(2026-01-30), self-regulation of
  the association's members: no collection 22:00–08:00 without consent; at most 6 unanswered
  attempts a day to one number; unrelated third parties only when the debtor is out of reach,
  told no debt details, never again once they refuse; no threats, intimidation or violence; no
  spreading of private information, no notices posted in public places.
* 《中华人民共和国治安管理处罚法》 article 42 (2012 text; the law revised again in force 2026-01-01
  renumbers it): threatening someone's personal safety, public insult and spreading their private
  information are punished by detention or a fine — a threat is a matter for the police (110).

>>> rules = load_collection_rules()
>>> r = rule("gb_effective_calls_per_day", rules)
>>> r.limit_count(), r.source[:15], str(r.date), r.confidence
(3, 'GB/T 45251—2025', '2025-02-28', 'press_summary')
>>> rule("cba_quiet_hours", rules).quiet_hours()
(datetime.time(22, 0), datetime.time(8, 0))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Final

from lib.datafile import cached, read_checked, stamp
from lib.fmt import md_escape
from lib.i18n import TEXT, t
from lib.rates import CONFIDENCE

DEFAULT_RULES_PATH: Final = Path(__file__).resolve().parents[1] / "data" / "collection_rules.csv"
RULE_COLUMNS: Final = ("rule", "what", "limit", "source", "date", "confidence", "note")
_ID = re.compile(r"[a-z][a-z0-9_]*")
_HOURS = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
# what a rule checks -> the shape of its limit: "hours" (HH:MM-HH:MM, when no collection may happen),
# "count" (a whole number a day), "none" (never), "word" (a word: debtor, required …). A ``what`` not
# listed is read as it is (the guide shows it; a contact log does not check it).
WHATS: Final = {
    "contact_time": "hours",
    "answered_calls_per_day": "count",
    "unanswered_calls_per_number_per_day": "count",
    "contact_person": "word",
    "third_party_contact": "word",
    "third_party_disclosure": "none",
    "third_party_contact_after_refusal": "none",
    "call_recording": "word",
    "threat": "none",  # threats, intimidation, violence
    "shaming": "none",  # public shaming: posting, spreading private information, the address book
}


@dataclass(frozen=True)
class CollectionRule:
    """One collection-conduct rule: ``what`` is checked (``contact_time``, ``answered_calls_per_day``
    …), ``limit`` is what is allowed (``22:00-08:00`` — the hours when no collection may happen —,
    ``3``, ``debtor`` …); ``source`` and ``date`` the document it comes from; ``line`` its line in
    the file (header = 1)."""

    rule: str
    what: str
    limit: str
    source: str
    date: date
    confidence: str
    note: str
    line: int

    def limit_count(self) -> int | None:
        """The limit as a whole number (calls a day), None when it is not one.

        >>> CollectionRule("r", "answered_calls_per_day", "3", "s", date(2025, 1, 1), "official", "", 2).limit_count()
        3
        """
        return int(self.limit) if self.limit.isdigit() else None

    def quiet_hours(self) -> tuple[time, time] | None:
        """The limit as the hours when no collection may happen (start, end; end may be the next
        morning), None when it is not a span of hours."""
        m = _HOURS.fullmatch(self.limit)
        if not m:
            return None
        h1, m1, h2, m2 = (int(x) for x in m.groups())
        return time(h1, m1), time(h2, m2)


def _rule(row: dict[str, str], line: int) -> CollectionRule:
    for col in ("rule", "what"):
        if not _ID.fullmatch(row[col]):
            raise ValueError(f"{col} {row[col]!r} must be lower-case letters, digits and _")
    if not row["limit"]:
        raise ValueError("limit is empty")
    if _HOURS.fullmatch(row["limit"]):
        h1, m1, h2, m2 = (int(x) for x in _HOURS.fullmatch(row["limit"]).groups())  # type: ignore[union-attr]
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"limit {row['limit']!r} is not a span of hours (HH:MM-HH:MM)")
    if not row["source"]:
        raise ValueError("source is empty: every rule names its document")
    try:
        day = datetime.strptime(row["date"], "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"date {row['date']!r} is not a YYYY-MM-DD date") from None
    if row["confidence"] not in CONFIDENCE:
        raise ValueError(f"confidence {row['confidence']!r}: want one of {', '.join(CONFIDENCE)}")
    shape = WHATS.get(row["what"])
    if (shape == "hours" and not _HOURS.fullmatch(row["limit"])) or (
            shape == "count" and not row["limit"].isdigit()) or (shape == "none" and row["limit"] != "none"):
        want = {"hours": "a span of hours (HH:MM-HH:MM)", "count": "a whole number", "none": "none"}[shape]
        raise ValueError(f"limit {row['limit']!r} of {row['what']}: want {want}")
    return CollectionRule(row["rule"], row["what"], row["limit"], row["source"], day, row["confidence"],
                          row["note"], line)


@cached
def _read(path: str, _stamp: tuple[int, int]) -> tuple[CollectionRule, ...]:
    seen: dict[str, int] = {}

    def once(row: dict[str, str], line: int) -> CollectionRule:
        if row["rule"] in seen:  # named first: the row's other faults follow from taking it for another
            raise ValueError(f"rule {row['rule']!r} already on line {seen[row['rule']]}")
        r = _rule(row, line)
        seen[r.rule] = line
        return r

    return tuple(read_checked(path, RULE_COLUMNS, "the collection rules", once))


def load_collection_rules(path: str | Path | None = None) -> tuple[CollectionRule, ...]:
    """Every rule of ``data/collection_rules.csv`` (or ``path``), in file order; re-read when the
    file changes. A bad row raises ``ValueError`` naming its line and what is wrong."""
    return _read(*stamp(path if path is not None else DEFAULT_RULES_PATH))


def rule(rule_id: str, rules: Sequence[CollectionRule] | None = None) -> CollectionRule:
    """The rule with this id (KeyError when there is none)."""
    for r in load_collection_rules() if rules is None else rules:
        if r.rule == rule_id:
            return r
    raise KeyError(rule_id)


def collection_lines(lang: str, rules: Sequence[CollectionRule] | None = None) -> list[str]:
    """The rules as a markdown list for the guide, grouped by document: its source, date and
    confidence, then what each rule says (``guide.rule.<id>``; a rule whose confidence differs from
    its group's says so). File text is escaped (a user may edit the file).

    >>> rs = [CollectionRule("gb_quiet_hours", "contact_time", "22:00-08:00", "GB/T 45251—2025",
    ...                      date(2025, 2, 28), "press_summary", "", 2),
    ...       CollectionRule("new_rule", "answered_calls_per_day", "2", "GB/T 45251—2025",
    ...                      date(2025, 2, 28), "draft", "", 3)]
    >>> print("\\n".join(collection_lines("en", rs)))
    - **GB/T 45251—2025**, 2025\\-02\\-28 (published; content from press summaries):
      - No collection between 22:00 and 08:00 unless you agreed otherwise
      - answered\\_calls\\_per\\_day\\: 2 (draft)
    """
    out: list[str] = []
    group: tuple[str, date] | None = None
    head = ""
    for r in load_collection_rules() if rules is None else rules:
        if (r.source, r.date) != group:
            group, head = (r.source, r.date), r.confidence
            out.append("- " + t("guide.rule_cite", lang, source=f"**{md_escape(r.source)}**",
                                date=md_escape(r.date.isoformat()), confidence=t(f"flag.confidence.{head}", lang))
                       + t("guide.rule_colon", lang))
        key = f"guide.rule.{r.rule}"
        what = t(key, lang) if key in TEXT else md_escape(f"{r.what}: {r.limit}")
        if r.confidence != head:
            what += t("guide.rule_confidence", lang, confidence=t(f"flag.confidence.{r.confidence}", lang))
        out.append(f"  - {what}")
    return out
