"""Nationalities common in UK immigration casework, with how forms print them.

Truth codes come from pycountry rather than being typed here, so a code in
the truth file is always a real ISO 3166-1 alpha-3 code. Cities and languages
feed the caseworker notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

import pycountry


@dataclass(frozen=True)
class Country:
    """One nationality: printed name and demonym, naming tradition, note material."""

    name: str
    demonym: str
    names: str  # key into names.NAME_GROUPS
    cities: tuple[str, ...]
    languages: tuple[str, ...]  # interpreter languages; empty when English is spoken
    lookup: str = ""  # pycountry key when it differs from `name`

    @property
    def alpha3(self) -> str:
        return _alpha3(self.lookup or self.name)


@cache
def _alpha3(key: str) -> str:
    return str(pycountry.countries.lookup(key).alpha_3)


COUNTRIES: Final[tuple[Country, ...]] = (
    Country(
        "Nigeria", "Nigerian", "west_african", ("Lagos", "Enugu", "Ibadan"), ("Yoruba", "Igbo")
    ),
    Country("Pakistan", "Pakistani", "south_asian", ("Lahore", "Mirpur", "Karachi"), ("Urdu",)),
    Country("India", "Indian", "south_asian", ("Amritsar", "Jalandhar", "Delhi"), ("Punjabi",)),
    Country(
        "Bangladesh", "Bangladeshi", "south_asian", ("Sylhet", "Dhaka"), ("Sylheti", "Bengali")
    ),
    Country("Jamaica", "Jamaican", "caribbean", ("Kingston", "Montego Bay", "Spanish Town"), ()),
    Country("Ghana", "Ghanaian", "west_african", ("Accra", "Kumasi"), ("Twi",)),
    Country("Somalia", "Somali", "east_african", ("Mogadishu", "Kismayo"), ("Somali",)),
    Country("Eritrea", "Eritrean", "east_african", ("Asmara", "Keren"), ("Tigrinya",)),
    Country("Sudan", "Sudanese", "east_african", ("Khartoum", "Nyala"), ("Arabic",)),
    Country("Afghanistan", "Afghan", "middle_eastern", ("Kabul", "Jalalabad"), ("Pashto", "Dari")),
    Country("Iraq", "Iraqi", "middle_eastern", ("Baghdad", "Sulaymaniyah"), ("Arabic", "Sorani")),
    Country("Iran", "Iranian", "middle_eastern", ("Tehran", "Shiraz"), ("Farsi",)),
    Country("Syria", "Syrian", "middle_eastern", ("Aleppo", "Homs"), ("Arabic",)),
    Country("Albania", "Albanian", "eastern_european", ("Tirana", "Shkoder"), ("Albanian",)),
    Country("Poland", "Polish", "eastern_european", ("Krakow", "Gdansk"), ("Polish",)),
    Country("Romania", "Romanian", "eastern_european", ("Bucharest", "Iasi"), ("Romanian",)),
    Country("China", "Chinese", "chinese", ("Fuzhou", "Guangzhou"), ("Mandarin", "Cantonese")),
    Country("Vietnam", "Vietnamese", "vietnamese", ("Hanoi", "Hai Phong"), ("Vietnamese",)),
    Country("Sri Lanka", "Sri Lankan", "south_asian", ("Jaffna", "Colombo"), ("Tamil",)),
    Country("Zimbabwe", "Zimbabwean", "southern_african", ("Harare", "Bulawayo"), ("Shona",)),
    Country("Kenya", "Kenyan", "east_african", ("Nairobi", "Mombasa"), ("Swahili",)),
    Country("Turkey", "Turkish", "middle_eastern", ("Istanbul", "Gaziantep"), ("Turkish",), "TUR"),
    Country("Philippines", "Filipino", "filipino", ("Manila", "Cebu City"), ("Tagalog",)),
    Country(
        "Trinidad and Tobago", "Trinidadian", "caribbean", ("Port of Spain", "San Fernando"), ()
    ),
    Country("Ukraine", "Ukrainian", "eastern_european", ("Kharkiv", "Lviv"), ("Ukrainian",)),
)
