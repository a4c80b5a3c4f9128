"""The format's page geometry and spacing in twips (1/20 pt), as Word stores them:
:mod:`drafter.rules.geometry` converted once.

Shared by the template builder, the renderer and the appendix table layout, so a
rule paragraph computed at render time fits the column the template drew, and a
table's columns fit the text width of its page.

>>> PAGE_W, TEXT_W, BODY_INDENT
(11906, 9355, 720)

Data only: its values are checked where they come from (geometry's ranges).
"""

from __future__ import annotations

from drafter.oxml import line_value, twips, twips_from_pt
from drafter.rules import geometry as G

PAGE_W, PAGE_H = twips(G.PAPER_MM[0]), twips(G.PAPER_MM[1])
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = (
    twips(G.MARGINS[side].value) for side in ("top", "bottom", "left", "right")
)
HEADER_DISTANCE, FOOTER_DISTANCE = twips(G.HEADER_DISTANCE_MM), twips(G.FOOTER_DISTANCE_MM)
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
# Landscape appendix pages: same margins, turned.
TEXT_W_LANDSCAPE = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT

CELL_MARGIN = 108  # Word's default left/right cell margin
HEADER_RIGHT = round(TEXT_W * G.HEADER_RIGHT_SHARE)
HEADER_LEFT = TEXT_W - HEADER_RIGHT
HEADER_LEFT_INNER = HEADER_LEFT - 2 * CELL_MARGIN
HEADER_RIGHT_INNER = HEADER_RIGHT - 2 * CELL_MARGIN
SIGN_LEFT = round(TEXT_W * G.SIGN_LEFT_SHARE)
SIGN_RIGHT = TEXT_W - SIGN_LEFT
SIGN_LEFT_INNER = SIGN_LEFT - 2 * CELL_MARGIN
SIGN_RIGHT_INNER = SIGN_RIGHT - 2 * CELL_MARGIN

BODY_INDENT = twips(G.BODY_INDENT_MM.value)  # 1.27 cm first-line indent = 720
BODY_AFTER = twips_from_pt(G.BODY_AFTER.value)  # 6 pt between paragraphs = 120
BODY_LINE = line_value(G.BODY_LINE.value)  # 1.15 lines = 276
KINH_GUI_LEFT = twips(G.KINH_GUI_LEFT_MM)
KINH_GUI_ITEM_LEFT = twips(G.KINH_GUI_ITEM_LEFT_MM)
SIGNATURE_SPACE = twips_from_pt(G.SIGNER.before)  # room for signature and seal = 1560
TITLE_RULE = twips(G.TITLE_RULE_MM)
