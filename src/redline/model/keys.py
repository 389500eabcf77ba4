"""Who may do what: a key's role and its public record (the secret is never part of the model)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from redline.model.vocabulary import ChoiceError


class Role(IntEnum):
    """Each role can do what the roles below it can (issue 6: a viewer reads, an analyst screens and decides,
    an admin manages sources and keys)."""

    VIEWER = 1
    ANALYST = 2
    ADMIN = 3

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(role.label for role in cls)
            raise ChoiceError(f"unknown role {text!r}: use one of {names}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    owner: str
    role: Role
    created_at: str
    created_by: str
    revoked_at: str | None
    revoked_by: str | None

    @property
    def actor(self) -> str:
        """How the key's owner appears in the audit log."""
        return f"{self.owner} (key {self.id})"

    def to_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "owner": self.owner,
            "role": self.role.label,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "revoked_at": self.revoked_at,
            "revoked_by": self.revoked_by,
        }
