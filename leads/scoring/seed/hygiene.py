"""Seed terms for sterilization and disinfection services and equipment, and for laboratories.

Several prefixes serve more than one language once accents fold: "sterilis" covers French
"stérilisation" and British "sterilisation", "esteriliz" Spanish and Portuguese,
"desinfecc" Spanish "desinfección" and Portuguese "desinfecção", "laboratori" the
Italian, Spanish, Portuguese, Polish and German forms. Each is listed once.
Bare "lab" and "Labor" are left out: "lab" is too short to tell apart, and English and
Spanish pages use "labor"/"laboral" for work and employment.
"""

from __future__ import annotations

from leads.scoring.seed.rows import PHRASE, PREFIX, WORD, terms

__all__ = ["KEYWORDS"]

STERILE = "sterilization_disinfection"
LAB = "laboratories"

_STERILIZATION_DISINFECTION = (
    *terms(STERILE, "en", PREFIX, 1.0, "disinfect", "steriliz", "decontaminat"),
    *terms(STERILE, "en", PREFIX, 0.8, "sanitiz", "autoclave", "ozone generator"),
    *terms(STERILE, "en", PHRASE, 0.8, "infection control", "sterile processing"),
    *terms(STERILE, "en", WORD, 0.8, "CSSD"),
    *terms(STERILE, "en", PHRASE, 0.6, "chlorine dioxide"),
    *terms(STERILE, "en", PREFIX, 0.6, "biocid", "fumigat"),
    *terms(STERILE, "en", PREFIX, 0.5, "pathogen"),
    *terms(STERILE, "en", WORD, 0.5, "hygiene"),
    *terms(
        STERILE,
        "de",
        PREFIX,
        1.0,
        "Desinfektion",
        "Entkeimung",
        "Sterilgutaufbereitung",
        "Dekontamination",
        "Keimreduktion",
        "Flächendesinfektion",
        "Raumdesinfektion",
    ),
    *terms(STERILE, "de", PREFIX, 0.8, "keimtöt", "keimfrei", "Hygienetechnik"),
    *terms(STERILE, "de", PHRASE, 0.8, "Aufbereitung von Medizinprodukten"),
    *terms(STERILE, "de", WORD, 0.8, "AEMP"),
    *terms(STERILE, "fr", PREFIX, 1.0, "désinfect", "stérilis", "bactéricid", "virucid"),
    *terms(STERILE, "fr", WORD, 0.9, "germicide", "bionettoyage"),
    *terms(STERILE, "fr", PREFIX, 0.7, "biocontamination"),
    *terms(STERILE, "es", PREFIX, 1.0, "desinfecc", "esteriliz"),
    *terms(STERILE, "es", WORD, 0.8, "asepsia", "higienización"),
    *terms(STERILE, "es", PHRASE, 0.7, "control de infecciones"),
    *terms(STERILE, "it", PREFIX, 1.0, "disinfez", "disinfett", "sterilizz", "sanifica"),
    *terms(STERILE, "it", PREFIX, 0.8, "igienizz", "decontaminaz"),
    *terms(STERILE, "it", WORD, 0.8, "autoclavi"),
    *terms(STERILE, "it", PHRASE, 0.7, "carica batterica"),
    *terms(STERILE, "pt", PREFIX, 1.0, "desinfet", "descontamina"),
    *terms(STERILE, "pt", WORD, 1.0, "desinfeção", "esterilização"),
    *terms(STERILE, "pt", PREFIX, 0.8, "higieniza", "assepsi"),
    *terms(STERILE, "tr", PREFIX, 1.0, "dezenfeksiyon", "dezenfektan", "sterilizasyon", "mikrop öldürücü"),
    *terms(STERILE, "tr", WORD, 0.6, "steril"),
    *terms(STERILE, "tr", PREFIX, 0.5, "hijyen", "ilaçlama"),
    *terms(STERILE, "tr", PREFIX, 0.4, "antibakteriyel"),
    *terms(STERILE, "pl", PREFIX, 1.0, "dezynfekc", "dezynfekow", "sterylizac", "sterylizator", "odkażani"),
    *terms(STERILE, "pl", PREFIX, 0.8, "dekontaminac", "bakteriobójcz", "biobójcz", "wirusobójcz"),
    *terms(STERILE, "pl", PREFIX, 0.6, "ozonowani"),
    *terms(
        STERILE,
        "ru",
        PREFIX,
        1.0,
        "дезинфекц",
        "дезинфицир",
        "стерилизац",
        "стерилизатор",
        "обеззараживан",
        "обеззараживающ",
    ),
    *terms(STERILE, "ru", PREFIX, 0.7, "санобработк"),
    *terms(STERILE, "ru", PREFIX, 0.6, "антисептическ"),
    *terms(STERILE, "zh", PHRASE, 1.0, "杀菌", "消毒", "灭菌", "除菌"),
    *terms(STERILE, "ar", WORD, 1.0, "تعقيم", "التعقيم", "تطهير", "التطهير"),
    *terms(STERILE, "ar", WORD, 0.8, "معقمات", "مطهرات"),
    *terms(STERILE, "nl", PREFIX, 1.0, "ontsmet"),
)

