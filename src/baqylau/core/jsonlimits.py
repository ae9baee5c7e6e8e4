"""Reading JSON from outside with a depth limit: Python's parser recurses, so a body nested 10,000 deep
would end in a RecursionError (a 500, or a dead import). The depth is counted first, without recursion."""

import json
import re

# A string (with its escapes) or a bracket: brackets inside strings do not nest anything.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class TooDeep(ValueError):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"The JSON is nested more than {limit} levels deep.")


def depth(text: str) -> int:
    """How deep the arrays and objects of ``text`` nest (0 for a scalar)."""
    deepest = level = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            level += 1
            deepest = max(deepest, level)
        elif token in "]}":
            level -= 1
    return deepest


def loads(text: str, max_depth: int, **kwargs):
    """``json.loads`` that refuses (``TooDeep``) what nests deeper than ``max_depth``."""
    if depth(text) > max_depth:
        raise TooDeep(max_depth)
    return json.loads(text, **kwargs)
