"""Mirror floor for bench_pages.py: a page's own Streamlit elements, replayed on trivial data.

:func:`element_plan` reads the element tree an ``AppTest`` run left behind and returns a
JSON-serialisable plan: the page's containers (sidebar, main, ``st.columns(n)``, tabs, expanders,
containers) and, inside them, each element's kind (and a table's shape, a choice widget's option
count). :func:`floor_script` replays a plan with trivial content — widgets with default values,
metrics of "¥1", tables of ones with the page's shape, and the four-bar charts of floor_page.py —
plus one slider keyed "floor" (in the position of the slider the bench moves on the page) whose
value every chart draws, so each rerun redraws every chart. Run it with :func:`mirror_app`.

Kinds the floor does not know are kept as ``other:<type>``, drawn as ``st.markdown("x")`` and
reported by :func:`element_plan`, so nothing on the page is silently left out of the floor.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Node

Item = dict[str, Any]

# Element kinds floor_script draws (tree node type -> plan kind is in _leaf).
KNOWN = frozenset({
    "title", "header", "subheader", "markdown", "caption", "divider", "latex", "text", "code", "json",
    "info", "success", "warning", "error", "metric", "plotly_chart", "dataframe", "data_editor", "table",
    "number_input", "slider", "select_slider", "toggle", "checkbox", "radio", "selectbox", "multiselect",
    "segmented_control", "pills", "text_input", "text_area", "date_input", "time_input", "color_picker",
    "button", "download_button", "link_button", "page_link", "bidi_component",
})
CHOICES = frozenset({"radio", "selectbox", "multiselect", "select_slider", "segmented_control", "pills"})


def _leaf(node: Node) -> Item:
    """Plan item for one element node."""
    kind = node.type
    proto = node.proto
    if kind == "button_group":
        kind = "pills" if proto.style == type(proto).Style.PILLS else "segmented_control"
    if kind == "dataframe":
        kind = "dataframe" if node.editing_mode == "read_only" else "data_editor"
        cols = len(node.value.columns)
        rows = proto.lazy_data.row_count if proto.lazy_data.HasField("row_count") else len(node.value)
        hidden = json.loads(proto.columns or "{}").get("_index", {}).get("hidden", False)
        return {"kind": kind, "rows": rows, "cols": cols, "hide_index": hidden}
    if kind == "table":
        return {"kind": kind, "rows": len(node.value), "cols": len(node.value.columns)}
    if kind in CHOICES:
        item: Item = {"kind": kind, "options": max(1, len(proto.options))}
        if kind == "multiselect":
            item["selected"] = min(len(proto.default), item["options"])
        return item
    if kind == "metric":
        return {"kind": kind, "delta": bool(proto.delta)}
    if kind == "slider" and node.key:
        return {"kind": kind, "key": node.key}  # the key only locates the floor slider; dropped below
    return {"kind": kind if kind in KNOWN else f"other:{kind}"}


def _items(block: Block) -> list[Item]:
    """Plan items for a block's children, in page order."""
    out: list[Item] = []
    for _, node in sorted(block.children.items()):
        if not isinstance(node, Block):
            out.append(_leaf(node))
            continue
        kids = [node.children[k] for k in sorted(node.children)]
        if node.type == "flex_container" and kids and all(k.type == "column" for k in kids):
            out.append({"kind": "columns", "children": [_items(k) for k in kids]})
        elif node.type == "tab_container":
            out.append({"kind": "tabs", "children": [_items(k) for k in kids]})
        elif node.type == "expander":
            out.append({"kind": "expander", "children": _items(node)})
        elif node.type in ("flex_container", "container"):
            flex = node.proto.flex_container if node.proto is not None else None
            horizontal = bool(flex) and flex.direction == type(flex).Direction.HORIZONTAL
            out.append({"kind": "container", "border": bool(flex and flex.border),
                        "horizontal": horizontal, "children": _items(node)})
        else:  # a block the floor cannot rebuild (form, popover, chat message, ...): keep its content
            out.append({"kind": f"other:{node.type}", "children": _items(node)})
    return out


def _walk(items: list[Item]):
    """Every item of a plan, depth first (a columns/tabs item's children are lists of lists)."""
    for it in items:
        yield it
        kids = it.get("children", [])
        for group in kids if it["kind"] in ("columns", "tabs") else [kids]:
            yield from _walk(group)


