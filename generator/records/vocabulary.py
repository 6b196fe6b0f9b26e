"""Closed vocabularies of the directory, in the domain's own words.

Each value is the slug written in the YAML records; it carries a French label
(shown on pages) and a one-line description (shown in help texts and in the
JSON Schemas, so editors explain the choices).
"""

from __future__ import annotations

from enum import StrEnum


class Vocabulary(StrEnum):
    label: str
    description: str

    def __new__(cls, value: str, label: str, description: str) -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.description = description
        return member

    @classmethod
    def describe(cls) -> str:
        return "; ".join(f"{m.value}: {m.description}" for m in cls)


class Kind(Vocabulary):
    """What a record is; also the name of its folder under `data/`."""

    GEM = "gem", "GEM", "Groupe d'entraide mutuelle : association de pairs, sans orientation médicale."
    COLLECTIF = (
        "collectif",
        "Collectif d'entraide et d'insertion",
        "Collectif d'entraide et d'insertion sociale et professionnelle (modèle Clubhouse).",
    )
    CLSM = "clsm", "CLSM", "Conseil local de santé mentale, à l'échelle d'une ville ou d'une intercommunalité."
    ESMS = "esms", "ESMS", "Établissement ou service médico-social (SAVS, SAMSAH, ESAT, foyer…)."
    EMPLOYEUR = "employeur", "Employeur", "Employeur qui travaille avec ces structures."
    RESSOURCE = (
        "ressource",
        "Ressource",
        "Autre ressource : MDPH, CMP, emploi accompagné, centre ressource, réseau national…",
    )


class Statut(Vocabulary):
    ACTIF = "actif", "Ouvert", "La structure fonctionne et accueille."
    EN_PROJET = "en_projet", "En projet", "La structure est annoncée ou en cours d'installation."
    FERME_TEMPORAIREMENT = (
        "ferme_temporairement",
        "Fermé temporairement",
        "La structure est fermée pour un temps.",
    )
    FERME = "ferme", "Fermé", "La structure a fermé ; la fiche est gardée pour mémoire."


class Precision(Vocabulary):
    ADRESSE = "adresse", "Adresse exacte", "Position de l'adresse."
    COMMUNE = "commune", "Position approximative", "Centre de la commune : l'adresse exacte n'est pas localisée."


class Public(Vocabulary):
    TROUBLES_PSYCHIQUES = "troubles_psychiques", "Troubles psychiques", "Personnes vivant avec des troubles psychiques."
    LESION_CEREBRALE = (
        "lesion_cerebrale",
        "Lésion cérébrale acquise, traumatisme crânien",
        "Personnes cérébro-lésées ou traumatisées crâniennes.",
    )
    TROUBLES_COGNITIFS = "troubles_cognitifs", "Troubles cognitifs", "Personnes ayant des troubles cognitifs."
    NEURODEVELOPPEMENT = (
        "neurodeveloppement",
        "Troubles du neurodéveloppement, autisme",
        "Personnes ayant un trouble du neurodéveloppement, dont l'autisme.",
    )
    PROCHES = "proches", "Proches et aidants", "Familles, proches et aidants."
    PROFESSIONNELS = "professionnels", "Professionnels", "Professionnels du soin, du social et du médico-social."


class Acces(Vocabulary):
    SANS_ORIENTATION = (
        "sans_orientation",
        "Sans orientation",
        "On peut venir de soi-même : ni certificat médical ni décision de la MDPH.",
    )
    NOTIFICATION_CDAPH = (
        "notification_cdaph",
        "Sur notification CDAPH",
        "Il faut une décision d'orientation de la CDAPH (demande à la MDPH).",
    )
    RQTH = "rqth", "Avec RQTH", "Il faut une reconnaissance de la qualité de travailleur handicapé."
    PRESCRIPTION = "prescription", "Sur prescription", "Il faut être adressé par un professionnel."
    ADHESION = "adhesion", "Sur adhésion", "On devient membre ou adhérent en signant une charte ou un bulletin."


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

    ESAT = "esat", "ESAT", "Établissement et service d'accompagnement par le travail (FINESS 246)."
    SAMSAH = "samsah", "SAMSAH", "Service d'accompagnement médico-social pour adultes handicapés (FINESS 445)."
    SAVS = "savs", "SAVS", "Service d'accompagnement à la vie sociale (FINESS 446)."
    FAM = "fam", "FAM", "Foyer d'accueil médicalisé pour adultes handicapés (FINESS 437)."
    FOYER_DE_VIE = "foyer_de_vie", "Foyer de vie", "Foyer de vie pour adultes handicapés (FINESS 382)."
    FOYER_HEBERGEMENT = (
        "foyer_hebergement",
        "Foyer d'hébergement",
        "Foyer d'hébergement pour adultes handicapés (FINESS 252).",
    )
    MAS = "mas", "MAS", "Maison d'accueil spécialisée (FINESS 255)."
    EAM = "eam", "EAM", "Établissement d'accueil médicalisé en tout ou partie personnes handicapées (FINESS 448)."
    EANM = "eanm", "EANM", "Établissement d'accueil non médicalisé pour personnes handicapées (FINESS 449)."
    AUTRE = "autre", "Autre ESMS", "Autre établissement ou service médico-social."


class CategorieRessource(Vocabulary):
    MDPH = "mdph", "MDPH", "Maison départementale des personnes handicapées."
    CMP = "cmp", "CMP", "Centre médico-psychologique : consultations de secteur psychiatrique."
    EMPLOI_ACCOMPAGNE = (
        "emploi_accompagne",
        "Plateforme d'emploi accompagné",
        "Accompagne vers et dans l'emploi les personnes ayant une RQTH, et leur employeur.",
    )
    CENTRE_RESSOURCE = "centre_ressource", "Centre ressource", "Informe et oriente sur les ressources d'un territoire."
    RESEAU_NATIONAL = "reseau_national", "Réseau national", "Fédération, union ou réseau national d'associations."
    ASSOCIATION = "association", "Association", "Association d'usagers, de familles ou de professionnels."
    AUTRE = "autre", "Autre ressource", "Autre ressource utile."


class TypeEmployeur(Vocabulary):
    ENTREPRISE = "entreprise", "Entreprise", "Entreprise du milieu ordinaire."
    ENTREPRISE_ADAPTEE = (
        "entreprise_adaptee",
        "Entreprise adaptée",
        "Entreprise du milieu ordinaire employant majoritairement des travailleurs handicapés.",
    )
    EBE = "ebe", "Entreprise à but d'emploi", "Entreprise à but d'emploi d'un territoire zéro chômeur de longue durée."
    PUBLIC = "public", "Employeur public", "Collectivité, administration ou établissement public."
    ASSOCIATION = "association", "Association", "Association employeuse."


class Engagement(Vocabulary):
    STAGES = "stages", "Stages et mises en situation", "Accueille des stages ou des périodes de mise en situation."
    RECRUTEMENT = "recrutement", "Recrutement", "Recrute des personnes accompagnées."
    SENSIBILISATION = "sensibilisation", "Sensibilisation", "Sensibilise ses équipes à la santé mentale."
    MECENAT_COMPETENCES = "mecenat_competences", "Mécénat de compétences", "Met des salariés à disposition d'une structure."
