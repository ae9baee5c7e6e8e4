"""The plan workbook's rules for instructions: deadlines that follow on from each other, the original
due fixed at issue, the responsible executor among the executors, a known controller, delegation within
the parent's deadline (docs/workbook.md). Part of ``Checker``: split from checks.py by domain."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .checks import Row


class InstructionChecks:
    def _instructions(self) -> None:
        sheet = "instructions"
        self._cycles(sheet)
        changes = self._deadline_changes()
        for row in self.sheets[sheet].rows:
            self._control(row)
            code, issued, due = row.values.get("code"), row.values.get("issued_on"), row.values.get("due")
            if due and issued and due < issued:
                self.at(
                    sheet,
                    row,
                    "due",
                    _("The due date must not be before the date of issue (%(date)s).") % {"date": issued},
                )
            status = self.effective(sheet, row, "status") or "open"
            closed = self.effective(sheet, row, "closed_on")
            if status == "open" and "closed_on" not in self.sheets[sheet].present:
                closed = None  # a sheet without closed_on reopens an instruction: its closing date goes
            if status == "open" and closed is not None:
                self.at(
                    sheet,
                    row,
                    "closed_on",
                    _("An open instruction has no closing date: leave closed_on empty."),
                )
            elif status != "open" and closed is None:
                column = "closed_on" if "closed_on" in self.sheets[sheet].present else "status"
                self.at(
                    sheet,
                    row,
                    column,
                    _(
                        "An instruction with status %(status)s needs the date it was closed "
                        "(column closed_on)."
                    )
                    % {"status": status},
                )
            if code and due:
                self._deadline_chain(row, code, due, issued, changes.get(code, []))
        listed = self.sheets[sheet].by_key
        for code, chain in changes.items():
            if code in listed or not self.existing.has(sheet, code):
                continue  # checked above, or an unknown instruction (reported as such)
            for _changed_on, _old, _new, change_row in chain:
                if change_row is not None:
                    self.at(
                        "deadline_changes",
                        change_row,
                        "instruction",
                        _(
                            "A new deadline change needs its instruction in the instructions sheet too, "
                            "with the new due date."
                        ),
                    )

    def _deadline_changes(self) -> dict[str, list]:
        """Each instruction's deadline changes, recorded and new, in order: (date, old, new, row or None)."""
        sheet = "deadline_changes"
        recorded = self.existing.deadline_changes
        chains: dict[str, list] = defaultdict(list)
        for code, items in recorded.items():
            chains[code] = [(c.changed_on, c.old_due, c.new_due, None) for c in items]
        for row in self.sheets[sheet].rows:
            values = row.values
            old, new = values.get("old_due"), values.get("new_due")
            if old and new and old == new:
                self.at(sheet, row, "new_due", _("A deadline change must move the date."))
                continue
            key = _row_key(self.sheets[sheet].spec, values)
            if None in key:
                continue
            change = self.existing.get(sheet, key)
            if change is not None:
                for column in ("reason", "decided_by"):
                    if column in self.sheets[sheet].present and (values.get(column) or "") != getattr(
                        change, column
                    ):
                        self.at(
                            sheet,
                            row,
                            column,
                            _(
                                "This deadline change is recorded already and cannot be edited; "
                                "recorded: %(value)s"
                            )
                            % {"value": getattr(change, column) or "—"},
                        )
                continue
            if self.sheets[sheet].by_key.get(key) is row:
                chains[key[0]].append((key[1], old, new, row))
        for chain in chains.values():
            chain.sort(key=lambda item: (item[0], item[3] is not None, item[3].number if item[3] else 0))
        return chains

    def _control(self, row: Row) -> None:
        """Instruction control: the responsible executor is one of the executors, the controller a user,
        a sub-instruction is due by its parent's due date."""
        sheet = "instructions"
        values = row.values
        responsible, executors = values.get("responsible"), values.get("executors") or ()
        if responsible and executors and responsible not in executors:
            self.at(
                sheet,
                row,
                "responsible",
                _("The responsible executor %(code)s must be one of the executors (%(list)s).")
                % {"code": responsible, "list": "; ".join(executors)},
            )
        controller = values.get("controller")
        if controller and controller not in self.existing.user_ids:
            self.at(sheet, row, "controller", _("No active user %(name)s.") % {"name": controller})
        parent, due = values.get("parent"), values.get("due")
        if parent and due:
            parent_row = self.sheets[sheet].by_key.get(parent)
            record = self.existing.get(sheet, parent)
            parent_due = parent_row.values.get("due") if parent_row else (record.due if record else None)
            if parent_due and due > parent_due:
                self.at(
                    sheet,
                    row,
                    "due",
                    _("A sub-instruction is due by its parent's due date, %(date)s.") % {"date": parent_due},
                )

    def _deadline_chain(self, row: Row, code: str, due: dt.date, issued: dt.date | None, chain: list) -> None:
        """The first deadline, its changes and the due date must follow on from each other; the original
        due is what was first ordered and never changes."""
        sheet = "instructions"
        record = self.existing.get(sheet, code)
        original = row.values.get("original_due")
        if record is not None:
            first_due = record.original_due
            if original and original != first_due:
                self.at(
                    sheet,
                    row,
                    "original_due",
                    _("What was ordered at issue does not change; it was %(value)s.") % {"value": first_due},
                )
        else:
            first_due = chain[0][1] if chain else due
            if original and original != first_due:
                self.at(
                    sheet,
                    row,
                    "original_due",
                    _("The original due must be %(date)s, the deadline before the first change.")
                    % {"date": first_due},
                )
        self.first_due[code] = first_due
        current = first_due
        for _changed_on, old, new, change_row in chain:
            if change_row is not None and old != current:
                self.at(
                    "deadline_changes",
                    change_row,
                    "old_due",
                    _("Instruction %(code)s's deadline was %(current)s before this change, not %(old)s.")
                    % {"code": code, "current": current, "old": old},
                )
            current = new
        if due != current:
            if chain:
                reason = _(
                    "The last deadline change moves this deadline to %(date)s, so due must be %(date)s."
                )
            else:
                reason = _(
                    "The recorded deadline is %(date)s; a deadline is moved by a row in the deadline_changes "
                    "sheet, which gives the reason."
                )
            self.at(sheet, row, "due", reason % {"date": current})
        term = self.effective(sheet, row, "term_days")
        if term is not None and issued is not None:
            expected = issued + dt.timedelta(days=term)
            if first_due != expected:
                if chain:
                    column = "term_days"
                    reason = _(
                        "The first deadline, before the changes in the deadline_changes sheet, must be "
                        "%(date)s: issued on plus the term of %(days)s days."
                    )
                else:
                    column = "due"
                    reason = _("The due date must be %(date)s: issued on plus the term of %(days)s days.")
                self.at(sheet, row, column, reason % {"date": expected.isoformat(), "days": term})


def _row_key(spec, values):
    from .checks import row_key  # checks.py builds the Checker from this mixin

    return row_key(spec, values)
