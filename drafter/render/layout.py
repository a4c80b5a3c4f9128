"""Page geometry and spacing of FORMAT.md's defaults, in twips (1/20 pt).

Shared by the template builder and the renderer, so a rule paragraph computed at
render time fits the column the template drew.
"""

from __future__ import annotations

from .ooxml import mm

PAGE_W, PAGE_H = mm(210), mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = mm(20), mm(20), mm(30), mm(15)
HEADER_DISTANCE, FOOTER_DISTANCE = mm(10), mm(10)
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
# Landscape appendix pages: same margins, turned.
TEXT_W_LANDSCAPE = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT

CELL_MARGIN = 108  # Word's default left/right cell margin
# The national block needs room for the quốc hiệu, tiêu ngữ and date line on one line.
HEADER_RIGHT = round(TEXT_W * 0.60)
HEADER_LEFT = TEXT_W - HEADER_RIGHT
HEADER_LEFT_INNER = HEADER_LEFT - 2 * CELL_MARGIN
HEADER_RIGHT_INNER = HEADER_RIGHT - 2 * CELL_MARGIN
SIGN_LEFT = round(TEXT_W * 0.45)
SIGN_RIGHT = TEXT_W - SIGN_LEFT

BODY_INDENT = 720  # 1.27 cm first-line indent
BODY_AFTER = 120  # 6 pt between paragraphs
BODY_LINE = 276  # 1.15 lines
KINH_GUI_LEFT = mm(20)
KINH_GUI_ITEM_LEFT = mm(35)
SIGNATURE_SPACE = 1560  # room for signature and seal (~4 blank lines at 14 pt)
TITLE_RULE = mm(40)
