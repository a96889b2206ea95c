"""The one error type the kit raises for bad input.

Every message names *what* was wrong, *where* (file, field path, parameter,
column) and *how to fix it*, so that the CLI, a dashboard or an exercise can
show it as one paragraph instead of a traceback.
"""

from __future__ import annotations


class B4BError(ValueError):
    """Bad input to the kit, with a message fit to show a user as it is.

    Parameters
    ----------
    what : str
        What was wrong, e.g. ``"level numbers are not 1..n"``.
    where : str, optional
        The file, field path, parameter or column concerned.
    fix : str, optional
        How to put it right.

    Examples
    --------
    >>> str(B4BError("expected a number", where="threshold", fix="Pass e.g. 0.6."))
    'threshold: expected a number. Pass e.g. 0.6.'
    """

    def __init__(self, what: str, where: str | None = None, fix: str | None = None):
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-paragraph message: where, what, and the fix."""
        text = f"{self.where}: {self.what}" if self.where else self.what
        if not text.endswith("."):
            text += "."
        if self.fix:
            text += " " + self.fix
        return text

    def __str__(self) -> str:  # ValueError would show the args tuple otherwise
        return self.message


class FrameworkError(B4BError):
    """A framework file that does not follow the schema."""


class ParameterError(B4BError):
    """An unknown, wrongly typed or out-of-range case-study parameter."""


class DatasetError(B4BError):
    """A dataset file that is missing, malformed or does not match its checksum."""
