"""Settings by purpose: ``base`` (shared), ``dev`` (default, the demo), ``test``, ``production``."""
