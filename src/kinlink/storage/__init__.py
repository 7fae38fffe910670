"""Storage: the only package that imports SQLAlchemy. Tables, engine, migrations."""

from sqlalchemy.orm import Session

from kinlink.storage.store import Store, current_revision, head_revision, open_store, upgrade

__all__ = ["Session", "Store", "current_revision", "head_revision", "open_store", "upgrade"]
