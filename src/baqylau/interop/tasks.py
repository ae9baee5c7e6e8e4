"""Background work of the interchange: the plan workbook import behind the upload page."""

import time

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import WorkbookImportJob
from .workbook import WorkbookRefused, import_workbook

PROGRESS_EVERY_SECONDS = 0.5  # how often the job row is updated while rows are checked and written


def _problem(p) -> dict:
    return {
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
        "value": str(p.value or ""),
        "reason": str(p.reason),
    }


@task()
def run_workbook_import(job_id: int) -> str:
    job = WorkbookImportJob.objects.get(pk=job_id)
    WorkbookImportJob.objects.filter(pk=job_id).update(status=WorkbookImportJob.Status.RUNNING)
    last = [0.0]

    def progress(done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or done == total:
            last[0] = now
            WorkbookImportJob.objects.filter(pk=job_id).update(done=done, total=total, stage=stage)

    fields = {"finished_at": timezone.now()}
    try:
        result = import_workbook(
            job.upload.path,
            plan_code=job.plan_code or None,
            dry_run=job.dry_run,
            progress=progress,
            language=job.language or None,
            user=job.user,
        )
    except WorkbookRefused as refusal:
        fields |= {"status": WorkbookImportJob.Status.REFUSED, "message": str(refusal)}
    except Exception:  # the user gets a sentence; the log and the task result keep the traceback
        fields |= {
            "status": WorkbookImportJob.Status.FAILED,
            "message": _("The import stopped on an unexpected error; nothing was written."),
        }
        WorkbookImportJob.objects.filter(pk=job_id).update(**fields)
        raise
    else:
        fields |= {
            "status": WorkbookImportJob.Status.DONE,
            "result": {
                "ok": result.ok,
                "written": result.written,
                "dry_run": result.dry_run,
                "plan": result.plan_code,
                "created": result.created,
                "updated": result.updated,
                "problems": [_problem(p) for p in result.problems],
                "warnings": [_problem(p) for p in result.warnings],
            },
        }
    WorkbookImportJob.objects.filter(pk=job_id).update(**fields)
    return fields["status"]
