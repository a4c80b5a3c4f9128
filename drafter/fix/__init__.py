"""`drafter fix`: repair what `drafter check` flags and a machine can repair safely.

Library only (no click): :func:`drafter.fix.api.fix_file` reads a .docx, runs the
checker, applies one small repair per fixable rule id (:data:`drafter.fix.repairs.REPAIRS`),
checks again, and writes the result atomically through the raw-copy package writer
(only ``word/document.xml`` — and, when page numbers are added, a header part, the
main part's relationships and ``[Content_Types].xml`` — are rewritten; every other
part is copied byte for byte).
"""
