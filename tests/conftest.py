from tests.apptest_mode import run_app_py_on_every_page

run_app_py_on_every_page()  # AppTest runs app.py and then the page, as the server does
# a throwaway PostgreSQL server (tests/pg.py) for tests/test_workspace.py
from tests.pg import postgres, postgres_url  # noqa: E402, F401
