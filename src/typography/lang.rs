//! Words a generated page needs in the book's language ("Chapter", "Contents").
//! Unknown languages fall back to English words rather than inventing any.

/// Labels used on generated pages and in navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// "Chapter" before a chapter number.
    pub chapter: &'static str,
    /// Title of the table of contents.
    pub contents: &'static str,
    /// Title of the landmarks navigation.
    pub guide: &'static str,
    /// Title given to the generated copyright page.
    pub copyright: &'static str,
    /// Title given to the generated title page.
    pub title_page: &'static str,
    /// Accessible name of the cover image ("Cover").
    pub cover: &'static str,
    /// "Start of content" landmark.
    pub start: &'static str,
    /// Label of a footnote's back link.
    pub back_to_text: &'static str,
    /// "page" in a page cross-reference ("see page 42").
    pub page: &'static str,
}

/// Labels for a BCP 47 tag, by primary language.
pub fn labels(language: &str) -> Labels {
    let primary = language
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "fr" => Labels {
            chapter: "Chapitre",
            contents: "Table des matières",
            guide: "Repères",
            copyright: "Droits d’auteur",
            title_page: "Page de titre",
            cover: "Couverture",
            start: "Début",
            back_to_text: "Retour au texte",
            page: "page",
        },
        "de" => Labels {
            chapter: "Kapitel",
            contents: "Inhalt",
            guide: "Orientierung",
            copyright: "Impressum",
            title_page: "Titelseite",
            cover: "Umschlag",
            start: "Beginn",
            back_to_text: "Zurück zum Text",
            page: "Seite",
        },
        "es" => Labels {
            chapter: "Capítulo",
            contents: "Índice",
            guide: "Puntos de referencia",
            copyright: "Derechos",
            title_page: "Portada",
            cover: "Cubierta",
            start: "Inicio",
            back_to_text: "Volver al texto",
            page: "página",
        },
        "pt" => Labels {
            chapter: "Capítulo",
            contents: "Sumário",
            guide: "Pontos de referência",
            copyright: "Direitos autorais",
            title_page: "Folha de rosto",
            cover: "Capa",
            start: "Início",
            back_to_text: "Voltar ao texto",
            page: "página",
        },
        "it" => Labels {
            chapter: "Capitolo",
            contents: "Indice",
            guide: "Punti di riferimento",
            copyright: "Copyright",
            title_page: "Frontespizio",
            cover: "Copertina",
            start: "Inizio",
            back_to_text: "Torna al testo",
            page: "pagina",
        },
        _ => Labels {
            chapter: "Chapter",
            contents: "Contents",
            guide: "Guide",
            copyright: "Copyright",
            title_page: "Title Page",
            cover: "Cover",
            start: "Start",
            back_to_text: "Back to text",
            page: "page",
        },
    }
}

/// The base direction of text in a BCP 47 language: `rtl` for the languages
/// (or scripts) written right to left, `ltr` otherwise. A script subtag wins
/// over the language (`az-Arab` is rtl, `ku-Latn` ltr).
pub fn direction(language: &str) -> &'static str {
    const RTL_SCRIPTS: [&str; 9] = [
        "arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "samr", "mand",
    ];
    const RTL_LANGUAGES: [&str; 14] = [
        "ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr", "arc", "nqo",
    ];
    let mut subtags = language.split('-').map(str::to_ascii_lowercase);
    let primary = subtags.next().unwrap_or_default();
    if let Some(script) =
        subtags.find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return if RTL_SCRIPTS.contains(&script.as_str()) {
            "rtl"
        } else {
            "ltr"
        };
    }
    if RTL_LANGUAGES.contains(&primary.as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(test)]
mod tests {
    use super::{direction, labels};

    #[test]
    fn by_primary_language() {
        assert_eq!(labels("en-GB").chapter, "Chapter");
        assert_eq!(labels("de-CH").chapter, "Kapitel");
        assert_eq!(labels("x-klingon").chapter, "Chapter");
    }

    #[test]
    fn direction_by_language_then_script() {
        assert_eq!(direction("en-GB"), "ltr");
        assert_eq!(direction("ar"), "rtl");
        assert_eq!(direction("he-IL"), "rtl");
        assert_eq!(direction("az-Arab"), "rtl");
        assert_eq!(direction("ku-Latn"), "ltr");
        assert_eq!(direction("pa-Arab-PK"), "rtl");
    }
}
