"""The development scripts, importable as modules (``from scripts import bench_quota``).

Each Python script is a module ``scripts/<name>.py``; the command ``scripts/<name>`` next to
it runs that module as ``__main__`` with the same arguments, so both
``.venv/bin/python scripts/bench_quota`` and ``.venv/bin/python scripts/bench_quota.py`` work.
The tests import the modules directly. ``setup``, ``test``, ``test_e2e``, ``develop`` and
``install_browser`` are shell scripts.
"""