_LABORATORIES = (
    *terms(LAB, "en", WORD, 1.0, "laboratory", "laboratories"),
    *terms(LAB, "en", PREFIX, 1.0, "biosafety", "microbiolog"),
    *terms(LAB, "en", PHRASE, 1.0, "biological safety cabinet", "BSL-2", "BSL-3"),
    *terms(LAB, "en", PREFIX, 0.8, "fume hood"),
    *terms(LAB, "en", WORD, 0.6, "PCR"),
    *terms(LAB, "en", PHRASE, 0.6, "life sciences"),
    *terms(
        LAB,
        "de",
        PREFIX,
        1.0,
        "Laborbedarf",
        "Labortechnik",
        "Laborgerät",
        "Laboreinrichtung",
        "Labormöbel",
        "Laboranalytik",
        "Laborausstattung",
        "Prüflabor",
        "Forschungslabor",
        "Sicherheitswerkbank",
        "Mikrobiolog",
    ),
    *terms(LAB, "de", WORD, 0.6, "Labore"),
    *terms(LAB, "de", PREFIX, 0.7, "Zellkultur"),
    *terms(LAB, "fr", PREFIX, 1.0, "laboratoire", "poste de sécurité microbiologique"),
    *terms(LAB, "fr", PHRASE, 0.7, "analyses biologiques", "biologie médicale"),
    *terms(LAB, "es", PHRASE, 1.0, "laboratorio clínico", "laboratorios clínicos", "cabina de bioseguridad"),
    *terms(LAB, "es", PREFIX, 0.9, "bioseguridad"),
    *terms(LAB, "es", PHRASE, 0.7, "análisis clínicos"),
    *terms(LAB, "it", PREFIX, 1.0, "laboratori"),
    *terms(LAB, "it", PHRASE, 1.0, "cappa di sicurezza biologica", "cappe biologiche"),
    *terms(LAB, "it", PHRASE, 0.7, "analisi cliniche"),
    *terms(LAB, "pt", PHRASE, 1.0, "laboratório de análises", "cabine de segurança biológica"),
    *terms(LAB, "pt", PREFIX, 0.9, "biossegurança"),
    *terms(LAB, "pt", PHRASE, 0.7, "análises clínicas", "capela de exaustão"),
    *terms(LAB, "tr", PREFIX, 1.0, "laboratuvar", "laboratuar", "biyogüvenlik", "mikrobiyoloj"),
    *terms(LAB, "tr", PREFIX, 0.8, "çeker ocak"),
    *terms(LAB, "pl", PREFIX, 1.0, "laboratoryjn", "bezpieczeństwa biologiczn"),
    *terms(LAB, "pl", PREFIX, 0.8, "dygestori"),
    *terms(LAB, "pl", PHRASE, 0.7, "diagnostyka laboratoryjna"),
    *terms(LAB, "ru", PREFIX, 1.0, "лаборатор", "микробиологич"),
    *terms(LAB, "ru", PHRASE, 1.0, "биологической безопасности"),
    *terms(LAB, "ru", PHRASE, 0.8, "вытяжной шкаф", "вытяжные шкафы"),
    *terms(LAB, "ru", WORD, 0.6, "ПЦР", "НИИ"),
    *terms(LAB, "ru", PREFIX, 0.6, "научно-исследовательск"),
    *terms(LAB, "zh", PHRASE, 1.0, "实验室", "化验室", "生物安全柜"),
    *terms(LAB, "zh", PHRASE, 0.7, "检测中心"),
    *terms(LAB, "zh", PHRASE, 0.6, "研究所"),
    *terms(LAB, "ar", WORD, 1.0, "مختبر", "المختبر", "مختبرات", "المختبرات"),
)

KEYWORDS = _STERILIZATION_DISINFECTION + _LABORATORIES
