"""Digital signatures on drafter's PDFs (Nghị định 30, Phụ lục I mục II.7–8, III.1).

`positions` finds where the signatures go from the PDF's own text (the signer's
title lines and name), `appearance` draws them (the handwritten-signature image, the
seal with the agency's name and the signing time, the attachment's text), `keys`
opens a PKCS#12 file or a PKCS#11 token, `signer` makes the PAdES signatures with
pyHanko; `verify` reads them back (drafter xac-minh).
"""
