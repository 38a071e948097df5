"""Floor for bench_pages.py: Streamlit + Plotly alone — a slider and four trivial charts."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
v = st.slider("x", 0, 100, 50, key="floor")
for i in range(4):
    fig = go.Figure(go.Bar(x=[1, 2, 3], y=[v, i, 1]))
    st.plotly_chart(fig, config={"displayModeBar": False})
