"""gunicorn's settings for ``baqylau serve`` (bind, workers and timeout come from its command line).

Its own log lines (start, stop, worker timeouts, one access line a request) are JSON lines on stderr
like the application's, and an access line carries the request's reference.
"""

import os

from baqylau.core.logs import logging_config

wsgi_app = "baqylau.wsgi:application"
logconfig_dict = logging_config(os.environ.get("BAQYLAU_LOG_LEVEL", "INFO"))
accesslog = "-"
access_log_format = '%(h)s "%(r)s" status=%(s)s bytes=%(B)s ms=%(M)s ref=%({x-request-ref}o)s'
graceful_timeout = 30  # seconds a worker has to finish its requests on stop or restart
forwarded_allow_ips = "127.0.0.1,::1"  # the reverse proxy on the same machine
control_socket_disable = True  # gunicornc is not used; several servers may share a machine
