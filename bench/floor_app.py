"""Floor for bench_sessions.py: the compare page's journey in Streamlit and Plotly alone.

Three pages at the app's addresses — ``/loans`` (a line of text), ``/capacity`` (a slider and four
trivial charts, as bench/floor_page.py) and ``/compare`` (a small table, a trivial chart in tabs,
three metrics, as the compare page's table, charts and plan are found by the bench) — so that
``bench_sessions.py --floor`` drives it exactly as it drives the app: what N sessions at once cost
Streamlit, Plotly and one Chromium on this machine with next to no work of our own.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def chart(v: int) -> go.Figure:
    return go.Figure(go.Bar(x=[1, 2, 3], y=[v, 2, 1]))


def loans() -> None:
    st.title("loans")


def capacity() -> None:
    v = st.slider("x", 0, 100, 50, key="floor")
    for i in range(4):
        st.plotly_chart(chart(v + i), config={"displayModeBar": False})


def compare() -> None:
    # (keyed as the compare page's table and chart are, where the bench looks for them)
    with st.container(key="wide_only_compare"):
        st.dataframe(pd.DataFrame({"option": list("abcdef"), "months": range(6), "total": range(6)}))
    for tab in st.tabs(["one", "two", "three"], key="compare_chart", on_change="rerun"):
        if tab.open is not False:
            tab.plotly_chart(chart(1), config={"displayModeBar": False})
    for col in st.columns(3):
        col.metric("m", "¥1")
    st.plotly_chart(chart(2), config={"displayModeBar": False})


st.set_page_config(layout="wide", initial_sidebar_state="expanded")
st.sidebar.write("floor")
st.navigation([st.Page(lambda: st.title("home"), title="home", default=True),
               st.Page(loans, url_path="loans"), st.Page(capacity, url_path="capacity"),
               st.Page(compare, url_path="compare")]).run()
