from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "baqylau.core"
    verbose_name = "Baqylau core"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django_tasks.signals import task_enqueued, task_finished

        from . import logs

        # Security events for the log (baqylau.security); refused requests are logged by the middleware.
        user_logged_in.connect(logs.log_login, dispatch_uid="baqylau-log-login")
        user_login_failed.connect(logs.log_login_failed, dispatch_uid="baqylau-log-login-failed")
        user_locked_out.connect(logs.log_lockout, dispatch_uid="baqylau-log-lockout")
        # The queue's work (workbook imports among it), for the log (baqylau.tasks).
        task_enqueued.connect(logs.log_task_enqueued, dispatch_uid="baqylau-log-task-enqueued")
        task_finished.connect(logs.log_task_finished, dispatch_uid="baqylau-log-task-finished")
