"""Name pools for synthetic applicants, grouped by naming tradition.

Grouped so that most applicants get names that fit their nationality (as in
real casework), while a minority draw from any group, as diaspora families do.
ASCII only: Home Office records of the period usually dropped diacritics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class NameGroup:
    """Surnames and gendered given names of one naming tradition."""

    surnames: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]


NAME_GROUPS: Final[dict[str, NameGroup]] = {
    "british": NameGroup(
        ("Smith", "Jones", "Williams", "Taylor", "Davies", "Hughes", "O'Brien"),
        ("John", "David", "Michael", "Paul"),
        ("Sarah", "Margaret", "Emma", "Claire"),
    ),
    "caribbean": NameGroup(
        ("Campbell", "Grant", "Beckford", "Francis", "Bailey", "Ramdial"),
        ("Winston", "Delroy", "Marcus", "Errol"),
        ("Marcia", "Paulette", "Shanice", "Beverley"),
    ),
    "west_african": NameGroup(
        ("Okonkwo", "Adeyemi", "Mensah", "Owusu", "Okafor", "Balogun", "Asante"),
        ("Chidi", "Emeka", "Kwame", "Oluwaseun", "Kofi"),
        ("Ngozi", "Adaeze", "Ama", "Folake", "Abena"),
    ),
    "east_african": NameGroup(
        ("Abdi", "Warsame", "Tesfay", "Haile", "Osman", "Mwangi", "Otieno"),
        ("Abdirahman", "Yonas", "Tesfaye", "Omar", "Kamau"),
        ("Hodan", "Saba", "Fatuma", "Wanjiru", "Amal"),
    ),
    "southern_african": NameGroup(
        ("Moyo", "Ncube", "Chikwanha", "Dube", "Sibanda"),
        ("Tendai", "Tafadzwa", "Farai"),
        ("Rutendo", "Nyasha", "Chipo"),
    ),
    "south_asian": NameGroup(
        (
            "Khan",
            "Patel",
            "Hussain",
            "Begum",
            "Singh",
            "Chowdhury",
            "Rahman",
            "Perera",
            "Sivakumar",
        ),
        ("Mohammed", "Imran", "Rajesh", "Harjit", "Tariq", "Arjun"),
        ("Fatima", "Shazia", "Priya", "Nasreen", "Kavitha", "Rukhsana"),
    ),
    "middle_eastern": NameGroup(
        ("Al-Hassan", "Haddad", "Karimi", "Hosseini", "Ahmadzai", "Yilmaz", "Mahmoud", "Rezaei"),
        ("Ahmad", "Reza", "Khalid", "Mustafa", "Dara", "Emre"),
        ("Leila", "Maryam", "Zahra", "Nour", "Elif", "Shirin"),
    ),
    "eastern_european": NameGroup(
        ("Kowalski", "Nowak", "Popescu", "Ionescu", "Kovalenko", "Hoxha", "Krasniqi"),
        ("Piotr", "Andrei", "Bogdan", "Arben", "Oleksandr"),
        ("Agnieszka", "Elena", "Oksana", "Anisa", "Ioana"),
    ),
    "chinese": NameGroup(
        ("Wang", "Chen", "Zhang", "Liu", "Lin"),
        ("Wei", "Jian", "Hao"),
        ("Mei", "Xiu Ying", "Li Na"),
    ),
    "vietnamese": NameGroup(
        ("Nguyen", "Tran", "Pham", "Le"),
        ("Minh", "Van Duc", "Tuan"),
        ("Thi Lan", "Hoa", "Thu Trang"),
    ),
    "filipino": NameGroup(
        ("Santos", "Reyes", "Bautista", "Dela Cruz"),
        ("Jose", "Mark Anthony", "Rommel"),
        ("Maria", "Rowena", "Jocelyn"),
    ),
}
