"""Mediation: the files of the lists of children a liaison officer sends through a
channel (a state mediator, the ICRC, an envoy), and their encryption.

:mod:`kinlink.mediation.exports` writes a list (CSV, XLSX, PDF) and children's dossiers
(PDF) from data already cut down to what the channel may receive;
:mod:`kinlink.mediation.encryption` wraps them in an AES-encrypted ZIP, the only form in
which they leave kinlink.
"""

__all__: list[str] = []
