"""What a query may be refused for, in every face's words."""


class QueryError(ValueError):
    """The query cannot be matched (empty, blank, or made of nothing but symbols)."""
