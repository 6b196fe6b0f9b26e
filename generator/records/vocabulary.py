"""Closed vocabularies of the directory, in the domain's own words.

Each value is the slug written in the YAML records; it carries a French label
(shown on pages) and a one-line description (shown in help texts and in the
JSON Schemas, so editors explain the choices). The vocabularies that easy-read
pages (/facile/structures/…) show also carry a third text, the same value in
easy-read French (« facile à lire et à comprendre »): short sentences, everyday
words, no acronym, « vous ». It sits next to the professional words so that
whoever adds or changes a value writes both; each class says what its easy-read
text is (whole sentences, or words that complete a sentence), and
tests/test_easy_read.py checks every member of these vocabularies has one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum


class Vocabulary(StrEnum):
    label: str
    description: str
    easy_read: str | None

    def __new__(cls, value: str, label: str, description: str, easy_read: str | None = None) -> Vocabulary:
        return cls._member(value, label, description, easy_read)

    @classmethod
    def _member(cls, value: str, label: str, description: str, easy_read: str | None) -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.description = description
        member.easy_read = easy_read
        return member

    @classmethod
    def describe(cls) -> str:
        return "; ".join(f"{m.value}: {m.description}" for m in cls)


@dataclass(frozen=True)
class Nouns:
    """How a sentence counts structures of a kind: « 1 GEM trouvé », « 3 ressources trouvées »."""

    singular: str
    plural: str  # also what the finder's coverage note calls them: « l'ensemble des {lieux} »
    feminine: bool = False


@dataclass(frozen=True)
class KindFacts:
    """What the site says of a kind besides its label and description."""

    slug: str  # folder of its list page: /gem/, /collectifs/
    heading: str  # title of its list page, of its group of finder results and of its finder choice
    nouns: Nouns
    guide: str | None = None  # the hand-written guide its list page points to (content/)
    nearest_shortcut: bool = False  # its list page offers « Le plus proche de chez moi » (places one walks into)


class Kind(Vocabulary):
    """What a record is; also the name of its folder under `data/`.

    Easy-read text: what such a structure is, in whole sentences. ESMS and
    resources have none: their category says it (CategorieEsms, CategorieRessource).

    Everything else the site says of a kind is in its KindFacts, here, so that a new
    kind is written in one place; with it come its model (records/models.py), its
    details template (site_theme/passerelle/details/<value>.html) and its map pin
    (`.pa-pin--<value>` in passerelle.css); tests check that each exists. The order of
    the members is the order of lists, legends and finder groups (`ordinal`).
    """

    slug: str
    heading: str
    nouns: Nouns
    guide: str | None
    nearest_shortcut: bool

    def __new__(cls, value: str, label: str, description: str, easy_read: str | None, facts: KindFacts) -> Kind:
        member = cls._member(value, label, description, easy_read)
        member.slug = facts.slug
        member.heading = facts.heading
        member.nouns = facts.nouns
        member.guide = facts.guide
        member.nearest_shortcut = facts.nearest_shortcut
        return member

    @property
    def ordinal(self) -> int:
        """Position among the kinds: a map marker row's `kind`, the legend's order."""
        return _ordinal(self)

    GEM = (
        "gem",
        "GEM",
        "Groupe d'entraide mutuelle : association de pairs, sans orientation médicale.",
        "C'est un groupe d'entraide mutuelle. C'est un lieu où des personnes se retrouvent et s'entraident.",
        KindFacts(
            slug="gem",
            heading="Groupes d'entraide mutuelle (GEM)",
            nouns=Nouns("GEM", "GEM"),
            guide="guides/gem.md",
            nearest_shortcut=True,
        ),
    )
    COLLECTIF = (
        "collectif",
        "Collectif d'entraide et d'insertion",
        "Collectif d'entraide et d'insertion sociale et professionnelle (modèle Clubhouse).",
        "C'est un collectif d'entraide. C'est un lieu où des personnes s'entraident. Le collectif aide aussi à trouver un travail.",
        KindFacts(
            slug="collectifs",
            heading="Collectifs d'entraide et d'insertion sociale et professionnelle",
            nouns=Nouns("collectif d'entraide", "collectifs d'entraide"),
            guide="guides/collectifs.md",
            nearest_shortcut=True,
        ),
    )
    CLSM = (
        "clsm",
        "CLSM",
        "Conseil local de santé mentale, à l'échelle d'une ville ou d'une intercommunalité.",
        "C'est un conseil local de santé mentale. Il réunit la mairie, des soignants, des associations et des habitants. "
        "Ensemble, ils cherchent des solutions pour la santé mentale.",
        KindFacts(
            slug="clsm",
            heading="Conseils locaux de santé mentale (CLSM)",
            nouns=Nouns("CLSM", "CLSM"),
            guide="guides/clsm.md",
        ),
    )
    ESMS = (
        "esms",
        "ESMS",
        "Établissement ou service médico-social (SAVS, SAMSAH, ESAT, foyer…).",
        None,
        KindFacts(
            slug="esms",
            heading="Établissements et services médico-sociaux (ESMS)",
            nouns=Nouns("établissement ou service (ESMS)", "établissements ou services (ESMS)"),
            guide="guides/esms-mdph.md",
        ),
    )
    EMPLOYEUR = (
        "employeur",
        "Employeur",
        "Employeur qui travaille avec ces structures.",
        "Cet employeur travaille avec des lieux qui aident des personnes handicapées.",
        KindFacts(slug="employeurs", heading="Employeurs partenaires", nouns=Nouns("employeur", "employeurs")),
    )
    RESSOURCE = (
        "ressource",
        "Ressource",
        "Autre ressource : MDPH, CMP, emploi accompagné, centre ressource, réseau national…",
        None,
        KindFacts(slug="ressources", heading="Autres ressources", nouns=Nouns("ressource", "ressources", feminine=True)),
    )


@functools.cache
def _ordinal(kind: Kind) -> int:
    return list(Kind).index(kind)


class Statut(Vocabulary):
    # Easy-read text: a sentence shown at the top of the page; none when the structure is open.

    ACTIF = "actif", "Ouvert", "La structure fonctionne et accueille."
    EN_PROJET = "en_projet", "En projet", "La structure est annoncée ou en cours d'installation.", "Ce lieu n'est pas encore ouvert."
    FERME_TEMPORAIREMENT = (
        "ferme_temporairement",
        "Fermé temporairement",
        "La structure est fermée pour un temps.",
        "Ce lieu est fermé pour le moment.",
    )
    FERME = "ferme", "Fermé", "La structure a fermé ; la fiche est gardée pour mémoire.", "Ce lieu a fermé."


class NatureNombre(Vocabulary):
    """What a reference count counts (data/references.yaml): structures that existed, or an objective."""

    RECENSES = (
        "recenses",
        "Structures recensées",
        "Nombre de structures qui existaient à cette date, selon la source.",
    )
    PREVUS = (
        "prevus",
        "Structures prévues",
        "Objectif annoncé : nombre de structures prévues à cette échéance (la date du nombre).",
    )


class Precision(Vocabulary):
    ADRESSE = "adresse", "Adresse exacte", "Position de l'adresse."
    COMMUNE = "commune", "Position approximative", "Centre de la commune : l'adresse exacte n'est pas localisée."


class Public(Vocabulary):
    # Easy-read text: words completing « C'est pour : », one item of a list.

    TROUBLES_PSYCHIQUES = (
        "troubles_psychiques",
        "Troubles psychiques",
        "Personnes vivant avec des troubles psychiques.",
        "les personnes qui vivent avec des troubles psychiques",
    )
    LESION_CEREBRALE = (
        "lesion_cerebrale",
        "Lésion cérébrale acquise, traumatisme crânien",
        "Personnes cérébro-lésées ou traumatisées crâniennes.",
        "les personnes avec une blessure au cerveau, après un accident ou une maladie",
    )
    TROUBLES_COGNITIFS = (
        "troubles_cognitifs",
        "Troubles cognitifs",
        "Personnes ayant des troubles cognitifs.",
        "les personnes qui ont du mal à se souvenir ou à se concentrer",
    )
    NEURODEVELOPPEMENT = (
        "neurodeveloppement",
        "Troubles du neurodéveloppement, autisme",
        "Personnes ayant un trouble du neurodéveloppement, dont l'autisme.",
        "les personnes autistes ou avec un autre trouble du développement",
    )
    PROCHES = "proches", "Proches et aidants", "Familles, proches et aidants.", "les familles et les proches"
    PROFESSIONNELS = (
        "professionnels",
        "Professionnels",
        "Professionnels du soin, du social et du médico-social.",
        "les professionnels du soin et de l'aide sociale",
    )


class Acces(Vocabulary):
    # Easy-read text: whole sentences saying whether a paper is needed, and which.

    SANS_ORIENTATION = (
        "sans_orientation",
        "Sans orientation",
        "On peut venir de soi-même : ni certificat médical ni décision de la MDPH.",
        "Vous pouvez venir sans papier du médecin. Vous pouvez venir sans dossier à la maison départementale des personnes handicapées.",
    )
    NOTIFICATION_CDAPH = (
        "notification_cdaph",
        "Sur notification CDAPH",
        "Il faut une décision d'orientation de la CDAPH (demande à la MDPH).",
        "Vous avez besoin d'une décision de la maison départementale des personnes handicapées.",
    )
    RQTH = (
        "rqth",
        "Avec RQTH",
        "Il faut une reconnaissance de la qualité de travailleur handicapé.",
        "Vous avez besoin d'une reconnaissance de travailleur handicapé. Vous la demandez à la maison départementale des personnes handicapées.",
    )
    PRESCRIPTION = (
        "prescription",
        "Sur prescription",
        "Il faut être adressé par un professionnel.",
        "Vous avez besoin de la demande d'un professionnel. Par exemple, une demande de votre médecin.",
    )
    ADHESION = (
        "adhesion",
        "Sur adhésion",
        "On devient membre ou adhérent en signant une charte ou un bulletin.",
        "Pour devenir membre, vous signez un papier d'inscription.",
    )


class InstallationCollectif(Vocabulary):
    INSTALLE = "installe", "Installé", "Le collectif fonctionne."
    EN_COURS = "en_cours", "En cours d'installation", "Le collectif est financé et s'installe."


class InstanceClsm(Vocabulary):
    ASSEMBLEE_PLENIERE = (
        "assemblee_pleniere",
        "Assemblée plénière",
        "Réunit tous les membres, en général une fois par an, pour le bilan et les perspectives.",
    )
    COMITE_DE_PILOTAGE = (
        "comite_de_pilotage",
        "Comité de pilotage",
        "Instance stratégique : missions, orientations, règles éthiques.",
    )
    GROUPES_DE_TRAVAIL = (
        "groupes_de_travail",
        "Groupes de travail",
        "Réunions régulières d'acteurs autour d'un thème (logement, stigmatisation…).",
    )
    CELLULE_CAS_COMPLEXES = (
        "cellule_cas_complexes",
        "Cellule de cas complexes",
        "Examen concerté de situations individuelles difficiles.",
    )


class ParticipationClsm(Vocabulary):
    """The three stages of the Céapsy 2021 study on CLSMs in Île-de-France."""

    REFLEXION = (
        "reflexion",
        "En réflexion",
        "La participation des personnes concernées est une intention, portée surtout par la coordination.",
    )
    STRUCTURATION = (
        "structuration",
        "En structuration",
        "La participation est un objectif partagé ; des moyens sont identifiés ou engagés.",
    )
    INTEGREE = "integree", "Intégrée", "Les personnes concernées participent de façon habituelle aux instances."


class CategorieEsms(Vocabulary):
    """ESMS categories; the FINESS category code is in each description (the import maps codes)."""

    # (This docstring is the JSON Schemas' description of the vocabulary.)
    # Each member carries its FINESS category code, `finess`: ANS nomenclature TRE-R66
    # « Catégorie d'établissement », as listed in the value set JDV_J55_CategorieEG_ROR,
    # version 2026-05-05. The description, for professionals (record pages, help texts),
    # ends with it: « … par le travail (FINESS 246). »; `definition` is the same words
    # without it, for visitors (finder).
    # Easy-read text: what such an establishment or service is, in whole sentences.

    finess: str | None
    definition: str

    def __new__(cls, value: str, label: str, definition: str, easy_read: str, finess: str | None = None) -> CategorieEsms:
        description = f"{definition.removesuffix('.')} (FINESS {finess})." if finess else definition
        member = cls._member(value, label, description, easy_read)
        member.definition = definition
        member.finess = finess
        return member

    ESAT = (
        "esat",
        "ESAT",
        "Établissement et service d'accompagnement par le travail.",
        "C'est un lieu de travail pour des personnes handicapées. Une équipe les aide dans leur travail.",
        "246",
    )
    SAMSAH = (
        "samsah",
        "SAMSAH",
        "Service d'accompagnement médico-social pour adultes handicapés.",
        "C'est un service pour les adultes handicapés. Il vous aide dans la vie de tous les jours. Il vous aide aussi pour vos soins.",
        "445",
    )
    SAVS = (
        "savs",
        "SAVS",
        "Service d'accompagnement à la vie sociale.",
        "C'est un service pour les adultes handicapés. Il vous aide dans la vie de tous les jours.",
        "446",
    )
    FAM = (
        "fam",
        "FAM",
        "Foyer d'accueil médicalisé pour adultes handicapés.",
        "C'est un lieu de vie pour des adultes handicapés. Les personnes habitent dans ce lieu. Une équipe les aide et les soigne chaque jour.",
        "437",
    )
    FOYER_DE_VIE = (
        "foyer_de_vie",
        "Foyer de vie",
        "Foyer de vie pour adultes handicapés.",
        "C'est un lieu de vie pour des adultes handicapés. Les personnes habitent dans ce lieu. Elles font des activités dans la journée.",
        "382",
    )
    FOYER_HEBERGEMENT = (
        "foyer_hebergement",
        "Foyer d'hébergement",
        "Foyer d'hébergement pour adultes handicapés.",
        "C'est un lieu où habitent des adultes handicapés qui travaillent.",
        "252",
    )
    MAS = (
        "mas",
        "MAS",
        "Maison d'accueil spécialisée.",
        "C'est un lieu de vie pour des adultes très handicapés. Les personnes habitent dans ce lieu. "
        "Une équipe les aide et les soigne chaque jour.",
        "255",
    )
    EAM = (
        "eam",
        "EAM",
        "Établissement d'accueil médicalisé en tout ou partie personnes handicapées.",
        "C'est un lieu d'accueil pour des adultes handicapés. Une équipe les aide et les soigne.",
        "448",
    )
    EANM = (
        "eanm",
        "EANM",
        "Établissement d'accueil non médicalisé pour personnes handicapées.",
        "C'est un lieu d'accueil pour des adultes handicapés. Une équipe les aide dans la vie de tous les jours.",
        "449",
    )
    AUTRE = (
        "autre",
        "Autre ESMS",
        "Autre établissement ou service médico-social.",
        "C'est un lieu ou un service pour des personnes handicapées.",
    )


class CategorieRessource(Vocabulary):
    # Easy-read text: what such a resource is, in whole sentences.

    MDPH = (
        "mdph",
        "MDPH",
        "Maison départementale des personnes handicapées.",
        "C'est la maison départementale des personnes handicapées. Dans cette maison, vous pouvez demander des aides pour votre handicap.",
    )
    CMP = (
        "cmp",
        "CMP",
        "Centre médico-psychologique : consultations de secteur psychiatrique.",
        "C'est un centre de soins pour la santé mentale. Vous pouvez rencontrer un psychiatre, un psychologue ou un infirmier.",
    )
    EMPLOI_ACCOMPAGNE = (
        "emploi_accompagne",
        "Plateforme d'emploi accompagné",
        "Accompagne vers et dans l'emploi les personnes ayant une RQTH, et leur employeur.",
        "C'est un service qui vous aide à trouver un travail. Il vous aide aussi à garder votre travail.",
    )
    CENTRE_RESSOURCE = (
        "centre_ressource",
        "Centre ressource",
        "Informe et oriente sur les ressources d'un territoire.",
        "C'est un centre d'information. Il vous aide à trouver les bons lieux et les bons services.",
    )
    RESEAU_NATIONAL = (
        "reseau_national",
        "Réseau national",
        "Fédération, union ou réseau national d'associations.",
        "C'est un groupe d'associations de toute la France.",
    )
    ASSOCIATION = (
        "association",
        "Association",
        "Association d'usagers, de familles ou de professionnels.",
        "C'est une association. Une association est un groupe de personnes qui agissent ensemble.",
    )
    AUTRE = "autre", "Autre ressource", "Autre ressource utile.", "C'est une information ou un service utile."


class TypeEmployeur(Vocabulary):
    # Easy-read text: what kind of employer it is, in whole sentences.

    ENTREPRISE = "entreprise", "Entreprise", "Entreprise du milieu ordinaire.", "C'est une entreprise."
    ENTREPRISE_ADAPTEE = (
        "entreprise_adaptee",
        "Entreprise adaptée",
        "Entreprise du milieu ordinaire employant majoritairement des travailleurs handicapés.",
        "C'est une entreprise adaptée. La plupart de ses salariés ont un handicap.",
    )
    EBE = (
        "ebe",
        "Entreprise à but d'emploi",
        "Entreprise à but d'emploi d'un territoire zéro chômeur de longue durée.",
        "C'est une entreprise à but d'emploi. Elle embauche des personnes sans travail depuis longtemps.",
    )
    PUBLIC = (
        "public",
        "Employeur public",
        "Collectivité, administration ou établissement public.",
        "C'est un employeur public. Par exemple, une mairie ou une administration.",
    )
    ASSOCIATION = "association", "Association", "Association employeuse.", "C'est une association qui emploie des salariés."


class Engagement(Vocabulary):
    # Easy-read text: one sentence per engagement.

    STAGES = (
        "stages",
        "Stages et mises en situation",
        "Accueille des stages ou des périodes de mise en situation.",
        "Cet employeur accueille des personnes en stage.",
    )
    RECRUTEMENT = (
        "recrutement",
        "Recrutement",
        "Recrute des personnes accompagnées.",
        "Cet employeur embauche des personnes aidées par ces lieux.",
    )
    SENSIBILISATION = (
        "sensibilisation",
        "Sensibilisation",
        "Sensibilise ses équipes à la santé mentale.",
        "Cet employeur parle de santé mentale avec ses salariés.",
    )
    MECENAT_COMPETENCES = (
        "mecenat_competences",
        "Mécénat de compétences",
        "Met des salariés à disposition d'une structure.",
        "Des salariés de cet employeur aident des associations pendant leur travail.",
    )
