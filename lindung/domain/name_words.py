"""The words of Indonesian personal names that are not the person's name, and the spellings
of one name: titles and degrees before and after a name, forms of address, the markers of a
father's name and of an alias; the common variants folded to one spelling, and the letters
the key folds (`lindung.domain.names` reads these tables)."""

# Titles removed only from the front of a name (or of the father's name).
PREFIX_TITLES = frozenset(
    {
        # Hajj: "H." in front is always "Haji"; after the name it is an initial.
        "H", "HJ", "HAJI", "HAJAH",
        # Academic and professional.
        "DRS", "DRA", "DR", "IR", "PROF",
        # Forms of address, Javanese ones too ("Mbah Kasiyem", "Mas Slamet", "Gus Mad"); not
        # "Ning" or "Neng", as often the first token of a woman's name ("Ning Lestari").
        "BPK", "BAPAK", "PAK", "IBU", "BU", "SDR", "SDRI", "SDRA", "TN", "NY", "NYONYA",
        "MBAH", "MBOK", "MBAK", "MAS", "KANG", "CAK", "GUS", "MAK", "EYANG", "NYAI",
        # Deceased.
        "ALM", "ALMH", "ALMARHUM", "ALMARHUMAH",
        # Religious and noble.
        "KYAI", "KIAI", "KH", "UST", "USTAD", "USTADZ", "USTADZAH", "RADEN",
        # Professions written before the name: nurse (Ners), midwife (Bidan), pharmacist,
        # dentist.
        "NS", "BD", "APT", "DRG",
    }
)  # fmt: skip
# Titles removed only from the end: degrees (written with or without dots), and "(alm.)".
SUFFIX_TITLES = frozenset(
    {
        "SPD", "SPDI", "SE", "SH", "SHI", "SKOM", "ST", "SSOS", "SAG", "SKEP", "SKM", "SSI",
        "SIP", "SAP", "SP", "SSTP", "AMD", "AMKEP", "MPD", "MSI", "MM", "MH", "MT", "MAG",
        "MKES", "ALM", "ALMH", "ALMARHUM", "ALMARHUMAH",
    }
)  # fmt: skip
# Degrees recognised only where a degree is written as one: with its dots ("A.Md.Keb.") or
# after a comma; bare at a name's end, some could be a token of the name. Diplomas and
# applied bachelors with their fields, and the degrees of the health and teaching
# professions that lists of village health workers and honorary teachers carry
# (Permenristekdikti 59/2018 on academic titles and how they are written).
DEGREES = frozenset(
    {
        # Diploma one to three: Ahli Pratama, Ahli Muda, Ahli Madya and fields.
        "AP", "AMA", "AMAPD", "AMDKEB", "AMDKEP", "AMDKES", "AMDAK", "AMDGZ", "AMDFARM",
        "AMDKOM", "AMDT", "AMDPAR", "AMDPD", "AMDRAD", "AMDKG",
        # Diploma four: Sarjana Terapan and fields.
        "STR", "STRKEB", "STRKEP", "STRKES", "STRT", "STRAK", "STRPAR", "STRGZ", "STRKOM",
        "STRPD",
        # Bachelors.
        "SKEB", "SFARM", "SGZ", "SKED", "SKES", "SPSI", "SHUT", "SPT", "SPI", "SIKOM", "SHUM",
        "STH", "SSY", "SPDSD", "SDS", "SSN", "SARS", "SSTAT", "SEI", "SAK", "SAKUN", "STP",
        "SKH", "SKG", "SFIL",
        # Masters and doctors.
        "MPDI", "MKEP", "MKOM", "MAK", "MKM", "MSC", "MBA", "MHUM", "MSOS", "MPH", "PHD",
    }
)  # fmt: skip
ALL_TITLES = PREFIX_TITLES | SUFFIX_TITLES
WRITTEN_TITLES = ALL_TITLES | DEGREES  # with dots, or after a comma

PATRONYMIC_MARKERS = {"BIN": "BIN", "BINTI": "BINTI", "BINT": "BINTI", "BT": "BINTI"}
# "Suparmi als. Parmi": what follows is another name the person goes by, not part of this one.
ALIAS_MARKERS = frozenset({"ALS", "ALIAS"})

# Canonical spelling <- variants, as they read after the old spelling is modernised
# ("Mochammad" has become "MOKHAMMAD" by then, "Abdoel" is already "ABDUL").
VARIANTS_OF = {
    "MUHAMMAD": (
        "MUHAMAD", "MOHAMMAD", "MOHAMAD", "MOKHAMMAD", "MOKHAMAD", "MUKHAMMAD", "MUKHAMAD",
        "MOHAMMED", "MOHAMED", "MUHAMMED", "MUHAMED", "MOHD", "MOH", "MOKH", "MUH", "MUKH",
        "MHD", "MD",
    ),
    "AHMAD": ("AKHMAD", "AHMAT", "AKHMAT", "AHMED"),
    "ABDUL": ("ABD", "ABDOL"),
    "SITI": ("SITTI",),
    "NUR": ("NOOR", "NOR"),
    "RAHMAT": ("RAKHMAT", "RAHMAD"),
    "HIDAYAT": ("HIDAJAT",),
    "SLAMET": ("SELAMET",),
    "YUSUF": ("JUSUF", "YUSUP", "JUSUP"),
    "SRI": ("SRY",),
    "FATIMAH": ("FATIMA", "PATIMAH"),
}  # fmt: skip
CANONICAL = {variant: canon for canon, variants in VARIANTS_OF.items() for variant in variants}
# Abbreviations that stand for a name only as the first token of a longer name.
LEADING_ABBREVIATIONS = {"M": "MUHAMMAD", "ST": "SITI"}
# Modern names whose "ch" is a "c", not an old-spelling "kh".
CH_IS_C = frozenset({"CHANDRA", "CHAHYA", "CHAHYO", "ICHA"})

# Key level only: written as distinct names, but used for one another in agency lists.
KEY_ALIASES = {"NURUL": "NUR"}
# Letters and digraphs folded in the key, in this order (later rules see earlier output:
# "V" -> "F" -> "P", and "IY" also catches the "iy" that "j" -> "y" made of "Marijam").
# "Z" stays: folding "Zainal" into "Jainal" would also fold "Rizki" into "Riki".
KEY_FOLDS = (
    ("KH", "H"), ("DH", "D"), ("TH", "T"), ("SY", "S"), ("SH", "S"), ("DZ", "Z"),
    ("Q", "K"), ("V", "F"), ("F", "P"), ("J", "Y"), ("IY", "I"), ("UW", "U"), ("AE", "AI"),
)  # fmt: skip
