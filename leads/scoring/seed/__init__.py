"""The seed keyword lists: which industries the fit score starts with, and the trade terms that reveal each one.

``INDUSTRIES`` and ``KEYWORDS`` are plain specs for ``compile_matcher`` and for the data
migration that fills the admin-editable tables. Terms are stored as written, accents
included; normalisation folds them when the matcher is compiled. Each module holds a few
related industries, so every list stays short enough to review in one sitting.
"""

from __future__ import annotations

from leads.scoring.seed import (
    air,
    aquaculture_agri,
    clean_air,
    end_markets,
    health,
    hygiene,
    negative_retail,
    negative_services,
    pools_food,
    products,
    rivers,
    water,
)
from leads.scoring.seed.industries import INDUSTRIES, NEGATIVE_INDUSTRIES, TARGET_INDUSTRIES
from leads.scoring.seed.rows import PHRASE, PREFIX, WORD, negative_terms, terms
from leads.scoring.specs import KeywordSpec

__all__ = [
    "INDUSTRIES",
    "KEYWORDS",
    "NEGATIVE_INDUSTRIES",
    "PHRASE",
    "PREFIX",
    "TARGET_INDUSTRIES",
    "WORD",
    "negative_terms",
    "terms",
]

KEYWORDS: tuple[KeywordSpec, ...] = (
    *products.KEYWORDS,
    *water.KEYWORDS,
    *rivers.KEYWORDS,
    *aquaculture_agri.KEYWORDS,
    *air.KEYWORDS,
    *clean_air.KEYWORDS,
    *hygiene.KEYWORDS,
    *health.KEYWORDS,
    *end_markets.KEYWORDS,
    *pools_food.KEYWORDS,
    *negative_retail.KEYWORDS,
    *negative_services.KEYWORDS,
)
