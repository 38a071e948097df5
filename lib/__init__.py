"""The planner's brain: plain, typed Python with no Streamlit import.

Everything here is usable from a notebook::

    from lib.ingest import read_loans
    book = read_loans("data/sample_loans.csv")
    book.loans.head()
"""
