"""Settings of the benchmark's processes: the project's, plus the bench's own URLs (the bare filing
view, the floor the API's filing is measured against). Never part of the app."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"

# The benchmark talks plain HTTP on the loopback, with no TLS-terminating proxy in front: DEBUG is
# off as in production, but the HTTPS redirect and HSTS, which the proxy makes meaningful, are not.
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER = None
SECURE_HSTS_SECONDS = 0
