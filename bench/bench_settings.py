"""Settings of the benchmark's processes: the project's, plus the bench's own URLs (the bare filing
view, the floor the API's filing is measured against). Never part of the app."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
