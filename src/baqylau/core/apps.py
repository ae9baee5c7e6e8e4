from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "baqylau.core"
    verbose_name = "Baqylau core"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import logs

        # Security events for the log (baqylau.security); refused requests are logged by the middleware.
        user_logged_in.connect(logs.log_login, dispatch_uid="baqylau-log-login")
        user_login_failed.connect(logs.log_login_failed, dispatch_uid="baqylau-log-login-failed")
        user_locked_out.connect(logs.log_lockout, dispatch_uid="baqylau-log-lockout")
