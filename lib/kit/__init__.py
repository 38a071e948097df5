"""What the user takes away from the plan: files to keep, print, import or send (the exports,
the calendar, …). Like the rest of ``lib``, nothing here imports streamlit."""
