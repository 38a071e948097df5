"""Second floor for bench_pages.py: the capacity page's widgets, metrics and 4 charts, all on trivial data."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
st.sidebar.segmented_control("lang", ["zh", "en"], default="zh")
st.sidebar.caption("x")
st.sidebar.caption("y")
st.title("t")
st.caption("c")
with st.container(border=True):
    a, b, c = st.columns(3)
    with a:
        for i in range(3):
            st.number_input(f"n{i}", value=1.0)
    with b:
        v = st.slider("x", 0, 100, 50, key="floor")
        for i in range(2):
            st.number_input(f"m{i}", value=1.0)
    with c:
        st.toggle("t")
        st.slider("s2", 1, 36, 6)
        st.number_input("k", value=1.0)
        st.slider("s3", 1.0, 2.0, 1.5)
for i, col in enumerate(st.columns(4)):
    col.metric(f"m{i}", "¥1", delta="-1")
st.radio("r", ["a", "b", "c", "d", "e"], horizontal=True)
st.caption("c")
for i, col in enumerate(st.columns(3)):
    col.metric(f"r{i}", "¥1")
st.slider("tt", 6, 60, 36)
st.success("ok")
for j, col in enumerate(st.columns(2)):
    with col:
        for i in range(2):
            st.subheader("s")
            st.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=[v, i, 1])), key=f"chart{j}{i}")
st.subheader("s")
st.dataframe({"a": [1, 2, 3, 4], "b": ["x"] * 4})
st.caption("c")
