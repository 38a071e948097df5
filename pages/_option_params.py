"""The compare page's option settings: one slider (or choice) per parameter of
:data:`lib.negotiate.OPTION_SPECS`, and the options to compare. Each writes the scenario
(``pages/_state.bind``)."""

from __future__ import annotations

import streamlit as st

from lib.i18n import t
from lib.negotiate import LABELS, OPTION_SPECS
from lib.scenario import Scenario
from pages._state import bind


def _set_param(name: str, scale: float = 1.0):
    return lambda s, v: s.with_options(params={**s.options.params, name: round(v / scale, 6)})


def _param_widget(spec, value, lg: str) -> None:
    key, label = f"opt_{spec.name}", t(spec.key, lg)
    if spec.unit == "choice":
        st.radio(label, spec.choices, index=spec.choices.index(value),
                 format_func=lambda c: t(f"negotiate.grace.{c}", lg),
                 **bind(key, lambda s, v, n=spec.name: s.with_options(params={**s.options.params, n: v})))
    elif spec.unit == "months":
        st.slider(label, int(spec.min), int(spec.max), int(value), int(spec.step), **bind(key, _set_param(spec.name)))
    else:  # shares and rates, shown in percent
        st.slider(label, spec.min * 100, spec.max * 100, value * 100, spec.step * 100, format="%.1f%%",
                  **bind(key, _set_param(spec.name, 100)))


def option_settings(scn: Scenario, lg: str) -> None:
    """The parameters in an expander (three columns), the lower-rate switch, and the options chosen."""
    opts = scn.options
    with st.expander(t("compare.params", lg), icon=":material/tune:"):
        cols = st.columns(3)
        for i, spec in enumerate(s for s in OPTION_SPECS.values() if s.name != "new_rate"):
            with cols[i % 3]:
                _param_widget(spec, opts.params.get(spec.name, spec.default), lg)
        rate_spec = OPTION_SPECS["new_rate"]
        if st.toggle(t("compare.lower_rate", lg), value=opts.lower_rate,
                     **bind("opt_lower_rate", lambda s, v: s.with_options(lower_rate=v))):
            st.slider(t(rate_spec.key, lg), 0.0, rate_spec.max * 100, opts.new_rate * 100, 0.5, format="%.1f%%",
                      **bind("opt_new_rate", lambda s, v: s.with_options(new_rate=round(v / 100, 6))))
    st.multiselect(t("compare.options", lg), LABELS, default=list(opts.chosen),
                   format_func=lambda o: t(f"negotiate.option.{o}", lg),
                   **bind("opt_chosen", lambda s, v: s.with_options(chosen=tuple(v))))
