"""gunicorn for the throughput run: the product's worker count (two per core plus one), sync
workers, no access log (it would be measured too)."""

import multiprocessing
import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8765")
workers = multiprocessing.cpu_count() * 2 + 1
threads = 1
timeout = 120
accesslog = None
errorlog = "-"
loglevel = "warning"
