"""Signing a coach in and out (the workspace's only page until then: app.py shows nothing else).

``st.login`` when an OIDC provider is configured; otherwise a coach's name and passphrase, checked
against its argon2 hash in ``secrets.toml`` (``lib.workspace.auth``), each wrong try waiting longer.
"""

from __future__ import annotations

import time

import streamlit as st

from lib.i18n import t
from lib.workspace.auth import check_passphrase
from pages._workspace import COACH, config

TRIES = "ws_tries"  # wrong tries in this session


def sign_in_form(lg: str) -> None:
    """The sign-in page: the OIDC button when configured, else the coach passphrase form."""
    cfg = config()
    st.title(t("ws.sign_in_title", lg))
    st.caption(t("ws.sign_in_intro", lg))
    if cfg.oidc:
        if st.button(t("ws.sign_in_oidc", lg), icon=":material/login:", type="primary"):
            st.login()
        return
    if not cfg.coaches:
        st.error(t("ws.no_coaches", lg), icon=":material/lock:")
        st.code('python -m lib.workspace.auth "coach-name"', language="bash")
        return
    with st.form("ws_sign_in"):
        name = st.text_input(t("ws.coach_name", lg), max_chars=100)
        passphrase = st.text_input(t("ws.passphrase", lg), type="password", max_chars=200)
        pressed = st.form_submit_button(t("ws.sign_in", lg), icon=":material/login:", type="primary")
    if pressed:
        tries = st.session_state.get(TRIES, 0)
        time.sleep(min(0.5 * 2 ** tries, 8.0) if tries else 0)  # slower after each wrong try
        if check_passphrase(cfg.coaches, name.strip(), passphrase):
            st.session_state[COACH] = name.strip()
            st.session_state[TRIES] = 0
            st.rerun()
        st.session_state[TRIES] = tries + 1
        st.error(t("ws.wrong_passphrase", lg), icon=":material/lock:")


def sign_out() -> None:
    """Sign out and forget everything this session held (the next person at this browser starts afresh)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if config().oidc and getattr(st.user, "is_logged_in", False):
        st.logout()
