"""Opening the user's database the same way for the window and the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hyp_board.storage import Store


def open_store(path: Path) -> Store:
    """Open the database; a brand-new one starts with the sample case in it.

    Callers decide first whether creating one is right: a missing database that has
    backups is the user's to decide about, and a command that only reads creates none.
    """
    from hyp_board.storage import Store

    store = Store.open(path)
    if store.created and store.is_empty():
        add_sample_project(store)
    return store


def add_sample_project(store: Store) -> int:
    # Imported here: the sample's documents go through the document importer, whose
    # libraries only the first start (or an import) needs to load.
    from hyp_board.sample_case import load_sample

    return store.insert_project(load_sample(), "Sample case")
