"""Issuance: the outgoing register (sổ đăng ký văn bản đi), numbering a document.

``register`` (SQLite, one number at a time under ``BEGIN IMMEDIATE``), ``model`` (the
columns of Phụ lục IV), ``series`` (which series a document takes), ``migrations``
(the schema as numbered steps), ``stamp`` (the number and date written into a .docx).

The contract other modules build on (``so-di`` export, copies, ``ky --cap-so``):

- ``register.Register.open(path=None)`` (a file or a folder; ``None`` → the user's
  data folder, ``DRAFTER_SO_DANG_KY`` overrides), a context manager, with
  ``issue(series=, year=, fields=, file=, before_commit=)``, ``cancel(series=, year=,
  so=, who=, why=)``, ``entries(year=, series=, loai=, nguoi_ky=, text=)``,
  ``get(series=, year=, so=)``, ``last_number(series=, year=)``, ``series_list()``,
  ``backup(dest)``; errors are ``register.RegisterError`` (a ``DrafterError``).
- ``model.RegisterFields`` / ``model.Entry`` (Phụ lục IV's columns; ``Entry.so_ky_hieu``
  "05/UBND-KT", ``Entry.to_json()``).
- ``series.resolve(rules, loai=, ky_hieu=, do_mat=, copy=, explicit=)`` → ``chung`` |
  ``mat`` | ``sao`` | ``loai:<slug>`` | ``hoi-dong:<VIẾT TẮT>``.
- ``stamp.number_document(path, *, register=None, ngay=None, force=False, ...)``
  numbers a .docx in place and records it (``drafter cap-so``).
"""
