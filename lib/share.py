"""Share links: a scenario's settings (and, only when asked, its loans) in a URL's query.

The settings — capacity inputs, basis, strategy, option settings, and on the sample also the
custom order and the plan (the sample's loan ids are the same for everyone) — go into ``s``;
the loans with the order and plan into ``d``, only when the user asks for it. Both are JSON,
compressed (zlib) and base64url-encoded. A link longer than :data:`MAX_LINK` characters is
refused (:class:`LinkTooLong`): chat apps cut long links; the file is the way then.

>>> from lib.scenario import Scenario
>>> s = Scenario().with_capacity(income=8800.0).evolve(strategy="snowball")
>>> q = share_query(s)
>>> sorted(q)
['s']
>>> back = apply_query(Scenario(), q)
>>> back.capacity.income, back.strategy, back.loans == s.loans
(8800.0, 'snowball', True)
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from typing import Any

from lib.scenario import MAX_FILE_BYTES, Scenario, ScenarioError, from_json

MAX_LINK = 8000  # characters of query; past this, the file
SETTINGS = ("capacity", "basis", "strategy", "options")
ON_THE_LOANS = ("order", "plan")  # refer to loan ids: shared with the loans, or on the sample


class LinkTooLong(ValueError):
    """The link would be longer than :data:`MAX_LINK` characters (``length``)."""

    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length


def _pack(doc: Mapping[str, Any]) -> str:
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def _unpack(text: str) -> dict[str, Any]:
    if len(text) > MAX_LINK:
        raise ScenarioError("too_big", size=round(len(text) / 1048576, 1), limit=MAX_FILE_BYTES // 1048576)
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflate = zlib.decompressobj()
        raw = inflate.decompress(packed, MAX_FILE_BYTES)  # at most this much, whatever the link claims
        if inflate.unconsumed_tail:
            raise ScenarioError("too_big", size=">2", limit=MAX_FILE_BYTES // 1048576)
        doc = json.loads(raw)
    except ScenarioError:
        raise
    except (ValueError, zlib.error, RecursionError) as exc:
        raise ScenarioError("not_json", detail=type(exc).__name__) from None
    if not isinstance(doc, dict):
        raise ScenarioError("not_scenario")
    return doc


def share_query(scenario: Scenario, *, with_loans: bool = False) -> dict[str, str]:
    """The query parameters of a link to ``scenario``'s view (settings; loans only if asked).

    Raises :class:`LinkTooLong` when they would not fit :data:`MAX_LINK`.
    """
    doc = scenario.model_dump(mode="json")
    settings = {k: doc[k] for k in SETTINGS}
    on_sample = scenario.source.origin == "sample"
    if on_sample and not with_loans:
        settings.update({k: doc[k] for k in ON_THE_LOANS})
    query = {"s": _pack(settings)}
    if with_loans:
        query["d"] = _pack({"loans": doc["loans"], "source": doc["source"], **{k: doc[k] for k in ON_THE_LOANS}})
    length = sum(len(k) + len(v) + 2 for k, v in query.items())
    if length > MAX_LINK:
        raise LinkTooLong(length)
    return query


def apply_query(base: Scenario, query: Mapping[str, str]) -> Scenario:
    """``base`` with what a link's query carries (``s``: settings; ``d``: loans, order, plan).

    Raises :class:`lib.scenario.ScenarioError` when the link is damaged (``base`` stays as it is).
    """
    doc = base.model_dump(mode="json")
    if "d" in query:
        loans = _unpack(str(query["d"]))
        doc.update({k: loans[k] for k in ("loans", "source", *ON_THE_LOANS) if k in loans})
        doc["plan"], doc["order"] = loans.get("plan", {}), loans.get("order", [])
    if "s" in query:
        settings = _unpack(str(query["s"]))
        unknown = set(settings) - {*SETTINGS, *ON_THE_LOANS}
        if unknown:
            raise ScenarioError("invalid", where=sorted(unknown)[0], what="not a setting", type="extra_forbidden")
        doc.update(settings)
    return from_json(json.dumps(doc))
