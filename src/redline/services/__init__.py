"""The use cases, one function per thing a user does, their dependencies handed in (docs: architecture)."""
