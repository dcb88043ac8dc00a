"""Controlled vocabularies: canonical values and the wordings that mean them."""

from __future__ import annotations

from typing import Final

# The UK's leave categories. A printed category that is none of these is kept with its
# text for review (extract.py), never forced into the nearest.
APPLICATION_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "asylum": ("asylum", "asylum claim", "asylum application", "protection claim",
               "refugee status", "fresh claim", "further submissions"),
    "humanitarian_protection": ("humanitarian protection",),
    "discretionary_leave": ("discretionary leave", "discretionary leave to remain", "dlr"),
    "leave_to_remain": ("leave to remain", "limited leave to remain", "further leave to remain",
                        "flr", "ltr", "extension of stay", "leave to remain other"),
    "indefinite_leave_to_remain": ("indefinite leave to remain", "ilr", "settlement",
                                   "indefinite leave", "indefinite leave to enter", "ile"),
    "eu_settlement_scheme": ("eu settlement scheme", "euss", "settled status",
                             "pre settled status", "eu settlement"),
    "spouse_visa": ("spouse visa", "marriage spouse", "spouse", "marriage visa", "spousal visa",
                    "partner visa"),
    "family": ("family", "family visa", "family route", "family life", "parent visa",
               "child visa", "dependant", "dependent relative"),
    "family_reunion": ("family reunion", "refugee family reunion"),
    "student_visa": ("student visa", "tier 4 student", "student", "study visa", "tier 4",
                     "study"),
    "work_permit": ("work permit", "work visa", "skilled worker", "tier 2", "work"),
    "visit_visa": ("visit visa", "visitor", "visitor visa", "visit"),
    "naturalisation": ("naturalisation", "naturalization", "british citizenship", "citizenship"),
    "registration": ("registration", "registration as a british citizen",
                     "registration as british citizen", "child registration"),
}

DECISIONS: Final[dict[str, tuple[str, ...]]] = {
    "granted": ("granted", "approved", "allowed", "accepted", "grant"),
    "refused": ("refused", "rejected", "declined", "refusal", "dismissed"),
    "withdrawn": ("withdrawn", "withdrawal", "application withdrawn"),
    "pending": ("pending", "awaiting decision", "under consideration"),
    "allowed_on_appeal": ("allowed on appeal", "appeal allowed"),
    "dismissed_on_appeal": ("dismissed on appeal", "appeal dismissed"),
    "certified": ("certified", "certified clearly unfounded", "clearly unfounded"),
    "void": ("void", "invalid", "application void"),
}

# Not "granted": that is a decision, and a decision read as a work permission would be wrong.
YES: Final[frozenset[str]] = frozenset({"yes", "y", "true", "permitted", "allowed"})
NO: Final[frozenset[str]] = frozenset({"no", "n", "false", "not permitted", "prohibited",
                                      "not allowed", "none"})

# Demonyms that pycountry does not know; country names and codes come from pycountry.
DEMONYMS: Final[dict[str, str]] = {
    "afghan": "AFG", "albanian": "ALB", "algerian": "DZA", "angolan": "AGO",
    "bangladeshi": "BGD", "british": "GBR", "bulgarian": "BGR", "burmese": "MMR",
    "cameroonian": "CMR", "chinese": "CHN", "colombian": "COL", "congolese": "",
    "cuban": "CUB", "czech": "CZE", "egyptian": "EGY", "eritrean": "ERI", "ethiopian": "ETH",
    "filipino": "PHL", "filipina": "PHL", "french": "FRA", "gambian": "GMB", "german": "DEU",
    "ghanaian": "GHA", "greek": "GRC", "guinean": "GIN", "hungarian": "HUN", "indian": "IND",
    "indonesian": "IDN", "iranian": "IRN", "iraqi": "IRQ", "irish": "IRL", "italian": "ITA",
    "ivorian": "CIV", "jamaican": "JAM", "kenyan": "KEN", "kosovan": "", "kurdish": "",
    "kuwaiti": "KWT", "latvian": "LVA", "lebanese": "LBN", "libyan": "LBY",
    "lithuanian": "LTU", "malawian": "MWI", "malaysian": "MYS", "moroccan": "MAR",
    "nepalese": "NPL", "nepali": "NPL", "nigerian": "NGA", "pakistani": "PAK",
    "palestinian": "PSE", "polish": "POL", "portuguese": "PRT", "romanian": "ROU",
    "russian": "RUS", "rwandan": "RWA", "saudi": "SAU", "senegalese": "SEN",
    "sierra leonean": "SLE", "slovak": "SVK", "somali": "SOM", "south african": "ZAF",
    "spanish": "ESP", "sri lankan": "LKA", "sudanese": "SDN", "south sudanese": "SSD",
    "syrian": "SYR", "tamil": "", "tanzanian": "TZA", "trinidadian": "TTO",
    "trinidadian and tobagonian": "TTO", "tobagonian": "TTO", "turkish": "TUR",
    "ugandan": "UGA", "ukrainian": "UKR", "vietnamese": "VNM", "yemeni": "YEM",
    "zambian": "ZMB", "zimbabwean": "ZWE", "american": "USA", "canadian": "CAN",
    "australian": "AUS", "barbadian": "BRB", "guyanese": "GUY", "thai": "THA",
    "cypriot": "CYP", "maltese": "MLT", "dutch": "NLD", "belgian": "BEL", "swiss": "CHE",
    "jordanian": "JOR", "tunisian": "TUN", "mauritian": "MUS", "burundian": "BDI",
    "stateless": "",
}

# Country names people write that pycountry does not know, or knows ambiguously.
# An empty code marks a name that cannot be coded safely (two countries, or none in ISO 3166).
COUNTRY_ALIASES: Final[dict[str, str]] = {
    "turkey": "TUR", "russia": "RUS", "ivory coast": "CIV", "cote d ivoire": "CIV",
    "burma": "MMR", "cape verde": "CPV", "palestine": "PSE", "macedonia": "MKD",
    "swaziland": "SWZ", "dr congo": "COD", "drc": "COD", "democratic republic of congo": "COD",
    "democratic republic of the congo": "COD", "congo kinshasa": "COD",
    "congo brazzaville": "COG", "republic of congo": "COG", "republic of the congo": "COG",
    "congo": "", "kosovo": "", "britain": "GBR", "great britain": "GBR", "uk": "GBR",
    "england": "GBR", "scotland": "GBR", "wales": "GBR",
}
