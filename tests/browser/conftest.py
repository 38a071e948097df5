collect_ignore = ["store_app.py"]  # a Streamlit script, not a module to import
