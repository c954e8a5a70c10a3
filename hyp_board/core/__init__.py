"""The ACH core: domain model, scoring and editing. Standard library only: no Qt, no database."""
