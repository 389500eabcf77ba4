"""Errors the CLI reports as one line with exit code 2."""


class UserError(Exception):
    """Bad input from the user: a date, a query, a file. The message says what and where."""
