"""Every user-facing string, in Simplified Chinese (default) and English.

Pages never hard-code text: they call :func:`t`. Keys are grouped by where they are
used; ``{name}`` placeholders are filled with ``str.format``.

>>> t("app.title", "en")
'Loan negotiation planner'
>>> t("problem.bad_number", "zh", value="abc")
'无法识别的金额：“abc”'
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("zh", "en")
DEFAULT_LANG: Final = "zh"

# key -> (zh, en)
TEXT: Final[dict[str, tuple[str, str]]] = {
    # --- app shell -------------------------------------------------------------------
    "app.title": ("网贷协商还款规划器", "Loan negotiation planner"),
    "app.language": ("语言 / Language", "Language / 语言"),
    # --- value problems (lib.values raises ValueProblem(code, **params)) ---------------
    "problem.bad_number": ("无法识别的金额：“{value}”", "Not an amount: “{value}”"),
    "problem.negative": ("不能为负数：“{value}”", "Must not be negative: “{value}”"),
    "problem.bad_rate": ("无法识别的利率：“{value}”", "Not a rate: “{value}”"),
    "problem.rate_out_of_range": (
        "利率“{value}”折合年化 {annual}，超出合理范围（0–1000%）",
        "Rate “{value}” is {annual} a year, outside 0–1000 %",
    ),
    "problem.bad_integer": ("无法识别的整数：“{value}”", "Not a whole number: “{value}”"),
    "problem.bad_date": ("无法识别的日期：“{value}”", "Not a date: “{value}”"),
    "problem.bad_method": (
        "无法识别的还款方式：“{value}”（可填：等额本息、等额本金、先息后本、一次性还本付息、等本等息/手续费分期）",
        "Unknown repayment method: “{value}” (use annuity, equal principal, interest only, "
        "bullet or flat fee)",
    ),
    "problem.bad_kind": (
        "无法识别的类型：“{value}”（可填：网贷、消费金融、信用卡、银行、民间借贷、其他）",
        "Unknown kind: “{value}” (use online, consumer finance, credit card, bank, private, other)",
    ),

    # --- file-level problems and row problems (lib.ingest) -------------------------------
    "problem.missing_balance": ("缺少剩余本金", "Balance is missing"),
    "problem.missing_annual_rate": (
        "缺少利率，且无法由月供和剩余期数推算", "Rate is missing and cannot be derived from the payment and months",
    ),
    "problem.missing_remaining_months": (
        "缺少剩余期数，且无法由月供推算", "Remaining months are missing and cannot be derived from the payment",
    ),
    "problem.repaid": ("“{lender}”已无欠款，未计入", "“{lender}” owes nothing; not counted"),
    "problem.unreadable": ("无法读取文件：{error}", "The file cannot be read: {error}"),
    "problem.too_big": ("文件有 {size} MB，超过上限 {limit} MB", "The file is {size} MB, above the {limit} MB limit"),
    "problem.too_many_rows": (
        "文件有 {rows} 行数据，超过上限 {limit} 行；请只保留借款明细",
        "The file has {rows} data rows, above the {limit}-row limit; keep only the loans",
    ),
    "problem.empty": ("文件是空的", "The file is empty"),
    "problem.not_table_image": (
        "这是一张图片，不是表格。要读借款 App 的截图，需开启截图识别（pip install -r requirements-ocr.txt，"
        "然后重启）且图片完好；也可上传 CSV 或 Excel 文件（可先下载模板）",
        "This is an image, not a table. Reading screenshots of lenders' apps needs screenshot reading "
        "(pip install -r requirements-ocr.txt, then restart) and an undamaged picture; or upload a CSV or "
        "Excel file (the template helps)",
    ),
    "problem.not_table_pdf": (
        "这是 PDF，无法读取表格。请把借款明细另存为 CSV 或 Excel",
        "This is a PDF; tables cannot be read from it. Save the loans as CSV or Excel",
    ),
    "problem.not_table_zip": ("这是压缩包，不是表格", "This is a zip archive, not a table"),
    "problem.not_table_unknown_binary": (
        "无法识别的文件格式。请上传 CSV 或 Excel（.xlsx / .xls）",
        "Unknown file format. Upload a CSV or Excel file (.xlsx / .xls)",
    ),
    "problem.bad_excel": ("Excel 文件已损坏或加密，无法打开（{error}）", "The Excel file is damaged or encrypted ({error})"),
    "problem.no_columns": (
        "这不像借款表：前 15 行里找不到可识别的列名（至少需要“平台”和“剩余本金”）。可下载模板对照",
        "This does not look like a loan table: no known column names in the first 15 rows (at least "
        "“Lender” and “Balance” are needed). Compare with the template",
    ),
    "problem.no_balance_column": (
        "找不到“剩余本金”列（也可叫 待还本金 / 未还本金 / 借款金额）",
        "No balance column (also accepted: outstanding principal, amount borrowed)",
    ),
    # --- notes on how a file was read ----------------------------------------------------
    "note.encoding": ("文件编码：{encoding}", "File encoding: {encoding}"),
    "note.sheet_used": ("读取的工作表：{sheet}", "Sheet read: {sheet}"),
    "note.html_table": (
        "这是网页格式的表格（常见于银行导出的 .xls），读取了第 {n} 个表格（共 {of} 个）",
        "A web-page table (as many bank .xls exports are): table {n} of {of} read",
    ),
    "note.header_row": ("表头在第 {row} 行，上方的标题行已跳过", "Header found on row {row}; title rows above skipped"),
    "note.ignored_columns": ("未使用的列：{columns}", "Columns not used: {columns}"),
    "note.duplicate_columns": ("重复的列只用了第一个，忽略：{columns}", "Duplicate columns ignored: {columns}"),
    "note.summary_row": ("第 {row} 行是合计行，已跳过", "Row {row} is a total row; skipped"),

    # --- navigation and sidebar ----------------------------------------------------------
    "nav.step1": ("① 了解债务", "① Know your debts"),
    "nav.breakdown": ("债务全貌", "Debt breakdown"),
    "nav.loans": ("导入与编辑借款", "Import & edit loans"),
    "sidebar.origin.sample": (
        "当前数据：示例借款人（{n} 笔借款）", "Showing: a sample borrower ({n} loans)",
    ),
    "sidebar.origin.file": ("当前数据：{name}（{n} 笔借款）", "Showing: {name} ({n} loans)"),
    "sidebar.origin.editor": ("当前数据：手动录入（{n} 笔借款）", "Showing: typed in ({n} loans)"),
    "sidebar.origin.empty": ("当前数据：空表（{n} 笔借款）", "Showing: an empty table ({n} loans)"),
    "sidebar.disclaimer": ("仅供参考，不构成法律或财务意见。", "For information only, not legal or financial advice."),
    # --- the scenario: banners, undo, next steps (app.py) -------------------------------------
    "app.sample_banner": (
        "您看到的是一位**示例借款人**的数据，不是您自己的。导入或填写您的借款后，每一页都会按您的数据计算。",
        "You are looking at a **sample borrower**, not your own loans. Import or type your loans and "
        "every page will use them.",
    ),
    "app.sample_go_import": ("导入我自己的借款", "Import my own loans"),
    "undo.button": ("撤销", "Undo"),
    "undo.sample": ("已换回示例数据，您之前的数据可以撤销找回。", "The sample is back; undo to get your previous data back."),
    "undo.empty": ("已清空借款表，之前的数据可以撤销找回。", "The loan table is empty; undo to get the previous loans back."),
    "undo.upload": ("已用上传的文件替换之前的借款，可以撤销。", "The uploaded file replaced the previous loans; undo to go back."),
    "undo.open": ("已打开保存的方案，替换了之前的数据，可以撤销。",
                  "The saved plan replaced what was here; undo to go back."),
    "undo.plan": ("协商方案已恢复为建议方案，可以撤销。", "The plan is back to the suggestion; undo to get your choices back."),
    "compare.builder_reset": ("恢复为建议方案", "Back to the suggested plan"),
    "undo.forget": ("已删除本设备上保存的数据，回到示例。本次会话内仍可撤销。",
                    "The data kept on this device is deleted and the sample is back. You can still undo in "
                    "this session."),
    "next.loans": ("下一步：保存方案，或修改借款", "Next: save your plan, or edit the loans"),
    "next.breakdown": ("下一步：看清债务全貌", "Next: see the debt broken down"),
    "next.capacity": ("下一步：设定每月能还多少", "Next: set what you can pay each month"),
    "next.compare": ("下一步：比较协商方案", "Next: compare the negotiation options"),
    "next.guide": ("下一步：读协商指南，准备沟通", "Next: read the negotiation guide and prepare the calls"),
    "loans.next_breakdown": ("看债务全貌", "See the breakdown"),
    "loans.next_capacity": ("设定每月能还多少", "Set what you can pay"),
    # --- keeping the scenario (pages/_storage.py) ------------------------------------------------
    "store.panel": ("保存、分享与隐私", "Save, share, privacy"),
    "store.save": ("保存方案到文件", "Save the plan to a file"),
    "store.save_help": (
        "下载一个 JSON 文件，包含借款、收支设置和协商方案。可在“导入与编辑借款”页重新打开。",
        "Downloads a JSON file with the loans, the capacity settings and the plan. Open it again on "
        "the “Import & edit loans” page.",
    ),
    "store.open_title": ("打开保存的方案", "Open a saved plan"),
    "store.open": ("选择之前保存的方案文件（.json）", "Choose a plan file saved earlier (.json)"),
    "store.open_help": ("打开后会替换当前数据（可撤销）。", "It replaces what is here now (you can undo)."),
    "store.open_failed": ("无法打开“{name}”，当前数据保持不变。", "“{name}” could not be opened; nothing here changed."),
    "store.restored": ("已恢复您在本设备上保存的数据。", "Your data kept on this device is back."),
    "store.restore_failed": ("本设备上保存的数据无法读取，现显示示例。", "The data kept on this device could not be read; "
                             "showing the sample."),
    "store.browser_error": (
        "浏览器不允许保存数据（可能是隐私模式或空间已满）。请用“保存方案到文件”保留您的工作。",
        "This browser does not let the app keep data (private mode, or storage full). Use “Save the plan "
        "to a file” to keep your work.",
    ),
    "store.forget": ("删除本设备上保存的数据", "Forget my data on this device"),
    "store.forget_help": ("删除此浏览器中保存的借款和方案，并回到示例数据。",
                          "Deletes the loans and plan kept in this browser and goes back to the sample."),
    "store.privacy_note": (
        "您的数据只保存在这台设备的浏览器中，不会保存在服务器上。用“删除本设备上保存的数据”清除。",
        "Your data is kept only in this device's browser, never on the server. “Forget my data on this "
        "device” clears it.",
    ),
    "store.demo_note": (
        "演示版：不保存任何数据，关闭或刷新页面后即丢失。请用“保存方案到文件”保留您的工作。",
        "Demo: nothing is kept; closing or reloading the page loses it. Use “Save the plan to a file” to "
        "keep your work.",
    ),
    "store.err.too_big": ("文件太大（{size} MB，上限 {limit} MB）。", "The file is too big ({size} MB; the limit is {limit} MB)."),
    "store.err.not_json": ("这不是本工具保存的方案文件（无法读取：{detail}）。",
                           "This is not a plan file saved by this app (unreadable: {detail})."),
    "store.err.not_scenario": ("文件内容不是一个方案。", "The file does not hold a plan."),
    "store.err.future_version": (
        "文件来自更新版本的工具（第 {version} 版，本工具只能读到第 {supported} 版）。请更新后再打开。",
        "The file comes from a newer version of the app (version {version}; this one reads up to "
        "{supported}). Update the app to open it.",
    ),
    "store.err.bad_version": ("文件的版本号“{version}”无效。", "The file's version “{version}” is not valid."),
    "store.err.invalid": ("“{where}”处的内容有误：{why}。", "Something is wrong at “{where}”: {why}."),
    "store.part.loans": ("借款", "loans"),
    "store.part.capacity": ("还款能力", "capacity"),
    "store.part.options": ("方案设置", "options"),
    "store.part.plan": ("协商方案", "plan"),
    "store.part.order": ("自定义顺序", "custom order"),
    "store.part.source": ("数据来源", "source"),
    "store.part.strategy": ("还款顺序", "strategy"),
    "store.part.basis": ("计算依据", "basis"),
    "store.why.greater_than_equal": ("数值太小（不能为负数）", "the value is too small (must not be negative)"),
    "store.why.less_than_equal": ("数值太大", "the value is too large"),
    "store.why.literal_error": ("不是允许的选项", "not one of the allowed choices"),
    "store.why.missing": ("缺少必填内容", "a required value is missing"),
    "store.why.extra_forbidden": ("不认识的内容", "not something a plan file holds"),
    "store.why.string_too_long": ("文字太长", "the text is too long"),
    "store.why.too_long": ("条目太多", "too many entries"),
    "store.why.float_parsing": ("不是数字", "not a number"),
    "store.why.int_parsing": ("不是整数", "not a whole number"),
    "store.why.date_from_datetime_parsing": ("不是日期", "not a date"),
    "store.why.string_type": ("应为文字", "should be text"),
    "store.why.finite_number": ("不是有效数字", "not a valid number"),
    "share.with_loans": ("链接中包含我的借款", "Include my loans in the link"),
    "share.loans_warning": (
        "任何拿到这个链接的人都能看到您的全部借款。只发给您信任的人（例如您的顾问）。",
        "Anyone who has this link sees all your loans. Send it only to someone you trust (e.g. your coach).",
    ),
    "share.too_long": (
        "链接会有 {n} 个字符，超过 {limit} 的上限（很多聊天软件会截断长链接）。请改用“保存方案到文件”发送文件。",
        "The link would be {n} characters, over the {limit} limit (many chat apps cut long links). Send "
        "the file instead (“Save the plan to a file”).",
    ),
    "share.link_label": ("此视图的链接：", "A link to this view:"),
    "share.copy_hint": (
        "复制上面的链接（右上角按钮）。打开它的人看到同样的设置和页面。",
        "Copy the link above (button at its top right). Whoever opens it sees the same settings and page.",
    ),
    "share.viewing": (
        "您正在查看一个**分享的视图**。它不会覆盖您在本设备上保存的数据。",
        "You are looking at a **shared view**. It does not overwrite the data kept on this device.",
    ),
    "share.back_to_mine": ("回到我自己的数据", "Back to my own data"),
    "share.keep": ("把这个视图作为我的数据", "Make this view my own"),
    "share.bad_link": ("这个分享链接无法打开，显示的是您自己的数据或示例。",
                       "This shared link could not be opened; showing your own data or the sample."),
    # --- exports and the calendar (lib.kit.exports, lib.kit.calendar) --------------------
    "export.sheet.plan": ("每月还款", "By month"),
    "export.sheet.compare": ("方案比较", "Options"),
    "export.sheet.loans": ("借款清单", "Loans"),
    "export.col.month_no": ("第几个月", "Month"),
    "export.col.month": ("月份", "Calendar month"),
    "export.col.total": ("当月还款合计", "Paid that month"),
    "export.col.owed_end": ("月末仍欠", "Still owed at month end"),
    "export.lender_loan": ("{lender}（{loan_id}）", "{lender} ({loan_id})"),
    "export.button.xlsx": ("下载还款计划（Excel）", "Download the plan (Excel)"),
    "export.button.csv": ("下载每月还款（CSV）", "Download the months (CSV)"),
    "calendar.name": ("还款计划", "Repayment plan"),
    "calendar.summary": ("还款 {lender} {amount}", "Pay {lender} {amount}"),
    "calendar.description": (
        "第 {n} 个月（{ym}）向{lender}还 {amount}（当月应还 {due}）：\n"
        "本金 {principal}，利息 {interest}，罚息 {penalty}，费用 {fees}。\n"
        "还后仍欠{lender} {owed}。\n还款前请在平台 App 中核对当期账单。",
        "Month {n} ({ym}): pay {lender} {amount} ({due} due that month):\n"
        "principal {principal}, interest {interest}, penalty interest {penalty}, fees {fees}.\n"
        "Still owed to {lender} after it: {owed}.\nCheck the bill in the lender's app before paying.",
    ),
    "calendar.alarm": ("{days} 天后还款：{lender} {amount}", "In {days} days: pay {lender} {amount}"),
    "calendar.button": ("加入手机日历（.ics）", "Add to the phone's calendar (.ics)"),
    "calendar.help": (
        "每笔还款一个全天日程，提前 {days} 天提醒。再次导入同一方案会更新这些日程，而不是重复添加。",
        "One all-day event per payment, with a reminder {days} days before. Importing the plan again "
        "updates these events instead of adding them twice.",
    ),
    # --- parts of a debt ------------------------------------------------------------------
    "part.principal": ("本金", "Principal"),
    "part.interest": ("利息", "Interest"),
    "part.penalty": ("罚息", "Penalty interest"),
    "part.fees": ("费用", "Fees"),
    # --- the report (lib/kit/report.py: HTML and PDF) ------------------------------------------
    "report.title": ("还款协商方案", "Repayment negotiation plan"),
    "report.date": ("制作日期：{date}", "Prepared on {date}"),
    "report.for": ("为 {name} 准备", "Prepared for {name}"),
    "report.source": ("借款数据来自：{name}", "Loans from: {name}"),
    "report.fig.owed": ("{n} 笔借款，欠款合计", "Owed on {n} loans"),
    "report.debts_title": ("欠了谁多少、真实成本多高", "What is owed, to whom, at what real cost"),
    "report.col.charges": ("利息+罚息+费用", "Interest + penalty + fees"),
    "report.total": ("合计", "Total"),
    "report.debts_help": (
        "真实年化按 IRR 方法计算（中国人民银行公告〔2021〕第3号）。法律参考仅供参考：持牌机构看 24% / 36% 两条线，"
        "民间借贷看 4 倍 LPR；左侧红边的是已逾期的借款。",
        "Real APR by the IRR method (PBoC announcement 〔2021〕 No. 3). The legal yardsticks are for information: "
        "licensed lenders are measured against the 24 % and 36 % lines, private loans against 4 × the LPR; a red "
        "left edge marks a loan in arrears.",
    ),
    "report.chart_lenders": ("各平台欠款构成", "What each lender is owed"),
    "report.chart_apr": ("真实年化利率排行（虚线：24%、36%）", "Real APR by loan (dotted: 24 %, 36 %)"),
    "report.capacity_title": ("每月能还多少", "What can be paid each month"),
    "report.capacity_monthly": ("每月可用于还款", "Available for debts each month"),
    "report.change": ("收入变化", "Income change"),
    "report.change_text": ("从第 {m} 个月起月收入 {income}", "From month {m}: {income} a month"),
    "report.options_title": ("几种协商方式的比较", "The options compared"),
    "report.options_help": (
        "每种方式都假设所有平台同意同一种让步。★ 还得上的方式中总成本最低，⚡ 还得上的方式中最快还清。",
        "Each option assumes every lender grants the same concession. ★ the cheapest that fits, ⚡ the fastest "
        "that fits.",
    ),
    "report.plan_title": ("选定的计划", "The chosen plan"),
    "report.col.ask": ("要提的方案", "What to ask for"),
    "report.col.month1": ("第 1 个月应还", "Due in month 1"),
    "report.col.fallback": ("对方不同意时退一步", "If they refuse, fall back to"),
    "report.steps_title": ("接下来怎么做", "Next steps"),
    "report.note_title": ("重要提示：不构成法律意见", "Please note: not legal advice"),
    "report.note": (
        "本报告由软件根据您输入的数据计算，仅供参考，不构成法律、财务或投资意见。各平台政策不同，能否协商成功、"
        "减免多少由平台决定；法律参考线按公开文件整理，可能已有变化，具体以法院、监管部门和合同为准。"
        "重要决定前请咨询律师或当地法律援助机构（12348 公共法律服务热线）。",
        "This report was computed by software from the figures you entered. It is for information only and is "
        "not legal, financial or investment advice. Each lender's policy differs and the lender decides whether "
        "and how much to grant; the legal yardsticks summarise public documents and may have changed — courts, "
        "regulators and your contracts decide. Before an important decision, ask a lawyer or local legal aid "
        "(the 12348 public legal-service line).",
    ),
    "report.note_short": ("仅供参考，不构成法律意见（见最后一页）。", "For information only, not legal advice (see the last page)."),
    "report.footer": ("由网贷协商还款规划器于 {date} 生成。", "Made by the loan negotiation planner on {date}."),
    "report.download_html": ("下载报告（HTML）", "Download the report (HTML)"),
    "report.download_pdf": ("下载报告（PDF）", "Download the report (PDF)"),
    "report.pdf_unavailable": ("此电脑无法生成 PDF：{why}", "A PDF cannot be made on this computer: {why}"),
    # --- kinds and methods (also accepted when reading files) ----------------------------
    "kind.online": ("网贷", "online"),
    "kind.consumer_finance": ("消费金融", "consumer finance"),
    "kind.credit_card": ("信用卡", "credit card"),
    "kind.bank": ("银行", "bank"),
    "kind.private": ("民间借贷", "private"),
    "kind.other": ("其他", "other"),
    "method.annuity": ("等额本息", "annuity"),
    "method.equal_principal": ("等额本金", "equal principal"),
    "method.interest_only": ("先息后本", "interest only"),
    "method.bullet": ("一次性还本付息", "bullet"),
    "method.flat_fee": ("等本等息", "flat fee"),
    # --- letters to the lenders (lib.kit.letters): why payment stopped, the letters' titles ------------
    "hardship.income_cut": ("收入大幅下降", "A sharp fall in income"),
    "hardship.job_loss": ("失业", "Losing my job"),
    "hardship.illness": ("本人或家人患病", "Illness (mine or in my family)"),
    "hardship.family": ("家庭变故", "A family emergency"),
    "hardship.business": ("经营困难", "Business difficulties"),
    "hardship.other": ("其他原因", "Other circumstances"),
    "letter.proposal": ("协商还款申请书", "Repayment proposal"),
    "letter.call_script": ("沟通要点", "Call notes"),
    "letter.checklist": ("材料与协议清单", "Documents and agreement checklist"),
    "letter.fee_audit": ("核账申请", "Request to audit the account"),
    # --- debt breakdown page ----------------------------------------------------------------
    "breakdown.title": ("债务全貌", "Debt breakdown"),
    "breakdown.no_loans": (
        "还没有借款数据。请先在“导入与编辑借款”页上传文件或手动填写。",
        "No loans yet. Upload a file or type your loans on the “Import & edit loans” page.",
    ),
    "metric.owed": ("欠款合计", "Total owed"),
    "metric.owed_help": (
        "剩余本金 + 未还利息 + 罚息 + 费用", "Balance + accrued interest + penalty interest + fees",
    ),
    "metric.interest_penalty_fees": ("利息、罚息与费用", "Interest, penalty & fees"),
    "metric.ipf_help": (
        "利息 {interest}，罚息 {penalty}，费用 {fees}", "Interest {interest}, penalty {penalty}, fees {fees}",
    ),
    "metric.monthly_due": ("每月应还（合同）", "Due each month (contract)"),
    "metric.monthly_due_help": (
        "按现有合同，下个月各笔借款应还金额之和（不含已逾期部分）",
        "What the contracts ask for next month, summed (not counting arrears)",
    ),
    "breakdown.overdue_alert": (
        "{n} 笔借款已逾期，逾期金额 {amount}，已产生罚息 {penalty}。拖得越久，罚息越多、协商空间越小。",
        "{n} loans are overdue: {amount} past due, {penalty} penalty interest so far. Waiting makes it "
        "worse: penalties grow and the room to negotiate shrinks.",
    ),
    "breakdown.assumed.one": (
        "{n} 笔借款的剩余期数等数据是按常见情况假设的（见表中“待核对”列），月供和还清时间可能不准。请到导入页核对或补上。",
        "{n} loan carries an assumption (months left or the like, see the “Check” column): its monthly "
        "payment and payoff date may be off. Check or fill it in on the import page.",
    ),
    "breakdown.assumed.other": (
        "{n} 笔借款的剩余期数等数据是按常见情况假设的（见表中“待核对”列），月供和还清时间可能不准。请到导入页核对或补上。",
        "{n} loans carry assumptions (months left or the like, see the “Check” column): their monthly "
        "payments and payoff dates may be off. Check or fill them in on the import page.",
    ),
    "breakdown.go_check": ("核对假设的数据 →", "Check the assumed values →"),
    "breakdown.by_lender": ("各平台欠款构成", "Owed per lender"),
    "breakdown.composition": ("整体构成", "What the debt is made of"),
    "breakdown.apr_title": ("真实年化利率排名（IRR 法）", "Real APR ranking (IRR method)"),
    "breakdown.apr_caption": (
        "按中国人民银行公告〔2021〕第3号，年化利率应以实际到手金额和每期还款计算（IRR），"
        "计入全部利息和费用。条形颜色：绿 ≤ 24%，橙 24%–36%，红 > 36%；民间借贷按一年期 LPR 的 4 倍判断"
        "（2020-08-20 起订立的按借款时的 LPR，此前订立的按起诉时的 LPR，法释〔2020〕17号 第31条）。",
        "Per PBoC announcement [2021] No. 3 the annual rate must count all interest and fees over the "
        "money actually received (IRR method). Bars: green ≤ 24 %, orange 24–36 %, red > 36 %; private "
        "loans are measured against 4 × the one-year LPR (at the loan date for contracts from 2020-08-20, "
        "at filing for older ones: 法释〔2020〕17号 art. 31).",
    ),
    "chart.apr_axis": ("真实年化（名义，12 × 月 IRR）", "Real APR (nominal, 12 × monthly IRR)"),
    "breakdown.table_title": ("每笔借款", "Each loan"),
    "breakdown.yardstick_caption": (
        "法律参考仅供参考，不构成法律意见。持牌机构（银行、消费金融、小贷）不适用 4 倍 LPR（法释〔2020〕27号）；"
        "综合成本超过 24% 的部分，借款人主张时法院通常予以调减（法发〔2017〕22号）；超过 36% 不受保护"
        "（整治办函〔2017〕141号）。“推算项”是根据其他数据算出的值。红色底色的行已逾期。",
        "Legal yardsticks are informational, not legal advice. Licensed lenders (banks, consumer finance, "
        "microloan companies) are outside the 4 × LPR rule (Fa Shi [2020] 27); courts commonly cut total "
        "cost above 24 % when the borrower objects (Fa Fa [2017] 22); above 36 % is beyond protection "
        "(2017 cash-loan notice). “Derived” lists values computed from the others. Red rows are overdue.",
    ),
    "col.lender": ("平台", "Lender"),
    "col.kind": ("类型", "Kind"),
    "col.owed": ("欠款合计", "Owed"),
    "col.balance": ("剩余本金", "Balance"),
    "col.monthly_payment": ("每期应还", "Monthly payment"),
    "col.remaining_months": ("剩余期数", "Months left"),
    "col.contract_rate": ("合同利率", "Contract rate"),
    "rate.flat_fee": ("月费率 {pct}", "{pct} a month (flat fee)"),
    "col.apr_nominal": ("真实年化（名义）", "Real APR (nominal)"),
    "col.apr_effective": ("真实年化（复利）", "Real APR (effective)"),
    "col.flag": ("法律参考", "Legal yardstick"),
    "col.source": ("依据", "Source"),
    "col.overdue_days": ("逾期天数", "Days overdue"),
    "col.overdue_amount": ("逾期金额", "Overdue amount"),
    "col.derived": ("推算项", "Derived"),
    "col.check": ("待核对", "Check"),
    "col.row": ("行", "Row"),
    "col.column": ("列", "Column"),
    "problem.row": ("第 {row} 行", "Row {row}"),  # a problem's card on a phone: where it is
    "col.problem": ("问题", "Problem"),
    "col.outcome": ("处理", "Outcome"),
    "outcome.error": ("此行未导入", "row not imported"),
    "outcome.warning": ("已忽略此值", "value ignored"),
    "flag.licensed_24.green": ("≤ 24%：通常受法律保护", "≤ 24 %: normally protected"),
    "flag.licensed_24.orange": ("超过 24%：借款人主张时法院可调减", "above 24 %: courts may cut it"),
    "flag.licensed_36.red": ("超过 36%：超出部分不受保护", "above 36 %: the excess is not protected"),
    "flag.private_4lpr.green": (
        "≤ 4 倍 LPR（{threshold}，{date} 的 LPR）", "≤ 4 × LPR ({threshold}, LPR of {date})",
    ),
    "flag.private_4lpr.red": (
        "超过 4 倍 LPR（{threshold}，{date} 的 LPR）：超出部分不受保护",
        "above 4 × LPR ({threshold}, LPR of {date}): not protected",
    ),
    "flag.private_4lpr_latest.green": (
        "≤ 4 倍 LPR（{threshold}，借款日期未知，按 {date} 最新 LPR）",
        "≤ 4 × LPR ({threshold}; loan date unknown, latest LPR of {date})",
    ),
    "flag.private_4lpr_latest.red": (
        "超过 4 倍 LPR（{threshold}，借款日期未知，按 {date} 最新 LPR）：超出部分不受保护",
        "above 4 × LPR ({threshold}; loan date unknown, latest LPR of {date}): not protected",
    ),
    "flag.private_old_24_36.green": ("≤ 24%（2020 年前的旧规则）", "≤ 24 % (pre-2020 rule)"),
    "flag.private_old_24_36.orange": (
        "24%–36%（2020 年前的旧规则：已付不退，未付不支持）", "24–36 % (pre-2020 rule: a grey zone)",
    ),
    "flag.private_old_24_36.red": ("超过 36%（2020 年前的旧规则）：不受保护", "above 36 % (pre-2020 rule): not protected"),
    "flag.unknown.unknown": ("无法计算（缺少还款数据）", "cannot be computed (payments unknown)"),
    "flag.private_art31.green": (
        "≤ 4 倍 LPR（{threshold}，{date} 的 LPR）。合同在 2020-08-20 前订立：此后的利息按起诉时 4 倍 LPR 判断",
        "≤ 4 × LPR ({threshold}, LPR of {date}). Contract made before 2020-08-20: interest since then is "
        "judged by 4 × the LPR at filing",
    ),
    "flag.private_art31.red": (
        "超过 4 倍 LPR（{threshold}，{date} 的 LPR）：超出部分不受保护。合同在 2020-08-20 前订立：此后的利息按起诉时 4 倍 LPR 判断",
        "above 4 × LPR ({threshold}, LPR of {date}): not protected. Contract made before 2020-08-20: "
        "interest since then is judged by 4 × the LPR at filing",
    ),
    "flag.no_line.unknown": (
        "没有适用的参考线（参考线数据未覆盖这一日期）", "no yardstick applies (the yardstick data does not cover this date)",
    ),
    # a line added to data/yardsticks.csv without its own text
    "flag.generic.green": ("≤ {threshold}", "≤ {threshold}"),
    "flag.generic.orange": ("超过 {threshold}：借款人主张时法院可调减", "above {threshold}: courts may cut it"),
    "flag.generic.red": ("超过 {threshold}：超出部分不受保护", "above {threshold}: the excess is not protected"),
    # complaint points: a loan above a regulator's cap on new loans (lib.rates.complaint_point)
    "flag.complaint_col": ("投诉点", "Complaint point"),
    "flag.complaint": (
        "{since} 起新发放的此类贷款综合成本上限为 {threshold}（{confidence}）：可向{channel}投诉。依据：{source}",
        "new loans of this kind from {since} are capped at {threshold} in total cost ({confidence}): "
        "complain to {channel}. Source: {source}",
    ),
    "flag.channel.12378": (
        "国家金融监督管理总局 12378 热线或金融消费者保护服务平台",
        "the NFRA's 12378 line or its financial-consumer protection platform",
    ),
    "flag.channel.local_bureau": (
        "小额贷款公司所在地的地方金融管理部门（资金来自银行或消费金融公司的，打 12378）",
        "the local financial regulator where the microloan company is registered (12378 when the money "
        "comes from a bank or consumer-finance company)",
    ),
    "flag.confidence.official": ("正式文件", "official document"),
    "flag.confidence.interpreted": ("按正式文件的解读", "a reading of the official text"),
    "flag.confidence.press_summary": ("文件已发布，内容据媒体摘要", "published; content from press summaries"),
    "flag.confidence.reported": ("据报道，未见公开文件", "reported; no published document"),
    "flag.confidence.unverified": ("未核实", "not verified"),
    "flag.confidence.draft": ("征求意见稿", "draft"),
    # --- contact log, complaints, paid agents (lib.contacts) --------------------------------------
    "contacts.title": ("催收记录", "Contact log"),
    "contacts.intro": (
        "每次来电、短信、上门或来信都记一笔：时间、方式、对方工号或姓名、联系了谁、说了什么。违反催收规范的记录会被标出，"
        "并可生成投诉信。不要在这里记身份证号、银行卡号、密码或短信验证码。",
        "Log every call, message, visit or letter: when, how, the agent's staff number or name, whom they "
        "reached, what was said. Entries that break the collection rules are flagged and can go into a "
        "complaint letter. Never write ID or card numbers, passwords or SMS codes here.",
    ),
    "contacts.flags_title": ("违反催收规范的记录", "Entries that break the collection rules"),
    "contacts.no_flags": ("记录中没有发现违反催收规范的情况。", "No entry breaks the collection rules."),
    "contacts.field.loan_id": ("借款", "Loan"),
    "contacts.field.when": ("时间", "When"),
    "contacts.field.channel": ("方式", "Channel"),
    "contacts.field.direction": ("方向", "Direction"),
    "contacts.field.answered": ("已接通", "Answered"),
    "contacts.field.who": ("对方工号或姓名", "Agent's staff number or name"),
    "contacts.field.contacted": ("联系了谁", "Whom they reached"),
    "contacts.field.consent_to_hours": ("我同意在这个时间联系", "I agreed to a contact at this hour"),
    "contacts.field.threat": ("威胁、恐吓", "Threats or intimidation"),
    "contacts.field.shaming": ("公开羞辱（张贴、散布隐私、爆通讯录）", "Public shaming (posting, spreading private information, the address book)"),
    "contacts.field.debtor_unreachable_before": ("此前联系不上我本人", "I could not be reached before"),
    "contacts.field.refused_before": ("此人曾要求不再联系", "This person had asked not to be contacted"),
    "contacts.field.disclosed": ("向此人透露了欠款", "This person was told about the debt"),
    "contacts.field.offered": ("对方提出或承诺了什么", "What was offered or promised"),
    "contacts.field.follow_up": ("跟进日期", "Follow up on"),
    "contacts.field.note": ("备注", "Note"),
    "contacts.channel.call_in": ("来电", "incoming call"),
    "contacts.channel.call_out": ("我方去电", "call I made"),
    "contacts.channel.sms": ("短信", "text message"),
    "contacts.channel.app_message": ("App / 微信消息", "app or WeChat message"),
    "contacts.channel.letter": ("信函", "letter"),
    "contacts.channel.visit": ("上门", "visit"),
    "contacts.direction.from_lender": ("对方联系我", "from the lender"),
    "contacts.direction.to_lender": ("我联系对方", "to the lender"),
    "contacts.contacted.debtor": ("本人", "me"),
    "contacts.contacted.family": ("家人、亲属", "family"),
    "contacts.contacted.employer": ("单位、同事", "employer or colleagues"),
    "contacts.contacted.friend": ("朋友", "a friend"),
    "contacts.contacted.other_third_party": ("其他第三人", "another third party"),
    "contacts.flag.quiet_hours": ("{time} 催收，未经本人同意", "collection at {time} without my consent"),
    "contacts.flag.answered_calls": (
        "当天第 {n} 次接通的催收电话（上限 {limit} 次）", "the {n}th answered collection call that day (limit {limit})",
    ),
    "contacts.flag.unanswered_attempts": (
        "当天第 {n} 次未接通仍拨打同一号码（上限 {limit} 次）",
        "the {n}th unanswered attempt that day to the same number (limit {limit})",
    ),
    "contacts.flag.third_party_reachable": (
        "在能联系到我本人的情况下联系了第三人", "a third party was contacted although I could be reached",
    ),
    "contacts.flag.third_party_refused": (
        "此人已要求不再联系，仍被再次联系", "contacted again after asking not to be",
    ),
    "contacts.flag.disclosed": ("向第三人透露了我的欠款", "a third party was told about my debt"),
    "contacts.flag.threat": ("威胁、恐吓", "threats or intimidation"),
    "contacts.flag.shaming": (
        "公开羞辱（张贴、散布隐私或联系通讯录）", "public shaming (posting, spreading private information or the address book)",
    ),
    "complaint.title": ("违规催收投诉书", "Complaint about collection practices"),
    "complaint.to.lender": ("{lender}", "To {lender}"),
    "complaint.to.12378": (
        "国家金融监督管理总局（12378 热线 / 金融消费者保护服务平台）",
        "To the National Financial Regulatory Administration (12378 / financial-consumer protection platform)",
    ),
    "complaint.to.local_bureau": (
        "{lender}注册地的地方金融管理局", "To the local financial regulatory bureau where {lender} is registered",
    ),
    "complaint.number_removed": ("（号码已略去）", "(number left out)"),
    "complaint.routes_title": ("去哪里投诉", "Where to complain"),
    "complaint.route.lender": ("机构自己的投诉渠道", "The lender's own complaints channel"),
    "complaint.route.lender.help": (
        "先向机构投诉（官方客服、投诉专线），要求书面答复，保留投诉记录。",
        "Complain to the lender first (official service line, complaints desk), ask for a written reply and "
        "keep a record.",
    ),
    "complaint.route.12378": ("12378 / 金融消费者保护服务平台", "12378 / financial-consumer protection platform"),
    "complaint.route.12378.help": (
        "国家金融监督管理总局热线，受理银行、信用卡中心、消费金融公司的投诉，也可申请调解。",
        "The National Financial Regulatory Administration's line for banks, card centres and consumer-finance "
        "companies; complaints or mediation.",
    ),
    "complaint.route.local_bureau": ("地方金融管理局", "The local financial regulatory bureau"),
    "complaint.route.local_bureau.help": (
        "小额贷款公司、网贷平台所在地的地方金融管理部门；资金来自银行或消费金融公司的，也可打 12378。",
        "Where the microloan company or online lender is registered; when the money comes from a bank or "
        "consumer-finance company, 12378 too.",
    ),
    "complaint.route.12363": ("12363（中国人民银行）", "12363 (People's Bank of China)"),
    "complaint.route.12363.help": (
        "征信记录有误或与征信有关的问题，可免费提出异议。",
        "A wrong credit record or another credit-record matter: dispute it, for free.",
    ),
    "complaint.route.12321": ("12321 举报骚扰电话和短信", "12321 for harassing calls and messages"),
    "complaint.route.12321.help": (
        "网络不良与垃圾信息举报受理中心，受理骚扰电话、短信的举报。",
        "The reporting centre for harmful and spam messages takes reports of harassing calls and messages.",
    ),
    "complaint.route.110": ("110 报警", "Call the police: 110"),
    "complaint.route.110.help": (
        "受到威胁、恐吓，被公开侮辱或隐私被散布，请报警并保留录音、截图。",
        "When you are threatened, publicly insulted or your private information is spread, call the police "
        "and keep recordings and screenshots.",
    ),
    "complaint.route.court_mediation": ("法院诉前调解", "The court's pre-litigation mediation"),
    "complaint.route.court_mediation.help": (
        "民间借贷不归金融监管部门管：协商不成可申请法院诉前调解。",
        "Private loans are not under the financial regulators: if you cannot agree, ask the court for "
        "pre-litigation mediation (诉前调解).",
    ),
    "scam.title": ("这个付费“代理协商”可信吗？", "Can this paid “negotiation agent” be trusted?"),
    "scam.intro": (
        "有人向您推销“代理协商 / 停息挂账 / 征信洗白”？回答几个问题。",
        "Someone offers to negotiate for you, freeze the interest or clean your credit record for a fee? "
        "Answer a few questions.",
    ),
    "scam.q.promises_result": ("保证成功，或承诺一定能停息、减免", "Promises success or a guaranteed outcome"),
    "scam.q.internal_channel": ("声称有“内部渠道”或特殊关系", "Claims “internal channels” or special relationships"),
    "scam.q.upfront_fee": ("要求先交费用或定金", "Asks for a fee up front"),
    "scam.q.asks_codes": ("索要短信验证码或密码", "Asks for SMS codes or passwords"),
    "scam.q.asks_device": ("要求交出手机卡，或远程控制、共享屏幕", "Asks for your SIM card, remote access or screen sharing"),
    "scam.q.stop_paying": ("让您停止还款，把钱转给他们", "Tells you to stop paying and pay them instead"),
    "scam.q.erase_record": ("声称能删除或“洗白”征信记录", "Offers to erase or “clean” credit records"),
    "scam.verdict.scam": ("这是诈骗", "This is a scam"),
    "scam.verdict.scam.help": (
        "正规协商从不需要验证码、密码、手机卡或远程控制；正确的征信记录谁也删不掉。不要交出任何信息，已交出的请立即改密码、联系银行，并报警（110）。",
        "A real negotiation never needs codes, passwords, your SIM card or remote access, and nobody can erase "
        "a correct credit record. Hand over nothing; if you already did, change your passwords, call your bank "
        "and the police (110).",
    ),
    "scam.verdict.high_risk": ("风险很高", "High risk"),
    "scam.verdict.high_risk.help": (
        "没有人能保证机构一定同意；先收费、让您停止还款的，常常收了钱就消失，逾期和罚息却照样增加。",
        "Nobody can guarantee what a lender will agree to; those who charge first or tell you to stop paying "
        "often vanish with the money while arrears and penalties keep growing.",
    ),
    "scam.verdict.be_careful": ("谨慎：没有必要付费", "Be careful: there is no need to pay"),
    "scam.verdict.be_careful.help": (
        "所谓“内部渠道”并不存在：协商由借款人本人申请，不需要中介。",
        "There are no “internal channels”: a negotiation is applied for by the borrower, with no intermediary.",
    ),
    "scam.alt.negotiate_yourself": (
        "自己协商：打机构的官方客服，用本工具生成的协商申请书和沟通要点，不花钱。",
        "Negotiate yourself: call the lender's official line with the proposal letter and call notes this "
        "planner makes, for free.",
    ),
    "scam.alt.12378": (
        "银行、信用卡、消费金融公司不受理协商的，打 12378 投诉或申请调解。",
        "If a bank, card centre or consumer-finance company will not talk, complain to 12378 or ask it for "
        "mediation.",
    ),
    "guide.rule.cba_no_threats": (
        "不得以恐吓、辱骂、欺诈、威胁、暴力、涉黑等手段催收",
        "No intimidation, abuse, fraud, threats, violence or gang-style means",
    ),
    "guide.rule.cba_no_shaming": (
        "不得散布您的隐私，不得在公众场所张贴催收公告、律师函",
        "No spreading of your private information, no collection notices or lawyer's letters posted in public",
    ),
    "guide.rule.psl_threats": (
        "以写恐吓信或其他方法威胁他人人身安全、多次发送恐吓或侮辱信息干扰他人正常生活的，处拘留或罚款（可报警 110）",
        "Threatening someone's personal safety, or repeatedly sending threatening or insulting messages that "
        "disturb their life, is punished by detention or a fine (call 110)",
    ),
    "guide.rule.psl_shaming": (
        "公然侮辱他人、捏造事实诽谤他人或散布他人隐私的，处拘留或罚款（可报警 110）",
        "Publicly insulting someone, slandering them or spreading their private information is punished by "
        "detention or a fine (call 110)",
    ),
    # --- hostile input and limits ---
    "problem.unzipped_too_big": (
        "这个 Excel 文件解压后有 {size} MB，超过上限 {limit} MB，无法读取。请只保留借款明细后重新保存",
        "This Excel file unpacks to {size} MB, above the {limit} MB limit, and cannot be read. Keep only "
        "the loans and save it again",
    ),
    "problem.too_many_cells": (
        "表格超过 {limit} 个单元格，无法读取。请只保留借款明细（最多 {rows} 行）",
        "The table has more than {limit} cells and cannot be read. Keep only the loans (at most {rows} rows)",
    ),
    "problem.too_large": (
        "金额“{value}”超过上限 {limit} 元，请检查单位", "The amount “{value}” is above the {limit} yuan limit; check the unit",
    ),
    "problem.lender_too_long": (
        "名称有 {length} 个字，只保留前 {limit} 个", "The name has {length} characters; only the first {limit} are kept",
    ),
    # --- loans page ---------------------------------------------------------------------------
    "loans.title": ("导入与编辑借款", "Import & edit loans"),
    "loans.intro": (
        "上传网贷平台、银行或自己整理的借款表（CSV 或 Excel，中文或英文表头均可），或直接在下表中填写。",
        "Upload the loan list from your apps, bank or your own spreadsheet (CSV or Excel, Chinese or "
        "English headers), or type your loans in the table below.",
    ),
    "loans.upload": ("上传借款表（CSV / Excel）", "Upload a loan file (CSV / Excel)"),
    "loans.upload_help": (
        "支持 UTF-8 与 GBK 编码、逗号/分号/制表符分隔、.xlsx 与 .xls；最大 5 MB。表头可以是“平台、剩余本金、年化利率、剩余期数”等常见叫法。",
        "UTF-8 or GBK, comma/semicolon/tab separated, .xlsx or .xls; up to 5 MB. Headers such as "
        "Lender, Balance, Annual rate, Remaining months (or their Chinese names).",
    ),
    "loans.reading": ("正在读取文件…", "Reading the file…"),
    "loans.day_basis": ("日利率折算年化按", "Daily rate × days a year"),
    "loans.day_basis_help": (
        "平台通常按 360 天折算（日息万五 = 年化 18%）；也可选 365 天。",
        "Platforms usually use 360 days (0.05 %/day = 18 %/year); 365 is also possible.",
    ),
    "loans.use_sample": ("载入示例", "Load the sample"),
    "loans.start_empty": ("清空，手动填写", "Start empty"),
    "loans.read_file.one": ("已从 {name} 读取 {n} 笔借款", "Read {n} loan from {name}"),
    "loans.read_file.other": ("已从 {name} 读取 {n} 笔借款", "Read {n} loans from {name}"),
    "loans.read_typed.one": ("已录入 {n} 笔借款", "{n} loan typed in"),
    "loans.read_typed.other": ("已录入 {n} 笔借款", "{n} loans typed in"),
    "loans.skipped.one": ("{n} 行未能导入", "{n} row could not be imported"),
    "loans.skipped.other": ("{n} 行未能导入", "{n} rows could not be imported"),
    "loans.ignored.one": ("{n} 个值无法识别，已忽略", "{n} value was ignored"),
    "loans.ignored.other": ("{n} 个值无法识别，已忽略", "{n} values were ignored"),
    "loans.file_problem": ("文件未能作为借款表读取", "the file could not be read as a loan table"),
    "loans.summary_clean": ("{read}。", "{read}."),
    "loans.summary_issues": ("{read}；{issues}。原因见下方。", "{read}; {issues} (see below)."),
    "loans.not_taken.one": (
        "有 {n} 行借款未能导入，不在这里的合计中。", "{n} row of your loans could not be imported and is not "
        "counted here.",
    ),
    "loans.not_taken.other": (
        "有 {n} 行借款未能导入，不在这里的合计中。", "{n} rows of your loans could not be imported and are not "
        "counted here.",
    ),
    "loans.not_taken_link": ("查看未导入的行并修改 →", "See and fix the rows not imported →"),
    "loans.col_check": ("待核对", "Check"),
    "loans.check_hint.one": (
        "{n} 笔借款的部分数据是按常见情况假设的，见表格最右边的“待核对”列；在空着的单元格填上实际值，就不再是假设。",
        "{n} loan has values assumed as is common: see the “Check” column at the far right. Type the real "
        "value in the blank cell and it is no longer assumed.",
    ),
    "loans.check_hint.other": (
        "{n} 笔借款的部分数据是按常见情况假设的，见表格最右边的“待核对”列；在空着的单元格填上实际值，就不再是假设。",
        "{n} loans have values assumed as is common: see the “Check” column at the far right. Type the real "
        "values in the blank cells and they are no longer assumed.",
    ),
    "loans.assume.months.term": (
        "不知道已还了几期，剩余期数按总期数假设为 {n} 期", "months left assumed to be the whole term, {n} (how "
        "many are paid is unknown)",
    ),
    "loans.assume.months.credit_card": (
        "剩余期数按信用卡最低还款（每月还 10% 本金加利息）假设为 {n} 期",
        "months left assumed to be {n}, as a card's minimum payment (10 % of the balance a month plus interest)",
    ),
    "loans.assume.months.private": (
        "没有约定还款期限，按随时可要求归还假设为 {n} 期", "no end date: assumed due on demand, in {n} month",
    ),
    "loans.assume.months.other": ("剩余期数未知，假设为 {n} 期", "months left unknown: assumed to be {n}"),
    "loans.assume.method": ("还款方式假设为{method}", "method assumed: {method}"),
    "loans.assume.field": ("{field}是假设的", "{field} assumed"),
    "loans.assume.check": ("{what}，请核对", "{what}. Please check"),
    "loans.editor_title": ("借款明细（可直接编辑）", "Your loans (editable)"),
    "loans.editor_help": (
        "点击单元格即可修改，末行可新增借款。月供、类型、还款方式等留空时会自动推算。利率按年化百分比填写（18 表示 18%）；"
        "按月收手续费的（等本等息）写月费率，如“月0.75%”。",
        "Click a cell to edit; add loans in the last row. Blank monthly payment, kind or method are "
        "derived. Enter the rate as an annual percent (18 means 18 %); a monthly flat fee as stated, e.g. "
        "“0.75%/month”.",
    ),
    "loans.downloads": ("下载", "Downloads"),
    "loans.template_zh": ("模板（中文 CSV）", "Template (Chinese CSV)"),
    "loans.template_en": ("模板（英文 CSV）", "Template (English CSV)"),
    "loans.export_csv": ("导出我的借款（CSV）", "Export my loans (CSV)"),
    "loans.export_xlsx": ("导出我的借款（Excel）", "Export my loans (Excel)"),

    # --- capacity page --------------------------------------------------------------------------
    "nav.step2": ("② 还款能力", "② Know your capacity"),
    "nav.capacity": ("每月能还多少", "What you can pay"),
    "capacity.title": ("每月能还多少", "What you can really pay"),
    "capacity.intro": (
        "先算清自己真实的还款能力，再去和平台谈。下面按月模拟：每笔借款先计息，预算先付当月应还；"
        "预算不够时按应还比例分摊，欠下的部分转为逾期并按罚息计息；多出的钱按所选策略提前还款。",
        "Know what you can really pay before you call any lender. The plan below runs month by month: "
        "each loan accrues interest, the budget pays each month's dues first; when it is short it is "
        "split in proportion to the dues and the rest becomes overdue, accruing penalty interest; "
        "money left over repays early by the strategy you choose.",
    ),
    "capacity.income": ("税后月收入", "Monthly take-home income"),
    "capacity.income_help": ("工资、经营收入等每月实际到手的钱", "Salary and other income actually received each month"),
    "capacity.essentials": ("每月必要开支", "Essential spending a month"),
    "capacity.essentials_help": ("房租、吃饭、交通、孩子、医疗等不能省的开支", "Rent, food, transport, children, health"),
    "capacity.obligations": ("其他固定支出", "Other fixed obligations"),
    "capacity.obligations_help": (
        "不在借款表里的固定支出，如房贷、车贷、赡养费", "Fixed payments not in the loan list: mortgage, car loan, support",
    ),
    "capacity.share": ("结余中用于还债的比例", "Share of the surplus for debts"),
    "capacity.share_help": (
        "留一点余地，计划才能坚持下去", "Leave some room: a plan you can keep beats a plan you break",
    ),
    "capacity.cash": ("现在可动用的一次性资金", "One-off cash available now"),
    "capacity.cash_help": ("存款、年终奖、亲友支持等，第 1 个月用于还款", "Savings, a bonus, family help: paid in month 1"),
    "capacity.reserve": ("应急储备（不动用）", "Emergency reserve to keep"),
    "capacity.reserve_help": ("从一次性资金里留下、不用于还债的部分", "Kept out of the one-off cash"),
    "capacity.change": ("收入会变化", "Income will change"),
    "capacity.change_month": ("从第几个月起", "From month"),
    "capacity.change_income": ("变化后的月收入", "New monthly income"),
    "capacity.penalty_multiple": ("罚息倍数（× 合同利率）", "Penalty rate (× contract rate)"),
    "capacity.penalty_multiple_help": (
        "银行通常在合同利率上加收 30%–50% 作为罚息，默认 1.5 倍，可按合同调整",
        "Banks charge the contract rate plus 30–50 % on overdue amounts; 1.5 × by default",
    ),
    "capacity.monthly": ("每月可用于还债", "For debts each month"),
    "capacity.due_now": ("合同每月应还", "Contracts ask each month"),
    "capacity.gap_short": ("每月缺口", "Monthly shortfall"),
    "capacity.gap_surplus": ("每月结余", "Monthly surplus"),
    "capacity.dti": ("月供收入比", "Debt-to-income"),
    "capacity.need_now": ("本月需要（含已逾期）", "This month needs (arrears included)"),
    "capacity.need_now_help": (
        "合同本月应还，加上已经逾期的金额和已欠的利息、罚息：不先补上逾期，罚息会一直涨",
        "What the contracts ask this month plus what is already overdue, with the interest and penalty "
        "owed: until the arrears are paid, penalty keeps growing",
    ),
    "capacity.status.need": (
        "本月需要 {need}：合同应还 {due}，加上已逾期的 {overdue}（含已欠的利息和罚息）。您每月能拿出 {capacity} 还债。",
        "This month needs {need}: the contracts' {due} plus {overdue} already overdue (with the interest and "
        "penalty on it). You have {capacity} a month for debts.",
    ),
    "capacity.status.lasts": (
        "按这个预算，逾期要持续 {n} 个月（到 {end}）才补齐，期间罚息 {penalty}；逾期最多时达 {peak}。越早协商，罚息越早停下来。",
        "At this budget the arrears last {n} months (until {end}) and cost {penalty} in penalty interest on "
        "the way; at most {peak} is overdue. Negotiating early stops that.",
    ),
    "capacity.status.never": (
        "按这个预算，逾期一直补不上，利息和罚息不断累积（计划期间罚息 {penalty}）。需要和平台协商。",
        "At this budget the arrears are never made up: interest and penalty keep piling up ({penalty} of "
        "penalty over the plan). You need to negotiate.",
    ),
    "capacity.status.caught_up": ("这个月就能把逾期补齐。", "The arrears are made up this month."),
    "capacity.status.enough": (
        "够付每月合同应还，没有逾期；每月多出的 {spare} 按所选策略提前还款。",
        "Enough for what the contracts ask, nothing overdue; the {spare} left each month repays early by the "
        "strategy you chose.",
    ),
    "capacity.basis": ("计算依据", "Figures by"),
    "capacity.basis.enforceable": ("依法可执行的部分", "What can be enforced"),
    "capacity.basis.contractual": ("平台按合同主张", "The lender's contractual claim"),
    "capacity.basis_help": (
        "借款人主张时，法院对利息、罚息、复利和费用合计超过法定上限的部分不予支持：持牌机构年化 24%（法发〔2017〕22号），"
        "民间借贷为合同成立时一年期 LPR 的 4 倍（法释〔2020〕17号）。默认按依法可执行的计算。",
        "When the borrower objects, courts do not uphold interest, penalty, compound interest and fees "
        "together above the legal line: 24 % a year for licensed lenders (法发〔2017〕22号), 4 × the one-year "
        "LPR at the contract date for private loans (法释〔2020〕17号). By default the figures are what can "
        "be enforced.",
    ),
    "capacity.refusable.enforceable": (
        "按合同，这 {n} 个月平台会计收利息、罚息和费用 {contract}；依法可执行的是 {enforceable}。多出的 {extra} 您可以拒绝支付："
        "借款人主张时，法院对超过法定上限（持牌机构年化 24%，法发〔2017〕22号；民间借贷 4 倍 LPR，法释〔2020〕17号）的部分不予支持。",
        "Over these {n} months the contracts would charge {contract} in interest, penalty and fees; what can "
        "be enforced is {enforceable}. The other {extra} you can refuse to pay: when the borrower objects, "
        "courts do not uphold charges above the legal line (24 % a year for licensed lenders, 法发〔2017〕22号; "
        "4 × LPR for private loans, 法释〔2020〕17号).",
    ),
    "capacity.refusable.contractual": (
        "这里按平台的合同主张计算：这 {n} 个月利息、罚息和费用 {contract}。依法可执行的只有 {enforceable}，多出的 {extra} "
        "您可以拒绝支付（法发〔2017〕22号；法释〔2020〕17号）。",
        "These figures are the lender's contractual claim: {contract} of interest, penalty and fees over "
        "these {n} months. What can be enforced is {enforceable}; the other {extra} you can refuse to pay "
        "(法发〔2017〕22号; 法释〔2020〕17号).",
    ),
    "capacity.dti_help": (
        "合同每月应还 ÷ 税后月收入；超过 50% 通常已难以为继",
        "Monthly dues ÷ take-home income; above 50 % is rarely sustainable",
    ),
    "capacity.strategy": ("多出来的钱先还哪笔", "Where extra money goes first"),
    "capacity.computing": ("正在逐月计算…", "Working through the months…"),
    "capacity.debt_free": ("还清需要", "Debt-free in"),
    "capacity.months": ("{n} 个月", "{n} months"),
    "capacity.never": ("还不清", "never"),
    "capacity.total_cost": ("计划期间产生的利息、罚息和费用", "Interest, penalty and fees on the way"),
    "capacity.total_cost_help": (
        "利息 {interest}，罚息 {penalty}，费用 {fees}", "Interest {interest}, penalty {penalty}, fees {fees}",
    ),
    "capacity.total_paid": ("总共要还", "Total paid"),
    "capacity.not_finishing.never_clears": (
        "按现在的预算，债务永远还不清：每月产生的利息和罚息不少于能还的钱。{months} 个月后仍欠 {owed}。"
        "这正是需要尽早协商的情况：见下方“需要多少”。",
        "At this budget the debt never clears: interest and penalties grow at least as fast as you can "
        "pay. After {months} months {owed} is still owed. This is exactly when to negotiate early: see "
        "“what it takes” below.",
    ),
    "capacity.not_finishing.horizon": (
        "按现在的预算，{horizon} 个月（{years} 年）内也还不清：即使从第 {months} 个月起不再产生任何利息，"
        "剩下的 {owed} 也至少还要还到第 {at_least} 个月。",
        "At this budget the debt is not cleared within {horizon} months ({years} years): even if nothing "
        "more accrued after month {months}, the {owed} left would take until month {at_least} at least.",
    ),
    "capacity.target": ("希望在几个月内还清", "Clear everything within (months)"),
    "capacity.need_more": (
        "要在 {n} 个月内还清，每月需要 {amount}，比现在的预算多 {diff}。",
        "To be clear in {n} months you need {amount} a month, {diff} more than your budget now.",
    ),
    "capacity.need_ok": (
        "要在 {n} 个月内还清，每月需要 {amount}，现在的预算够用（还富余 {diff}）。",
        "To be clear in {n} months you need {amount} a month: your budget covers it ({diff} to spare).",
    ),
    "capacity.tab_payments": ("每月还款与能力", "Monthly payments vs capacity"),
    "capacity.tab_balance": ("欠款余额", "What is owed"),
    "capacity.tab_gantt": ("每笔何时还清", "When each is cleared"),
    "capacity.tab_penalty": ("罚息增长", "Penalty growth"),
    "capacity.strategies": ("各种还款策略对比", "All strategies compared"),
    "capacity.strategies_same": (
        "预算一直低于应还金额时，钱全部按比例用于支付各笔应还款，没有余钱可以分配，所以各策略结果相同。"
        "要改变结果，需要增加预算或通过协商降低应还金额。",
        "While the budget is below what is due, all of it is split over the dues and nothing is left to "
        "direct, so every strategy gives the same result. Only a larger budget or lower dues (negotiation) "
        "change it.",
    ),
    "col.strategy": ("策略", "Strategy"),
    "col.months": ("还清月数", "Months"),
    "strategy.avalanche": ("先还最贵的", "Dearest first"),
    "strategy.snowball": ("先还金额最小的", "Smallest balance first"),
    "strategy.pro_rata": ("按余额比例", "In proportion"),
    "strategy.overdue_first": ("先止住罚息", "Stop penalties first"),
    "strategy.custom": ("自定顺序", "My own order"),
    "strategy.avalanche.explain": (
        "多出的钱先还真实成本最高的那笔（按 IRR 算剩余合同的年化，手续费按原始本金收取的分期排在前面）——总利息最少（“雪崩法”）。",
        "Extra money goes to the loan that really costs most first (the IRR of what is left of each contract: "
        "a flat fee charged on the original principal ranks high): the least interest overall (avalanche).",
    ),
    "strategy.snowball.explain": (
        "先还清金额最小的那笔——更快减少要对付的平台数量，给自己信心（“雪球法”）。",
        "Clear the smallest loan first: fewer lenders to deal with sooner, and momentum (snowball).",
    ),
    "strategy.pro_rata.explain": (
        "按各笔余额比例分配——对每个平台都一视同仁，协商时最容易解释。",
        "Split by balance: every lender treated alike, easy to explain when you negotiate.",
    ),
    "strategy.overdue_first.explain": (
        "先还罚息增长最快的逾期借款——止住越滚越多的罚息。",
        "Pay the overdue loan whose penalty grows fastest first: stop the snowballing penalties.",
    ),
    "strategy.custom.explain": (
        "按您自己定的顺序还，例如先还催收最紧或对您最重要的那家。",
        "In the order you choose, e.g. the lender pressing hardest or mattering most to you first.",
    ),
    "capacity.order": ("还款顺序（从先到后）", "Order (first to last)"),
    "capacity.order_help": (
        "删掉再重新添加可调整顺序；没选的平台排在最后，按利率从高到低",
        "Remove and re-add to reorder; lenders left out come last, highest rate first",
    ),
    "chart.others": ("其他 {n} 笔", "{n} others"),
    "chart.paid": ("当月还款", "Paid"),
    "chart.due": ("当月应还（含逾期）", "Due (incl. arrears)"),
    "chart.capacity": ("还款能力", "Capacity"),
    "chart.open": ("还款中", "Repaying"),
    "chart.in_arrears": ("逾期中", "In arrears"),
    "chart.cleared_in": ("还清于", "cleared in"),
    "chart.months_from_now": ("从现在起的月数", "Months from now"),
    "chart.penalty_cum": ("累计罚息", "Penalty so far"),
    "chart.shortfall": ("未付的应还（含累计逾期）", "Unpaid dues (arrears included)"),

    # --- a phone in one hand: what changed when no chart moved (lib.views.what_changed) ---------------
    "views.changed": ("有变化：{what}", "Changed: {what}"),
    "views.changed_more": ("（另有 {n} 项）", " (and {n} more)"),
    # --- the coach workspace (pages/clients.py, pages/_workspace.py) -------------------------------------
    "nav.coach": ("教练工作台", "Coach"),
    "nav.clients": ("客户", "Clients"),
    "next.clients": ("下一步：看这位客户的债务构成", "Next: this client's debts"),
    "undo.client_opened": ("已打开客户的方案，替换了之前的数据，可以撤销。",
                           "The client's scenario replaced what was here; undo to go back."),
    "ws.sign_in_title": ("请先登录", "Please sign in"),
    "ws.sign_in_intro": ("这里保存着客户的借款和协商记录：登录后才能看到。",
                         "This workspace holds clients' loans and negotiations: sign in to see them."),
    "ws.sign_in_oidc": ("登录", "Sign in"),
    "ws.no_coaches": (
        "教练工作台已开启，但还没有设置任何教练账号，所以无法登录。请在服务器上运行下面的命令生成口令哈希，"
        "写入 secrets.toml 的 [workspace.coaches]。",
        "The coach workspace is on but no coach is set up, so nobody can sign in. On the server, run the "
        "command below and put the line it prints under [workspace.coaches] in secrets.toml.",
    ),
    "ws.coach_name": ("教练名", "Coach name"),
    "ws.passphrase": ("口令", "Passphrase"),
    "ws.sign_in": ("登录", "Sign in"),
    "ws.wrong_passphrase": ("教练名或口令不对。", "The coach name or the passphrase is wrong."),
    "ws.sign_out": ("退出登录", "Sign out"),
    "ws.this_computer": ("本机（无需登录）", "this computer (no sign-in)"),
    "ws.privacy_local": (
        "教练工作台已开启：保存到客户档案的数据存放在 {where}。当前的数据也保存在此浏览器中（“删除本设备上保存的数据”可清除）。",
        "The coach workspace is on: what is saved to a client is kept in {where}. The work here is also kept in "
        "this browser (“Forget my data on this device” clears it).",
    ),
    "ws.privacy_remote": (
        "教练工作台已开启：保存到客户档案的数据存放在服务器的数据库中（{where}），此浏览器不保存任何数据。用完请退出登录。",
        "The coach workspace is on: what is saved to a client is kept in the server's database ({where}); this "
        "browser keeps nothing. Sign out when you are done.",
    ),
    "ws.title": ("客户", "Clients"),
    "ws.where": ("保存在 {where} · 当前教练：{who}", "Kept in {where} · signed in as {who}"),
    "ws.none_open": ("教练工作台：尚未打开客户。", "Coach workspace: no client open."),
    "ws.open_line": ("客户 **{client}** · 方案 **{scenario}**", "Client **{client}** · scenario **{scenario}**"),
    "ws.unsaved": ("有未保存的修改。", "Unsaved changes."),
    "ws.all_saved": ("已保存（第 {v} 版）。", "Saved (version {v})."),
    "ws.save": ("保存到客户档案", "Save to the client"),
    "ws.saved": ("已保存到客户档案。", "Saved to the client."),
    "ws.close": ("关闭客户", "Close the client"),
    "ws.conflict": ("没有保存：这个方案已在另一个窗口被修改。请到“客户”页处理。",
                    "Not saved: this scenario was changed in another window. See the Clients page."),
    "ws.conflict_detail": (
        "没有保存：这个方案在 {when} 已被另一个窗口保存（现在是第 {v} 版），您这里的修改没有覆盖它，也没有丢失。"
        "可以把您的修改另存为一个新方案，或者打开最新版本（会替换您这里的修改，可以撤销）。",
        "Not saved: another window saved this scenario at {when} (it is now version {v}). Your changes did not "
        "overwrite it and are not lost: save them as a new scenario, or open the latest version (it replaces "
        "your changes here; you can undo).",
    ),
    "ws.save_as_new_instead": ("把我的修改另存为新方案", "Save my changes as a new scenario"),
    "ws.copy_name": ("{name}（另存）", "{name} (my copy)"),
    "ws.load_theirs": ("打开最新版本", "Open the latest version"),
    "ws.client_conflict": ("客户资料已在另一个窗口被修改，请重新操作。",
                           "The client was changed in another window; please try again."),
    "ws.search": ("查找客户", "Find a client"),
    "ws.search_hint": ("姓名或备注", "Name or note"),
    "ws.show_archived": ("包括已归档", "Include archived"),
    "ws.col.name": ("客户", "Client"),
    "ws.col.note": ("备注", "Note"),
    "ws.col.scenarios": ("方案数", "Scenarios"),
    "ws.col.loans": ("借款笔数", "Loans"),
    "ws.col.owed": ("欠款合计", "Owed"),
    "ws.col.updated": ("最近保存", "Last saved"),
    "ws.col.archived": ("已归档", "Archived"),
    "ws.col.scenario": ("方案", "Scenario"),
    "ws.col.agreements": ("协议数", "Agreements"),
    "ws.col.version": ("版本", "Version"),
    "ws.no_clients": ("还没有客户。新建一位客户，把现在的数据存为他的第一个方案。",
                      "No clients yet. Add one and keep the work here as their first scenario."),
    "ws.no_match": ("没有找到匹配的客户。", "No client matches."),
    "ws.new_client": ("新建客户", "New client"),
    "ws.with_current": ("把现在的数据存为他的第一个方案", "Keep the work here as their first scenario"),
    "ws.add": ("新建", "Add"),
    "ws.added": ("已新建客户。", "Client added."),
    "ws.first_scenario": ("{day} 的方案", "Scenario of {day}"),
    "ws.client": ("客户", "Client"),
    "ws.tab_scenarios": ("方案", "Scenarios"),
    "ws.tab_client": ("客户资料", "Client"),
    "ws.scenario": ("方案", "Scenario"),
    "ws.open": ("打开", "Open"),
    "ws.opened": ("已打开。各页现在显示这个方案；修改后请保存到客户档案。",
                  "Opened: every page now shows this scenario. Save to the client after changes."),
    "ws.rename_scenario": ("改名", "Rename"),
    "ws.rename": ("保存名称", "Save the name"),
    "ws.rename_scenario_go": ("保存方案名称", "Save the scenario's name"),
    "ws.delete_scenario": ("删除方案", "Delete"),
    "ws.delete_scenario_help": ("删除后无法恢复（除非有备份）。", "This cannot be undone (except from a backup)."),
    "ws.delete_confirm": ("确定删除", "Delete for good"),
    "ws.delete_client_confirm": ("确定删除这位客户", "Delete this client for good"),
    "ws.no_scenarios": ("这位客户还没有方案。", "This client has no scenario yet."),
    "ws.save_as_new": ("把现在的数据另存为新方案", "Save the work here as a new scenario"),
    "ws.save_here": ("另存为新方案", "Save as new"),
    "ws.duplicate": ("复制客户", "Duplicate"),
    "ws.archive": ("归档", "Archive"),
    "ws.unarchive": ("取消归档", "Unarchive"),
    "ws.export_client": ("导出客户文件", "Export the client"),
    "ws.delete_client": ("删除客户", "Delete the client"),
    "ws.delete_client_help": ("将删除 {name} 的全部方案、协议、还款和沟通记录，无法恢复（除非有备份）。",
                              "This deletes every scenario, agreement, payment and contact of {name}, for good "
                              "(except from a backup)."),
    "ws.err.too_big": ("文件太大（{size} MB，上限 {limit} MB）。", "The file is too big ({size} MB; the limit is {limit} MB)."),
    "ws.err.not_json": ("这不是本工具导出的客户文件（无法读取：{detail}）。",
                        "This is not a client file exported by this tool (it cannot be read: {detail})."),
    "ws.err.scenario_file": ("这是一个方案文件，不是客户文件：请在“导入借款”页打开它。",
                             "This is a plan file, not a client file: open it on the loans page."),
    "ws.err.unknown_format": ("文件格式“{format}”不是客户文件或工作台备份。",
                              "The format “{format}” is neither a client file nor a workspace backup."),
    "ws.err.bad_version": ("文件的版本号“{version}”无效。", "The file's version “{version}” is not valid."),
    "ws.err.future_version": ("文件来自更新版本的本工具（第 {version} 版，这里只能读到第 {supported} 版）：请先升级。",
                              "The file comes from a newer version of this tool (format {version}; this one reads up "
                              "to {supported}): please upgrade first."),
    "ws.err.bad_file": ("“{where}”处的内容有误：{what}", "Something is wrong at “{where}”: {what}"),
    "ws.err.bad_scenario": ("客户“{client}”的第 {scenario} 个方案（“{name}”）无法读取。",
                            "Scenario {scenario} (“{name}”) of client “{client}” cannot be read."),
    "ws.err.bad_stored": ("数据库里的这个方案已损坏，无法打开（其他方案不受影响）。",
                          "This scenario is damaged in the database and cannot be opened (the others are fine)."),
    "ws.err.unavailable": ("暂时连不上数据库，什么都没有改变；请稍后再试。",
                           "The database cannot be reached just now; nothing changed. Please try again shortly."),
    "ws.err.not_found": ("找不到这条记录（可能已在另一个窗口删除）。",
                         "This record is not there (it may have been deleted in another window)."),
    "ws.err.conflict": ("已在另一个窗口被修改，什么都没有改变。", "It was changed in another window; nothing changed."),
    "ws.err.name_empty": ("名称不能为空。", "The name must not be empty."),
    "ws.err.too_long": ("太长了（最多 {limit} 个字）。", "Too long (at most {limit} characters)."),
    "ws.err.bad_owner": ("登录身份无效。", "The signed-in identity is not valid."),
    "ws.err.bad_url": ("数据库地址无效。", "The database URL is not valid."),
    "ws.err.unsupported_database": ("不支持的数据库“{scheme}”：请用 SQLite 或 PostgreSQL。",
                                    "Unsupported database “{scheme}”: use SQLite or PostgreSQL."),
    "ws.outcomes_title": ("各平台同意了什么", "What lenders granted"),
    "ws.outcomes_help": (
        "来自您全部客户记录的协议和被拒（每位客户最近保存的方案）。某个方案记录满 {n} 次后，“协商方案对比”页的"
        "“平台同意的可能”会改用这些记录（并显示次数）。",
        "From the agreements and refusals recorded for all your clients (each one's latest saved scenario). "
        "Once an option has {n} recorded asks, the compare page's “how often granted” uses them (with the count).",
    ),
    "ws.outcomes_none": ("还没有记录任何协议或被拒。", "No agreement or refusal recorded yet."),
    "ws.col.lender": ("平台", "Lender"),
    "ws.col.asks": ("申请次数", "Asks"),
    "ws.col.as_asked": ("按申请同意", "Granted as asked"),
    "ws.col.other": ("同意了别的方案", "Granted something else"),
    "ws.col.refused": ("拒绝", "Refused"),
    "ws.col.waived": ("减免了利息或罚息", "Interest or penalty waived"),
    "ws.col.median_months": ("期数中位数", "Median months"),
    "ws.import": ("导入客户文件或备份", "Import a client file or a backup"),
    "ws.import_help": ("导入为新客户，已有客户不受影响。", "Imported as new clients; existing ones are not touched."),
    "ws.import_failed": ("无法导入“{name}”，什么都没有改变。", "“{name}” could not be imported; nothing changed."),
    "ws.imported": ("已导入 {n} 位客户：{names}。", "Imported {n} client(s): {names}."),
    "ws.backup": ("备份整个工作台", "Back up the whole workspace"),
    "ws.backup_help": ("一个文件，包含您的全部客户（含已归档）。", "One file with all your clients (archived too)."),
    # --- guide page (our own text: rendered as markdown) -----------------------------------------
    "nav.guide": ("协商指南", "Negotiation guide"),
    "nav.step3": ("③ 协商方式", "③ Choose how to negotiate"),
    "guide.title": ("网贷协商还款指南", "How to negotiate repayment"),
    "guide.intro": (
        "这份指南整理自《网贷协商还款的正确方法》一文，并补充了监管部门公开的渠道和提醒。仅供参考，不构成法律意见；"
        "具体政策以各机构和监管部门的最新公告为准。",
        "Adapted from the article “The right way to negotiate repayment of online loans”, with the "
        "regulators' public channels and warnings added. Information only, not legal advice; check each "
        "lender's and regulator's current rules.",
    ),
    "guide.steps_title": ("五个步骤", "Five steps"),
    "guide.steps": (
        "1. **了解自己的债务和还款能力**：欠款总额、各平台借款、利息费用和逾期罚息；再如实算出每月真正能拿出多少钱（本工具第①②步）。\n"
        "2. **选择合适的协商方式**：延长还款期限、减免利息或罚息、分期还款（含停息分期）、极少数情况下减免部分本金。不同平台政策不同。\n"
        "3. **主动与平台沟通**：本人联系官方客服，说明困难和原因，提出具体、能做到的方案，态度诚恳，不回避。\n"
        "4. **签订正式协议**：把还款金额、方式、时间和减免内容写进书面协议，看懂每一条再签。\n"
        "5. **履行还款计划**：按时还款，避免再次逾期；出现新困难时尽早再次协商。",
        "1. **Know your debts and your capacity**: the total, each lender, interest, fees and penalty "
        "interest; then what you can honestly pay each month (steps ① and ② of this tool).\n"
        "2. **Choose how to negotiate**: a longer term, a waiver of interest or penalty interest, an "
        "instalment plan (including an interest freeze, 停息分期), rarely a cut in principal. Each lender's "
        "policy differs.\n"
        "3. **Talk to the lender yourself**: call the official customer service, explain the hardship and "
        "its cause, propose a concrete plan you can keep, be sincere and don't hide.\n"
        "4. **Sign a written agreement**: amounts, method, dates and any waiver in writing; read every "
        "clause before signing.\n"
        "5. **Keep the plan**: pay on time, don't fall behind again; if new trouble comes, negotiate again "
        "early.",
    ),
    "guide.myths_title": ("三个常见误区", "Three misconceptions"),
    "guide.myths": (
        "- **以为协商后债务可以全免**：绝大多数情况下，平台只减免部分利息或罚息，本金通常不减免。\n"
        "- **拖到最后才协商**：等到催收甚至起诉才谈，罚息已经滚大，平台的协商空间也更小。越早越好。\n"
        "- **忽视征信影响**：协商成功后，此前的逾期记录仍在，机构通常还会把展期、个性化分期、债务减免等作为特殊交易报送；"
        "不良记录自不良行为结束之日（即还清之日）起保存 5 年（《征信业管理条例》第十六条）。",
        "- **Thinking the debt can be wiped out**: almost always only part of the interest or penalty is "
        "waived; principal usually is not.\n"
        "- **Waiting until the last moment**: once collection or a lawsuit has started, penalties have grown "
        "and the lender has less room. The earlier the better.\n"
        "- **Ignoring the credit record**: even after an agreement the earlier late payments stay, and lenders "
        "usually report the agreement too, as a special transaction (extension, individualised instalments, "
        "debt reduction); negative records stay 5 years from the end of the bad behaviour, i.e. from when it "
        "is repaid (Credit Reporting Regulation art. 16).",
    ),
    "guide.prepare_title": ("打电话前准备什么", "Before you call"),
    "guide.prepare": (
        "- 每笔借款的合同或还款明细：借款金额、到手金额、剩余本金、已还期数、利率和费用、逾期天数和罚息；\n"
        "- 收入证明或银行流水（近 3–6 个月），说明现在每月能还多少；\n"
        "- 困难证明：失业或降薪证明、医疗诊断和费用单据、经营困难材料等——**必须真实**，平台见过大量雷同的申请书和伪造证明；\n"
        "- 一个具体、您真能做到的方案（本工具的“向每家提什么”表）；\n"
        "- 纸笔或录音（先告知对方），记下通话时间、客服工号和对方承诺。",
        "- Each loan's contract or statement: amount borrowed and received, balance, instalments paid, rate "
        "and fees, days overdue and penalty;\n"
        "- Proof of income or bank statements (last 3–6 months) showing what you can pay each month;\n"
        "- Proof of hardship: job loss or pay cut, medical records and bills, business failure — **it must be "
        "real**: lenders see many near-identical letters and forged certificates;\n"
        "- One concrete plan you can really keep (this tool's “what to ask each lender” table);\n"
        "- Pen and paper, or a recording (tell them first): the time, the agent's ID and what was promised.",
    ),
    "guide.agreement_title": ("书面协议必须写明的内容", "What a written agreement must state"),
    "guide.agreement": (
        "- 协商时的欠款总额及构成（本金、利息、罚息、费用各多少）；\n"
        "- 减免的项目和金额；\n"
        "- 新的还款计划：每期金额、期数、还款日、还款方式；\n"
        "- 分期期间是否还收利息、手续费，利率是多少；\n"
        "- 按协议还款期间是否停止催收、是否继续计罚息；\n"
        "- 违约后果（例如连续逾期几期协议失效）；\n"
        "- 信用卡个性化分期（《信用卡业务管理办法》第七十条，最长 5 年）：协议还应写明持卡人在还清前不再申请新卡的承诺；签订后停止催收。",
        "- The total owed at the time and what it is made of (principal, interest, penalty, fees);\n"
        "- What is waived, and how much;\n"
        "- The new plan: each instalment, the number of instalments, due dates, how to pay;\n"
        "- Whether interest or fees still run during the plan, and at what rate;\n"
        "- Whether collection stops and penalty interest stops while you keep to the plan;\n"
        "- What happens on default (e.g. the agreement lapses after a number of missed payments);\n"
        "- Credit-card individualised instalments (article 70 of the credit-card rules, up to 5 years): the "
        "cardholder's promise not to apply for new cards until repaid; collection stops once it is signed.",
    ),
    "guide.collection_title": ("催收能做什么、不能做什么", "What collectors may and may not do"),
    "guide.collection": (
        "以下规则来自 2025 年的催收国家标准和 2026 年中国银行业协会的催收工作指引（行业规范，违反时可作为投诉的依据），"
        "威胁和公开羞辱还违反《治安管理处罚法》（可报警）。每次来电或短信都记下时间、号码、对方身份和内容，必要时录音。",
        "These rules come from the 2025 national standard on collection and the China Banking Association's "
        "2026 collection guideline (industry norms: a breach is grounds for a complaint); threats and public "
        "shaming also break the Public Security Administration Punishments Law (call the police). Note "
        "the time, number, caller and content of every call or message, and record calls when needed.",
    ),
    "guide.rule_cite": ("{source}，{date}（{confidence}）", "{source}, {date} ({confidence})"),
    "guide.rule_colon": ("：", ":"),
    "guide.rule_confidence": ("（{confidence}）", " ({confidence})"),
    "guide.rule.gb_debtor_only": (
        "只能向债务人本人催收，不得向您留的联系人催收", "Collect from you only, never from the contacts you listed",
    ),
    "guide.rule.gb_third_party_if_unreachable": (
        "只有联系不上您本人时，才可联系您的联系人", "Your contacts only when you cannot be reached",
    ),
    "guide.rule.gb_no_debt_details_to_third_parties": (
        "不得向联系人透露您的欠款信息", "Your contacts are not told about the debt",
    ),
    "guide.rule.gb_third_party_stop_on_request": (
        "联系人明确拒绝或要求不再联系后，不得再联系", "A contact who refuses is not contacted again",
    ),
    "guide.rule.gb_quiet_hours": (
        "除非双方另有约定，22:00 至次日 08:00 不得催收", "No collection between 22:00 and 08:00 unless you agreed otherwise",
    ),
    "guide.rule.gb_effective_calls_per_day": (
        "同一机构及其委托的催收机构每天与您的有效通话合计不超过 3 次（含智能语音）",
        "At most 3 effective calls a day, the lender and its collection agencies together (AI voice included)",
    ),
    "guide.rule.cba_quiet_hours": (
        "未经您同意，22:00 至次日 08:00 不得电话催收、上门催收或以其他方式催收",
        "No calls, visits or other collection between 22:00 and 08:00 without your consent",
    ),
    "guide.rule.cba_unanswered_attempts_per_number": (
        "电话未接通时，同一号码一天内尝试拨打不宜超过 6 次",
        "When you do not answer, at most 6 attempts a day to the same number",
    ),
    "guide.rule.cba_third_party_if_unreachable": (
        "只有在您失联时（如号码无效、连续多次联系不上）才可联系无关第三人，且只能请对方转告或提供您的联系方式",
        "Unrelated third parties only when you are out of reach (number invalid, repeated failed attempts), and "
        "only to pass on a message or ask how to reach you",
    ),
    "guide.rule.cba_no_debt_details_to_third_parties": (
        "不得向第三人透露具体债务信息", "Third parties are told no details of the debt",
    ),
    "guide.rule.cba_third_party_stop_on_request": (
        "无关第三人明确要求不再联系的，须停止联系", "A third party who asks not to be contacted is not contacted again",
    ),
    "guide.rule.cba_calls_recorded": (
        "催收通话应录音（请自己也做好记录）",
        "Collection calls are recorded (keep your own record too)",
    ),
    "guide.credit_title": ("征信会怎么记录", "How it shows in your credit record"),
    "guide.credit": (
        "- **逾期**：银行、消费金融公司、小额贷款公司等金融机构会把逾期报送人民银行征信系统；\n"
        "- **协商后**：展期、个性化分期、债务减免等是机构**通常**报送的特殊交易类型，具体如何报送由机构决定，"
        "签协议前可以问清楚；此前的逾期记录不会因协商而删除；\n"
        "- **保存多久**：不良信息自不良行为或事件终止之日起保存 5 年，也就是从还清之日算起"
        "（《征信业管理条例》第十六条，国务院令第631号，2013-03-15 施行）；\n"
        "- **民间借贷**：个人出借人不向征信系统报送，协商本身不会出现在征信报告中；但被起诉后不履行判决，"
        "可能被列为失信被执行人，这是另一回事；\n"
        "- 声称能“征信修复 / 洗白”的收费服务不可信：正确的不良记录不能删除，错误的记录可以自己免费向机构或人民银行（12363）提出异议。",
        "- **Late payments**: banks, consumer-finance and microloan companies and other financial institutions "
        "report them to the People's Bank of China's credit system;\n"
        "- **After an agreement**: an extension (展期), individualised instalments (个性化分期) or a debt "
        "reduction (债务减免) is what lenders **usually** report, as special transactions; each lender decides "
        "how it reports, so ask before you sign. Earlier late payments are not erased by an agreement;\n"
        "- **How long**: negative records are kept 5 years from the end of the bad behaviour, i.e. from when the "
        "debt is repaid (Credit Reporting Regulation art. 16, State Council Decree No. 631, in force 2013-03-15);\n"
        "- **Private loans**: private lenders do not report to the credit system, so negotiating with one "
        "leaves no credit record; ignoring a court judgment can put you on the courts' list of defaulters "
        "(失信被执行人), which is a different matter;\n"
        "- Paid “credit repair” services cannot be trusted: a correct negative record cannot be removed, and you "
        "can dispute a wrong one yourself, for free, with the lender or the People's Bank (12363).",
    ),
    "guide.turn_title": ("被拒绝或遇到违规催收时找谁", "Where to turn"),
    "guide.turn": (
        "- **先找机构自己的投诉渠道**（官方客服、投诉专线），保留记录；\n"
        "- **12378**：国家金融监督管理总局热线，受理银行、信用卡中心、消费金融公司等的投诉，也可通过其金融消费者保护服务平台投诉或申请调解；\n"
        "- **12363**：中国人民银行热线，受理征信和支付相关问题；\n"
        "- **小额贷款公司**：向其所在地的地方金融管理部门投诉；\n"
        "- **被起诉时**：可申请法院的诉前调解；\n"
        "- **违规催收**（规则见“催收能做什么、不能做什么”一节）：先向机构投诉，再向 12378 或地方金融管理部门投诉；"
        "骚扰电话和短信可向 **12321**（网络不良与垃圾信息举报受理中心）举报；受到威胁、恐吓或人身伤害请拨打 **110**。",
        "- **First the lender's own complaint channel** (official service line, complaints desk); keep records;\n"
        "- **12378**: the National Financial Regulatory Administration's line for banks, card centres and "
        "consumer-finance companies; complaints or mediation also through its financial-consumer protection "
        "platform;\n"
        "- **12363**: the People's Bank of China's line for credit-record and payment matters;\n"
        "- **Microloan companies**: the local financial regulatory bureau where the company is registered;\n"
        "- **When sued**: ask the court for pre-litigation mediation (诉前调解);\n"
        "- **Collection that breaks the rules** (see “What collectors may and may not do”): complain to the lender, then to 12378 "
        "or the local financial regulator; report harassing calls and messages to **12321** (the reporting "
        "centre for harmful and spam messages); call **110** if you are threatened or hurt.",
    ),
    "guide.agents_title": ("警惕付费“代理协商 / 停息挂账 / 征信洗白”", "Beware of paid “negotiation agents”"),
    "guide.agents": (
        "监管部门 2024 年 5 月专门提示过这类风险：银行表示协商还款应由借款人本人申请，无需也不应交给中介。"
        "受害者反映被收取 500 到 20,000 元不等的费用（常见为欠款的 5%–8%），有的被要求交出短信验证码甚至手机卡，"
        "个人信息被倒卖、钱款被骗。**协商自己就能做，而且不花钱。**",
        "The regulator warned about these services in May 2024: banks say a negotiation must be applied for "
        "by the borrower in person, with no intermediary. Victims report fees of 500 to 20,000 yuan (often "
        "5–8 % of the debt), being asked for SMS codes or even their SIM card, their data sold and money "
        "lost. **You can negotiate yourself, and it costs nothing.**",
    ),
    # --- negotiation options (lib.negotiate) -------------------------------------------
    "negotiate.option.baseline": ("维持原合同", "Keep the contract"),
    "negotiate.option.legal": ("依法降到法定上限", "Bring to the legal line"),
    "negotiate.option.extension": ("展期", "Term extension"),
    "negotiate.option.waiver": ("减免罚息/利息", "Interest and penalty waiver"),
    "negotiate.option.instalments": ("分期还款（个性化分期/停息分期）", "Instalment plan"),
    "negotiate.option.settlement": ("减免本金（协商结清）", "Settlement (principal reduction)"),
    "negotiate.option.waiver+instalments": ("减免 + 分期", "Waiver + instalments"),
    "negotiate.option.waiver+extension": ("减免 + 展期", "Waiver + extension"),
    "negotiate.param.extension_months": ("展期月数", "Extension (months)"),
    "negotiate.param.grace_months": ("宽限期（月）", "Grace period (months)"),
    "negotiate.param.grace_mode": ("宽限期内", "During the grace period"),
    "negotiate.param.waive_penalty_pct": ("减免罚息比例", "Share of the penalty waived"),
    "negotiate.param.waive_interest_pct": ("减免已欠利息比例", "Share of the accrued interest waived"),
    "negotiate.param.waive_fees_pct": ("减免费用比例", "Share of the fees waived"),
    "negotiate.param.new_rate": ("今后年化利率", "Annual rate from now on"),
    "negotiate.param.instalments_months": ("分期期数（月）", "Instalments (months)"),
    "negotiate.param.plan_rate": ("分期年化利率", "Annual rate of the plan"),
    "negotiate.param.settle_pct": ("结清比例（占全部欠款）", "Settlement (share of all that is owed)"),
    "negotiate.param.settle_months": ("结清款分几个月付", "Settlement paid over (months)"),
    "negotiate.grace.interest_only": ("只还利息", "Interest only"),
    "negotiate.grace.nothing": ("暂不还款（利息计入本金）", "Nothing due (interest added to the principal)"),
    "negotiate.likelihood.contract": ("无需协商", "No negotiation"),
    "negotiate.likelihood.by_law": ("依法可主张", "Yours by law"),
    "negotiate.likelihood.common": ("常见", "Common"),
    "negotiate.likelihood.sometimes": ("有时", "Sometimes"),
    "negotiate.likelihood.rare": ("少见", "Rare"),
    # 征信: what lenders usually report (each decides how); 《征信业管理条例》(国务院令第631号) art. 16: negative
    # records are kept 5 years from the end of the bad behaviour, i.e. from when it is repaid
    "negotiate.credit.baseline": (
        "逾期会报送征信；不良记录自不良行为终止之日（即还清之日）起保留5年。",
        "Late payments are reported to the credit record; negative records stay 5 years from the end "
        "of the bad behaviour, i.e. from when it is repaid.",
    ),
    "negotiate.credit.extension": (
        "通常在征信上显示为“展期”（特殊交易），由机构决定如何报送；此前的逾期记录不会消除，自还清之日起保留5年。",
        "Usually shows in the credit record as an extension (展期, a special transaction), as the lender "
        "decides; earlier late payments are not erased and stay 5 years from when they are repaid.",
    ),
    "negotiate.credit.waiver": (
        "减免可能以特殊交易（如“债务减免”）报送，由机构决定；此前的逾期记录不会消除，自还清之日起保留5年。",
        "A waiver may be reported as a special transaction (such as a debt reduction), as the lender "
        "decides; earlier late payments are not erased and stay 5 years from when they are repaid.",
    ),
    "negotiate.credit.instalments": (
        "通常显示为“个性化分期”等特殊交易；按约还款后不再新增逾期，此前的逾期记录自还清之日起保留5年。",
        "Usually shows as an individualised instalment plan (个性化分期) or another special transaction; no "
        "new late payments while you keep to it, earlier ones stay 5 years from when they are repaid.",
    ),
    "negotiate.credit.legal": (
        "按法定上限调整利息、免除超出部分通常不单独报送征信（各机构做法不一）；此前的逾期记录自还清之日起保留5年。",
        "Bringing the cost down to the legal line is usually not reported as a special transaction (lenders "
        "differ); earlier late payments stay 5 years from when they are repaid.",
    ),
    "negotiate.credit.settlement": (
        "通常显示为“债务减免”等特殊交易，账户并非足额结清，今后借款审批会受影响；此前的逾期记录自还清之日起保留5年。",
        "Usually shows as a debt reduction (债务减免, a special transaction), not as settled in full, which "
        "weighs on future applications; earlier late payments stay 5 years from when they are repaid.",
    ),
    "negotiate.credit.private": (
        "民间借贷的出借人不向征信系统报送：无论选哪种方案，都不会出现在征信报告中（“保留5年”的不良记录规则只涉及金融机构的借款）；"
        "但被起诉后不履行判决，可能被列为失信被执行人。",
        "Private lenders do not report to the credit system: no option shows in your credit report (the "
        "5 years a negative record stays concern loans from financial institutions only); ignoring a court "
        "judgment can still put you on the courts' list of defaulters.",
    ),
    "negotiate.item.all": ("全部", "all"),
    "negotiate.item.sep": ("、", ", "),
    "negotiate.item.penalty": ("{pct}罚息", "{pct} of the penalty interest"),
    "negotiate.item.interest": ("{pct}已欠利息", "{pct} of the accrued interest"),
    "negotiate.item.fees": ("{pct}费用", "{pct} of the fees"),
    "negotiate.item.rate": ("今后年化利率降至 {rate}", "a lower rate of {rate} a year from now on"),
    "negotiate.ask.nothing_owed": ("已无欠款", "Nothing owed"),
    # the legal step (lib.negotiate.describe): sources with dates, as in data/yardsticks.csv
    "negotiate.legal_rule.licensed": (
        "借款人主张时，利息、复利、罚息、违约金和其他费用合计超过年化 24% 的部分，法院予以调减（法发〔2017〕22号，2017-08-04）",
        "courts cut total cost above 24% a year when the borrower objects (法发〔2017〕22号, 2017-08-04)",
    ),
    "negotiate.legal_rule.private": (
        "民间借贷的利息、逾期利息、违约金和其他费用合计不超过合同成立时一年期 LPR 的 4 倍，即年化 {line}"
        "（法释〔2020〕17号 第25、28、29条）",
        "for a private loan, interest, overdue interest, penalties and fees together at most 4 × the one-year "
        "LPR at the contract date, {line} a year (法释〔2020〕17号, art. 25, 28, 29)",
    ),
    "negotiate.ask.legal": (
        "先依法：{rule}。要求免除超出上限的部分共 {amount}（{items}），今后按年化 {rate} 计",
        "First, the law: {rule} — so waive the {amount} above it ({items}), and from now on {rate} a year",
    ),
    "negotiate.ask.legal_rate": (
        "先依法：{rule}。今后按年化 {rate} 计",
        "First, the law: {rule} — so from now on {rate} a year",
    ),
    "negotiate.legal_item.penalty": ("罚息 {amount}", "penalty {amount}"),
    "negotiate.legal_item.fees": ("费用 {amount}", "fees {amount}"),
    "negotiate.legal_item.deducted": ("借款时预先扣除、并未到手的本金 {amount}", "principal deducted up front and never received {amount}"),
    "negotiate.legal_item.interest": ("超出上限的利息 {amount}", "interest above the line {amount}"),
    "negotiate.ask.then": ("；在此基础上，", "; then "),
    "negotiate.ask.keep": ("按原合同还款，无需让步", "Keep the contract: nothing to ask"),
    "negotiate.ask.waiver": (
        "免除{items}（共 {amount}），其余按原合同还款",
        "Waive {items} ({amount} in all); the rest as in the contract",
    ),
    "negotiate.ask.waive_prefix": ("免除{items}（共 {amount}），", "waive {items} ({amount}), then "),
    "negotiate.ask.extension": (
        "{waive}展期 {k} 个月：剩余 {balance} 按原利率 {rate} 分 {n} 期",
        "{waive}extend by {k} months: the remaining {balance} over {n} months at the contract rate {rate}",
    ),
    "negotiate.ask.extension_maturity": (
        "{waive}展期 {k} 个月：剩余 {balance} 按原利率 {rate}、原还款方式，{n} 个月后到期",
        "{waive}extend by {k} months: the remaining {balance} at the contract rate {rate}, same repayment "
        "method, due in {n} months",
    ),
    "negotiate.ask.grace.interest_only": ("，前 {g} 个月只还利息", ", interest only for the first {g} months"),
    "negotiate.ask.grace.nothing": (
        "，前 {g} 个月暂不还款（利息计入本金）",
        ", nothing due for the first {g} months (interest added to the principal)",
    ),
    "negotiate.ask.instalments": (
        "{waive}剩余 {balance} 分 {n} 期、{rate} 利率{freeze}",
        "{waive}the remaining {balance} in {n} monthly instalments at {rate}{freeze}",
    ),
    "negotiate.ask.freeze": ("（停息分期）", " (interest frozen)"),
    "negotiate.ask.settlement": (
        "协商结清：一次付 {amount}（欠款的 {pct}），其余 {forgiven} 免除",
        "Settle: pay {amount} at once ({pct} of what is owed), the other {forgiven} forgiven",
    ),
    "negotiate.ask.settlement_over": (
        "协商结清：共付 {amount}（欠款的 {pct}），分 {m} 个月、每月 {pay}，其余 {forgiven} 免除",
        "Settle: pay {amount} ({pct} of what is owed) over {m} months, {pay} a month; the other "
        "{forgiven} forgiven",
    ),
    "negotiate.ask.gap": (
        "即使各家都同意上表中的最大让步，每月仍差 {gap}",
        "Even with the largest concessions above, {gap} a month is missing",
    ),

    # --- the kit page (pages/kit.py) -----------------------------------------------------------------
    "nav.kit": ("协商材料", "Your kit for the lenders"),
    "next.kit": ("下一步：准备给各家平台的材料", "Next: prepare what you send and say to each lender"),
    "kit.title": ("给各家平台的协商材料", "Your kit for the lenders"),
    "kit.intro": (
        "按您的借款、还款能力和协商方案，为每家平台写好协商申请书、电话沟通要点、材料清单，以及需要时的核账申请。"
        "先在下面改成您自己的话，再下载。还可以下载完整报告、Excel 还款计划和手机日历提醒。",
        "From your loans, what you can pay and your plan: for each lender a proposal letter, what to say on "
        "the phone, a checklist, and where it is due a request to audit the fees. Put them in your own words "
        "below, then download. Also: the full report, the plan in Excel and reminders for your phone's calendar.",
    ),
    "kit.name": ("您的姓名（落款用）", "Your name (to sign with)"),
    "kit.name_help": ("留空则信里留出手写签名的位置。", "Leave blank and the letter leaves a line to sign by hand."),
    "kit.hardship": ("停止还款的主要原因", "Why payment stopped"),
    "kit.hardship_text": ("用您自己的话说明（可选）", "In your own words (optional)"),
    "kit.hardship_text_help": (
        "例如：何时失业或收入下降、家里发生了什么、现在的收入来源。具体、真实的说明比模板更能打动对方。",
        "E.g. when the job or income went, what happened at home, what you live on now. Specific, true words "
        "persuade more than any template.",
    ),
    "kit.never": (
        "这里从不需要身份证号、银行卡号、密码、短信验证码或联系人信息；信中需要身份证号的地方会留空，请手写。",
        "Nothing here ever needs an ID or card number, a password, an SMS code or your contacts; where a "
        "letter needs an ID number it leaves a blank to fill in by hand.",
    ),
    "kit.plan_short": (
        "按目前的方案，有的月份还款能力不够：信里写的是目前方案的金额。可以回到方案对比页调整。",
        "With the plan as it is, some months do not fit your capacity: the letters use this plan's amounts. "
        "You can adjust it on the compare page.",
    ),
    "kit.change_plan": ("修改协商方案", "Change the plan"),
    "kit.letters_title": ("每家平台的材料", "For each lender"),
    "kit.letters_help": (
        "选择一家平台。每份材料都可以直接修改，修改会保存在本设备上；下载 Word 或纯文本。",
        "Choose a lender. Every text can be edited here (your edits are kept on this device); download it as "
        "Word or plain text.",
    ),
    "kit.lender": ("平台", "Lender"),
    "kit.edit_here": ("可以直接修改", "Edit it here"),
    "kit.docx": ("下载 Word（.docx）", "Download Word (.docx)"),
    "kit.txt": ("下载纯文本", "Download plain text"),
    "kit.reset_text": ("恢复自动生成的文字", "Back to the generated text"),
    "kit.takeaway_title": ("报告、Excel 和日历", "Report, spreadsheet, calendar"),
    "kit.takeaway_help": (
        "报告可离线打开、可打印（A4），PDF 方便在手机上发送；Excel 中的数字可直接计算；日历文件可导入手机日历，每期还款前 3 天提醒。",
        "The report opens offline and prints on A4; the PDF is easy to send from a phone; the Excel numbers "
        "are real numbers; the calendar file imports into a phone's calendar, with a reminder 3 days before "
        "each payment.",
    ),
    "kit.no_calendar": (
        "这个方案还不清债务，暂不生成日历。请先调整方案。",
        "This plan never clears the debt, so no calendar is made. Adjust the plan first.",
    ),
    # --- agreement tracker (lib.tracker.status_text) ---------------------------------------------------
    "tracker.verdict.on_track": ("按约定还款中。", "On track."),
    "tracker.verdict.ahead": ("已提前还款 {ahead}。", "Ahead by {ahead}."),
    "tracker.verdict.short.one": (
        "{due} 到期的这一期少还了 {missing}，已逾期 {n} 天。",
        "The instalment due {due} is short by {missing}, {n} day late.",
    ),
    "tracker.verdict.short.other": (
        "{due} 到期的这一期少还了 {missing}，已逾期 {n} 天。",
        "The instalment due {due} is short by {missing}, {n} days late.",
    ),
    "tracker.verdict.missed.one": (
        "自 {due} 到期的那一期起未按约定还款：共缺 {arrears}，已逾期 {n} 天。",
        "Behind since the instalment due {due}: {arrears} missing, {n} day late.",
    ),
    "tracker.verdict.missed.other": (
        "自 {due} 到期的那一期起未按约定还款：共缺 {arrears}，已逾期 {n} 天。",
        "Behind since the instalment due {due}: {arrears} missing, {n} days late.",
    ),
    "tracker.to_date": ("截至目前约定应还 {agreed}，已还 {paid}。", "Paid {paid} of {agreed} agreed to date."),
    # --- keeping the plan (pages/track.py) ------------------------------------------------------------------
    "nav.track": ("坚持计划", "Keep the plan"),
    "nav.step4": ("④ 坚持计划", "④ Keep the plan"),
    "next.track": ("下一步：记录协议、还款和每一次沟通", "Next: record the agreement, the payments and every contact"),
    "track.title": ("坚持计划：协议、还款和沟通记录", "Keep the plan: agreements, payments, contacts"),
    "track.intro": (
        "谈成之后，把每家平台书面同意的方案记下来，每还一笔就记一笔：这里会告诉您是否按计划、哪个月会不够，"
        "并在需要时帮您重新规划。每一次来电和短信也记下来：违反催收规范的会标出规则和投诉渠道。",
        "Once a lender agrees, record what it agreed in writing and each payment you make: this page says "
        "whether you are on track, which month will be short, and helps you plan again. Log every call and "
        "message too: those that break the collection rules are flagged with the rule and where to complain.",
    ),
    "track.tab_agreement": ("协议与还款", "Agreement and payments"),
    "track.granted": ("平台同意的方案", "What the lender granted"),
    "track.as_asked": ("与申请的一致", "What was asked"),
    "track.refused": ("平台拒绝了这次申请", "The lender refused"),
    "track.refused_help": ("记下这次被拒（教练的“平台同意了什么”统计会用到），然后换一种方案再谈。",
                           "Record the refusal (the coach's outcome book counts it), then ask for something else."),
    "track.refusals": ("已记录 {n} 次被拒，最近一次 {last}。", "{n} refusal(s) recorded, the last on {last}."),
    "track.renegotiate_help": (
        "按协议内尚欠的金额和您现在每月能给这家平台的钱，重新提出一个还得起的方案。可以先修改再下载。",
        "A new proposal from what is still owed under the agreement and what you can give this lender a "
        "month now. Edit it here before downloading.",
    ),
    "track.edit_entries": ("修改或删除一条沟通记录", "Correct or delete a log entry"),
    "track.edit_payments": ("修改或删除一笔还款记录", "Correct or delete a payment"),
    "track.entry": ("选择记录", "Entry"),
    "track.save_entry": ("保存修改", "Save the changes"),
    "track.delete_entry": ("删除这条记录", "Delete this entry"),
    "contacts.field.time": ("几点几分", "Time"),
    "track.no_agreement": (
        "还没有记录这家平台的协议。谈成后，按协商方案的金额记下协议（可以之后修改）。",
        "No agreement recorded for this lender yet. Once it agrees, record it with the plan's amounts.",
    ),
    "track.first_due": ("第一期还款日", "First instalment due"),
    "track.agreed_on": ("协议日期", "Agreed on"),
    "track.reference": ("协议编号或工单号", "Agreement or ticket reference"),
    "track.take_plan": ("按协商方案记录协议", "Record the agreement from the plan"),
    "track.agreed_to_date": ("至今应还", "Agreed to date"),
    "track.paid_to_date": ("至今已还", "Paid to date"),
    "track.still_owed": ("协议内尚欠", "Still owed under it"),
    "track.cum_due": ("累计应还", "Agreed, cumulative"),
    "track.cum_paid": ("累计已还", "Paid, cumulative"),
    "track.replan": ("按现在的实际情况重新规划", "Plan again from where things stand"),
    "track.paid_on": ("还款日期", "Paid on"),
    "track.amount": ("金额（元）", "Amount (CNY)"),
    "track.record_payment": ("记录这笔还款", "Record this payment"),
    "track.record_contact": ("记录这次沟通", "Record this contact"),
    "track.at_risk": (
        "{month} 各协议合计应还 {due}，超过每月能还的 {capacity}，差 {gap}：请在到期前联系平台调整。",
        "In {month} the agreements ask {due} in all, more than the {capacity} you can pay ({gap} short): "
        "call the lenders before it falls due.",
    ),
    "track.orphans": ("另有 {n} 份协议属于已不在借款表中的借款（记录仍保留）。",
                      "{n} more agreement(s) belong to loans no longer in the table (the records are kept)."),
    # --- the outcome book and the renegotiation letter ---------------------------------------------------
    "outcomes.line": ("{lender}：{parts}", "{lender}: {parts}"),
    "outcomes.sep": ("；", "; "),
    "outcomes.asks.one": ("{n} 次请求", "{n} ask"),
    "outcomes.asks.other": ("{n} 次请求", "{n} asks"),
    "outcomes.waived": ("{n} 次减免了罚息或利息", "interest or penalty waived in {n}"),
    "outcomes.median_months.one": ("同意的期数中位数 {n} 个月", "median term agreed {n} month"),
    "outcomes.median_months.other": ("同意的期数中位数 {n} 个月", "median term agreed {n} months"),
    "outcomes.rate": ("{granted}/{asked} 次同意 ({share})", "granted {granted} of {asked} recorded ({share})"),
    "letter.renegotiate": ("重新协商还款申请", "Request to revise the repayment agreement"),
    # --- load and progress ---------------------------------------------------------------------------
    "load.waited": ("（已 {s} 秒）", "({s} s so far)"),
    # --- compare page ------------------------------------------------------------------------------
    "nav.compare": ("协商方案对比", "Compare options"),
    "compare.title": ("协商方案对比", "Negotiation options side by side"),
    "compare.intro": (
        "文章里的四种协商方式——延期、减免利息罚息、分期（含停息分期）、减免本金——加上“不协商”，"
        "按您在“每月能还多少”页设定的还款能力逐月计算。",
        "The article's four ways to negotiate — a longer term, an interest/penalty waiver, an instalment "
        "plan (incl. interest freeze), a principal reduction — and doing nothing, each run month by month "
        "against the capacity you set on “What you can pay”.",
    ),
    "compare.capacity": ("按每月 {amount} 的还款能力计算。", "Using a capacity of {amount} a month."),
    "compare.change_capacity": ("调整还款能力 →", "Change the capacity →"),
    "compare.params": ("方案参数（期数、减免比例、结清比例……）", "Option parameters (months, waiver shares, settlement …)"),
    "compare.lower_rate": ("减免时争取降低今后的利率", "Also ask for a lower rate from now on"),
    "compare.options": ("要比较的方案", "Options to compare"),
    "compare.computing": ("正在计算各方案…", "Working out each option…"),
    "compare.searching": ("正在寻找能还得上的最小让步…", "Looking for the smallest concessions that fit…"),
    "compare.col.best": ("推荐", "Best"),
    "compare.mark.cheapest": ("★", "★"),  # named in compare.best: a mark, readable without colour
    "compare.mark.fastest": ("⚡", "⚡"),
    "compare.col.option": ("方案", "Option"),
    "compare.col.fits": ("前 12 个月都还得上", "Every month of the first 12 fits"),
    "compare.col.monthly_payment": ("首月应还", "Due in month 1"),
    "compare.col.months": ("全部还清需要的月数", "Months until every debt is clear"),
    "compare.col.total_paid": ("总共还款", "Total paid"),
    "compare.col.saving": ("前 {w} 个月（至 {end}）比不协商少付", "Saving over {w} months (to {end})"),
    "compare.col.waived": ("减免合计", "Waived in all"),
    "compare.col.apr": ("方案真实年化（IRR）", "Real APR of the plan (IRR)"),
    "compare.col.likelihood": ("平台同意的可能", "How often granted"),
    "compare.col.credit": ("征信影响", "Credit record"),
    "compare.col.ask": ("向平台提出", "What to ask for"),
    "compare.ask_pay": ("首月 {amount}", "{amount} in month 1"),
    "compare.yes": ("是", "yes"),
    "compare.apr_na": ("不适用：比欠款少还 {amount}", "n/a: {amount} less than owed is repaid"),
    "compare.short_month": (
        "第 {m} 个月（{ym}）应还 {due}，可用 {budget}，差 {gap}；其中 {lender} 应还最多（{amount}）。",
        "Month {m} ({ym}) asks {due} of the {budget} you have: {gap} short; most of it for {lender} ({amount}).",
    ),
    "compare.no": ("否", "no"),
    "compare.best": (
        "还得上的方案里，如果每家都同意，总花费最少的是“{cheapest}”（★），最快还清的是“{fastest}”（⚡）。"
        "这些是对所有平台提同一种方案；下面“向每家提什么”是每家只提刚好够用的最小让步。",
        "Of the options that fit, if every lender granted it, “{cheapest}” costs least (★) and “{fastest}” "
        "clears fastest (⚡). These ask every lender for the same thing; “what to ask each lender” below asks "
        "each one only for the least that fits.",
    ),
    "compare.none_fits": (
        "按现在的还款能力，没有一个方案在前 12 个月都还得上。看看下面“向每家提什么”，或回到上一步调整能力。",
        "No option fits your capacity in each of the first 12 months. See “what to ask each lender” below, "
        "or revisit your capacity.",
    ),
    "compare.table_help": (
        "每个方案都先依法把超出法定上限的借款降到上限（不需要平台让步），再套用到所有适用的平台（信用卡不做展期，用第七十条个性化分期）。"
        "“少付”按同一段时间（前 {w} 个月）比较：这段时间里付的钱加上之后仍欠的钱。真实年化按 IRR 计算；少还了本金的方案不适用。"
        "减免本金很少被同意——文章提醒：本金通常不减免。",
        "Each option first brings every loan above its legal line down to it (no favour from the lender), "
        "then is applied to every lender it suits (credit cards get article-70 instalments, not extensions). "
        "The saving compares the same months (the first {w}): what is paid in them plus what is still owed "
        "after. The real APR is an IRR; it does not apply to a plan that repays less than is owed. "
        "Principal is rarely cut, the article warns.",
    ),
    "compare.help.fits": (
        "前 12 个月每个月的应还（含逾期）都不超过能拿出的钱", "In each of the first 12 months, what is due (arrears included) is no more than you have",
    ),
    "compare.help.monthly_payment": ("第 1 个月各家应还合计，含已逾期部分", "What all lenders ask in month 1, arrears included"),
    "compare.help.months": ("到最后一笔欠款还清为止的月数", "Months until the last debt is cleared"),
    "compare.help.total_paid": ("整个计划付出的钱", "Everything paid over the whole plan"),
    "compare.help.saving": (
        "前 {w} 个月里付的钱加上之后仍欠的钱，和不协商（依法可执行部分）相比少多少",
        "What is paid in the first {w} months plus what is still owed after them, against keeping the "
        "contracts (what can be enforced)",
    ),
    "compare.help.apr": (
        "把付出的每一笔钱和现在欠的钱一起算 IRR；少还了的方案不适用", "An IRR of every payment against what is owed now; n/a when less is paid back",
    ),
    "compare.basis.enforceable": ("逾期部分按依法可执行的计算（持牌机构年化 24%、民间借贷 4 倍 LPR 为上限）。",
                                  "Arrears are counted as far as they can be enforced (24 % a year for licensed lenders, 4 × LPR for private loans)."),
    "compare.basis.contractual": ("逾期部分按平台的合同主张计算（可在上一步改为依法可执行）。",
                                  "Arrears are counted as the lenders' contractual claim (switch to what can be enforced on the previous step)."),
    "compare.ask_vs_best": (
        "按这些最小让步：{months} 个月还清，共付 {total}。★“{best}”（{best_months} 个月，共付 {best_total}）更省，"
        "但要每家都答应同一种让步；这里每家只提刚好够用的，更容易谈成，代价是多付一些。",
        "With these smallest asks: clear in {months} months, {total} paid in all. ★ “{best}” ({best_months} "
        "months, {best_total}) costs less but needs every lender to grant the same concession; these ask "
        "each lender only for what makes the plan fit — easier to get, at a higher price.",
    ),
    "compare.tab_owed": ("欠款余额", "What is owed"),
    "compare.tab_paid": ("累计还款", "Paid so far"),
    "compare.tab_monthly": ("每月还款与能力", "Monthly payment vs capacity"),
    "compare.ask_title": ("向每家提什么", "What to ask each lender"),
    "compare.ask_help": (
        "先依法（超出法定上限的部分本来就不受保护），再从平台让出最少的开始（免罚息 → 展期 → 降低利率分期 → 停息分期 → 最后才是减免本金），"
        "找出让整个计划每个月都还得上的组合。",
        "The law first (what lies above the legal line is not protected anyway), then from what costs the lender "
        "least (waive penalty → extension → instalments at a lower rate → interest-free instalments → "
        "settlement only as a last resort), the combination that makes every month fit.",
    ),
    "compare.ask_gap": (
        "即使每家都给出最大的让步，每月仍差 {gap}。需要增加收入、减少开支，或寻求家人帮助、法律援助。",
        "Even with the largest concessions from every lender, {gap} a month is missing: more income, less "
        "spending, family help or legal aid are needed.",
    ),
    "compare.builder": ("自己调整：每家选一个方案", "Build your own plan: one option per lender"),
    "compare.builder_help": (
        "表中是上面的建议。可以逐家改方案和参数：“月数”按方案指展期月数、分期期数或结清款分几个月付；空着的参数用上方滑块的值。",
        "The table holds the suggestion above. Change any lender's option and parameters: “months” is the "
        "extension, the number of instalments or the settlement's months, by option; blanks take the "
        "sliders' values above.",
    ),
    "compare.col.plan_months": ("月数", "Months"),
    "compare.reminders": (
        "**提醒**：本金很少减免，别把希望押在减免本金上；越早协商空间越大；协商成功后征信上仍会有记录；"
        "不要找付费“代理协商 / 停息挂账”，自己申请就行，而且不花钱。",
        "**Remember**: principal is rarely cut, so don't count on it; the earlier you ask the more room "
        "there is; an agreement still shows in your credit record; don't pay a “negotiation agent” — you "
        "can apply yourself, for free.",
    ),
    "compare.go_guide": ("打电话前读一读协商指南 →", "Read the negotiation guide before you call →"),
    "compare.plan_title": ("这个计划逐月看", "This plan, month by month"),
    "compare.plan_fits": ("整个计划每月都还得上", "Every month within capacity"),
    "loan.unnamed": ("第{row}行借款", "Loan in row {row}"),  # a blank lender, shown (lib.loans.named)
    "loan.unnamed_typed": ("未命名借款 {loan_id}", "Unnamed loan {loan_id}"),  # … of a loan from no row
    "loans.form_pick": ("要修改的借款", "Loan to edit"),  # the loan editor on a phone (pages/_forms.py)
    "loans.form_none": ("还没有借款", "No loans yet"),
    "loans.form_unnamed": ("第 {n} 笔（未填平台）", "Loan {n} (no lender yet)"),
    "loans.form_delete": ("删除这笔借款", "Delete this loan"),
    "loans.form_add": ("添加一笔借款", "Add a loan"),
    # ---- screenshots of lenders' apps (issue 14: lib/ocr) ----
    "problem.screenshot_too_small": (
        "这张截图只有 {width} 像素宽，太小，无法可靠识别（至少要 {min} 像素）。请发一张更清晰的截图（原图，不要压缩或缩小）",
        "This screenshot is only {width} px wide: too small to read reliably (at least {min} px). Send a "
        "sharper one (the original, not a shrunk or compressed copy)",
    ),
    "problem.screenshot_too_large": (
        "图片有 {width}×{height} 像素，太大了。请只截借款页面",
        "The picture is {width}×{height} pixels, too large. Send a screenshot of the loan page only",
    ),
    "problem.screenshot_too_long": (
        "这张长截图太长（{height} 像素高）。请分成几张截图上传，每张截一部分借款",
        "This scrolling screenshot is too long ({height} px tall). Upload it as several screenshots, a few "
        "loans each",
    ),
    "problem.screenshot_no_loan": (
        "这张图片里没有找到借款（剩余本金、利率、每期应还等）。请上传借款 App 的借款详情、待还账单、分期明细或信用卡账单页面的截图",
        "No loan found in this picture (balance, rate, monthly payment …). Upload a screenshot of a lender "
        "app's loan details, bill, instalment plan or credit-card statement page",
    ),
    "problem.screenshot_failed": (
        "截图识别出错（{error}），请稍后再试", "Reading the screenshot failed ({error}); please try again",
    ),
    "problem.screenshot_unsure": (
        "截图上这一项看不太清（识别为“{value}”，把握 {confidence}），请核对",
        "This value is hard to read on the screenshot (read as “{value}”, {confidence} sure): please check it",
    ),
    "note.screenshot": (
        "从截图识别出 {loans} 笔借款（图上找到 {seen} 笔）。图片识别可能出错，请逐项核对",
        "Read from a screenshot: {loans} loan(s) ({seen} found on the picture). Reading pictures can go "
        "wrong: check every value",
    ),
    "shots.col_rate": ("利率", "Rate"),
    "shots.col_field": ("项目", "Field"),
    "shots.col_value": ("内容", "Value"),
    "shots.col_from": ("来源", "From"),
    "shots.mark_read": ("图上读到", "Read"),
    "shots.mark_unsure": ("看不清，{confidence}", "Unclear, {confidence}"),
    "shots.mark_implied": ("由“{label}”推断", "From “{label}”"),
    "shots.mark_named": ("按图片命名", "Picture's name"),
    "shots.mark_corrected": ("已由你更正", "Corrected by you"),
    "shots.mark_typed": ("由你填写", "Typed by you"),
    "shots.unavailable": (
        "读取借款 App 截图需要开启截图识别：pip install -r requirements-ocr.txt，然后重启",
        "Reading screenshots of lenders' apps needs screenshot reading: pip install -r requirements-ocr.txt, "
        "then restart",
    ),
    "shots.upload": ("或上传借款 App 的截图（可多张）", "Or upload screenshots of your lenders' apps (several at once)"),
    "shots.upload_help": (
        "借款详情、待还账单、分期明细或信用卡账单页面的截图（PNG、JPG、WebP）。图片只在本次会话的内存里识别，不存盘、不上传到别处。",
        "Screenshots of a loan's details, bill, instalment plan or credit-card statement (PNG, JPG, WebP). "
        "They are read in this session's memory only: never saved, never sent anywhere.",
    ),
    "shots.reading": ("正在识别第 {i}/{n} 张截图：{name}", "Reading screenshot {i} of {n}: {name}"),
    "shots.check_title": ("核对从截图读出的借款", "Check the loans read from your screenshots"),
    "shots.check_help": (
        "截图上读到的数字用蓝框标出，看不清的用橙框；表格里是读出的内容。请逐项和截图对照：有错直接改，缺的补上。"
        "点“加入”之前，这些借款不会计入。",
        "Each value read is boxed on the screenshot: blue, or orange where it was hard to read. The tables show "
        "what was read: check each value against the picture, correct what is wrong, fill in what is missing. "
        "Nothing counts until you press “add”.",
    ),
    "shots.becomes": (
        "**{lender}**：余额 {balance} · {rate} · 月供 {payment} · 剩 {months} 期 · 实际年化 {apr}",
        "**{lender}**: balance {balance} · {rate} · {payment} a month · {months} months left · real APR {apr}",
    ),
    "shots.replaces": ("加入后，这些借款将替换示例数据。", "Once added, these loans replace the sample."),
    "shots.adds": ("加入后，这些借款排在你现有的借款之后。", "Once added, these loans come after your other loans."),
    "shots.rows_kept.one": (
        "有 {n} 行还缺信息：它会放进下面的借款表，补全后才计入。",
        "{n} row still lacks a value: it goes into the loan table below and counts once completed.",
    ),
    "shots.rows_kept.other": (
        "有 {n} 行还缺信息：它们会放进下面的借款表，补全后才计入。",
        "{n} rows still lack a value: they go into the loan table below and count once completed.",
    ),
    "shots.confirm.one": ("核对无误，加入 {n} 笔借款", "Checked: add {n} loan"),
    "shots.confirm.other": ("核对无误，加入 {n} 笔借款", "Checked: add {n} loans"),
    "shots.discard": ("放弃这些截图", "Discard these screenshots"),
    "undo.screenshots": ("已加入从截图读出的借款，可以撤销。", "The loans from your screenshots were added; undo to go back."),
    # ---- end of screenshots ----
}


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """Look up ``key`` in ``lang`` (falls back to Chinese, then to the key itself)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


def tn(key: str, n: int, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """``t`` for a count: ``key.one`` when ``n`` is 1, else ``key.other`` (``{n}`` is filled).

    >>> tn("loans.skipped", 1, "en"), tn("loans.skipped", 2, "en"), tn("loans.skipped", 1, "zh")
    ('1 row could not be imported', '2 rows could not be imported', '1 行未能导入')
    """
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **params)


def _field_labels() -> dict[str, tuple[str, str]]:
    from lib.fields import ALL_FIELDS

    return {f"field.{f.name}": (f.zh, f.en) for f in ALL_FIELDS}


TEXT.update(_field_labels())
