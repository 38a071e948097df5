"""Step 4 · Take it to the lenders: per lender a letter, a call script, a checklist and (where it is
due) a fee audit request, edited here and downloaded; the client report; the plan as a spreadsheet
and as a payment calendar."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from lib.i18n import t
from lib.kit import exports, letters, report
from lib.kit.calendar import plan_calendar
from lib.negotiate import compare_options
from lib.outcomes import grant_rates
from lib.plan import chosen_plan, strategy_of
from lib.scenario import HARDSHIPS
from pages._memo import asks_for, legal_for, memo
from pages._shared import page_start, show
from pages._state import bind, put, scenario
from pages._workspace import outcome_cases

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

lg, loans, ver = page_start("kit.title", "kit.intro")
today = dt.date.today()


def set_kit(field: str):
    return lambda s, v: s.evolve(kit=s.kit.evolve(**{field: v}))


# ---- who writes, and why payment stopped (kept in the scenario; never an ID or card number) -----------
scn = scenario()
with st.container(border=True):
    a, b = st.columns(2)
    a.text_input(t("kit.name", lg), value=scn.kit.name, max_chars=60, help=t("kit.name_help", lg),
                 **bind("kit_name", set_kit("name")))
    b.selectbox(t("kit.hardship", lg), HARDSHIPS, index=HARDSHIPS.index(scn.kit.hardship),
                format_func=lambda h: t(f"hardship.{h}", lg), **bind("kit_hardship", set_kit("hardship")))
    st.text_area(t("kit.hardship_text", lg), value=scn.kit.hardship_text, max_chars=1000, height=90,
                 help=t("kit.hardship_text_help", lg), **bind("kit_hardship_text", set_kit("hardship_text")))
    st.caption(t("kit.never", lg))
scn = scenario()

# ---- the plan, as on the compare page (lib.plan) ------------------------------------------------------
key = (ver, scn.capacity, scn.basis, scn.strategy, tuple(sorted(scn.plan.items())), scn.options.model_dump_json())
asked, _ = asks_for(scn, loans, ver, lg)  # (the compare page's search: not run again when it ran there)
with st.spinner(t("compare.computing", lg)):
    chosen = memo("kit_chosen", key, lambda: chosen_plan(scn, loans, asks=asked, legal=legal_for(loans, ver)))
    table = memo("kit_compare", key, lambda: compare_options(
        loans, scn.capacity.to_capacity(), strategy=strategy_of(scn), penalty_multiple=scn.capacity.penalty_multiple,
        basis=scn.basis, legal=chosen.legal, options=["baseline", *scn.options.chosen], **scn.options.values()))
if not chosen.fits:
    show("warning", t("kit.plan_short", lg))
st.page_link("pages/compare.py", label=t("kit.change_plan", lg), icon=":material/construction:")

# ---- per lender: read, edit, download -----------------------------------------------------------------
st.subheader(t("kit.letters_title", lg))
st.caption(t("kit.letters_help", lg))
names = dict(zip(loans["loan_id"], loans["lender"].astype(str), strict=True))
loan_id = st.selectbox(t("kit.lender", lg), list(names), format_func=names.get, key="kit_lender")
facts = letters.letter_facts(scn, chosen, loan_id, today)
kinds = letters.kinds_for(facts)


def keep_text(slot: str):
    return lambda s, v: s.evolve(kit=s.kit.evolve(edited={**s.kit.edited, slot: v}))


def forget_text(slot: str) -> None:
    s = scenario()
    put(s.evolve(kit=s.kit.evolve(edited={k: v for k, v in s.kit.edited.items() if k != slot})))


for tab, kind in zip(st.tabs([t(f"letter.{k}", lg) for k in kinds]), kinds, strict=True):
    with tab:
        slot = letters.edit_key(loan_id, kind)
        text = letters.text_for(scn, facts, kind, lg)
        # a new widget whenever the generated text changes (until the user edits it: then it is theirs)
        tag = "mine" if slot in scn.kit.edited else hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
        text = st.text_area(t("kit.edit_here", lg), value=text, height=420,
                            **bind(f"kit_text_{slot}_{lg}_{tag}", keep_text(slot)))
        c = st.columns(3)
        title = t(f"letter.{kind}", lg)
        c[0].download_button(t("kit.docx", lg), lambda title=title, text=text: letters.to_docx(title, text),
                             letters.file_name(kind, facts, lg), letters.DOCX_MIME, icon=":material/description:",
                             width="stretch", key=f"docx_{slot}")
        c[1].download_button(t("kit.txt", lg), text.encode("utf-8"), letters.file_name(kind, facts, lg, ext="txt"),
                             "text/plain", icon=":material/article:", width="stretch", key=f"txt_{slot}")
        if slot in scn.kit.edited:
            c[2].button(t("kit.reset_text", lg), key=f"reset_{slot}", width="stretch", on_click=forget_text,
                        args=(slot,), icon=":material/restart_alt:")

# ---- the report, the spreadsheet, the calendar ------------------------------------------------------------
st.subheader(t("kit.takeaway_title", lg))
st.caption(t("kit.takeaway_help", lg))


rates = grant_rates(outcome_cases().cases)  # the workbook says how often each was granted, as compare does


def report_html() -> str:
    return report.report_html(scn, chosen, table, lg, today, loans=loans)


def workbook() -> bytes:
    return exports.to_xlsx({
        t("export.sheet.plan", lg): exports.plan_by_month(chosen.result, today, lg, loans=loans),
        t("export.sheet.compare", lg): exports.comparison_sheet(table, lg, today, rates=rates),
        t("export.sheet.loans", lg): exports.loans_sheet(scn.loans_frame, lg)})


d = st.columns(2)
d[0].download_button(t("report.download_html", lg), lambda: report_html().encode("utf-8"),
                     f"report-{today}.html", "text/html", icon=":material/summarize:", width="stretch")
why_not = report.pdf_unavailable()
d[1].download_button(t("report.download_pdf", lg), lambda: report.report_pdf(report_html()), f"report-{today}.pdf",
                     "application/pdf", icon=":material/picture_as_pdf:", width="stretch", disabled=bool(why_not),
                     help=t("report.pdf_unavailable", lg, why=why_not) if why_not else None)
e = st.columns(3)
e[0].download_button(t("export.button.xlsx", lg), workbook, f"plan-{today}.xlsx", XLSX, icon=":material/grid_on:",
                     width="stretch")
e[1].download_button(t("export.button.csv", lg), lambda: exports.to_csv(
    exports.plan_by_month(chosen.result, today, lg, loans=loans)), f"plan-{today}.csv", "text/csv",
    icon=":material/table:", width="stretch")
if chosen.result.finishes:  # (a plan that never ends would fill a calendar for fifty years)
    e[2].download_button(t("calendar.button", lg), lambda: plan_calendar(chosen.result, today, lg, loans=loans),
                         f"plan-{today}.ics", "text/calendar", icon=":material/event:", width="stretch",
                         help=t("calendar.help", lg, days=3))
else:
    e[2].caption(t("kit.no_calendar", lg))