def element_plan(at: AppTest, floor_key: str | None = None) -> list[Item]:
    """The element plan of the page ``at`` has just run: ``[sidebar item, main item]``.

    The slider keyed ``floor_key`` (else the first slider in the main area; else a new one at
    the top of it) becomes the floor slider, marked ``"floor": True``. Prints a warning listing
    element kinds the floor does not know (drawn as markdown there).
    """
    plan = [{"kind": "sidebar", "children": _items(at.sidebar)}, {"kind": "main", "children": _items(at.main)}]
    main_sliders = [it for it in _walk(plan[1]["children"]) if it["kind"] == "slider"]
    chosen = [it for it in main_sliders if floor_key is not None and it.get("key") == floor_key]
    for it in chosen[:1] or main_sliders[:1]:
        it["floor"] = True
    if not chosen and not main_sliders:
        plan[1]["children"].insert(0, {"kind": "slider", "floor": True})
    for it in _walk(plan):
        it.pop("key", None)
    unknown = sorted({it["kind"] for it in _walk(plan) if it["kind"].startswith("other:")})
    if unknown:
        print(f"WARNING mirror floor: unknown kinds (elements drawn as markdown, blocks as containers): "
              f"{', '.join(unknown)}")
    return plan


def kind_counts(plan: list[Item]) -> Counter[str]:
    """How many of each element kind a plan holds; ``columns(3)`` counts one ``st.columns(3)``."""
    counts: Counter[str] = Counter()
    for it in _walk(plan):
        kind = it["kind"]
        if kind in ("main", "sidebar"):
            continue
        if kind in ("columns", "tabs"):
            kind = f"{kind}({len(it['children'])})"
        elif kind == "container":
            kind = "container" + (", border" if it["border"] else "") + (", horizontal" if it["horizontal"] else "")
        counts[kind] += 1
    return counts


def floor_script(plan: list) -> None:
    """Replay ``plan`` with trivial content (AppTest.from_function copies this body: imports inside)."""
    import itertools

    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    st.set_page_config(layout="wide")
    trivial = st.components.v2.component("mirror_trivial", html="<span hidden></span>")  # for bidi mounts
    v = st.session_state.get("floor", 50)  # a chart drawn above the floor slider still follows it
    ids, charts = itertools.count(), itertools.count()

    def draw(items: list) -> None:
        for it in items:
            kind, kids = it["kind"], it.get("children", [])
            key = f"w{next(ids)}"
            if kind == "sidebar":
                with st.sidebar:
                    draw(kids)
            elif kind == "main":
                draw(kids)
            elif kind in ("columns", "tabs"):
                boxes = st.columns(len(kids)) if kind == "columns" else st.tabs([f"t{j}" for j in range(len(kids))])
                for box, group in zip(boxes, kids, strict=True):
                    with box:
                        draw(group)
            elif kind == "expander":
                with st.expander("e"):
                    draw(kids)
            elif kind == "container" or kind.startswith("other:") and "children" in it:
                with st.container(border=it.get("border", False), horizontal=it.get("horizontal", False)):
                    draw(kids)
            elif kind == "plotly_chart":
                fig = go.Figure(go.Bar(x=[1, 2, 3], y=[v, next(charts), 1]))
                st.plotly_chart(fig, config={"displayModeBar": False})
            elif kind in ("dataframe", "data_editor", "table"):
                df = pd.DataFrame([[1] * it["cols"]] * it["rows"], columns=[f"c{j}" for j in range(it["cols"])])
                if kind == "dataframe":
                    st.dataframe(df, hide_index=it["hide_index"], key=key)
                elif kind == "data_editor":
                    st.data_editor(df, hide_index=it["hide_index"], num_rows="fixed", key=key)
                else:
                    st.table(df)
            elif kind in ("radio", "selectbox", "select_slider", "segmented_control", "pills"):
                opts = [f"o{j}" for j in range(it["options"])]
                getattr(st, kind)("c", opts, key=key)
            elif kind == "multiselect":
                opts = [f"o{j}" for j in range(it["options"])]
                st.multiselect("c", opts, default=opts[: it["selected"]], key=key)
            elif kind == "slider":
                st.slider("x", 0, 100, 50, key="floor" if it.get("floor") else key)
            elif kind in ("number_input", "toggle", "checkbox", "text_input", "text_area", "date_input",
                          "time_input", "color_picker", "button"):
                getattr(st, kind)("w", key=key)
            elif kind == "download_button":
                st.download_button("d", b"x", key=key)
            elif kind in ("link_button", "page_link"):
                getattr(st, kind)(f"https://example.com/{key}", label="l")
            elif kind == "metric":
                st.metric("m", "¥1", delta="-1" if it["delta"] else None)
            elif kind in ("title", "header", "subheader", "markdown", "caption", "latex", "text", "code",
                          "info", "success", "warning", "error"):
                getattr(st, kind)("x")
            elif kind == "divider":
                st.divider()
            elif kind == "json":
                st.json({"x": 1})
            elif kind == "bidi_component":  # an st.components.v2 mount (the app's browser store)
                trivial(key=key, data={"x": 1}, on_x_change=lambda: None)
            else:  # other:<type>, reported by element_plan
                st.markdown("x")

    draw(plan)


def mirror_app(plan: list[Item]) -> AppTest:
    """An AppTest (not yet run) of the mirror floor for ``plan``."""
    return AppTest.from_function(floor_script, args=(plan,), default_timeout=300)
