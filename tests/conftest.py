from tests.apptest_mode import run_app_py_on_every_page

run_app_py_on_every_page()  # AppTest runs app.py and then the page, as the server does
