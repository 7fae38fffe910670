"""Storage: the only package that imports SQLAlchemy. Tables, engine, migrations."""

from kinlink.storage.store import Store, current_revision, head_revision, open_store, upgrade

__all__ = ["Store", "current_revision", "head_revision", "open_store", "upgrade"]
