"""The records of the directory, one Pydantic model per kind.

Field names are the French words of the domain (and of the data·inclusion
schema where it has one), so that a record's YAML reads like the sheet a
resource centre would fill in. Every model forbids unknown fields: a typo is an
error, never a silently ignored line.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlsplit

import phonenumbers
from opening_hours import OpeningHours
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
    model_validator,
)

from generator import clock
from generator.records.hours_syntax import hours_advice
from generator.records.vocabulary import (
    Acces,
    CategorieEsms,
    CategorieRessource,
    Engagement,
    InstallationCollectif,
    InstanceClsm,
    Kind,
    ParticipationClsm,
    Precision,
    Public,
    Statut,
    TypeEmployeur,
    Vocabulary,
)

# --- Checked value types -------------------------------------------------------------
# Validators raise ValueError with a French message: it is shown as is to the people
# who maintain the data, next to the file and line.


class FixableError(ValueError):
    """A validation error that also says how to fix it (shown after « — »)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# France's ten-digit numbering plan covers the overseas départements (and Saint-Barthélemy and
# Saint-Martin), which have country codes of their own: « 0262 12 34 56 » (La Réunion) is
# +262 262 12 34 56 in international format, what a tel: link dials, not +33 262 12 34 56.
# Special numbers (« 0800 … ») stay national; Saint-Pierre-et-Miquelon (+508) has a plan of its own.
OVERSEAS_COUNTRY_CODES = (262, 590, 594, 596)
_OVERSEAS_LINES = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def check_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.country_code == 33:
        number = _overseas_number(number) or number
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(f"numéro de téléphone invalide « {value} » (exemple attendu : 01 23 45 67 89)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# What each overseas country code's numbers look like (libphonenumber's metadata): most numbers of
# mainland France are told apart by this alone, without the slower full check (1 µs instead of 20).
_OVERSEAS_SHAPES = [
    (
        code,
        re.compile(
            "|".join(
                f"(?:{phonenumbers.PhoneMetadata.metadata_for_region(region).general_desc.national_number_pattern})"
                for region in phonenumbers.region_codes_for_country_code(code)
            )
        ),
    )
    for code in OVERSEAS_COUNTRY_CODES
]


def _overseas_number(number: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber | None:
    """The overseas line a number written as in France is (libphonenumber's own ranges), if any."""
    national = str(number.national_number)
    for code, shape in _OVERSEAS_SHAPES:
        if not shape.fullmatch(national):
            continue
        candidate = phonenumbers.PhoneNumber(country_code=code, national_number=number.national_number)
        if phonenumbers.is_valid_number(candidate) and phonenumbers.number_type(candidate) in _OVERSEAS_LINES:
            return candidate
    return None


def check_email(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}", value):
        raise ValueError(f"adresse de courriel invalide « {value} » (exemple : contact@exemple.fr)")
    return value


def check_web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", value):
        raise ValueError(f"adresse web invalide « {value} » : elle doit commencer par https:// ou http://")
    return value


def check_opening_hours(value: str) -> str:
    try:
        OpeningHours(value)
    except Exception:  # the parser's own error is a multi-line grammar dump
        raise ValueError(f"horaires illisibles « {value} » : {hours_advice(value)}") from None
    return value


def check_finess(value: str) -> str:
    if not re.fullmatch(r"(?:\d{2}|2A|2B)\d{7}", value) or not _luhn_ok(value.replace("2A", "20").replace("2B", "20")):
        raise ValueError(f"numéro FINESS invalide « {value} » : 9 caractères dont la clé de contrôle")
    return value


def check_siret(value: str) -> str:
    compact = value.replace(" ", "")
    # La Poste's establishments share a SIREN whose SIRETs do not follow the Luhn key.
    if not re.fullmatch(r"\d{14}", compact) or not (_luhn_ok(compact) or compact.startswith("356000000")):
        raise ValueError(f"numéro SIRET invalide « {value} » : 14 chiffres dont la clé de contrôle")
    return compact


def check_not_future(value: date) -> date:
    if value > clock.today():
        raise ValueError(f"la date {value.isoformat()} est dans le futur")
    return value


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.fullmatch(value)
    if not match:
        raise ValueError(f"date invalide « {value} » : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        check_not_future(date(year, month, day))
    except ValueError as error:
        raise ValueError(f"date invalide « {value} » : {error}") from None
    return value


def period_end(value: str) -> date:
    """The last day a checked partial date covers: « 2022 » → 2022-12-31, « 2022-08 » → 2022-08-31."""
    year, month, day = _PARTIAL_DATE.fullmatch(value).groups()
    if day:
        return date(int(year), int(month), int(day))
    if month:
        return date(int(year), int(month), calendar.monthrange(int(year), int(month))[1])
    return date(int(year), 12, 31)


Telephone = Annotated[str, AfterValidator(check_phone)]
Courriel = Annotated[str, AfterValidator(check_email)]
SiteWeb = Annotated[str, AfterValidator(check_web_url)]
Horaires = Annotated[str, AfterValidator(check_opening_hours)]
Finess = Annotated[str, AfterValidator(check_finess)]
Siret = Annotated[str, AfterValidator(check_siret)]
DatePassee = Annotated[date, AfterValidator(check_not_future), PlainSerializer(date.isoformat, return_type=str)]
DatePartielle = Annotated[str, AfterValidator(check_partial_date)]
# A day of the calendar, past or future (a closure is announced before it starts).
Jour = Annotated[date, PlainSerializer(date.isoformat, return_type=str)]
CodePostal = Annotated[str, Field(pattern=r"^(?:\d{5})$", description="Code postal à 5 chiffres.")]
CodeInsee = Annotated[str, Field(pattern=r"^(?:\d{5}|2[AB]\d{3})$", description="Code officiel géographique (INSEE) de la commune.")]
CODE_REGION = r"^\d{2}$"
CODE_DEPARTEMENT = r"^(?:\d{2,3}|2[AB])$"
CodeDepartement = Annotated[str, Field(pattern=CODE_DEPARTEMENT)]
RecordId = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
Texte = Annotated[str, Field(min_length=1, max_length=300)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False, frozen=True)


# --- Parts of a record ---------------------------------------------------------------


class Adresse(Model):
    """A postal address, or only a commune when the sources name no more."""

    voie: Texte | None = Field(None, description="Numéro et voie, ex. « 43 rue du Télégraphe ».")
    code_postal: CodePostal | None = None
    commune: Texte
    code_insee: CodeInsee | None = None

    @model_validator(mode="after")
    def _findable(self) -> Adresse:
        if not (self.code_postal or self.code_insee):
            raise ValueError("indiquez le code_postal (ou, si la rue n'est pas connue, le code_insee de la commune)")
        return self


class Coordonnees(Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    precision: Precision = Precision.ADRESSE


class Accessibilite(Model):
    pmr: bool | None = Field(None, description="Accessible aux personnes à mobilité réduite.")
    acceslibre: SiteWeb | None = Field(None, description="Fiche de l'établissement sur acceslibre.beta.gouv.fr.")


class Territoire(Model):
    """Where a structure acts: the whole country, régions, départements or communes."""

    national: bool = False
    regions: list[Annotated[str, Field(pattern=CODE_REGION)]] = Field(
        default_factory=list, description="Codes INSEE de région, ex. « 11 »."
    )
    departements: list[CodeDepartement] = Field(default_factory=list, description="Codes de département, ex. « 92 ».")
    communes: list[CodeInsee] = Field(default_factory=list, description="Codes INSEE des communes couvertes.")

    @model_validator(mode="after")
    def _not_empty(self) -> Territoire:
        if not (self.national or self.regions or self.departements or self.communes):
            raise ValueError("territoire vide : indiquez national: true, ou des regions, departements ou communes")
        return self


class Source(Model):
    titre: Texte
    url: SiteWeb | None = None
    document: Texte | None = Field(None, description="Référence d'un document sans adresse web.")
    date: DatePartielle | None = Field(None, description="Date du document : AAAA, AAAA-MM ou AAAA-MM-JJ.")

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if not (self.url or self.document):
            raise ValueError("une source doit avoir une url ou un document")
        return self


def _period_fr(du: date, au: date) -> str:
    return f"du {du.isoformat()} au {au.isoformat()}"


class Periode(Model):
    """Days from `du` to `au`, both included: a temporary closure, or exceptional hours."""

    du: Jour = Field(description="Premier jour, AAAA-MM-JJ.")
    au: Jour = Field(description="Dernier jour (compris), AAAA-MM-JJ.")
    motif: Texte | None = Field(None, description="Raison, dite aux visiteurs, ex. « congés d'hiver ».")

    @field_validator("au")
    @classmethod
    def _after_start(cls, au: date, info: ValidationInfo) -> date:
        du = info.data.get("du")  # absent when `du` is invalid: reported already
        if du is not None and au < du:
            raise FixableError(
                f"la période se termine le {au.isoformat()}, avant de commencer (le {du.isoformat()})",
                "« du » est le premier jour et « au » le dernier : vérifiez l'ordre et l'année",
            )
        return au


class Fermeture(Periode):
    """A temporary closure: the place is closed every day of the period, whatever its hours say."""


class HorairesExceptionnels(Periode):
    """Hours that replace the regular ones for the days of the period."""

    horaires: Horaires = Field(description="Horaires de la période, au format OpenStreetMap opening_hours.")


def check_no_overlap(periods: list[Periode]) -> list[Periode]:
    """Two periods of one list may not share a day: which one would say the truth?"""
    clashes = []
    reaching: tuple[int, Periode] | None = None  # of the periods seen, the one ending last
    for number, period in sorted(enumerate(periods, start=1), key=lambda numbered: numbered[1].du):
        if reaching and period.du <= reaching[1].au:
            other_number, other = reaching
            clashes.append(
                f"les périodes n° {other_number} ({_period_fr(other.du, other.au)}) et n° {number} ({_period_fr(period.du, period.au)}) se chevauchent"
            )
        if reaching is None or period.au > reaching[1].au:
            reaching = (number, period)
    if clashes:
        raise FixableError(" ; ".join(clashes), "réunissez-les en une seule période, ou corrigez leurs dates")
    return periods


class Effectif(Model):
    """A count that is only true at a date: « 35 adhérents en 2016 »."""

    nombre: int = Field(ge=0)
    annee: int = Field(ge=1900, le=2100)


# --- Records -------------------------------------------------------------------------


class Record(Model):
    id: RecordId = Field(description="Identifiant : le nom du fichier, sans « .yaml ».")
    type: Kind
    nom: Texte
    description: str | None = Field(None, max_length=4000, description="Présentation courte, en Markdown.")
    # No default: a situation nobody wrote down is unknown, and shown « à confirmer ».
    statut: Statut | None = Field(None, description="Situation de la structure, si une source la dit.")
    adresse: Adresse | None = None
    coordonnees: Coordonnees | None = None
    telephone: Telephone | None = None
    courriel: Courriel | None = None
    site_web: SiteWeb | None = None
    horaires: Horaires | None = Field(None, description="Horaires au format OpenStreetMap opening_hours.")
    fermetures: Annotated[list[Fermeture], AfterValidator(check_no_overlap)] = Field(
        default_factory=list, description="Fermetures exceptionnelles : périodes où la structure est fermée."
    )
    horaires_exceptionnels: Annotated[list[HorairesExceptionnels], AfterValidator(check_no_overlap)] = Field(
        default_factory=list, description="Horaires qui remplacent les horaires habituels pendant une période."
    )
    publics: list[Public] = Field(default_factory=list)
    acces: list[Acces] = Field(default_factory=list)
    accessibilite: Accessibilite | None = None
    territoire: Territoire | None = None
    partenaires: list[RecordId] = Field(default_factory=list, description="Identifiants d'autres fiches.")
    sources: list[Source] = Field(min_length=1)
    verifie_le: DatePassee = Field(
        description="Date où les informations ont été confirmées pour la dernière fois : celle d'une source datée de la fiche, au plus tard."
    )

    @field_validator("verifie_le")
    @classmethod
    def _backed_by_a_source(cls, verifie_le: date, info: ValidationInfo) -> date:
        """A verification is a dated source: a call, an e-mail, a visit, a document.

        A partial date covers its whole period (a source of « 2022 » backs a check made
        during 2022); a source without a date backs no verification.
        """
        sources = info.data.get("sources")  # absent when the sources are invalid: reported already
        if not sources:
            return verifie_le
        dated = [source.date for source in sources if source.date]
        newest = max(dated, key=period_end, default=None)
        if newest is not None and verifie_le <= period_end(newest):
            return verifie_le
        said = f"sa source la plus récente date de {newest}" if newest else "aucune de ses sources n'est datée"
        raise FixableError(
            f"fiche dite vérifiée le {verifie_le.isoformat()}, mais {said}",
            "ajoutez la source de cette vérification, par exemple un échange avec la structure, avec sa date",
        )

    @model_validator(mode="after")
    def _somewhere(self) -> Record:
        if self.adresse is None and self.territoire is None:
            raise ValueError("indiquez une adresse, ou un territoire pour une structure sans lieu d'accueil")
        return self

    @property
    def pmr(self) -> bool | None:
        """Whether a person in a wheelchair gets in; None when the record does not say."""
        return self.accessibilite.pmr if self.accessibilite else None

    @property
    def subtype(self) -> Vocabulary | None:
        """The kind's own subdivision, for the kinds that have one: an ESMS's or a resource's
        catégorie, an employer's type. (Asking a record for a field its kind lacks costs an
        exception in Pydantic; pages ask this of every record.)"""
        return None


class Gem(Record):
    type: Literal[Kind.GEM]
    parrain: Texte | None = Field(None, description="Association marraine du GEM.")
    gestionnaire: Texte | None = Field(None, description="Organisme gestionnaire, s'il y en a un.")
    date_creation: DatePartielle | None = None
    ouverture_hebdomadaire: float | None = Field(None, ge=0, le=168, description="Heures d'ouverture par semaine.")
    nombre_adherents: Effectif | None = None


class Collectif(Record):
    type: Literal[Kind.COLLECTIF]
    date_ouverture: DatePartielle | None = None
    file_active: Effectif | None = Field(None, description="Membres actifs (venus au moins une fois dans le mois).")
    salaries_etp: float | None = Field(None, ge=0, description="Salariés, en équivalents temps plein.")
    plateforme_emploi_accompagne: bool | None = Field(None, description="Intégré à la plateforme départementale d'emploi accompagné.")
    installation: InstallationCollectif | None = None


class Clsm(Record):
    type: Literal[Kind.CLSM]
    porteur: Texte | None = Field(None, description="Collectivité ou établissement qui porte le CLSM.")
    date_creation: DatePartielle | None = None
    instances: list[InstanceClsm] = Field(default_factory=list)
    participation: ParticipationClsm | None = Field(None, description="Place des personnes concernées (étude Céapsy 2021).")
    contact_generique: Courriel | None = Field(None, description="Adresse de coordination non nominative.")

    @model_validator(mode="after")
    def _covers_communes(self) -> Clsm:
        if self.territoire is None:
            raise ValueError("un CLSM doit indiquer son territoire (communes couvertes)")
        return self


class Esms(Record):
    type: Literal[Kind.ESMS]
    categorie: CategorieEsms
    finess: Finess | None = Field(None, description="Numéro FINESS de l'établissement (9 caractères).")
    gestionnaire: Texte | None = None
    capacite: int | None = Field(None, ge=0, description="Nombre de places autorisées.")
    orientation_cdaph: bool = Field(True, description="Admission sur notification de la CDAPH.")

    @property
    def subtype(self) -> Vocabulary:
        return self.categorie


class Employeur(Record):
    type: Literal[Kind.EMPLOYEUR]
    type_employeur: TypeEmployeur
    secteur: Texte | None = Field(None, description="Secteur d'activité.")
    siret: Siret | None = None
    engagements: list[Engagement] = Field(default_factory=list)

    @property
    def subtype(self) -> Vocabulary:
        return self.type_employeur


class Ressource(Record):
    type: Literal[Kind.RESSOURCE]
    categorie: CategorieRessource

    @property
    def subtype(self) -> Vocabulary:
        return self.categorie


MODELS: dict[Kind, type[Record]] = {
    Kind.GEM: Gem,
    Kind.COLLECTIF: Collectif,
    Kind.CLSM: Clsm,
    Kind.ESMS: Esms,
    Kind.EMPLOYEUR: Employeur,
    Kind.RESSOURCE: Ressource,
}
