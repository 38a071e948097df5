"""What the user takes away from the plan, to keep, print, import or send: the letters and call
script per lender (``letters``), the client report in HTML and PDF (``report``, ``svg``), the plan
as a spreadsheet (``exports``) and as a payment calendar (``calendar``). Like the rest of ``lib``,
nothing here imports streamlit."""
