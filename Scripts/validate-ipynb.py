#!/usr/bin/env python3
"""Check notebooks the runtime exported against Jupyter's own tools (by hand, not in CI).

    /tmp/venv/bin/python Scripts/validate-ipynb.py Figures/mini1/mini1.ipynb ...

For each file: nbformat.validate against the nbformat 4 JSON schema, every
embedded image/png decodes to a PNG, and re-saving with nbformat gives the
same bytes (the runtime writes notebooks exactly as Jupyter does).
"""
import base64
import sys

import nbformat

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

failed = False
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    images = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png is not None:
                assert base64.b64decode(png).startswith(PNG_SIGNATURE), f"{path}: image/png is not a PNG"
                images += 1
    same = nbformat.writes(nb) + "\n" == text
    failed |= not same
    print(f"{path}: valid nbformat {nb.nbformat}.{nb.nbformat_minor}, {len(nb.cells)} cells, "
          f"{images} images, {'identical' if same else 'DIFFERENT'} after nbformat re-save")
sys.exit(1 if failed else 0)
