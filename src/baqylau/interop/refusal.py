"""The one shape of an interchange refusal: a summary line for the user and each problem found."""


class InputRefused(Exception):  # a refusal of the input, not a programming error
    def __init__(self, summary: str, problems: list[str] | None = None):
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return "\n".join([self.summary, *self.problems])
